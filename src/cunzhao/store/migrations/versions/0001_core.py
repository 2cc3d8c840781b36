"""Core archive: blobs, captures, documents, versions.

Revision ID: 0001_core
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("compression", sa.String(16), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "captures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("blobs.sha256"), nullable=False),
        sa.Column("source_kind", sa.String(16), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("target_url", sa.Text),
        sa.Column("captured_at", sa.String(32)),
        sa.Column("ingested_at", sa.String(32), nullable=False),
        sa.Column("tool_version", sa.String(32), nullable=False),
        sa.Column("content_type", sa.Text),
        sa.Column("http_headers", sa.LargeBinary),
    )
    op.create_index("ix_captures_sha256", "captures", ["sha256"])
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("first_seen", sa.String(32), nullable=False),
    )
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("capture_id", sa.Integer, sa.ForeignKey("captures.id"), nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("is_latest", sa.Integer, nullable=False, server_default="1"),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("series_tag", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("captured_at", sa.String(32)),
        sa.Column("published", sa.String(10)),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("body_folded", sa.Text, nullable=False),
        sa.Column("blocks", sa.Text, nullable=False),
        sa.Column("card", sa.Text),
        sa.Column("source_site", sa.Text),
        sa.Column("collection", sa.Text),
        sa.Column("encoding", sa.String(32), nullable=False),
        sa.Column("header_format", sa.String(16), nullable=False),
        sa.Column("parser_version", sa.String(16), nullable=False),
        sa.UniqueConstraint("document_id", "n", name="uq_versions_document_n"),
    )
    op.create_index("ix_versions_document", "versions", ["document_id"])
    op.create_index("ix_versions_latest_published", "versions", ["is_latest", "published"])


def downgrade() -> None:
    for table in ("versions", "documents", "captures", "blobs"):
        op.drop_table(table)
