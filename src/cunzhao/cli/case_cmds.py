"""``cunzhao cases``: enforcement cases counted once — one row per act, however many documents
report it (docs/cases.md)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from cunzhao.cli.app import DbOption, app, err, open_archive, out, parse_date
from cunzhao.cli.values import lexicon_value

if TYPE_CHECKING:
    from cunzhao import CaseEvent


def _opt(help_: str) -> object:
    return typer.Option(help=help_, show_default=False)


@app.command("cases")
def cases_command(
    db: DbOption = None,
    entity: Annotated[str | None, _opt(
        "Only events naming this entity as target or regulator: any name, alias or id, "
        "e.g. 微博, 新浪微博 or weibo.")] = None,
    with_children: Annotated[bool, typer.Option(
        "--with-children", help="With --entity or --regulator: also the entities below it "
        "(百度 → 百度贴吧, a provincial office → its city offices).")] = False,
    measure: Annotated[str | None, _opt(
        "Only events with this measure: an id or its label, e.g. close_account or 关闭账号.")
    ] = None,
    category: Annotated[str | None, _opt(
        "Only events of this category: an id or its label, e.g. rumor or 谣言/不实信息.")] = None,
    since: Annotated[str | None, _opt("First reported on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, _opt("First reported on or before YYYY-MM-DD.")] = None,
    regulator: Annotated[str | None, _opt(
        "Only events issued by this office: any name or id, e.g. 北京市网信办.")] = None,
    province: Annotated[str | None, _opt(
        "Only events issued by an office of this province: its id or name, e.g. beijing, "
        "北京 or Beijing.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
) -> None:
    """Enforcement cases counted once: each event with every document reporting it, and the
    details they disagree on (fine, regulator) side by side."""
    from cunzhao import Filters, UnknownEntity, UnknownProvince

    filters = Filters(since=parse_date(since, "--since"), until=parse_date(until, "--until"),
                      action=lexicon_value("action", measure, "--measure"),
                      category=lexicon_value("category", category, "--category"))
    with open_archive(db) as archive:
        try:
            found = archive.case_events(filters, entity=entity, regulator=regulator,
                                        province=province, with_children=with_children)
        except (UnknownEntity, UnknownProvince) as problem:
            option = ("--province" if isinstance(problem, UnknownProvince)
                      else "--entity" if problem.name == entity else "--regulator")
            err.print(f"[red]error:[/] {option}: {escape(str(problem))}", soft_wrap=True)
            raise typer.Exit(2) from None
    if as_json:
        for event in found:
            print(json.dumps(event.to_json(), ensure_ascii=False))
        return
    _print_table(found)


def _print_table(found: list[CaseEvent]) -> None:
    if not found:
        err.print("0 events: no event matches these filters")
        return
    table = Table("date", "targets", "measures", "regulator", "fine", "sources", "conflict",
                  box=None, pad_edge=False)
    for e in found:
        table.add_row(
            e.date or "—", escape("、".join(e.targets)), ", ".join(e.measures),
            escape((" ≠ " if "regulator" in e.conflicts else "、").join(e.regulators)),
            " ≠ ".join(f"{f:,}" for f in e.fines),
            ",".join(str(s.document_id) for s in e.sources), ", ".join(e.conflicts))
    out.print(table)
    err.print(f"{len(found)} events, {sum(len(e.sources) for e in found)} reports")
