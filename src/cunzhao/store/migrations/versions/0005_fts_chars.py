"""SQLite's full-text table holds character tokens instead of bigrams (PostgreSQL: unchanged).

Revision ID: 0005_fts_chars
Revises: 0004_link_checks

The indexed versions (``search_docs``) and their facets stay as they are; only ``search_fts``
is rebuilt, from each indexed version's stored title and body (see ``search.tokenize``).
"""

from __future__ import annotations

from collections.abc import Callable

from alembic import op
from sqlalchemy import Connection, select, text

revision = "0005_fts_chars"
down_revision = "0004_link_checks"
branch_labels = None
depends_on = None

_BIGRAM_DDL = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, content='', prefix='1', tokenize='ascii')"
)


def upgrade() -> None:
    from cunzhao.search.tables import SQLITE_DDL
    from cunzhao.search.tokenize import fts_text

    _refill(op.get_bind(), SQLITE_DDL, fts_text)


def downgrade() -> None:
    from cunzhao.search.tokenize import index_tokens

    def bigrams(value: str, *, folded: str | None = None) -> str:
        return " ".join(index_tokens(value, folded=folded))

    _refill(op.get_bind(), (_BIGRAM_DDL,), bigrams)


def _refill(conn: Connection, ddl: tuple[str, ...], tokens: Callable[..., str]) -> None:
    if conn.dialect.name != "sqlite":
        return
    from cunzhao.search.tables import search_docs
    from cunzhao.store.schema import versions

    conn.execute(text("DROP TABLE IF EXISTS search_fts"))
    for statement in ddl:
        conn.execute(text(statement))
    indexed = (
        select(versions.c.id, versions.c.title, versions.c.body, versions.c.body_folded)
        .join(search_docs, search_docs.c.version_id == versions.c.id)
        .order_by(versions.c.id)
    )
    insert = text("INSERT INTO search_fts(rowid, title, body) VALUES (:id, :title, :body)")
    rows = conn.execute(indexed)
    while batch := rows.fetchmany(500):
        conn.execute(insert, [
            {"id": r.id, "title": tokens(r.title or ""),
             "body": tokens(r.body or "", folded=r.body_folded)}
            for r in batch
        ])
