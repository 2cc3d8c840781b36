"""``cunzhao export``: the archive as a data package (CSV/JSONL/Parquet), a WARC or a WACZ."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cunzhao.cli.app import DbOption, app, err, open_archive, out, parse_date
from cunzhao.cli.values import lexicon_value

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from cunzhao import Archive, CorruptBlob, Filters


class TableFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


@app.command()
def export(
    target: Annotated[Path, typer.Argument(
        metavar="OUT", help="New (or empty) folder for a data package; the file to write "
        "with --warc/--wacz.")],
    fmt: Annotated[TableFormat | None, typer.Option(
        "--format", help="Data package file format (default csv).", case_sensitive=False,
    )] = None,
    warc: Annotated[bool, typer.Option("--warc", help="Write the captures as a WARC 1.1 file "
                                       "(gzip) instead of tables.")] = False,
    wacz: Annotated[bool, typer.Option("--wacz", help="Write a WACZ package (WARC, index, "
                                       "pages, facts) instead of tables.")] = False,
    tag: Annotated[str | None, typer.Option(help="Only documents with this series tag.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before YYYY-MM-DD.")] = None,
    action: Annotated[str | None, typer.Option(
        help="Only documents with this action (an id or its label, e.g. summon or 约谈); the "
        "stats tables keep only its counts.")] = None,
    object_: Annotated[str | None, typer.Option(
        "--object", help="Only documents counting this object (an id or its label, e.g. "
        "account or 账号); the stats tables keep only its counts.")] = None,
    query: Annotated[str | None, typer.Option(
        "--query", help="Only documents matching this search (every hit, never capped).",
    )] = None,
    all_versions: Annotated[bool, typer.Option(
        "--all-versions", help="Include the facts of earlier versions, not only the latest.",
    )] = False,
    db: DbOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Export the archive: a Frictionless data package (default), or --warc / --wacz."""
    from cunzhao import ExportTargetError, Filters, check_target

    if warc + wacz + (fmt is not None) > 1:
        err.print("[red]error:[/] choose one of --format, --warc, --wacz")
        raise typer.Exit(2)
    if all_versions and (warc or wacz):
        err.print("[red]error:[/] --all-versions applies to data packages; a WARC holds every "
                  "capture of the selected documents already")
        raise typer.Exit(2)
    try:
        check_target(target, folder=not (warc or wacz))
    except ExportTargetError as problem:
        err.print(f"[red]error:[/] {problem}")
        raise typer.Exit(2) from None
    first, last = parse_date(since, "--since"), parse_date(until, "--until")
    action = lexicon_value("action", action, "--action")
    object_ = lexicon_value("object", object_, "--object")
    with open_archive(db) as archive:
        ids = _search_ids(archive, query, quiet) if query is not None else None
        filters = Filters(tag=tag, since=first, until=last, document_ids=ids, action=action,
                          object=object_)
        try:
            if warc or wacz:
                _export_web_archive(archive, target, filters, wacz=wacz, quiet=quiet)
            else:
                _export_tables(archive, target, (fmt or TableFormat.csv).value, filters,
                               all_versions, query, quiet)
        except ExportTargetError as problem:
            err.print(f"[red]error:[/] {problem}")
            raise typer.Exit(2) from None
        except OSError as problem:  # disk full, permission lost mid-way …
            err.print(f"[red]error:[/] {target}: cannot write the export ({problem})")
            raise typer.Exit(1) from None


def _search_ids(archive: Archive, query: str, quiet: bool) -> frozenset[int]:
    from cunzhao import QuerySyntaxError

    try:
        hits = archive.search_rows(query, sort="date")
    except QuerySyntaxError as problem:
        err.print(f"[red]error:[/] --query: {problem}")
        raise typer.Exit(2) from None
    with _spinner(quiet) as progress:
        progress.add_task(f"searching {query!r}", total=None)
        ids = frozenset(int(row["document_id"]) for row in hits)
    err.print(f"{len(ids)} documents match {query!r}")
    return ids


def _export_tables(
    archive: Archive, target: Path, fmt: str, filters: Filters, all_versions: bool,
    query: str | None, quiet: bool,
) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from cunzhao import TABLES

    with Progress(
        TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=err, disable=quiet or not err.is_terminal,
    ) as progress:
        tasks: dict[str, TaskID] = {
            table: progress.add_task(
                table, total=archive.count_rows(table, filters, all_versions=all_versions))
            for table in TABLES
        }
        result = archive.export_package(
            target, fmt=fmt, filters=filters, all_versions=all_versions, query=query,
            on_rows=lambda table, n: progress.advance(tasks[table], n),
        )
    rows = ", ".join(f"{table} {n}" for table, n in result.rows.items())
    out.print(f"wrote {fmt} data package {result.path} ({rows} rows)")


def _export_web_archive(
    archive: Archive, target: Path, filters: Filters, *, wacz: bool, quiet: bool
) -> None:
    what = "WACZ" if wacz else "WARC"
    try:
        with _spinner(quiet) as progress:
            progress.add_task(f"writing {what} {target}", total=None)
            if wacz:
                package = archive.export_wacz(target, filters)
                summary = f"{package.records} records, {package.pages} pages, {package.facts} facts"
                corrupt = package.corrupt
            else:
                written = archive.export_warc(target, filters)
                summary = f"{written.records} records ({written.revisits} revisits)"
                corrupt = written.corrupt
    except BaseException:
        target.unlink(missing_ok=True)  # never leave half a file that looks like an export
        raise
    out.print(f"wrote {what} {target}: {summary}")
    if corrupt:
        err.print(f"[red]error:[/] {_left_out(corrupt)}", soft_wrap=True)
        raise typer.Exit(1)


def _left_out(corrupt: list[CorruptBlob], shown: int = 3) -> str:
    """One line naming the corrupt blobs a WARC/WACZ export left out, and why."""
    named = "; ".join(f"{bad.sha256} ({bad.reason})" for bad in corrupt[:shown])
    more = f"; and {len(corrupt) - shown} more" if len(corrupt) > shown else ""
    return f"{len(corrupt)} capture(s) left out, their stored blob is corrupt: {named}{more}"


def _spinner(quiet: bool) -> Progress:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                    console=err, disable=quiet or not err.is_terminal, transient=True)
