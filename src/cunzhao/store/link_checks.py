"""The record of ``cunzhao check``: one ``link_checks`` row per re-request of an original.

The check stage decides what a fetch means; the store writes it down. Rows are only ever
added, so the table is the history researchers cite (last seen alive, first seen gone).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import Connection, insert, select

from cunzhao.store.schema import link_checks

__all__ = [
    "ALIVE",
    "GONE",
    "INCONCLUSIVE",
    "OUTCOMES",
    "LinkCheck",
    "add_link_check",
    "last_content_hash",
]

OUTCOMES = ("alive", "changed", "redirected", "gone", "unreachable", "error")
"""Every outcome a check records, in the order a summary lists them."""
ALIVE = ("alive", "changed", "redirected")
"""The outcomes that say the original was there."""
GONE = "gone"
"""The outcome that is evidence of deletion: one sighting (404/410, a redirect to a home or
error page, a soft 404). A page is *called* gone only after several (``cunzhao.check.status``)."""
INCONCLUSIVE = ("unreachable", "error")
"""The outcomes that say nothing either way: the host could not be reached (DNS, refused,
TLS, timeout) or answered 5xx (``unreachable``), or the answer could not be judged (``error``)."""


@dataclass(frozen=True)
class LinkCheck:
    """One recorded check (a ``link_checks`` row)."""

    document_id: int
    url: str
    checked_at: str  # ISO-8601 UTC (cunzhao.clock)
    outcome: str  # one of OUTCOMES
    http_status: int | None
    final_url: str | None
    detail: str | None
    content_hash: str | None = None  # sha256 of the page's text
    capture_id: int | None = None  # the capture the answer became, when it changed


def add_link_check(conn: Connection, check: LinkCheck) -> None:
    """Add one check to the history (the caller owns the transaction)."""
    conn.execute(insert(link_checks).values(**asdict(check)))


def last_content_hash(conn: Connection, document_id: int, url: str) -> str | None:
    """The text hash that the latest check of ``url`` for this document recorded, if any."""
    seen = conn.execute(
        select(link_checks.c.content_hash)
        .where(
            link_checks.c.document_id == document_id,
            link_checks.c.url == url,
            link_checks.c.content_hash.is_not(None),
        )
        .order_by(link_checks.c.checked_at.desc(), link_checks.c.id.desc())
        .limit(1)
    ).scalar()
    return str(seen) if seen is not None else None
