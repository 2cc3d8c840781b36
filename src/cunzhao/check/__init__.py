"""Watching originals: re-request each document's source and keep the history (issue 6).

Names are loaded on first use (PEP 562), so ``import cunzhao.check.schema`` — which the store
does to put ``link_checks`` on the shared metadata — does not pull in the HTTP client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cunzhao.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from cunzhao.check.run import LinkCheck, check_documents
    from cunzhao.check.schema import link_checks
    from cunzhao.check.status import GoneDocument, LinkStatus, gone_documents, link_status

_WHERE = {
    "LinkCheck": "cunzhao.check.run",
    "check_documents": "cunzhao.check.run",
    "link_checks": "cunzhao.check.schema",
    "GoneDocument": "cunzhao.check.status",
    "LinkStatus": "cunzhao.check.status",
    "gone_documents": "cunzhao.check.status",
    "link_status": "cunzhao.check.status",
}

__all__ = [
    "GoneDocument",
    "LinkCheck",
    "LinkStatus",
    "check_documents",
    "gone_documents",
    "link_checks",
    "link_status",
]


__getattr__ = lazy_exports("cunzhao.check", _WHERE)
