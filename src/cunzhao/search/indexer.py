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

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import Connection, Engine, delete, insert, select, text

from cunzhao.search.entries import IndexEntry, entries_for_versions
from cunzhao.search.tables import (
    CHUNK,
    OVERLAP,
    create_gin_index,
    create_search_schema,
    drop_search_schema,
    search_docs,
    search_facets,
)
from cunzhao.search.tokenize import index_text, index_tokens, is_cjk
from cunzhao.store.schema import versions

__all__ = [
    "index_entries",
    "index_version",
    "rebuild_index",
    "tsvector_literal",
    "unindex_document",
]

_FTS_INSERT = text("INSERT INTO search_fts(rowid, title, body) VALUES (:id, :title, :body)")
_FTS_DELETE = text(
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', :id, :title, :body)"
)
_CHUNK_INSERT = text(
    "INSERT INTO search_chunks (version_id, part, tsv) VALUES (:id, :part, CAST(:tsv AS tsvector))"
)
_IN_LIMIT = 500  # ids per IN (...) list


def index_entries(conn: Connection, entries: Iterable[IndexEntry]) -> None:
    """Make each entry the indexed version of its document, replacing any other.

    Of several entries for one document, the last one given wins.
    """
    latest = list({e.document_id: e for e in entries}.values())
    if not latest:
        return
    _unindex(conn, [e.document_id for e in latest])
    if conn.dialect.name == "sqlite":
        conn.execute(_FTS_INSERT, [
            {"id": e.version_id, "title": index_text(e.title),
             "body": index_text(e.body, folded=e.body_folded)}
            for e in latest
        ])
    else:
        conn.execute(_CHUNK_INSERT, [
            row for e in latest for row in _chunks(e.version_id, e.title, e.body, e.body_folded)
        ])
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
    for start in range(0, len(document_ids), _IN_LIMIT):
        docs = document_ids[start : start + _IN_LIMIT]
        old = list(conn.execute(
            select(search_docs.c.version_id).where(search_docs.c.document_id.in_(docs))
        ).scalars())
        if not old:
            continue
        if conn.dialect.name == "sqlite":
            rows = conn.execute(
                select(versions.c.id, versions.c.title, versions.c.body, versions.c.body_folded)
                .where(versions.c.id.in_(old))
            )
            conn.execute(_FTS_DELETE, [
                {"id": r.id, "title": index_text(r.title or ""),
                 "body": index_text(r.body or "", folded=r.body_folded)}
                for r in rows
            ])
        else:
            conn.execute(text("DELETE FROM search_chunks WHERE version_id = :id"),
                         [{"id": vid} for vid in old])
        conn.execute(delete(search_facets).where(search_facets.c.version_id.in_(old)))
        conn.execute(delete(search_docs).where(search_docs.c.version_id.in_(old)))


def rebuild_index(
    engine: Engine, *, batch: int = 500, progress: Callable[[int, int], None] | None = None
) -> int:
    """Drop and rebuild the whole index from the latest versions; returns how many indexed.

    Commits every ``batch`` versions, so memory stays flat however large the archive.
    PostgreSQL's GIN index is built once at the end, and the tables analysed.
    """
    with engine.begin() as conn:
        drop_search_schema(conn)
        create_search_schema(conn, defer_gin=True)
        ids = list(
            conn.execute(
                select(versions.c.id).where(versions.c.is_latest == 1).order_by(versions.c.id)
            ).scalars()
        )
    for start in range(0, len(ids), batch):
        with engine.begin() as conn:
            index_entries(conn, entries_for_versions(conn, ids[start : start + batch]))
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    with engine.begin() as conn:
        create_gin_index(conn)
        if conn.dialect.name != "sqlite":
            conn.execute(text("ANALYZE search_chunks"))
            conn.execute(text("ANALYZE search_facets"))
    return len(ids)


def tsvector_literal(tokens: Iterable[str]) -> str:
    """A tsvector literal with 1-based positions (tokens never need quoting, see tokenize).

    A CJK bigram also puts its first character on the same position (a tsvector may stack
    lexemes), so a single character is an exact lexeme, not a slow GIN prefix scan.
    """
    positions: dict[str, list[int]] = defaultdict(list)
    for pos, token in enumerate(tokens, start=1):
        positions[token].append(pos)
        if len(token) == 2 and is_cjk(token[0]):
            positions[token[0]].append(pos)
    return " ".join(f"'{tok}':{','.join(map(str, pos))}" for tok, pos in positions.items())


def _chunks(
    version_id: int, title: str, body: str, folded: str | None
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {"id": version_id, "part": 0, "tsv": tsvector_literal(index_tokens(title))}
    ]
    tokens = index_tokens(body, folded=folded)
    start, part = 0, 1
    while True:
        window = tokens[start : start + CHUNK + OVERLAP]
        rows.append({"id": version_id, "part": part, "tsv": tsvector_literal(window)})
        if start + CHUNK + OVERLAP >= len(tokens):
            return rows
        start += CHUNK
        part += 1
