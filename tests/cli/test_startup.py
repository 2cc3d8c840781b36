"""A quick CLI: ``cunzhao --help`` loads no database, extractor or Arrow library, and ``ls``
loads only the database layer (bench/startup.py times both)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "cn2an", "alembic", "pyarrow")
RUN_CLI = "import sys; from cunzhao.cli import app; sys.argv[0] = 'cunzhao'; app()"


def imported_modules(*args: str) -> tuple[set[str], str]:
    """Modules a fresh ``cunzhao ARGS`` imports (``-X importtime``), and its output."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", RUN_CLI, *args],
                          capture_output=True, text=True, check=False, cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", done.stderr, re.MULTILINE)
    assert names, "no -X importtime lines"
    return set(names), done.stdout


def packages(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_importing_the_cli_loads_none_of_the_heavy_libraries() -> None:
    code = ("import sys; from cunzhao.cli import app; "
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=REPO)
    assert done.stdout.split() == []


@pytest.mark.parametrize("command", [(), ("search",), ("export",), ("ingest",), ("stats",)])
def test_help_loads_none_of_the_heavy_libraries(command: tuple[str, ...]) -> None:
    modules, shown = imported_modules(*command, "--help")
    assert "Usage" in shown
    assert packages(modules).isdisjoint(HEAVY), sorted(packages(modules) & set(HEAVY))
    assert "typer" in modules  # the parser really ran in this process
    assert "rich.progress" not in modules  # progress bars load when a command runs


def test_ls_loads_the_database_layer_alone(tmp_path: Path) -> None:
    location = str(tmp_path / "small.db")
    subprocess.run([sys.executable, "-c", RUN_CLI, "ingest", str(REPO / "examples"), "--db",
                    location, "--quiet", "--jobs", "1"], check=True, capture_output=True)
    modules, shown = imported_modules("ls", "--db", location)
    found = packages(modules)
    assert "sqlalchemy" in found and "中央网信办" in shown
    unwanted = {"cn2an", "alembic", "pyarrow", "tantivy", "selectolax"}
    assert found.isdisjoint(unwanted), sorted(found & unwanted)


def test_the_revision_graph_read_without_alembic_is_alembics() -> None:
    from alembic.script import ScriptDirectory

    from cunzhao.store.migrate import alembic_config, head_revision, known_revisions

    scripts = ScriptDirectory.from_config(alembic_config())
    assert head_revision() == scripts.get_current_head()
    assert known_revisions() == {script.revision for script in scripts.walk_revisions()}
