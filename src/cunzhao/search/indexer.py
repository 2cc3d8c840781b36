"""Keep the search index in step with the archive: index, unindex, rebuild.

The ingest transaction calls :func:`index_version` after writing a document's latest version
and its facts; the previously indexed version of that document leaves the index in the same
transaction. SQLite's contentless FTS5 table forgets a row only when given the tokens it was
indexed with, which are recomputed from the version row: a version's title and body must not
be rewritten in place while it is indexed (unindex first, or :func:`rebuild_index`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection, Engine, Row, delete, insert, select, text

from cunzhao.search.tables import (
    CHUNK,
    OVERLAP,
    create_gin_index,
    create_search_schema,
    drop_search_schema,
    search_docs,
    search_facets,
)
from cunzhao.search.tokenize import index_tokens, is_cjk
from cunzhao.store.schema import case_targets, cases, stats, versions

__all__ = ["index_version", "rebuild_index", "tsvector_literal", "unindex_document"]

_FTS_INSERT = text("INSERT INTO search_fts(rowid, title, body) VALUES (:id, :title, :body)")
_FTS_DELETE = text(
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', :id, :title, :body)"
)
_CHUNK_INSERT = text(
    "INSERT INTO search_chunks (version_id, part, tsv) VALUES (:id, :part, CAST(:tsv AS tsvector))"
)
_COLUMNS = (
    versions.c.id,
    versions.c.document_id,
    versions.c.title,
    versions.c.body,
    versions.c.body_folded,
    versions.c.published,
    versions.c.series_tag,
    versions.c.source_site,
    versions.c.collection,
)


def index_version(conn: Connection, version_id: int) -> None:
    """Make ``version_id`` the indexed version of its document (replacing any other)."""
    row = conn.execute(select(*_COLUMNS).where(versions.c.id == version_id)).one()
    unindex_document(conn, row.document_id)
    _add(conn, row)
    conn.execute(
        insert(search_docs).values(
            version_id=row.id, document_id=row.document_id, published=row.published,
            series_tag=row.series_tag, source_site=row.source_site, collection=row.collection,
        )
    )


def unindex_document(conn: Connection, document_id: int) -> None:
    """Remove a document from the index (no-op when it is not indexed)."""
    old = conn.execute(
        select(search_docs.c.version_id).where(search_docs.c.document_id == document_id)
    ).scalar()
    if old is None:
        return
    if conn.dialect.name == "sqlite":
        title, body, folded = conn.execute(
            select(versions.c.title, versions.c.body, versions.c.body_folded)
            .where(versions.c.id == old)
        ).one()
        conn.execute(
            _FTS_DELETE, {"id": old, "title": _joined(title), "body": _joined(body, folded)}
        )
    else:
        conn.execute(text("DELETE FROM search_chunks WHERE version_id = :id"), {"id": old})
    conn.execute(delete(search_facets).where(search_facets.c.version_id == old))
    conn.execute(delete(search_docs).where(search_docs.c.document_id == document_id))


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
            for version_id in ids[start : start + batch]:
                index_version(conn, version_id)
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


def _joined(text_: str | None, folded: str | None = None) -> str:
    return " ".join(index_tokens(text_ or "", folded=folded))


def _add(conn: Connection, row: Row[*tuple[Any, ...]]) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(
            _FTS_INSERT,
            {"id": row.id, "title": _joined(row.title), "body": _joined(row.body, row.body_folded)},
        )
    else:
        conn.execute(_CHUNK_INSERT, _chunks(row.id, row.title, row.body, row.body_folded))
    facets = _facet_rows(conn, row)
    if facets:
        conn.execute(insert(search_facets), facets)


def _chunks(version_id: int, title: str, body: str, folded: str) -> list[dict[str, object]]:
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


def _facet_rows(conn: Connection, row: Row[*tuple[Any, ...]]) -> list[dict[str, object]]:
    values: set[tuple[str, str]] = set()
    if row.published:
        values.add(("year", str(row.published)[:4]))
    for facet, value in (
        ("tag", row.series_tag),
        ("source", row.source_site),
        ("collection", row.collection),
    ):
        if value:
            values.add((facet, str(value)))
    for action in conn.execute(
        select(stats.c.action).where(stats.c.version_id == row.id)
    ).scalars():
        values.add(("action", action))
    for case_id, measures, categories in conn.execute(
        select(cases.c.id, cases.c.measures, cases.c.categories).where(cases.c.version_id == row.id)
    ):
        values.update(("action", str(m)) for m in json.loads(measures or "[]"))
        values.update(("category", str(c)) for c in json.loads(categories or "[]"))
    targets = select(case_targets.c.name).join(cases, cases.c.id == case_targets.c.case_id)
    for name in conn.execute(targets.where(cases.c.version_id == row.id)).scalars():
        values.add(("target", name))
    return [{"version_id": row.id, "facet": f, "value": v} for f, v in sorted(values)]
