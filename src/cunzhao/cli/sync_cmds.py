"""``cunzhao sync`` (follow the configured sources) and ``cunzhao source add/ls/rm``."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from cunzhao.cli.app import DbOption, app, err, open_archive, out
from cunzhao.cli.warc_cmds import IgnoreRobotsOption, RateOption, TimeoutOption

if TYPE_CHECKING:
    from cunzhao import Archive, Source, SyncReport

source_app = typer.Typer(help="Manage the sources `sync` follows (in the TOML configuration).",
                         no_args_is_help=True)
app.add_typer(source_app, name="source")

ConfigOption = Annotated[Path | None, typer.Option(
    "--config", help="Sources file (default: ./cunzhao.toml).", show_default=False)]


def _config_path(config: Path | None) -> Path:
    from cunzhao import DEFAULT_CONFIG

    return config or Path(DEFAULT_CONFIG)


def _load(config: Path | None, names: list[str] | None = None) -> list[Source]:
    from cunzhao import ConfigError, load_sources

    path = _config_path(config)
    try:
        found = load_sources(path)
    except ConfigError as problem:
        err.print(f"[red]error:[/] {problem}")
        raise typer.Exit(2) from None
    unknown = [n for n in names or [] if n not in found]
    if unknown:
        err.print(f"[red]error:[/] {path}: no source named {', '.join(unknown)} "
                  f"(known: {', '.join(found) or 'none'})")
        raise typer.Exit(2)
    return [found[n] for n in names] if names else list(found.values())


@app.command()
def sync(
    names: Annotated[list[str] | None, typer.Argument(
        metavar="[SOURCE]...", help="Sources to sync (default: all in the configuration).")] = None,
    config: ConfigOption = None,
    db: DbOption = None,
    refresh: Annotated[bool, typer.Option(
        "--refresh", help="Re-request every known article (conditionally), not only new or "
        "updated ones.")] = False,
    loop: Annotated[bool, typer.Option("--loop", help="Keep running, a sync every --every.")
                    ] = False,
    every: Annotated[str, typer.Option("--every", help="Time between syncs with --loop, e.g. "
                                       "30m, 6h, 1d.")] = "6h",
    notify: Annotated[str | None, typer.Option(
        "--notify", help="POST a JSON summary of each run to this URL (failures are logged).",
        show_default=False)] = None,
    rate: RateOption = 1.0,
    per_host: Annotated[int, typer.Option(
        "--per-host", help="Requests in flight to one host at once.", min=1)] = 2,
    timeout: TimeoutOption = 30.0,
    ignore_robots: IgnoreRobotsOption = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Follow the sources: list what is new, fetch it politely, archive it, say what changed."""
    from cunzhao import FetchPolicy, parse_duration

    try:
        pause = parse_duration(every).total_seconds()
    except ValueError as problem:
        err.print(f"[red]error:[/] --every: {problem}")
        raise typer.Exit(2) from None
    sources = _load(config, names)
    policy = FetchPolicy(rate_per_host=rate, per_host=per_host, timeout=timeout,
                         respect_robots=not ignore_robots)
    with open_archive(db, create=True) as archive:
        while True:
            reports = _run_once(archive, sources, policy, refresh, quiet)
            _print_reports(reports)
            if notify:
                _notify(notify, archive, reports)
            if not loop:
                break
            err.print(f"next sync in {every}")
            try:
                time.sleep(pause)
            except KeyboardInterrupt:
                break
    if any(r.failed for r in reports):
        raise typer.Exit(1)


def _run_once(archive: Archive, sources: list[Source], policy: object, refresh: bool,
              quiet: bool) -> list[SyncReport]:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from cunzhao import FetchPolicy

    assert isinstance(policy, FetchPolicy)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"),
                  TextColumn("{task.completed} articles"), TimeElapsedColumn(), console=err,
                  disable=quiet or not err.is_terminal, transient=True) as progress:
        task = progress.add_task("sync")

        def step(url: str, what: str) -> None:
            progress.update(task, advance=1, description=f"{what:<10} {url[-60:]}")

        return archive.sync(sources, policy, refresh=refresh, on_url=step)


def _print_reports(reports: list[SyncReport]) -> None:
    table = Table("source", "new", "changed", "unchanged", "filtered", "failed", "requests",
                  box=None, pad_edge=False)
    for r in reports:
        c = r.counts
        table.add_row(r.source, str(c.new), str(c.changed), str(c.unchanged), str(c.filtered),
                      str(c.failed), str(c.requests))
    out.print(table)
    for r in reports:
        if r.error:
            err.print(f"[red]failed[/] {r.source}: {r.error}")
        for url, reason in r.counts.failures[:10]:
            err.print(f"[red]failed[/] {r.source}: {url}: {reason}")
        if len(r.counts.failures) > 10:
            err.print(f"… and {len(r.counts.failures) - 10} more failures in {r.source}")


def _notify(url: str, archive: Archive, reports: list[SyncReport]) -> None:
    from cunzhao import notify

    summary = {"archive": archive.location, "counts": archive.counts(),
               "new_documents": sum(r.counts.new for r in reports),
               "changed_documents": sum(r.counts.changed for r in reports),
               "gone": len(archive.gone_documents()),
               "sources": [r.to_json() for r in reports]}
    problem = notify(url, summary)
    if problem:
        err.print(f"[yellow]notify:[/] {url}: {problem}")


@source_app.command("ls")
def source_ls(
    config: ConfigOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
) -> None:
    """List the configured sources."""
    sources = _load(config)
    if as_json:
        for s in sources:
            print(json.dumps(s.to_json(), ensure_ascii=False))
        return
    table = Table("name", "kind", "url or path", "filter", "tag", box=None, pad_edge=False)
    for s in sources:
        table.add_row(s.name, s.kind, s.url or str(s.path or ""), "|".join(s.keywords)
                      or s.keyword_regex or "", s.tag or "")
    out.print(table)


@source_app.command("add")
def source_add(
    name: Annotated[str, typer.Argument(help="A name for the source, e.g. cdt-lcz.")],
    kind: Annotated[str, typer.Option("--kind", help="feed, listing, sitemap, wayback or folder.")],
    url: Annotated[str | None, typer.Option("--url", help="Feed, listing or sitemap URL; "
                                            "for wayback the URL prefix.")] = None,
    path: Annotated[str | None, typer.Option("--path", help="Folder (kind folder).")] = None,
    link_selector: Annotated[str | None, typer.Option(
        "--link-selector", help="CSS selector of article links (listing).")] = None,
    next_selector: Annotated[str | None, typer.Option(
        "--next-selector", help="CSS selector of the next-page link (listing).")] = None,
    url_pattern: Annotated[str | None, typer.Option(
        "--url-pattern", help="Regex an article URL must match.")] = None,
    keywords: Annotated[str | None, typer.Option(
        "--keywords", help="Keep only articles containing one of these, e.g. 约谈|关闭|罚款.")
    ] = None,
    tag: Annotated[str | None, typer.Option("--tag", help="Provenance label.")] = None,
    config: ConfigOption = None,
) -> None:
    """Add a source to the configuration (the file is created if needed)."""
    from cunzhao import ConfigError, add_source, parse_source

    path_ = _config_path(config)
    options = {"kind": kind, "url": url, "path": path, "link_selector": link_selector,
               "next_selector": next_selector, "url_pattern": url_pattern,
               "keywords": keywords, "tag": tag}
    try:
        source = parse_source(path_, name, {k: v for k, v in options.items() if v is not None})
        add_source(path_, source)
    except ConfigError as problem:
        err.print(f"[red]error:[/] {problem}")
        raise typer.Exit(2) from None
    out.print(f"{path_}: added source {name} ({kind})")


@source_app.command("rm")
def source_rm(
    name: Annotated[str, typer.Argument(help="The source to remove.")],
    config: ConfigOption = None,
) -> None:
    """Remove a source from the configuration (what it archived stays)."""
    from cunzhao import ConfigError, remove_source

    path_ = _config_path(config)
    try:
        remove_source(path_, name)
    except ConfigError as problem:
        err.print(f"[red]error:[/] {problem}")
        raise typer.Exit(2) from None
    out.print(f"{path_}: removed source {name}")
