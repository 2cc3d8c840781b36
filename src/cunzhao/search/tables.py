"""The search index's own tables, beside the archive's (migration ``0003_search``).

- ``search_docs(version_id, document_id, published, series_tag, source_site, collection)``:
  the indexed version of each document, with the columns that filter and order hits — a
  compact copy, so matching never touches the wide ``versions`` rows (bodies).
- ``search_facets(version_id, facet, value)``: one row per facet value of an indexed version
  (year, tag, source, collection, action, target, category), for filters and facet counts
  with one SQL path on both backends.
- SQLite: ``search_fts``, a contentless FTS5 table (rowid = version id; columns title, body)
  over space-joined tokens, ``ascii`` tokenizer (splits on ASCII spaces only), prefix index
  of one character for single-character queries.
- PostgreSQL: ``search_chunks(version_id, part, tsv)`` with a GIN index. Part 0 is the title;
  the body is cut into windows of ``CHUNK`` tokens overlapping by ``OVERLAP`` (a tsvector keeps
  positions only up to 16383), so every phrase of up to ``OVERLAP`` tokens lies whole in one
  window.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Index, Integer, MetaData, String, Table, Text, text

__all__ = [
    "CHUNK",
    "OVERLAP",
    "create_gin_index",
    "create_search_schema",
    "drop_search_schema",
    "search_docs",
    "search_facets",
    "search_metadata",
]

CHUNK = 2048
OVERLAP = 256

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

SQLITE_DDL = (
    (
        "CREATE VIRTUAL TABLE search_fts USING fts5("
        "title, body, content='', prefix='1', tokenize='ascii')"
    ),
)
POSTGRES_DDL = (
    (
        "CREATE TABLE search_chunks (version_id INTEGER NOT NULL, part INTEGER NOT NULL, "
        "tsv TSVECTOR NOT NULL, PRIMARY KEY (version_id, part))"
    ),
)
POSTGRES_GIN = "CREATE INDEX ix_search_chunks_tsv ON search_chunks USING GIN (tsv)"


def create_search_schema(conn: Connection, *, defer_gin: bool = False) -> None:
    """Create the search tables (empty) on this connection's backend.

    ``defer_gin``: leave out PostgreSQL's GIN index, for a bulk load followed by
    :func:`create_gin_index` (one index build is far cheaper than a million inserts).
    """
    search_metadata.create_all(conn)
    postgres = conn.dialect.name != "sqlite"
    for statement in POSTGRES_DDL if postgres else SQLITE_DDL:
        conn.execute(text(statement))
    if postgres and not defer_gin:
        create_gin_index(conn)


def create_gin_index(conn: Connection) -> None:
    """Create PostgreSQL's GIN index over the chunks (no-op on SQLite)."""
    if conn.dialect.name != "sqlite":
        conn.execute(text(POSTGRES_GIN))


def drop_search_schema(conn: Connection) -> None:
    """Drop the search tables (the archive's own tables are untouched)."""
    own = "search_fts" if conn.dialect.name == "sqlite" else "search_chunks"
    conn.execute(text(f"DROP TABLE IF EXISTS {own}"))
    search_metadata.drop_all(conn)
