"""Search state: which engine answers searches, the build and generation of the index.

Revision ID: 0008_search_state
Revises: 0007_decode_errors

``search_state`` (one row) and ``search_journal`` let a search index kept outside the
database (a tantivy folder) know whether it holds what the database says it should, and
catch up from the journal when it does not (see ``cunzhao.search.state``). The engine is
``tantivy`` when that package can be imported, else ``sql`` (the FTS5 / tsvector tables).
Under ``tantivy`` the SQL full-text table is kept, emptied (it is derived data, and is
filled again by a rebuild that switches back to ``sql``); ``search_docs`` and
``search_facets`` are kept as they are. The tantivy folder of the new build is created
by the first search or ingest (or ``cunzhao reindex``).

Downgrading drops the two tables and leaves the SQL full-text table as it is: run
``cunzhao reindex`` with the older version to fill it.
"""

from __future__ import annotations

import uuid
from importlib.util import find_spec

import sqlalchemy as sa
from alembic import op

revision = "0008_search_state"
down_revision = "0007_decode_errors"
branch_labels = None
depends_on = None

_FTS5 = (  # as created by 0003_search
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, content='', prefix='1', tokenize='ascii')"
)


def upgrade() -> None:
    state = op.create_table(
        "search_state",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("engine", sa.String(16), nullable=False),
        sa.Column("build", sa.String(32), nullable=False),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("journal_start", sa.Integer, nullable=False),
    )
    op.create_table(
        "search_journal",
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("document_id", sa.Integer, nullable=False),
    )
    op.create_index("ix_search_journal_generation", "search_journal", ["generation"])
    engine = "tantivy" if find_spec("tantivy") is not None else "sql"
    op.bulk_insert(state, [{"id": 1, "engine": engine, "build": uuid.uuid4().hex,
                            "generation": 0, "journal_start": 0}])
    if engine == "tantivy":
        if op.get_bind().dialect.name == "sqlite":
            op.execute("DROP TABLE IF EXISTS search_fts")
            op.execute(_FTS5)
        else:
            op.execute("TRUNCATE search_chunks")


def downgrade() -> None:
    op.drop_index("ix_search_journal_generation", "search_journal")
    op.drop_table("search_journal")
    op.drop_table("search_state")
