"""The search index's own tables, beside the archive's (migration ``0003_search``).

- ``search_docs(version_id, document_id, published, series_tag, source_site, collection)``:
  the indexed version of each document, with the columns that filter and order hits — a
  compact copy, so matching never touches the wide ``versions`` rows (bodies).
- ``search_facets(version_id, facet, value)``: one row per facet value of an indexed version
  (year, tag, source, collection, action, target, category), for filters and facet counts
  with one SQL path on both backends.
- the full-text table of the backend (SQLite's ``search_fts``, PostgreSQL's
  ``search_chunks``): see :mod:`cunzhao.search.sqlite_index` and
  :mod:`cunzhao.search.postgres_index`. It holds text only under the ``sql`` engine; under
  ``tantivy`` it stays empty and the text lives in the tantivy folder.

The engine's own bookkeeping (``search_state``, ``search_journal``) is not dropped with
these: see :mod:`cunzhao.search.state`.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Index, Integer, MetaData, String, Table, Text

from cunzhao.search.fulltext import table_for

__all__ = [
    "create_search_schema",
    "drop_search_schema",
    "search_docs",
    "search_facets",
    "search_metadata",
]

search_metadata = MetaData()

search_docs = Table(
    "search_docs",
    search_metadata,
    Column("version_id", Integer, primary_key=True, autoincrement=False),
    Column("document_id", Integer, nullable=False, unique=True),
    Column("published", String(10)),
    Column("series_tag", Text),
    Column("source_site", Text),
    Column("collection", Text),
    Index("ix_search_docs_published", "published", "version_id"),
    Index("ix_search_docs_tag", "series_tag", "published"),
    Index("ix_search_docs_source", "source_site", "published"),
    Index("ix_search_docs_collection", "collection", "published"),
)

search_facets = Table(
    "search_facets",
    search_metadata,
    Column("version_id", Integer, nullable=False),
    Column("facet", String(16), nullable=False),
    Column("value", Text, nullable=False),
    Index("ix_search_facets_value", "facet", "value", "version_id"),
    # covering: facet counts read (facet, value) for each matching version from the index
    Index("ix_search_facets_version", "version_id", "facet", "value"),
)

def create_search_schema(conn: Connection, *, bulk: bool = False) -> None:
    """Create the search tables (empty) on this connection's backend.

    ``bulk``: leave out what is cheaper to build once after a bulk load (PostgreSQL's GIN
    index), until ``table_for(conn).finish_bulk(conn)``.
    """
    search_metadata.create_all(conn)
    table_for(conn).create(conn, bulk=bulk)


def drop_search_schema(conn: Connection) -> None:
    """Drop the search tables (the archive's own tables are untouched)."""
    table_for(conn).drop(conn)
    search_metadata.drop_all(conn)
