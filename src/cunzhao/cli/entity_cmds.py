"""``cunzhao entities`` (who cases name, with counts) and ``cunzhao entity …``: show one
entity, and the recorded, reversible edits — alias, merge, undo, log."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cunzhao.cli.app import DbOption, app, err, open_archive, out

if TYPE_CHECKING:
    from collections.abc import Callable

    from cunzhao import Archive, Entity, EntityEdit

entity_app = typer.Typer(help="Show an entity; alias, merge and undo (recorded: who, when).",
                         no_args_is_help=True)
app.add_typer(entity_app, name="entity")

ByOption = Annotated[str | None, typer.Option(
    "--by", help="Who makes the edit (default: $USER).", show_default=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _by(by: str | None) -> str | None:
    return by or os.environ.get("USER") or None


def _unknown(problem: LookupError) -> typer.Exit:
    """Say which name is unknown and the closest entities (exit 1)."""
    err.print(f"[red]error:[/] {escape(str(problem))}")
    return typer.Exit(1)


@app.command("entities")
def entities_command(
    db: DbOption = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", help="Only this kind: platform, company, app, website, miniprogram, account, "
        "outlet, regulator, person-redacted.", show_default=False)] = None,
    role: Annotated[str | None, typer.Option(
        "--role", help="Only as target or as regulator.", show_default=False)] = None,
    everything: Annotated[bool, typer.Option(
        "--all", help="Also the entities no case names (0 cases).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Entities named in cases, with case and document counts, most cases first."""
    from cunzhao import ENTITY_KINDS

    if kind is not None and kind not in ENTITY_KINDS:
        err.print(f"[red]error:[/] --kind {kind!r}: one of {', '.join(ENTITY_KINDS)}")
        raise typer.Exit(2)
    if role not in (None, "target", "regulator"):
        err.print(f"[red]error:[/] --role {role!r}: target or regulator")
        raise typer.Exit(2)
    with open_archive(db) as archive:
        found = archive.entities(role, kind=kind, include_empty=everything)  # type: ignore[arg-type]
    if as_json:
        print(json.dumps([e.to_json() for e in found], ensure_ascii=False, indent=2))
        return
    table = Table("id", "name", "en", "kind", "role", "cases", "documents", "first", "last",
                  box=None, pad_edge=False)
    for e in found:
        table.add_row(escape(e.id), escape(e.name), escape(e.en or ""), e.kind, e.role,
                      str(e.cases), str(e.documents), e.first or "", e.last or "")
    out.print(table)


@entity_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="Any name, alias, traditional form or id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One entity: its names, parent, children, level and province, and its case count."""
    from cunzhao import UnknownEntity

    with open_archive(db) as archive:
        found = archive.entity(name)
        if found is None:
            raise _unknown(UnknownEntity(name, archive.suggest_entities(name)))
        cases = archive.entity_cases(found)
    if as_json:
        print(json.dumps({**found.to_json(), "cases": len(cases)}, ensure_ascii=False, indent=2))
        return
    _print_entity(found, len(cases))


def _print_entity(e: Entity, cases: int) -> None:
    rows = [("id", e.id), ("zh", e.zh), ("en", e.en or ""), ("kind", e.kind),
            ("parent", e.parent or ""), ("children", ", ".join(e.children)),
            ("province", e.province or ""), ("level", e.level or ""), ("source", e.source),
            ("aliases", "、".join(e.aliases)), ("cases", str(cases))]
    table = Table(box=None, show_header=False, pad_edge=False)
    for key, value in rows:
        table.add_row(key, escape(value))
    out.print(table)


@entity_app.command("alias")
def alias(
    name: Annotated[str, typer.Argument(help="The name that should resolve to ENTITY.")],
    entity: Annotated[str, typer.Argument(help="The entity: a name, alias or id.")],
    db: DbOption = None,
    by: ByOption = None,
) -> None:
    """Record that NAME names ENTITY; stored names re-resolve."""
    _edit(db, lambda archive: archive.alias_entity(name, entity, by=_by(by)))


@entity_app.command("merge")
def merge(
    name: Annotated[str, typer.Argument(help="The entity to merge away (a name, alias or id).")],
    into: Annotated[str, typer.Argument(help="The entity it is (a name, alias or id).")],
    db: DbOption = None,
    by: ByOption = None,
) -> None:
    """Record that entity NAME is entity INTO: its names, cases and children move there."""
    _edit(db, lambda archive: archive.merge_entities(name, into, by=_by(by)))


def _edit(db: str | None, make: Callable[[Archive], EntityEdit]) -> None:
    """Make one edit and say so, or exit 1 saying why not (an unknown entity: the closest)."""
    with open_archive(db) as archive:
        try:
            edit = make(archive)
        except (LookupError, ValueError) as problem:
            err.print(f"[red]error:[/] {escape(str(problem))}")
            raise typer.Exit(1) from None
    out.print(f"edit {edit.id}: {edit.op} {escape(edit.name)} → {escape(edit.entity)} "
              f"(by {escape(edit.by)}, {edit.at}; undo: cunzhao entity undo {edit.id})")


@entity_app.command("undo")
def undo(
    edit_id: Annotated[int, typer.Argument(help="The edit's number (cunzhao entity log).")],
    db: DbOption = None,
    by: ByOption = None,
) -> None:
    """Undo an alias or merge; the log keeps it, marked undone."""
    with open_archive(db) as archive:
        try:
            edit = archive.undo_entity_edit(edit_id, by=_by(by))
        except (LookupError, ValueError) as problem:
            err.print(f"[red]error:[/] {escape(str(problem))}")
            raise typer.Exit(1) from None
    out.print(f"undid edit {edit.id} ({edit.op} {escape(edit.name)} → {escape(edit.entity)})")


@entity_app.command("log")
def log(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every alias and merge recorded, oldest first, with who and when (undone ones too)."""
    with open_archive(db) as archive:
        edits = archive.entity_edits()
    if as_json:
        print(json.dumps([e.to_json() for e in edits], ensure_ascii=False, indent=2))
        return
    table = Table("id", "op", "name", "entity", "before", "by", "at", "undone", box=None,
                  pad_edge=False)
    for e in edits:
        undone = f"{e.undone_at} by {e.undone_by}" if e.undone_at else ""
        table.add_row(str(e.id), e.op, escape(e.name), escape(e.entity),
                      escape(e.previous or ""), escape(e.by), e.at, escape(undone))
    out.print(table)

