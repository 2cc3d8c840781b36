"""The ``link_checks`` table (migration 0004): one row per re-request of a document's original.

Rows are only ever added, so the table is the history: when a page was last seen alive and
when it was first seen gone.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from cunzhao.store.schema import metadata

OUTCOMES = ("alive", "changed", "redirected", "gone", "error")

link_checks = Table(
    "link_checks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", Integer, ForeignKey("documents.id"), nullable=False),
    Column("url", Text, nullable=False),  # the URL requested (the original, else the document's)
    Column("checked_at", String(32), nullable=False),  # ISO-8601 UTC
    Column("outcome", String(16), nullable=False),  # one of OUTCOMES
    Column("http_status", Integer),
    Column("final_url", Text),  # after redirects
    Column("detail", Text),  # why: "HTTP 404", "redirected to the home page", …
    Column("content_hash", String(64)),  # sha256 of the page's text, to see a change next time
    Column("capture_id", Integer, ForeignKey("captures.id")),  # the new capture, when changed
    Index("ix_link_checks_document_time", "document_id", "checked_at"),
    Index("ix_link_checks_outcome", "outcome"),
)
