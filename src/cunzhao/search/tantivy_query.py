"""Queries on the tantivy index: the same matches, order, pages and facets as the SQL engine.

A term is matched in ``title`` (boosted like FTS5's title weight) or ``body``:

- one token: a term query; several: a phrase of them at consecutive positions;
- one CJK character (the prefix ``网*``), or a phrase of prefixes and Latin words only
  (``2023年`` → ``2023 年*``): the same on ``title1``/``body1``, which hold each token's
  first character (Latin words whole) at the same positions;
- a phrase with a prefix position among bigrams (``"网信办 依法"`` → ``网信 信办 办* 依法``):
  a regex phrase whose prefix positions are ``办.*`` (tokens hold only letters, digits and
  non-ASCII characters, so a token is a literal regex).

Groups are required, their terms alternatives; excluded terms must not match; filters are
required clauses that add nothing to the score. Hits are ordered exactly as SQL orders them:
by date with the ``order`` fast field; by score, then ``order``, fetching every hit tied
with the last one of the page before sorting. Facets are terms aggregations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import tantivy
from tantivy import Occur, Query

from cunzhao.search.plan import MAX_FACET_VALUES, Found, Request, order_facets
from cunzhao.search.query import ParsedQuery, Term
from cunzhao.search.results import FACETS
from cunzhao.search.sqlite_index import TITLE_WEIGHT
from cunzhao.search.tantivy_doc import ID_BITS, day_number
from cunzhao.search.tokenize import checked_token, is_cjk
from cunzhao.store.filters import Filters

__all__ = ["build_query", "find"]

_ID_MASK = (1 << ID_BITS) - 1
_BUCKETS = 10_000  # facet values fetched per facet, ordered by count here (exact ties)
_FETCH = 512  # hits fetched by score at first: a page and whatever ties with it


def build_query(
    schema: tantivy.Schema, parsed: ParsedQuery, filters: Filters,
    reporting: Sequence[int] | None = None,
) -> Query:
    """The query for ``parsed`` under ``filters``; ``reporting``: the version ids a stat
    object/scope filter allows (``store.filters.versions_reporting``), read by the caller."""
    clauses: list[tuple[Occur, Query]] = [(Occur.Must, _any(schema, g)) for g in parsed.groups]
    clauses += [(Occur.MustNot, _term(schema, t)) for t in parsed.excluded]
    clauses += [(Occur.Must, Query.const_score_query(q, 0.0))
                for q in _filters(schema, filters, reporting)]
    if not any(occur == Occur.Must for occur, _ in clauses):
        clauses.append((Occur.Must, Query.const_score_query(Query.all_query(), 0.0)))
    return Query.boolean_query(clauses)


def find(searcher: tantivy.Searcher, query: Query, request: Request, *, has_terms: bool) -> Found:
    """Total, the requested page and facets of ``query``, budgets applied as SQL does."""
    need = request.offset + request.per_page
    if request.sort == "relevance" and has_terms:
        first = searcher.search(query, limit=max(need, _FETCH), count=True)
    else:
        first = _by_date(searcher, query, request)
    total = int(first.count or 0)  # type: ignore[attr-defined]  # missing from tantivy's stub
    sort, want_facets, notes = request.settle(total, has_terms=has_terms)
    if sort == "date":
        result = first if request.sort == "date" or not has_terms else _by_date(
            searcher, query, request)
        page = [(int(order) & _ID_MASK, 0.0) for order, _ in result.hits]
    else:
        page = _by_score(searcher, query, first.hits, request)
    facets = order_facets(_facet_counts(searcher, query)) if want_facets else {}
    return Found(total, page, sort, facets, notes)


def _by_date(searcher: tantivy.Searcher, query: Query, request: Request) -> tantivy.SearchResult:
    return searcher.search(query, limit=request.per_page, offset=request.offset, count=True,
                           order_by_field="order", order=tantivy.Order.Desc)


def _by_score(
    searcher: tantivy.Searcher, query: Query, hits: list[tuple[float, tantivy.DocAddress]],
    request: Request,
) -> list[tuple[int, float]]:
    """The page by score, then date order: widen the fetch until no hit beyond it can tie
    with the page's last one."""
    need = request.offset + request.per_page
    limit = max(need, _FETCH)
    while len(hits) == limit and len(hits) >= need and hits[need - 1][0] <= hits[-1][0]:
        limit *= 16  # each widening runs the query again: widen a lot at once
        hits = searcher.search(query, limit=limit, count=False).hits
    if len(hits) > need:  # only hits scoring at least the page's last one can be on it
        edge = hits[need - 1][0]
        hits = [hit for hit in hits if hit[0] >= edge]
    orders = searcher.fast_field_values("order", [address for _, address in hits])
    ranked = sorted(((float(score), int(order or 0)) for (score, _), order in
                     zip(hits, orders, strict=True)), key=lambda p: (-p[0], -p[1]))
    return [(order & _ID_MASK, score)
            for score, order in ranked[request.offset : request.offset + request.per_page]]


def _facet_counts(searcher: tantivy.Searcher, query: Query) -> list[tuple[str, str, int]]:
    wanted: dict[str, Any] = {facet: {"terms": {"field": facet, "size": _BUCKETS}}
                              for facet in FACETS}
    wanted["year"] = {"terms": {"field": "year", "size": MAX_FACET_VALUES,
                                "order": {"_key": "desc"}}}
    found = searcher.aggregate(query, wanted)
    return [(facet, str(bucket["key"]), int(bucket["doc_count"]))
            for facet in FACETS for bucket in found.get(facet, {}).get("buckets", [])]


def _any(schema: tantivy.Schema, group: Sequence[Term]) -> Query:
    if len(group) == 1:
        return _term(schema, group[0])
    return Query.boolean_query([(Occur.Should, _term(schema, t)) for t in group])


def _term(schema: tantivy.Schema, term: Term) -> Query:
    title, body = (_in_field(schema, field, term) for field in ("title", "body"))
    return Query.boolean_query([(Occur.Should, Query.boost_query(title, TITLE_WEIGHT)),
                                (Occur.Should, body)])


def _in_field(schema: tantivy.Schema, field: str, term: Term) -> Query:
    tokens = term.tokens
    words: list[str | tuple[int, str]] = [checked_token(t) for t in tokens]
    if not any(t.prefix for t in tokens):
        if len(words) == 1:
            return Query.term_query(schema, field, words[0], index_option="freq")
        return Query.phrase_query(schema, field, words)
    if all(t.prefix or not is_cjk(t.text[0]) for t in tokens):
        # prefixes (one CJK character each) and Latin words only: the "1" twin holds each
        # token's first character, Latin words whole, at the same positions
        if len(words) == 1:
            return Query.term_query(schema, field + "1", words[0], index_option="freq")
        return Query.phrase_query(schema, field + "1", words)
    return Query.regex_phrase_query(
        schema, field, [t.text + ".*" if t.prefix else t.text for t in tokens])


def _filters(
    schema: tantivy.Schema, filters: Filters, reporting: Sequence[int] | None
) -> list[Query]:
    found = [Query.term_query(schema, facet, value, index_option="basic")
             for facet, value in (("tag", filters.tag), ("source", filters.source),
                                  ("collection", filters.collection), ("action", filters.action),
                                  ("target", filters.target), ("category", filters.category))
             if value is not None]
    if filters.since is not None or filters.until is not None:
        found.append(Query.range_query(
            schema, "day", tantivy.FieldType.Unsigned,
            day_number(filters.since.isoformat()) if filters.since else 0,
            day_number(filters.until.isoformat()) if filters.until else 99_999_999))
    if filters.document_ids is not None:
        found.append(Query.term_set_query(schema, "doc", sorted(filters.document_ids)))
    if reporting is not None:
        found.append(Query.term_set_query(schema, "vid", sorted(set(reporting))))
    return found
