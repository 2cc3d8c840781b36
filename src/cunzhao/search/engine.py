"""``search()``: match, filter, count, rank, page, facet, snippet and attach facts."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date

from sqlalchemy import (
    Connection,
    Engine,
    Select,
    and_,
    func,
    literal,
    select,
    text,
)

from cunzhao.search.backends import excluded_ids, matching_ids
from cunzhao.search.query import ParsedQuery, parse_query
from cunzhao.search.results import CaseFact, Hit, Results, SearchFilters, Sort, StatFact
from cunzhao.search.snippet import make_snippet
from cunzhao.search.tables import search_docs, search_facets
from cunzhao.store.schema import case_targets, cases, stats, versions

__all__ = ["FACET_LIMIT", "MAX_FACET_VALUES", "RANK_LIMIT", "search"]

MAX_FACET_VALUES = 20
RANK_LIMIT = 20_000
"""Default: a result larger than this is listed by date rather than scored one by one."""
FACET_LIMIT = 10_000
"""Default: facets are counted for results up to this size."""
_v = versions
_d = search_docs


def search(
    source: Connection | Engine,
    query: str,
    filters: SearchFilters | None = None,
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
    filters = filters or SearchFilters()
    if isinstance(source, Engine):
        with source.connect() as conn:
            return search(conn, query, filters, sort=sort, page=page, per_page=per_page,
                          facets=facets, rank_limit=rank_limit, facet_limit=facet_limit)
    conn = source
    if conn.dialect.name != "postgresql":
        return _search(conn, query, parsed, filters, sort, page, per_page, facets, rank_limit,
                       facet_limit)
    # The chunks' tsvectors live in TOAST, so the heap looks small and the planner prefers a
    # sequential scan that detoasts every row (20× slower than the GIN index at 10k docs).
    previous = conn.execute(text("SELECT current_setting('enable_seqscan')")).scalar_one()
    conn.execute(text("SELECT set_config('enable_seqscan', 'off', true)"))
    try:
        return _search(conn, query, parsed, filters, sort, page, per_page, facets, rank_limit,
                       facet_limit)
    finally:
        conn.execute(text("SELECT set_config('enable_seqscan', :v, true)"), {"v": previous})



def _search(
    conn: Connection,
    query_text: str,
    parsed: ParsedQuery,
    filters: SearchFilters,
    sort: Sort,
    page: int,
    per_page: int,
    want_facets: bool,
    rank_limit: int | None,
    facet_limit: int | None,
) -> Results:
    dialect = conn.dialect.name
    if parsed.groups and not parsed.excluded and filters.is_empty:
        # every indexed row is a latest version: the index alone gives the ids, no join
        ids = select(matching_ids(dialect, parsed, ranked=False).subquery("ids").c.vid)
    else:
        ids = select(_matches(dialect, parsed, filters, ranked=False).subquery("ids").c.id)
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
    found = _matches(dialect, parsed, filters, ranked=sort == "relevance").subquery("found")
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
    stat_facts, case_facts = _facts(conn, [r.id for r in rows])
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
            stat_facts.get(r.id, ()),
            case_facts.get(r.id, ()),
        )
        for r in rows
    )
    facet_counts = _facet_counts(conn, ids) if want_facets and total else {}
    return Results(query_text, sort, page, per_page, total, hits, facet_counts,
                   "; ".join(notes) or None)


def _matches(
    dialect: str, parsed: ParsedQuery, filters: SearchFilters, *, ranked: bool = True
) -> Select[tuple[int, float, str | None]]:
    """``SELECT id, score, published`` of every version the query and filters select.

    Reads only the index tables (``search_docs`` is the compact copy of the filter columns).
    """
    if parsed.groups:
        matched = matching_ids(dialect, parsed, ranked=ranked).subquery("matched")
        stmt = select(_d.c.version_id.label("id"), matched.c.score, _d.c.published).join(
            matched, matched.c.vid == _d.c.version_id
        )
    else:
        stmt = select(_d.c.version_id.label("id"), literal(0.0).label("score"), _d.c.published)
    if parsed.excluded:
        stmt = stmt.where(_d.c.version_id.not_in(excluded_ids(dialect, parsed.excluded)))
    for col, value in (
        (_d.c.series_tag, filters.tag),
        (_d.c.source_site, filters.source),
        (_d.c.collection, filters.collection),
    ):
        if value is not None:
            stmt = stmt.where(col == value)
    if filters.since is not None:
        stmt = stmt.where(_d.c.published >= _iso(filters.since))
    if filters.until is not None:
        stmt = stmt.where(_d.c.published <= _iso(filters.until))
    for facet, value in (
        ("action", filters.action),
        ("target", filters.target),
        ("category", filters.category),
    ):
        if value is not None:
            having = select(search_facets.c.version_id).where(
                and_(search_facets.c.facet == facet, search_facets.c.value == value)
            )
            stmt = stmt.where(_d.c.version_id.in_(having))
    return stmt


def _iso(value: date | str) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


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
    for facet, pairs in grouped.items():
        if facet == "year":
            pairs.sort(key=lambda p: p[0], reverse=True)
        else:
            pairs.sort(key=lambda p: (-p[1], p[0]))
        out[facet] = tuple(pairs[:MAX_FACET_VALUES])
    return out


def _facts(
    conn: Connection, ids: list[int]
) -> tuple[dict[int, tuple[StatFact, ...]], dict[int, tuple[CaseFact, ...]]]:
    if not ids:
        return {}, {}
    found_stats: dict[int, list[StatFact]] = defaultdict(list)
    for r in conn.execute(
        select(stats).where(stats.c.version_id.in_(ids)).order_by(stats.c.version_id, stats.c.id)
    ):
        found_stats[r.version_id].append(
            StatFact(r.action, r.object, int(r.value), r.qualifier, r.period_start, r.period_end)
        )
    case_rows = conn.execute(
        select(cases).where(cases.c.version_id.in_(ids)).order_by(cases.c.version_id, cases.c.id)
    ).all()
    names: dict[int, list[str]] = defaultdict(list)
    if case_rows:
        for case_id, name in conn.execute(
            select(case_targets.c.case_id, case_targets.c.name)
            .where(case_targets.c.case_id.in_([c.id for c in case_rows]))
            .order_by(case_targets.c.case_id, case_targets.c.position)
        ):
            names[case_id].append(name)
    found_cases: dict[int, list[CaseFact]] = defaultdict(list)
    for c in case_rows:
        found_cases[c.version_id].append(
            CaseFact(
                tuple(names[c.id]),
                tuple(json.loads(c.measures)),
                None if c.fine_cny is None else int(c.fine_cny),
                c.regulator,
            )
        )
    return (
        {k: tuple(v) for k, v in found_stats.items()},
        {k: tuple(v) for k, v in found_cases.items()},
    )
