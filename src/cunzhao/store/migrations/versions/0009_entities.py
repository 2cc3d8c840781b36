"""Entities: one record per platform, company, regulator … and the entity id of every name.

Creates ``entities``, ``entity_aliases``, ``entity_edits`` and ``entity_seed``, and adds a
nullable entity id beside each name a fact holds (``case_targets.entity_id``,
``cases.regulator_entity_id``, ``stats.scope_entity_id``); the names as written stay as they
are. The tables are created empty: the seed is today's data files, not this migration's, so
``Archive.migrate`` (and opening the archive for writing) loads it and resolves the stored
names with today's code (``cunzhao.store.entities.sync``). Downgrading drops the tables and
the id columns; the names remain.

Revision ID: 0009_entities
Revises: 0008_search_state
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_entities"
down_revision = "0008_search_state"
branch_labels = None
depends_on = None

_ID_COLUMNS = (
    ("case_targets", "entity_id", "ix_case_targets_entity_id"),
    ("cases", "regulator_entity_id", "ix_cases_regulator_entity_id"),
    ("stats", "scope_entity_id", None),
)


def upgrade() -> None:
    for table, column, index in _ID_COLUMNS:
        op.add_column(table, sa.Column(column, sa.Text))
        if index:
            op.create_index(index, table, [column])
    op.create_table(
        "entities",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("zh", sa.Text, nullable=False),
        sa.Column("en", sa.Text),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("parent", sa.Text),
        sa.Column("province", sa.String(32)),
        sa.Column("level", sa.String(16)),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("merged_into", sa.Text),
    )
    op.create_table(
        "entity_aliases",
        sa.Column("folded", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
    )
    op.create_index("ix_entity_aliases_entity_id", "entity_aliases", ["entity_id"])
    op.create_table(
        "entity_edits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("op", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("entity_id", sa.Text, nullable=False),
        sa.Column("previous", sa.Text),
        sa.Column("edited_by", sa.Text, nullable=False),
        sa.Column("edited_at", sa.String(32), nullable=False),
        sa.Column("undone_by", sa.Text),
        sa.Column("undone_at", sa.String(32)),
    )
    op.create_table(
        "entity_seed",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for name in ("entity_seed", "entity_edits", "entity_aliases", "entities"):
        op.drop_table(name)
    for table, column, index in _ID_COLUMNS:
        if index:
            op.drop_index(index, table_name=table)
        # ALTER TABLE … DROP COLUMN in place (SQLite 3.35+): no copy of a table others
        # reference, which foreign keys would refuse
        op.drop_column(table, column)
