"""Link checks: network failures and server errors are ``unreachable``, not ``gone``.

Older versions recorded a DNS failure (no HTTP status) as ``gone``; this rewrites every
``gone`` row without an HTTP status or with a 5xx status to ``unreachable``, keeping its
detail. 404/410 answers, home-page and error-page redirects and soft 404s keep ``gone``.
Downgrading turns ``unreachable`` into the old versions' ``error`` (they knew no other
inconclusive outcome).

Revision ID: 0006_unreachable
Revises: 0005_sync
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_unreachable"
down_revision = "0005_sync"
branch_labels = None
depends_on = None

# frozen: the columns this migration reads and writes, as of 0004_link_checks
_link_checks = sa.table(
    "link_checks",
    sa.column("outcome", sa.String(16)),
    sa.column("http_status", sa.Integer),
)


def upgrade() -> None:
    op.execute(
        sa.update(_link_checks)
        .where(
            _link_checks.c.outcome == "gone",
            sa.or_(_link_checks.c.http_status.is_(None), _link_checks.c.http_status >= 500),
        )
        .values(outcome="unreachable")
    )


def downgrade() -> None:
    op.execute(
        sa.update(_link_checks)
        .where(_link_checks.c.outcome == "unreachable")
        .values(outcome="error")
    )
