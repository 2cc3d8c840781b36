"""``search()``: match, filter, count, rank, page, facet, snippet and attach facts."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, Select, and_, func, literal, select

from cunzhao.search.index import SearchIndex, index_for
from cunzhao.search.query import ParsedQuery, parse_query
from cunzhao.search.results import FACETS, FACT_FACETS, Hit, Results, Sort
from cunzhao.search.snippet import make_snippet
from cunzhao.search.tables import search_docs, search_facets
from cunzhao.store.facts import load_facts
from cunzhao.store.filters import Filters, versions_reporting
from cunzhao.store.schema import versions

__all__ = ["FACET_LIMIT", "MAX_FACET_VALUES", "RANK_LIMIT", "search"]

MAX_FACET_VALUES = 20
RANK_LIMIT = 20_000
"""Default: a result larger than this is listed by date rather than scored one by one."""
FACET_LIMIT = 10_000
"""Default: facets are counted for results up to this size."""
_v = versions
_d = search_docs


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
    """
    if sort not in ("relevance", "date"):
        raise ValueError(f"sort must be 'relevance' or 'date', not {sort!r}")
    if page < 1 or per_page < 1:
        raise ValueError("page and per_page must be at least 1")
    parsed = parse_query(query)
    index = index_for(conn)
    with index.reading(conn):
        return _search(conn, index, query, parsed, filters or Filters(), sort, page, per_page,
                       facets, rank_limit, facet_limit)


def _search(
    conn: Connection,
    index: SearchIndex,
    query_text: str,
    parsed: ParsedQuery,
    filters: Filters,
    sort: Sort,
    page: int,
    per_page: int,
    want_facets: bool,
    rank_limit: int | None,
    facet_limit: int | None,
) -> Results:
    if parsed.groups and not parsed.excluded and filters.is_empty:
        # every indexed row is a latest version: the index alone gives the ids, no join
        ids = select(index.matching(parsed, ranked=False).subquery("ids").c.vid)
    else:
        ids = select(_matches(index, parsed, filters, ranked=False).subquery("ids").c.id)
    counted = ids.subquery("counted")
    total = conn.execute(select(func.count()).select_from(counted)).scalar_one()
    notes = []
    if sort == "relevance" and not parsed.groups:
        sort = "date"
    if sort == "relevance" and rank_limit is not None and total > rank_limit:
        sort = "date"
        notes.append(f"{total:,} matches, more than {rank_limit:,}: shown newest first, "
                     "not ranked (narrow the query to rank by relevance)")
    if want_facets and facet_limit is not None and total > facet_limit:
        want_facets = False
        notes.append(f"{total:,} matches, more than {facet_limit:,}: no facet counts")
    found = _matches(index, parsed, filters, ranked=sort == "relevance").subquery("found")
    order = [found.c.published.desc().nulls_last(), found.c.id.desc()]
    if sort == "relevance":
        order.insert(0, found.c.score.desc())
    page_ids = conn.execute(
        select(found.c.id, found.c.score)
        .order_by(*order)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    scores = {vid: float(score or 0.0) for vid, score in page_ids}
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
            ).where(_v.c.id.in_(list(scores)))
        )
    }
    rows = [details[vid] for vid in scores]
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
        )
        for r in rows
    )
    facet_counts = _facet_counts(conn, ids) if want_facets and total else {}
    return Results(query_text, sort, page, per_page, total, hits, facet_counts,
                   "; ".join(notes) or None)


def _matches(
    index: SearchIndex, parsed: ParsedQuery, filters: Filters, *, ranked: bool = True
) -> Select[tuple[int, float, str | None]]:
    """``SELECT id, score, published`` of every version the query and filters select.

    Reads only the index tables (``search_docs`` is the compact copy of the filter columns,
    ``search_facets`` holds the fact facets), and ``stats`` for a stat's object or scope.
    """
    if parsed.groups:
        matched = index.matching(parsed, ranked=ranked).subquery("matched")
        stmt = select(_d.c.version_id.label("id"), matched.c.score, _d.c.published).join(
            matched, matched.c.vid == _d.c.version_id
        )
    else:
        stmt = select(_d.c.version_id.label("id"), literal(0.0).label("score"), _d.c.published)
    if parsed.excluded:
        stmt = stmt.where(_d.c.version_id.not_in(index.excluded(parsed.excluded)))
    for col, value in (
        (_d.c.series_tag, filters.tag),
        (_d.c.source_site, filters.source),
        (_d.c.collection, filters.collection),
    ):
        if value is not None:
            stmt = stmt.where(col == value)
    if filters.since is not None:
        stmt = stmt.where(_d.c.published >= filters.since.isoformat())
    if filters.until is not None:
        stmt = stmt.where(_d.c.published <= filters.until.isoformat())
    if filters.document_ids is not None:
        stmt = stmt.where(_d.c.document_id.in_(sorted(filters.document_ids)))
    for facet in FACT_FACETS:  # each is also the name of its Filters field
        value = getattr(filters, facet)
        if value is not None:
            having = select(search_facets.c.version_id).where(
                and_(search_facets.c.facet == facet, search_facets.c.value == value)
            )
            stmt = stmt.where(_d.c.version_id.in_(having))
    reporting = versions_reporting(filters)
    if reporting is not None:
        stmt = stmt.where(_d.c.version_id.in_(reporting))
    return stmt


def _facet_counts(
    conn: Connection, ids: Select[tuple[int]]
) -> dict[str, tuple[tuple[str, int], ...]]:
    matched = ids.subquery("matched")
    rows = conn.execute(
        select(search_facets.c.facet, search_facets.c.value, func.count().label("n"))
        .join(matched, matched.c[0] == search_facets.c.version_id)
        .group_by(search_facets.c.facet, search_facets.c.value)
    ).all()
    grouped: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for facet, value, n in rows:
        grouped[facet].append((value, int(n)))
    out: dict[str, tuple[tuple[str, int], ...]] = {}
    for facet in FACETS:  # in display order
        pairs = grouped.get(facet)
        if not pairs:
            continue
        if facet == "year":
            pairs.sort(key=lambda p: p[0], reverse=True)
        else:
            pairs.sort(key=lambda p: (-p[1], p[0]))
        out[facet] = tuple(pairs[:MAX_FACET_VALUES])
    return out
