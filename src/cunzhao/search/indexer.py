"""Keep the search index in step with the archive: index, unindex, rebuild.

Ingest calls :func:`index_entries` once per batch, inside the batch's transaction, with an
entry for each document whose latest version changed; the previously indexed version of
each of those documents leaves the index in the same statements. Every step is one bulk
statement per batch, not one per document. SQLite's contentless FTS5 table forgets a row
only when given the tokens it was indexed with, which are recomputed from the version row:
a version's title and body must not be rewritten in place while it is indexed (unindex
first, or :func:`rebuild_index`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import Connection, delete, insert, select

from cunzhao.search.entries import IndexEntry, entries_for_versions
from cunzhao.search.index import index_for
from cunzhao.search.tables import (
    create_search_schema,
    drop_search_schema,
    search_docs,
    search_facets,
)
from cunzhao.store.schema import versions

__all__ = ["index_entries", "index_version", "rebuild_index", "unindex_document"]

_IN_LIMIT = 500  # ids per IN (...) list


def index_entries(conn: Connection, entries: Iterable[IndexEntry]) -> None:
    """Make each entry the indexed version of its document, replacing any other.

    Of several entries for one document, the last one given wins.
    """
    latest = list({e.document_id: e for e in entries}.values())
    if not latest:
        return
    _unindex(conn, [e.document_id for e in latest])
    index_for(conn).insert(conn, latest)
    facets = [
        {"version_id": e.version_id, "facet": f, "value": v} for e in latest for f, v in e.facets()
    ]
    if facets:
        conn.execute(insert(search_facets), facets)
    conn.execute(insert(search_docs), [
        {"version_id": e.version_id, "document_id": e.document_id, "published": e.published,
         "series_tag": e.series_tag, "source_site": e.source_site, "collection": e.collection}
        for e in latest
    ])


def index_version(conn: Connection, version_id: int) -> None:
    """Make ``version_id`` the indexed version of its document (replacing any other)."""
    index_entries(conn, entries_for_versions(conn, [version_id]))


def unindex_document(conn: Connection, document_id: int) -> None:
    """Remove a document from the index (no-op when it is not indexed)."""
    _unindex(conn, [document_id])


def _unindex(conn: Connection, document_ids: Sequence[int]) -> None:
    index = index_for(conn)
    for start in range(0, len(document_ids), _IN_LIMIT):
        docs = document_ids[start : start + _IN_LIMIT]
        old = list(conn.execute(
            select(search_docs.c.version_id).where(search_docs.c.document_id.in_(docs))
        ).scalars())
        if not old:
            continue
        index.delete(conn, old)
        conn.execute(delete(search_facets).where(search_facets.c.version_id.in_(old)))
        conn.execute(delete(search_docs).where(search_docs.c.version_id.in_(old)))


def rebuild_index(
    conn: Connection, *, batch: int = 500, progress: Callable[[int, int], None] | None = None
) -> int:
    """Drop and rebuild the whole index from the latest versions; returns how many indexed.

    Runs in the caller's transaction; reads and writes ``batch`` versions at a time, so memory
    stays flat however large the archive. Deferred index structures (PostgreSQL's GIN index)
    are built once at the end.
    """
    drop_search_schema(conn)
    create_search_schema(conn, bulk=True)
    ids = list(
        conn.execute(
            select(versions.c.id).where(versions.c.is_latest == 1).order_by(versions.c.id)
        ).scalars()
    )
    for start in range(0, len(ids), batch):
        index_entries(conn, entries_for_versions(conn, ids[start : start + batch]))
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    index_for(conn).finish_bulk(conn)
    return len(ids)
