"""An archive written by a newer cunzhao: said plainly, with both revisions, on both backends —
never "run cunzhao migrate", never an Alembic traceback, and the archive is left as it was."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import text

from cunzhao import Archive, NeedsMigration, NewerSchema, __version__
from cunzhao.store.engine import open_engine
from cunzhao.store.migrate import current_revision, head_revision
from testenv import EXAMPLES

_FUTURE = "0099_from_the_future"


@pytest.fixture
def newer_archive(archive_location: str) -> str:
    """An archive whose schema revision this cunzhao has never heard of."""
    Archive.open(archive_location).close()
    engine = open_engine(archive_location)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": _FUTURE})
    engine.dispose()
    return archive_location


def _revision(location: str) -> str | None:
    engine = open_engine(location)
    try:
        return current_revision(engine)
    finally:
        engine.dispose()


@pytest.mark.parametrize("read_only", [False, True])
def test_open_says_the_archive_is_newer(newer_archive: str, read_only: bool) -> None:
    with pytest.raises(NewerSchema) as raised:
        Archive.open(newer_archive, read_only=read_only)
    message = str(raised.value)
    assert f"written by a newer cunzhao (schema revision {_FUTURE})" in message
    assert f"this cunzhao {__version__} knows revisions up to {head_revision()}" in message
    assert message.endswith("upgrade cunzhao")
    assert "migrate" not in message
    assert not isinstance(raised.value, NeedsMigration)
    assert raised.value.revision == _FUTURE


def test_migrate_refuses_and_changes_nothing(newer_archive: str) -> None:
    with pytest.raises(NewerSchema, match=_FUTURE):
        Archive.migrate(newer_archive)
    assert _revision(newer_archive) == _FUTURE


@pytest.mark.parametrize("command", [["ls"], ["migrate"], ["ingest", str(EXAMPLES)]])
def test_the_cli_says_it_in_one_line_and_exits_2(newer_archive: str, command: list[str]) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "cunzhao", command[0], "--db", newer_archive, *command[1:]],
        check=False, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert "newer cunzhao" in lines[0] and _FUTURE in lines[0] and "upgrade cunzhao" in lines[0]
    assert _revision(newer_archive) == _FUTURE


def test_an_older_archive_still_asks_for_migrate(archive_location: str) -> None:
    Archive.open(archive_location).close()
    engine = open_engine(archive_location)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001_core'"))
    engine.dispose()
    with pytest.raises(NeedsMigration, match="cunzhao migrate"):
        Archive.open(archive_location)
