"""Search index: search_docs, search_facets, and FTS5 (SQLite) or tsvector chunks (PostgreSQL).

Revision ID: 0003_search
Revises: 0002_facts

Upgrading an archive that already holds documents indexes their latest versions here.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import select

revision = "0003_search"
down_revision = "0002_facts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from cunzhao.search.indexer import index_version
    from cunzhao.search.tables import create_search_schema
    from cunzhao.store.schema import versions

    conn = op.get_bind()
    create_search_schema(conn)
    latest = select(versions.c.id).where(versions.c.is_latest == 1).order_by(versions.c.id)
    for version_id in list(conn.execute(latest).scalars()):
        index_version(conn, version_id)


def downgrade() -> None:
    from cunzhao.search.tables import drop_search_schema

    drop_search_schema(op.get_bind())
