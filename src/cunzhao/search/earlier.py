"""Search across versions: the latest versions through the index, then the documents that
only an earlier version matches — text a later version dropped.

The index holds latest versions only, so earlier versions are read from the record: a SQL
``LIKE`` on the folded body narrows them (by one term the query requires), and each is then
matched exactly as the snippet finds terms (:func:`cunzhao.search.snippet.term_pattern`,
title and body). A document is an earlier-only hit when one of its earlier versions matches
and passes the filters while its latest version is not a hit; the hit is the newest such
version and says so (``Hit.version_n``, ``Hit.latest``). Earlier-only hits follow the latest
ones, newest publish date first; facets count the latest versions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from sqlalchemy import Connection, select

from cunzhao.fold import fold
from cunzhao.search.engine import search
from cunzhao.search.query import ParsedQuery, parse_query
from cunzhao.search.results import Hit, Results, Sort
from cunzhao.search.snippet import make_snippet, term_pattern
from cunzhao.store.facts import load_facts
from cunzhao.store.filters import Filters, where_documents
from cunzhao.store.schema import versions

__all__ = ["search_all_versions"]

_v = versions
_BATCH = 500


def search_all_versions(
    conn: Connection, query: str, filters: Filters | None = None, *, sort: Sort = "relevance",
    page: int = 1, per_page: int = 20, facets: bool = True,
) -> Results:
    """:func:`cunzhao.search.search` over every version: its hits (the latest versions),
    then one hit per document matched only by an earlier version. An empty query lists
    documents as the plain search does."""
    filters = filters or Filters()
    parsed = parse_query(query)
    results = search(conn, query, filters, sort=sort, page=page, per_page=per_page,
                     facets=facets)
    if not parsed.groups:
        return results
    earlier = _earlier_only(conn, query, parsed, filters)
    start = (page - 1) * per_page - results.total
    extra = earlier[max(0, start) : max(0, start + per_page)]
    hits = results.hits + tuple(_hits(conn, parsed, extra))[: per_page - len(results.hits)]
    note = (f"{len(earlier):,} more documents match only in an earlier version (listed after "
            "the latest versions; facets count the latest versions)") if earlier else None
    return replace(results, total=results.total + len(earlier), hits=hits,
                   note="; ".join(n for n in (results.note, note) if n) or None)


def _earlier_only(
    conn: Connection, query: str, parsed: ParsedQuery, filters: Filters
) -> list[int]:
    """Version ids: for each document that only an earlier version matches, the newest such
    version, newest publish date first."""
    newest: dict[int, tuple[int, str | None, int]] = {}
    for vid, document_id, n, published in _matching(conn, parsed, filters):
        if document_id not in newest or n > newest[document_id][2]:
            newest[document_id] = (vid, published, n)
    if not newest:
        return []
    ids = frozenset(newest)
    latest_hits = search(conn, query, replace(filters, document_ids=ids), sort="date",
                         per_page=max(len(ids), 1), facets=False, rank_limit=None)
    for hit in latest_hits.hits:
        newest.pop(hit.document_id, None)
    ordered = sorted(newest.items(), key=lambda kv: (kv[1][1] or "", kv[0]), reverse=True)
    return [vid for _, (vid, _, _) in ordered]


def _matching(
    conn: Connection, parsed: ParsedQuery, filters: Filters
) -> Iterator[tuple[int, int, int, str | None]]:
    """(version id, document id, n, published) of each earlier version the query matches."""
    stmt = select(_v.c.id, _v.c.document_id, _v.c.n, _v.c.published, _v.c.title,
                  _v.c.body_folded).where(_v.c.is_latest == 0)
    needle = _needle(parsed)
    if needle:
        stmt = stmt.where(_v.c.body_folded.contains(needle, autoescape=True)
                          | _v.c.title.contains(needle, autoescape=True))
    stmt = where_documents(stmt, _v, filters)
    groups = [[p for p in map(term_pattern, (t.text for t in g)) if p] for g in parsed.groups]
    excluded = [p for p in map(term_pattern, (t.text for t in parsed.excluded)) if p]
    for row in conn.execute(stmt.execution_options(yield_per=_BATCH)):
        text = fold(row.title) + "\n" + row.body_folded
        if all(_any(g, text) for g in groups) and not _any(excluded, text):
            yield row.id, row.document_id, row.n, row.published


def _any(patterns: list[re.Pattern[str]], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def _needle(parsed: ParsedQuery) -> str | None:
    """The longest run of CJK text in a term of a one-term group: every match holds it."""
    best = ""
    for group in parsed.groups:
        if len(group) == 1:
            for piece in re.split(r"[\W\x00-\x7f]+", fold(group[0].text)):
                best = max(best, piece, key=len)
    return best or None


def _hits(conn: Connection, parsed: ParsedQuery, version_ids: list[int]) -> Iterator[Hit]:
    if not version_ids:
        return
    rows = {r.id: r for r in conn.execute(select(_v).where(_v.c.id.in_(version_ids)))}
    facts = load_facts(conn, version_ids)
    for vid in version_ids:
        r = rows[vid]
        yield Hit(r.document_id, r.id, r.title, r.published, r.series_tag, r.url,
                  r.source_site, r.collection, 0.0,
                  make_snippet(r.body, parsed.positive_terms, folded=r.body_folded),
                  facts[vid].stats, facts[vid].cases, version_n=r.n, latest=False)
