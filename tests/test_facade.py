"""The CLI and the web app go through the one door: ``cunzhao`` (the ``Archive`` facade and
the public types it re-exports), never a stage module below it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "cunzhao"
# What each top layer may import besides ``cunzhao`` itself: its own modules (and the CLI
# starts the web app).
ALLOWED = {"cli": ("cunzhao.cli", "cunzhao.web"), "web": ("cunzhao.web",)}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in ``path``, relative ones resolved, and of every
    ``import_module("…")`` with a literal name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.append((node.lineno, base))
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", ""))
              == "import_module" and node.args and isinstance(node.args[0], ast.Constant)):
            found.append((node.lineno, str(node.args[0].value)))
    return found


def facade_violations(layer: str) -> list[str]:
    bad = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for line, module in imported_modules(path):
            if module.split(".")[0] != "cunzhao" or module == "cunzhao":
                continue
            if not module.startswith(ALLOWED[layer]):
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}")
    return bad


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_top_layers_import_only_the_facade(layer: str) -> None:
    assert facade_violations(layer) == []


def test_the_check_sees_a_stage_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "cunzhao"
    (fake / "web").mkdir(parents=True)
    (fake / "web" / "bad.py").write_text(
        "from cunzhao import Archive\nfrom cunzhao.store.reader import DocumentView\n"
        "def f():\n    from ..search import search\n", encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.PACKAGE", fake)
    assert facade_violations("web") == [
        "cunzhao/web/bad.py:2 imports cunzhao.store.reader",
        "cunzhao/web/bad.py:4 imports cunzhao.search",
    ]


def test_every_facade_name_resolves() -> None:
    import cunzhao

    for name in cunzhao.__all__:
        assert getattr(cunzhao, name) is not None, name
