"""Watching originals: re-request each document's source and keep the history (issue 6).

The check stage decides what a fetch means and calls the ingest stage for a changed page; the
store keeps the record (``cunzhao.store.link_checks``: the ``LinkCheck`` row, its outcomes).
Names are loaded on first use (PEP 562), so reading the history does not pull in the HTTP
client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cunzhao.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from cunzhao.check.run import check_documents
    from cunzhao.check.status import (
        GONE_AFTER,
        GONE_SIGHTINGS,
        GoneDocument,
        LinkStatus,
        documents_to_recheck,
        gone_documents,
        link_status,
    )
    from cunzhao.store.link_checks import ALIVE, OUTCOMES, LinkCheck
    from cunzhao.store.schema import link_checks

_WHERE = {
    "ALIVE": "cunzhao.store.link_checks",
    "GONE_AFTER": "cunzhao.check.status",
    "GONE_SIGHTINGS": "cunzhao.check.status",
    "OUTCOMES": "cunzhao.store.link_checks",
    "LinkCheck": "cunzhao.store.link_checks",
    "check_documents": "cunzhao.check.run",
    "link_checks": "cunzhao.store.schema",
    "GoneDocument": "cunzhao.check.status",
    "documents_to_recheck": "cunzhao.check.status",
    "LinkStatus": "cunzhao.check.status",
    "gone_documents": "cunzhao.check.status",
    "link_status": "cunzhao.check.status",
}

__all__ = [
    "ALIVE",
    "GONE_AFTER",
    "GONE_SIGHTINGS",
    "OUTCOMES",
    "GoneDocument",
    "LinkCheck",
    "LinkStatus",
    "check_documents",
    "documents_to_recheck",
    "gone_documents",
    "link_checks",
    "link_status",
]


__getattr__ = lazy_exports("cunzhao.check", _WHERE)
