"""``search()``: parse, ask the archive's engine for a page of hits, attach snippets and facts."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Connection, select

from cunzhao.search.index import engine_for, index_for
from cunzhao.search.plan import FACET_LIMIT, MAX_FACET_VALUES, RANK_LIMIT, Request
from cunzhao.search.query import parse_query
from cunzhao.search.results import Hit, Results, Sort
from cunzhao.search.snippet import make_snippet
from cunzhao.search.state import read_state
from cunzhao.store.facts import load_facts
from cunzhao.store.filters import Filters
from cunzhao.store.schema import versions

__all__ = ["FACET_LIMIT", "MAX_FACET_VALUES", "RANK_LIMIT", "search"]

_v = versions


def search(
    conn: Connection,
    query: str,
    filters: Filters | None = None,
    *,
    sort: Sort = "relevance",
    page: int = 1,
    per_page: int = 20,
    facets: bool = True,
    rank_limit: int | None = RANK_LIMIT,
    facet_limit: int | None = FACET_LIMIT,
    engine: str | None = None,
) -> Results:
    """Search the latest version of every document.

    ``query`` uses :func:`~cunzhao.search.query.parse_query` syntax (raises
    ``QuerySyntaxError``); an empty query lists the filtered documents newest first.
    ``filters`` select as :func:`cunzhao.store.filters.where_documents` does, every field.
    ``sort="relevance"`` orders by score, then publish date, then newest id; ``"date"`` by
    publish date (undated last), then newest id.

    Budgets (``None`` = no limit): a result of more than ``rank_limit`` documents is shown
    in date order instead of being scored, and facets are counted only up to ``facet_limit``
    documents; ``Results.note`` says when either happened.

    ``engine`` (``tantivy`` or ``sql``): search with that engine rather than the archive's,
    for comparing the two on one archive (its index must be there: the SQL full-text table
    holds text only after a rebuild under ``sql``).
    """
    if sort not in ("relevance", "date"):
        raise ValueError(f"sort must be 'relevance' or 'date', not {sort!r}")
    if page < 1 or per_page < 1:
        raise ValueError("page and per_page must be at least 1")
    parsed = parse_query(query)
    request = Request(sort, page, per_page, facets, rank_limit, facet_limit)
    index = index_for(conn) if engine is None else engine_for(
        conn, replace(read_state(conn), engine=engine))
    found = index.find(conn, parsed, filters or Filters(), request)
    scores = dict(found.page)
    details = {
        r.id: r
        for r in conn.execute(
            select(
                _v.c.id,
                _v.c.document_id,
                _v.c.title,
                _v.c.published,
                _v.c.series_tag,
                _v.c.url,
                _v.c.source_site,
                _v.c.collection,
                _v.c.body,
                _v.c.body_folded,
                _v.c.n,
            ).where(_v.c.id.in_(list(scores)))
        )
    }
    rows = [details[vid] for vid in scores if vid in details]
    facts = load_facts(conn, [r.id for r in rows])
    terms = parsed.positive_terms
    hits = tuple(
        Hit(
            r.document_id,
            r.id,
            r.title,
            r.published,
            r.series_tag,
            r.url,
            r.source_site,
            r.collection,
            scores[r.id],
            make_snippet(r.body, terms, folded=r.body_folded),
            facts[r.id].stats,
            facts[r.id].cases,
            version_n=r.n,
        )
        for r in rows
    )
    return Results(query, found.sort, page, per_page, found.total, hits, found.facets,
                   "; ".join(found.notes) or None)
