"""Search index: search_docs, search_facets, and FTS5 (SQLite) or tsvector chunks (PostgreSQL).

Revision ID: 0003_search
Revises: 0002_facts

The tables are written out here as they stood when this revision was made, so that this
migration creates the same thing whatever the search code of the day looks like: a change to
the index's tables needs a new revision (or a rebuild, which recreates them with the search
code's own definitions).

The index is created empty. It is derived data — tokens of the latest version of each
document — and indexing belongs to the search code of the day, not to a migration frozen in
the past. An archive that already held documents is left with documents missing from the
index, which is the record that it needs building: ingest keeps exactly one indexed version
per document, so ``cunzhao.ingest.complete_index``, which ``Archive.migrate`` runs after every
upgrade, sees the shortfall and rebuilds the index (running ``cunzhao migrate`` again after an
interrupted rebuild finishes it).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_search"
down_revision = "0002_facts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_docs",
        sa.Column("version_id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("document_id", sa.Integer, nullable=False, unique=True),
        sa.Column("published", sa.String(10)),
        sa.Column("series_tag", sa.Text),
        sa.Column("source_site", sa.Text),
        sa.Column("collection", sa.Text),
    )
    op.create_index("ix_search_docs_published", "search_docs", ["published", "version_id"])
    op.create_index("ix_search_docs_tag", "search_docs", ["series_tag", "published"])
    op.create_index("ix_search_docs_source", "search_docs", ["source_site", "published"])
    op.create_index("ix_search_docs_collection", "search_docs", ["collection", "published"])
    op.create_table(
        "search_facets",
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.Column("facet", sa.String(16), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_index("ix_search_facets_value", "search_facets", ["facet", "value", "version_id"])
    op.create_index(
        "ix_search_facets_version", "search_facets", ["version_id", "facet", "value"]
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "title, body, content='', prefix='1', tokenize='ascii')"
        )
    else:
        op.execute(
            "CREATE TABLE search_chunks (version_id INTEGER NOT NULL, part INTEGER NOT NULL, "
            "tsv TSVECTOR NOT NULL, PRIMARY KEY (version_id, part))"
        )
        op.execute("CREATE INDEX ix_search_chunks_tsv ON search_chunks USING GIN (tsv)")


def downgrade() -> None:
    own = "search_fts" if op.get_bind().dialect.name == "sqlite" else "search_chunks"
    op.execute(f"DROP TABLE IF EXISTS {own}")
    op.drop_table("search_facets")
    op.drop_table("search_docs")
