"""The ``sql`` search engine: everything in the database (FTS5 or tsvector), one SQL path.

Matching runs in the backend's full-text table (:mod:`cunzhao.search.fulltext`); filters,
order, paging and facet counts run on ``search_docs`` and ``search_facets``. The text is
written inside the transaction that changes the record, so there is nothing to follow
after a commit. This is the fallback engine (``cunzhao reindex --engine sql``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, Select, and_, func, literal, select

from cunzhao.search.entries import IndexEntry
from cunzhao.search.fulltext import FullTextTable, table_for
from cunzhao.search.plan import Found, Request, order_facets
from cunzhao.search.query import ParsedQuery
from cunzhao.search.results import FACT_FACETS
from cunzhao.search.state import Pending, State
from cunzhao.search.tables import search_docs, search_facets
from cunzhao.store.filters import Filters, versions_reporting

__all__ = ["SqlEngine"]

_d = search_docs


class SqlEngine:
    """The :class:`~cunzhao.search.index.SearchIndex` kept in the database's own tables."""

    name = "sql"

    def insert(self, conn: Connection, entries: Sequence[IndexEntry]) -> None:
        table_for(conn).insert(conn, entries)

    def delete(self, conn: Connection, version_ids: Sequence[int]) -> None:
        table_for(conn).delete(conn, version_ids)

    def follow(self, conn: Connection, pending: Pending | None = None) -> None:
        """Nothing to do: the text was written in the committed transaction."""

    @contextmanager
    def rebuilding(
        self, conn: Connection, state: State
    ) -> Iterator[Callable[[Sequence[IndexEntry]], None]]:
        yield lambda entries: self.insert(conn, entries)

    def find(
        self, conn: Connection, parsed: ParsedQuery, filters: Filters, request: Request
    ) -> Found:
        table = table_for(conn)
        with table.reading(conn):
            return _find(conn, table, parsed, filters, request)


def _find(
    conn: Connection, table: FullTextTable, parsed: ParsedQuery, filters: Filters,
    request: Request,
) -> Found:
    if parsed.groups and not parsed.excluded and filters.is_empty:
        # every indexed row is a latest version: the index alone gives the ids, no join
        ids = select(table.matching(parsed, ranked=False).subquery("ids").c.vid)
    else:
        ids = select(_matches(table, parsed, filters, ranked=False).subquery("ids").c.id)
    counted = ids.subquery("counted")
    total = conn.execute(select(func.count()).select_from(counted)).scalar_one()
    sort, want_facets, notes = request.settle(total, has_terms=bool(parsed.groups))
    found = _matches(table, parsed, filters, ranked=sort == "relevance").subquery("found")
    order = [found.c.published.desc().nulls_last(), found.c.id.desc()]
    if sort == "relevance":
        order.insert(0, found.c.score.desc())
    page = conn.execute(
        select(found.c.id, found.c.score)
        .order_by(*order)
        .limit(request.per_page)
        .offset(request.offset)
    ).all()
    facets = _facet_counts(conn, ids) if want_facets else {}
    return Found(total, [(vid, float(score or 0.0)) for vid, score in page], sort, facets, notes)


def _matches(
    table: FullTextTable, parsed: ParsedQuery, filters: Filters, *, ranked: bool = True
) -> Select[tuple[int, float, str | None]]:
    """``SELECT id, score, published`` of every version the query and filters select.

    Reads only the index tables (``search_docs`` is the compact copy of the filter columns,
    ``search_facets`` holds the fact facets), and ``stats`` for a stat's object or scope.
    """
    if parsed.groups:
        matched = table.matching(parsed, ranked=ranked).subquery("matched")
        stmt = select(_d.c.version_id.label("id"), matched.c.score, _d.c.published).join(
            matched, matched.c.vid == _d.c.version_id
        )
    else:
        stmt = select(_d.c.version_id.label("id"), literal(0.0).label("score"), _d.c.published)
    if parsed.excluded:
        stmt = stmt.where(_d.c.version_id.not_in(table.excluded(parsed.excluded)))
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
    return order_facets((facet, value, int(n)) for facet, value, n in rows)
