"""The pipeline reads one way: a module imports from its own stage and lower stages only.

Stages, lowest first (issue 10, part 4)::

    base (fold, lazy_exports, clock, digest) → capture → parse → sources → extract → store
    → search → ingest, scale → check, export, sync → archive (the facade) → cli, web
    → the package root

Every import counts: at module level, inside functions, under ``TYPE_CHECKING``. The package
root (``cunzhao/__init__.py``, and ``__main__.py``) sits on top: it may import anything. Being
imported, the root is the facade's public surface (what cli and web use): ``import cunzhao``
counts as the facade's stage, a name ``from cunzhao import …`` as the stage of the module that
defines it, and ``__version__``, a constant the root defines itself, as base.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import cunzhao

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "cunzhao"

BASE, TOP = "base", "top"
STAGES: tuple[tuple[str, ...], ...] = (
    ("base",),
    ("capture",),
    ("parse",),
    ("sources",),
    ("extract",),
    ("store",),
    ("search",),
    ("ingest", "scale"),
    ("check", "export", "sync"),
    ("archive",),
    ("cli", "web"),
    ("top",),
)
RANK = {stage: rank for rank, group in enumerate(STAGES) for stage in group}
BASE_MODULES = frozenset({"fold", "lazy_exports", "clock", "digest"})
ROOT_OWN_NAMES = frozenset({"__version__"})

# Known back-edges being removed (say which issue), as (importing file, imported module), e.g.
# ("cunzhao/store/copy.py", "cunzhao.search"),  # issue 10: the caller rebuilds the index
# None today: keep it so.
ALLOWED: frozenset[tuple[str, str]] = frozenset()


def stage_of(module: str) -> str:
    """The stage of a dotted module name under ``cunzhao``."""
    parts = module.split(".")
    assert parts[0] == "cunzhao", module
    if len(parts) == 1:
        return "archive"  # the package, imported whole: the facade's public surface
    if parts[1] in ("__init__", "__main__"):
        return TOP
    head = parts[1]
    if head in BASE_MODULES or head in ROOT_OWN_NAMES:
        return BASE
    assert head in RANK, f"{module}: not in any stage; add it to tests/test_layers.py"
    return head


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(path: Path, module: str | None = None) -> Iterator[tuple[int, str, str]]:
    """(line, imported module, how it reads) for every ``cunzhao`` import in ``path``
    (the module ``module``, by default the one at ``path`` under src/)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    module = module or module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "cunzhao":
                    yield node.lineno, alias.name, f"import {alias.name}"
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != "cunzhao":
                continue
            names = [alias.name for alias in node.names]
            text = f"from {'.' * node.level}{node.module or ''} import {', '.join(names)}"
            if base == "cunzhao":  # the root: resolve each name to where it lives
                for name in names:
                    yield node.lineno, _root_name(name), text
            else:
                yield node.lineno, base, text


def _root_name(name: str) -> str:
    if name in ROOT_OWN_NAMES:
        return f"cunzhao.{name}"
    where: dict[str, str] = getattr(cunzhao, "_WHERE", {})  # the root's lazy re-exports
    return where.get(name, f"cunzhao.{name}").partition(":")[0]  # "module:attribute"


def back_edges() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        mine = TOP if relative in ("cunzhao/__init__.py", "cunzhao/__main__.py") else (
            stage_of(module_name(path))
        )
        for line, target, text in imported(path):
            theirs = stage_of(target)
            if RANK[theirs] > RANK[mine] and (relative, target) not in ALLOWED:
                found.append(f"{relative}:{line}: {mine} imports {theirs}: {text}")
    return found


def test_no_stage_imports_a_higher_one() -> None:
    edges = back_edges()
    assert not edges, "imports against the pipeline's direction:\n" + "\n".join(edges)


def test_allow_list_holds_only_edges_that_still_exist() -> None:
    present: set[tuple[str, str]] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        present.update((relative, target) for _, target, _ in imported(path))
    assert not ALLOWED - present, f"remove from ALLOWED: {sorted(ALLOWED - present)}"


def test_the_rule_sees_every_kind_of_import(tmp_path: Path) -> None:
    """Function-level, TYPE_CHECKING and relative imports are all read."""
    probe = tmp_path / "probe.py"
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from cunzhao.search import search\n"
        "def f():\n    from ..check import run\n    import cunzhao.archive\n"
        "from cunzhao import Archive, __version__\n"
        "import cunzhao\n"
    )
    probe.write_text(source, encoding="utf-8")
    targets = {(line, target) for line, target, _ in imported(probe, "cunzhao.store.probe")}
    assert targets == {
        (3, "cunzhao.search"), (5, "cunzhao.check"), (6, "cunzhao.archive"),
        (7, "cunzhao.archive"), (7, "cunzhao.__version__"), (8, "cunzhao"),
    }
    assert [stage_of(t) for _, t in sorted(targets)] == [
        "search", "check", "archive", BASE, "archive", "archive",
    ]
