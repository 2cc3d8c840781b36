"""Commands over the search index: search, reindex."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.markup import escape

from cunzhao.cli.app import DbOption, app, err, open_archive, out, parse_date
from cunzhao.cli.values import lexicon_value

if TYPE_CHECKING:
    from cunzhao import Hit, Results


def _opt(help_: str) -> object:
    return typer.Option(help=help_, show_default=False)


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(
        help='Words (all must match), "exact phrase", -exclude, A OR B. Empty: list by date.'
    )] = "",
    db: DbOption = None,
    tag: Annotated[str | None, _opt("Only this series tag, e.g. 立此存照.")] = None,
    since: Annotated[str | None, _opt("Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, _opt("Published on or before YYYY-MM-DD.")] = None,
    action: Annotated[str | None, _opt(
        "Only documents with this action: an id or its label, e.g. summon or 约谈.")] = None,
    target: Annotated[str | None, _opt("Only documents naming this case target, e.g. 百度.")] = None,
    category: Annotated[str | None, _opt(
        "Only documents with this case category: an id or its label.")] = None,
    source: Annotated[str | None, _opt("Only originals from this site, e.g. cac.gov.cn.")] = None,
    collection: Annotated[str | None, _opt("Only this CDS收藏 hall, e.g. 公民馆.")] = None,
    limit: Annotated[int, typer.Option(help="Hits per page.", min=1, max=1000)] = 20,
    page: Annotated[int, typer.Option(help="Page of hits.", min=1)] = 1,
    sort: Annotated[Literal["relevance", "date"],
                    typer.Option(help="relevance (BM25) or date (newest first).")] = "relevance",
    has_facts: Annotated[bool | None, typer.Option(
        "--has-facts/--no-facts", help="Only documents stating a count or case (enforcement "
        "documents), or only those stating none.", show_default=False)] = None,
    all_versions: Annotated[bool, typer.Option(
        "--all-versions", help="Also documents that only an earlier version matches (text a "
        "later version dropped); each hit names the version that matched.")] = False,
    facets: Annotated[bool, typer.Option("--facets", help="Also print facet counts.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object: hits, facets.")] = False,
) -> None:
    """Full-text search (Chinese-aware, traditional = simplified) with filters and facets."""
    from cunzhao import Filters, QuerySyntaxError

    filters = Filters(
        tag=tag, since=parse_date(since, "--since"), until=parse_date(until, "--until"),
        action=lexicon_value("action", action, "--action"), target=target,
        category=lexicon_value("category", category, "--category"), source=source,
        collection=collection, has_facts=has_facts,
    )
    with open_archive(db) as archive:
        try:
            results = archive.search(query, filters, sort=sort, page=page, per_page=limit,
                                     facets=facets or as_json, all_versions=all_versions)
        except QuerySyntaxError as problem:
            err.print(f"[red]error:[/] bad query: {escape(str(problem))}")
            raise typer.Exit(2) from None
    if as_json:
        out.print_json(json.dumps(results.to_json(), ensure_ascii=False))
        return
    _print(results, facets)


@app.command()
def reindex(
    db: DbOption = None,
    engine: Annotated[Literal["tantivy", "sql"] | None, typer.Option(
        help="Switch the search engine: tantivy or sql (the database's own); default: keep it.",
        show_default=False)] = None,
) -> None:
    """Rebuild the search index from the latest version of every document."""
    with open_archive(db) as archive:
        total = archive.reindex(progress=lambda done, all_: err.print(
            f"indexed {done}/{all_}", end="\r"), engine=engine)
    out.print(f"{total} documents indexed")


def _print(results: Results, with_facets: bool) -> None:
    first = (results.page - 1) * results.per_page
    for i, hit in enumerate(results.hits, start=first + 1):
        _print_hit(i, hit)
    shown = f"{first + 1}–{first + len(results.hits)} of " if results.hits else ""
    out.print(f"{shown}{results.total} documents")
    if results.note:
        out.print(f"[yellow]note:[/] {escape(results.note)}")
    if with_facets:
        for facet, pairs in results.facets.items():
            counts = ", ".join(f"{escape(v)} {n}" for v, n in pairs)
            out.print(f"[bold]{facet}[/]: {counts}")


def _print_hit(i: int, hit: Hit) -> None:
    tag = f"[{escape(hit.series_tag)}] " if hit.series_tag else ""
    out.print(f"[bold]{i}. {escape(hit.title)}[/]  {hit.published or '----------'} {tag}"
              f"#{hit.document_id}")
    if not hit.latest:
        out.print(f"   [yellow]matched in version {hit.version_n}, not in the latest[/]")
    snippet = "".join(f"[reverse]{escape(t)}[/]" if m else escape(t)
                      for t, m in hit.snippet.segments)
    out.print(f"   {snippet}")
    facts = [f"{s.action} {s.object} {s.value:,}" for s in hit.stats[:3]]
    facts += [f"{'/'.join(c.measures)}: {'、'.join(c.targets)}" for c in hit.cases[:3]]
    if facts:
        out.print(f"   [dim]facts: {escape('; '.join(facts))}[/]")
    if hit.url:
        out.print(f"   [dim]{escape(hit.url)}[/]")
