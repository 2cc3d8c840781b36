"""Extracted facts: stats, cases and their targets.

Revision ID: 0002_facts
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_facts"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stats",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("object", sa.String(32), nullable=False),
        sa.Column("value", sa.BigInteger, nullable=False),
        sa.Column("qualifier", sa.String(16), nullable=False),
        sa.Column("period_start", sa.String(10)),
        sa.Column("period_end", sa.String(10)),
        sa.Column("scope", sa.Text),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("ev_start", sa.Integer, nullable=False),
        sa.Column("ev_end", sa.Integer, nullable=False),
        sa.Column("extractor_version", sa.String(16), nullable=False),
    )
    op.create_index("ix_stats_version_id", "stats", ["version_id"])
    op.create_index("ix_stats_action_object", "stats", ["action", "object"])
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), nullable=False),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("measures", sa.Text, nullable=False),
        sa.Column("regulator", sa.Text),
        sa.Column("fine_cny", sa.BigInteger),
        sa.Column("categories", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("ev_start", sa.Integer, nullable=False),
        sa.Column("ev_end", sa.Integer, nullable=False),
        sa.Column("extractor_version", sa.String(16), nullable=False),
    )
    op.create_index("ix_cases_version_id", "cases", ["version_id"])
    op.create_table(
        "case_targets",
        sa.Column("case_id", sa.Integer, sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
    )
    op.create_index("ix_case_targets_name", "case_targets", ["name"])


def downgrade() -> None:
    for table in ("case_targets", "cases", "stats"):
        op.drop_table(table)
