"""Link checks: the history of re-requesting each document's original URL.

Revision ID: 0004_link_checks
Revises: 0003_search
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_link_checks"
down_revision = "0003_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_checks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("checked_at", sa.String(32), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("http_status", sa.Integer),
        sa.Column("final_url", sa.Text),
        sa.Column("detail", sa.Text),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("capture_id", sa.Integer, sa.ForeignKey("captures.id")),
    )
    op.create_index("ix_link_checks_document_time", "link_checks", ["document_id", "checked_at"])
    op.create_index("ix_link_checks_outcome", "link_checks", ["outcome"])


def downgrade() -> None:
    op.drop_index("ix_link_checks_outcome", "link_checks")
    op.drop_index("ix_link_checks_document_time", "link_checks")
    op.drop_table("link_checks")
