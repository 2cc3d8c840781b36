"""Watching originals: re-request each document's source and keep the history (issue 6)."""

from cunzhao.check.run import LinkCheck, check_documents
from cunzhao.check.schema import link_checks
from cunzhao.check.status import GoneDocument, LinkStatus, gone_documents, link_status

__all__ = [
    "GoneDocument",
    "LinkCheck",
    "LinkStatus",
    "check_documents",
    "gone_documents",
    "link_checks",
    "link_status",
]
