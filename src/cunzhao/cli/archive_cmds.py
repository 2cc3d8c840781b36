"""Commands over the archive itself: ingest, ls, show, raw, migrate."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cunzhao.cli.app import DbOption, app, default_db, err, open_archive, out, parse_date
from cunzhao.cli.values import lexicon_value

if TYPE_CHECKING:
    from cunzhao import IngestResult, IngestSummary


def _count_files(paths: list[Path]) -> int:
    total = 0
    for path in paths:
        total += sum(1 for p in path.rglob("*") if p.is_file()) if path.is_dir() else 1
    return total


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (recursively).")],
    db: DbOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, show_default=False,
        help="Worker processes that read, parse, extract and tokenise while this one writes "
             "(default: the number of cores; 1: all in this process).")] = None,
    cluster: Annotated[str | None, typer.Option(
        help="Prepare on a Dask cluster instead: a scheduler address (tcp://HOST:PORT) or "
             "local:N for N local workers.")] = None,
    to_parquet: Annotated[Path | None, typer.Option(
        "--to-parquet", metavar="DIR",
        help="Write the prepared pages as Parquet partitions to DIR instead of into an "
             "archive; `cunzhao load DIR` brings them in.")] = None,
) -> None:
    """Preserve, parse and extract pages (.md wrapped, .html/.htm, .warc/.warc.gz) into the archive."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from cunzhao.cli.scale_cmds import cluster_errors, to_parquet_run, workers

    jobs = workers(jobs)
    if to_parquet is not None:
        to_parquet_run(paths, to_parquet, jobs=jobs, cluster=cluster)
        return
    archive = open_archive(db, create=True)

    def report(result: IngestResult) -> None:
        if result.outcome == "failed":
            err.print(f"[red]failed[/] {result.source}: {result.error}")

    with archive, Progress(
        TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, disable=quiet or not err.is_terminal, transient=True,
    ) as progress:
        task = progress.add_task("ingest", total=_count_files(paths))

        def step(result: IngestResult) -> None:
            report(result)
            progress.advance(task)

        with cluster_errors():
            summary = archive.ingest(paths, on_result=step, jobs=jobs, cluster=cluster)
    print_summary(summary)


def print_summary(summary: IngestSummary) -> None:
    """The one line an ingest (or a load) ends with; exit 1 when a capture failed."""
    c = summary.counts
    out.print(
        f"{c.get('ingested', 0)} ingested, {c.get('unchanged', 0)} unchanged, "
        f"{c.get('new_version', 0)} new versions, {c.get('stored', 0)} stored raw, "
        f"{c.get('skipped', 0)} skipped, {c.get('failed', 0)} failed"
    )
    if summary.failed:
        raise typer.Exit(1)


_LS_FIELDS = ("id", "url", "published", "series_tag", "title", "versions")


@app.command("ls")
def list_documents(
    db: DbOption = None,
    tag: Annotated[str | None, typer.Option(help="Only this series tag, e.g. 立此存照.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before YYYY-MM-DD.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many rows.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
    gone: Annotated[
        bool, typer.Option("--gone", help="Only documents whose original is gone at its source.")
    ] = False,
) -> None:
    """List documents, newest first: id, publish date, series tag, title."""
    from cunzhao import Filters

    if gone:
        _list_gone(db, as_json)
        return
    with open_archive(db, read_only=True) as archive:
        filters = Filters(tag=tag, since=parse_date(since, "--since"),
                          until=parse_date(until, "--until"))
        docs = archive.documents(filters, limit=limit)
    if as_json:
        for d in docs:
            print(json.dumps({k: getattr(d, k) for k in _LS_FIELDS}, ensure_ascii=False))
        return
    table = Table("id", "published", "tag", "title", "v", box=None, pad_edge=False)
    for d in docs:
        table.add_row(str(d.id), d.published or "—", d.series_tag or "", d.title, str(d.versions))
    out.print(table)
    err.print(f"{len(docs)} documents")


def _list_gone(db: str | None, as_json: bool) -> None:
    with open_archive(db) as archive:
        rows = archive.gone_documents()
    if as_json:
        for row in rows:
            print(json.dumps(row.__dict__, ensure_ascii=False))
        return
    table = Table("id", "first seen gone", "last seen alive", "original", "title", box=None)
    for row in rows:
        table.add_row(str(row.document_id), row.first_gone, row.last_alive or "never",
                      row.url, row.title or "")
    out.print(table)
    err.print(f"{len(rows)} documents gone at their source")


@app.command()
def show(
    ref: Annotated[str, typer.Argument(metavar="ID|URL", help="Document id or URL.")],
    db: DbOption = None,
    version: Annotated[int | None, typer.Option("--version", help="Version number.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The stable JSON object.")] = False,
) -> None:
    """Show a document: archive card, provenance, versions, facts and body text."""
    with open_archive(db) as archive:
        doc = archive.document(ref, version)
    if doc is None:
        err.print(f"[red]error:[/] no document {ref!r} in this archive")
        raise typer.Exit(1)
    if as_json:
        print(json.dumps(doc.to_json(), ensure_ascii=False, indent=2))
        return
    from cunzhao.cli.document_view import print_document

    print_document(out, doc)


@app.command()
def raw(
    ref: Annotated[str, typer.Argument(metavar="ID|URL", help="Document id or URL.")],
    db: DbOption = None,
    version: Annotated[int | None, typer.Option("--version", help="Version number.")] = None,
) -> None:
    """Write a version's preserved bytes to standard output, exactly as captured."""
    from cunzhao import CorruptBlob

    with open_archive(db) as archive:
        try:
            data = archive.raw(ref, version)
        except (LookupError, CorruptBlob) as problem:
            err.print(f"[red]error:[/] {problem}")
            raise typer.Exit(1) from None
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


@app.command()
def migrate(db: DbOption = None) -> None:
    """Upgrade an archive's schema in place to this version of cunzhao."""
    from cunzhao import Archive, NewerSchema, ReadOnlyArchive

    location = db or default_db()
    try:
        before, after = Archive.migrate(location)
    except (NewerSchema, ReadOnlyArchive) as problem:
        err.print(f"[red]error:[/] {location}: {problem}")
        raise typer.Exit(2) from None
    if before == after:
        out.print(f"{location}: already at {after}")
    else:
        out.print(f"{location}: upgraded {before or 'empty'} → {after}")




@app.command()
def reextract(db: DbOption = None) -> None:
    """Re-run fact extraction over every stored version (after a lexicon or extractor change)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with open_archive(db) as archive, Progress(
        TextColumn("reextract"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, disable=not err.is_terminal, transient=True,
    ) as progress:
        task = progress.add_task("reextract", total=archive.counts()["versions"])
        totals = archive.reextract(on_progress=lambda done: progress.update(task, completed=done))
    out.print(f"{totals['versions']} versions re-extracted: {totals['stats']} stats, "
              f"{totals['cases']} cases")


@app.command()
def stats(
    db: DbOption = None,
    action: Annotated[str | None, typer.Option(
        help="Only this action: an id or its label, e.g. summon or 约谈.")] = None,
    object_: Annotated[str | None, typer.Option(
        "--object", help="Only this object: an id or its label, e.g. account or 账号.")] = None,
    scope: Annotated[str | None, typer.Option(help="Only this scope/issuer as written.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
) -> None:
    """Enforcement counts consolidated across documents (each figure once, with its sources)."""
    from cunzhao import Filters

    action = lexicon_value("action", action, "--action")
    object_ = lexicon_value("object", object_, "--object")
    with open_archive(db) as archive:
        found = archive.figures(Filters(action=action, object=object_, scope=scope))
    if as_json:
        for figure in found:
            print(json.dumps(figure.to_json(), ensure_ascii=False))
        return
    table = Table("period", "scope", "action", "object", "value", "sources", "conflict", box=None)
    for figure in found:
        p = figure.period
        period = f"{p.start or '?'}..{p.end or '?'}" if p else "—"
        table.add_row(period, figure.scope or "", figure.action, figure.object,
                      f"{figure.value:,}", ",".join(str(s.document_id) for s in figure.sources),
                      "yes" if figure.conflict else "")
    out.print(table)


@app.command("copy")
def copy_archive(
    source: Annotated[str, typer.Option("--from", help="The archive to copy (path or URL).")],
    target: Annotated[str, typer.Option("--to", help="Where to copy it (path or URL).")],
) -> None:
    """Copy a whole archive to another backend (e.g. SQLite → PostgreSQL); resumable, verified."""
    from rich.progress import Progress, TextColumn, TimeElapsedColumn

    from cunzhao import CopyMismatch

    open_archive(target, create=True).close()  # a target that cannot be opened: exit 2 here
    with open_archive(source) as src, Progress(
        TextColumn("{task.description}"), TextColumn("{task.completed} rows"),
        TimeElapsedColumn(), console=err, disable=not err.is_terminal, transient=True,
    ) as progress:
        task = progress.add_task("copy")
        try:
            report = src.copy_to(
                target,
                on_batch=lambda table, n: progress.update(task, description=table, completed=n),
            )
        except CopyMismatch as problem:
            err.print(f"[red]error:[/] {problem}")
            raise typer.Exit(1) from None
    rows = ", ".join(f"{n} {name}" for name, n in report.counts.items())
    sent = [sum(report.copied.values()), sum(report.updated.values()), sum(report.removed.values())]
    out.print(f"copied and verified: {rows}; every table's checksum equal; "
              f"{report.blobs_verified} blob hashes checked; {report.indexed} documents indexed "
              f"(this run: {sent[0]} rows inserted, {sent[1]} updated, {sent[2]} removed)")
