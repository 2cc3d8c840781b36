"""Keep the search index in step with the archive: index, unindex, rebuild, follow.

Ingest calls :func:`index_entries` once per batch, inside the batch's transaction, with an
entry for each document whose latest version changed; the previously indexed version of
each of those documents leaves the index in the same statements. Every step is one bulk
statement per batch, not one per document. The same transaction raises the index
generation and journals the documents (:mod:`cunzhao.search.state`); an engine that keeps
its index outside the database (tantivy) catches up once the transaction has committed —
the caller wraps it in :func:`following`, and whoever uses the index next catches up too.

Under the ``sql`` engine, SQLite's contentless FTS5 table forgets a row only when given the
tokens it was indexed with, which are recomputed from the version row: a version's title
and body must not be rewritten in place while it is indexed (unindex first, or
:func:`rebuild_index`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, delete, insert, select

from cunzhao.search.entries import IndexEntry, entries_for_versions
from cunzhao.search.fulltext import table_for
from cunzhao.search.index import SearchIndex, engine_for, index_for
from cunzhao.search.state import Pending, bump, restart
from cunzhao.search.tables import (
    create_search_schema,
    drop_search_schema,
    search_docs,
    search_facets,
)
from cunzhao.store.schema import versions

__all__ = ["follow", "following", "index_entries", "index_version", "rebuild_index", "unindex_document"]

log = logging.getLogger(__name__)

_IN_LIMIT = 500  # ids per IN (...) list
_PENDING = "cunzhao.search.pending"  # conn.info key: the index changed in this transaction


def index_entries(conn: Connection, entries: Iterable[IndexEntry]) -> None:
    """Make each entry the indexed version of its document, replacing any other.

    Of several entries for one document, the last one given wins.
    """
    latest = list({e.document_id: e for e in entries}.values())
    if not latest:
        return
    generation = bump(conn, [e.document_id for e in latest])  # first: writers queue here
    index = index_for(conn)
    _unindex(conn, index, [e.document_id for e in latest])
    index.insert(conn, latest)
    _write_tables(conn, latest)
    _pending(conn, generation).add(generation, entries=latest)


def index_version(conn: Connection, version_id: int) -> None:
    """Make ``version_id`` the indexed version of its document (replacing any other)."""
    index_entries(conn, entries_for_versions(conn, [version_id]))


def unindex_document(conn: Connection, document_id: int) -> None:
    """Remove a document from the index (no-op when it is not indexed)."""
    generation = bump(conn, [document_id])
    _unindex(conn, index_for(conn), [document_id])
    _pending(conn, generation).add(generation, removed=[document_id])


@contextmanager
def following(conn: Connection) -> Iterator[None]:
    """Around a transaction (``with following(conn), conn.begin():``): once it has
    committed, an index kept outside the database catches up with what it indexed."""
    conn.info.pop(_PENDING, None)
    try:
        yield
    except BaseException:
        conn.info.pop(_PENDING, None)  # rolled back: nothing to follow
        raise
    pending = conn.info.pop(_PENDING, None)
    if pending is not None:
        try:
            follow(conn, pending)
        except Exception as error:  # noqa: BLE001 — the commit stands; the index catches up later
            log.warning("search index not updated after a commit (next use catches up): %s: %s",
                        type(error).__name__, error)


def follow(conn: Connection, pending: Pending | None = None) -> None:
    """Bring an index kept outside the database up to it, on a connection of its own (so
    that ``conn``, used or not, begins no transaction); ``pending``: what the transaction
    just committed on ``conn`` changed, which spares reading it back."""
    with conn.engine.execution_options(writing=False).connect() as reader:
        index_for(reader).follow(reader, pending)


def _pending(conn: Connection, generation: int) -> Pending:
    """This transaction's :class:`Pending` (``conn.info`` outlives transactions: one that
    nobody followed is replaced by the next transaction's)."""
    transaction = conn.get_transaction()
    found = conn.info.get(_PENDING)
    if not isinstance(found, Pending) or found.transaction is not transaction:
        found = conn.info[_PENDING] = Pending(generation, generation, transaction=transaction)
    return found


def _write_tables(conn: Connection, latest: Sequence[IndexEntry]) -> None:
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


def _unindex(conn: Connection, index: SearchIndex, document_ids: Sequence[int]) -> None:
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
    conn: Connection, *, batch: int = 500, progress: Callable[[int, int], None] | None = None,
    engine: str | None = None,
) -> int:
    """Drop and rebuild the whole index from the latest versions; returns how many indexed.

    ``engine`` switches the archive to ``tantivy`` or ``sql`` (None: keep its engine).
    Runs in the caller's transaction; reads and writes ``batch`` versions at a time, so memory
    stays flat however large the archive. Deferred index structures (PostgreSQL's GIN index)
    are built once at the end. A tantivy index is written to the folder of the new build,
    which searches use once the caller commits (see :func:`following`).
    """
    state = restart(conn, engine)
    index = engine_for(conn, state)
    drop_search_schema(conn)
    create_search_schema(conn, bulk=True)
    ids = list(
        conn.execute(
            select(versions.c.id).where(versions.c.is_latest == 1).order_by(versions.c.id)
        ).scalars()
    )
    with index.rebuilding(conn, state) as add:
        for start in range(0, len(ids), batch):
            entries = entries_for_versions(conn, ids[start : start + batch])
            _write_tables(conn, entries)
            add(entries)
            if progress:
                progress(min(start + batch, len(ids)), len(ids))
    table_for(conn).finish_bulk(conn)
    conn.info[_PENDING] = Pending(state.generation, state.generation)  # nothing to apply
    return len(ids)
