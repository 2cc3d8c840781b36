"""Following sources: the URLs each source listed (the frontier) and the history of sync runs.

Revision ID: 0005_sync
Revises: 0004_link_checks
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_sync"
down_revision = "0004_link_checks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_urls",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("first_seen", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("fetched_at", sa.String(32)),
        sa.Column("http_status", sa.Integer),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("lastmod", sa.Text),
        sa.Column("content_sha256", sa.String(64)),
        sa.Column("capture_id", sa.Integer, sa.ForeignKey("captures.id")),
        sa.Column("detail", sa.Text),
        sa.UniqueConstraint("source", "url", name="uq_sync_urls_source_url"),
    )
    op.create_index("ix_sync_urls_source_state", "sync_urls", ["source", "state"])
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("finished_at", sa.String(32)),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("new", sa.Integer, nullable=False, server_default="0"),
        sa.Column("changed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("unchanged", sa.Integer, nullable=False, server_default="0"),
        sa.Column("filtered", sa.Integer, nullable=False, server_default="0"),
        sa.Column("failed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("requests", sa.Integer, nullable=False, server_default="0"),
        sa.Column("detail", sa.Text),
    )
    op.create_index("ix_sync_runs_source_started", "sync_runs", ["source", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_sync_runs_source_started", "sync_runs")
    op.drop_table("sync_runs")
    op.drop_index("ix_sync_urls_source_state", "sync_urls")
    op.drop_table("sync_urls")
