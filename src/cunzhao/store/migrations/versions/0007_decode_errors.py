"""Versions count their decode errors: damaged bytes are read with U+FFFD, not refused.

``versions.decode_errors`` is how many undecodable byte sequences the version's text holds as
replacement characters (0 for intact bytes, and for every version stored before: older
versions refused such pages). Downgrading drops the column; the versions stay.

Revision ID: 0007_decode_errors
Revises: 0006_unreachable
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_decode_errors"
down_revision = "0006_unreachable"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "versions",
        sa.Column("decode_errors", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    with op.batch_alter_table("versions") as batch:
        batch.drop_column("decode_errors")
