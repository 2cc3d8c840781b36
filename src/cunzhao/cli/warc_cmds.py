"""Commands that talk to the web: capture (fetch into a WARC, then ingest) and check."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from cunzhao.cli.app import DbOption, app, err, open_archive, out, parse_date

RateOption = Annotated[
    float,
    typer.Option("--rate", help="At most this many requests per second to one host.", min=0.01),
]
TimeoutOption = Annotated[
    float, typer.Option("--timeout", help="Seconds to wait for an answer.", min=0.1)
]
IgnoreRobotsOption = Annotated[
    bool, typer.Option("--ignore-robots", help="Fetch even what robots.txt disallows.")
]


def _read_url_list(path: Path) -> list[str]:
    """URLs from a file (``-`` = standard input): one a line, ``#`` comments and blanks skipped."""
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        err.print(f"[red]error:[/] cannot read URL list {path}: {problem}")
        raise typer.Exit(2) from None
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@app.command()
def capture(
    urls: Annotated[list[str] | None, typer.Argument(help="URLs to fetch.")] = None,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from-file", help="Also fetch the URLs in this file (one a line; - = stdin)."
        ),
    ] = None,
    db: DbOption = None,
    ignore_robots: IgnoreRobotsOption = False,
    memento: Annotated[
        str | None,
        typer.Option(
            "--memento",
            help="Web archive to ask for a copy when a URL is gone or unreachable, e.g. "
            "https://web.archive.org/web (Wayback availability API, then RFC 7089 TimeMap).",
        ),
    ] = None,
    rate: RateOption = 1.0,
    timeout: TimeoutOption = 30.0,
    retries: Annotated[int, typer.Option("--retries", help="Retries after a failure.", min=0)] = 2,
) -> None:
    """Fetch URLs into a WARC in the archive's data folder, then ingest what came back."""
    from cunzhao import FetchPolicy

    wanted = list(urls or []) + (_read_url_list(from_file) if from_file else [])
    if not wanted:
        err.print("[red]error:[/] no URL given (arguments or --from-file)")
        raise typer.Exit(2)
    with open_archive(db, create=True) as archive:
        policy = FetchPolicy(
            rate_per_host=rate, timeout=timeout, retries=retries, respect_robots=not ignore_robots
        )
        captured = archive.capture(wanted, policy, memento=memento)
        outcomes = [outcome for outcome, _ in captured]
        table = Table("url", "outcome", "status", "ingest", "detail", box=None, pad_edge=False)
        missed = 0
        for outcome, result in captured:
            ingest = ""
            if result is not None:
                ingest = result.outcome
                if result.document_id is not None:
                    ingest += f" #{result.document_id} v{result.version_n}"
                if result.error:
                    ingest += f": {result.error}"
            else:
                missed += 1
            detail = outcome.detail or (outcome.final_url if outcome.redirects else "") or ""
            table.add_row(outcome.url, outcome.outcome, str(outcome.status or ""), ingest, detail)
    out.print(table)
    warcs = sorted({o.capture.source.rpartition("#")[0] for o in outcomes if o.capture})
    err.print(
        f"{len(outcomes) - missed} of {len(outcomes)} captured"
        + (f"; WARC {warcs[-1]}" if warcs else "")
    )
    if missed:
        raise typer.Exit(1)


@app.command()
def check(
    db: DbOption = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only documents published on or after YYYY-MM-DD.")
    ] = None,
    recheck: Annotated[
        bool, typer.Option("--recheck", help="Only documents now gone or unreachable.")
    ] = False,
    gone_after: Annotated[
        str, typer.Option("--gone-after", help="Call a page gone only when its first and latest "
                          "gone answers are this far apart (30m, 6h, 2d).")
    ] = "24h",
    gone_sightings: Annotated[
        int, typer.Option("--gone-sightings", min=1,
                          help="Call a page gone only after this many gone answers.")
    ] = 2,
    concurrency: Annotated[
        int, typer.Option("--concurrency", help="Requests in flight at once.", min=1)
    ] = 4,
    rate: RateOption = 1.0,
    timeout: TimeoutOption = 30.0,
    ignore_robots: IgnoreRobotsOption = False,
) -> None:
    """Re-request every document's original URL; record alive, changed, redirected, gone,
    unreachable or error. A page is called gone only after repeated gone answers."""
    from cunzhao import CHECK_OUTCOMES, CHECK_POLICY, parse_duration

    first = parse_date(since, "--since")
    try:
        after = parse_duration(gone_after)
    except ValueError as problem:
        err.print(f"[red]error:[/] --gone-after: {problem}")
        raise typer.Exit(2) from None
    with open_archive(db) as archive:
        policy = replace(
            CHECK_POLICY, rate_per_host=rate, timeout=timeout, respect_robots=not ignore_robots
        )
        results = archive.check(since=first, recheck=recheck, concurrency=concurrency,
                                policy=policy)
        confirmed = {g.document_id for g in
                     archive.gone_documents(sightings=gone_sightings, after=after)}
    table = Table("id", "outcome", "status", "url", "detail", box=None, pad_edge=False)
    for result in results:
        if result.outcome != "alive":
            table.add_row(
                str(result.document_id),
                result.outcome,
                str(result.http_status or ""),
                result.url,
                result.detail or "",
            )
    if table.row_count:
        out.print(table)
    counts = Counter(r.outcome for r in results)
    err.print(f"{len(results)} checked: "
              + ", ".join(f"{counts[k]} {k}" for k in CHECK_OUTCOMES))
    sighted = [r.document_id for r in results if r.outcome == "gone"]
    if sighted:
        called = sum(1 for d in sighted if d in confirmed)
        err.print(f"gone at source: {called} confirmed ({gone_sightings}+ sightings, "
                  f"{gone_after} apart), {len(sighted) - called} seen gone, not yet confirmed")
