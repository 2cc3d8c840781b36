"""``/doc/{id}``: card, provenance, versions, highlighted body, facts; diff; the original.

The original page is served from its own route with a Content-Security-Policy that blocks
every script and every request, and the document page shows it in ``<iframe sandbox>``.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from cunzhao import Archive, CorruptBlob, DocumentView
from cunzhao.web.app import archive_of
from cunzhao.web.highlight import block_diff, marked_blocks
from cunzhao.web.render import render

router = APIRouter(include_in_schema=False)
ArchiveDep = Annotated[Archive, Depends(archive_of)]
DocId = Annotated[int, Path(ge=1, le=2**31 - 1)]
VersionN = Annotated[int | None, Query(ge=1, le=100_000)]

ORIGINAL_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"
_CHARSET = re.compile(r"[A-Za-z0-9_.:-]{1,40}")


def load_document(archive: Archive, doc_id: int, version: int | None = None) -> DocumentView:
    """The document (at ``version``), or a 404 naming what is missing."""
    try:
        view = archive.document(doc_id, version)
    except LookupError:
        raise HTTPException(404, f"document {doc_id} has no version {version}") from None
    if view is None:
        raise HTTPException(404, f"no document {doc_id} in this archive")
    return view


@router.get("/doc/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, archive: ArchiveDep, doc_id: DocId,
                  version: VersionN = None) -> HTMLResponse:
    view = load_document(archive, doc_id, version)
    current = next((v for v in view.versions if v.n == version), None) if version else next(
        (v for v in view.versions if v.is_latest), view.versions[-1] if view.versions else None)
    return render(request, "document.html", doc=view, current=current,
                  blocks=marked_blocks(view.blocks, view.body, view.stats, view.cases))


@router.get("/doc/{doc_id}/diff", response_class=HTMLResponse)
def diff_page(request: Request, archive: ArchiveDep, doc_id: DocId,
              a: VersionN = None, b: VersionN = None) -> HTMLResponse:
    latest = load_document(archive, doc_id)
    numbers = [v.n for v in latest.versions]
    b = b or max(numbers)
    a = a or (numbers[numbers.index(b) - 1] if b in numbers and numbers.index(b) > 0 else b)
    left, right = load_document(archive, doc_id, a), load_document(archive, doc_id, b)
    rows = block_diff([b.text for b in left.blocks], [b.text for b in right.blocks])
    return render(request, "diff.html", doc=latest, a=a, b=b, left=left, right=right,
                  rows=rows, same=all(r.op in ("equal", "skip") for r in rows)
                  and left.title == right.title)


@router.get("/doc/{doc_id}/original")
def original(archive: ArchiveDep, doc_id: DocId, version: VersionN = None) -> Response:
    """The preserved bytes as captured, rendered inertly (no scripts, no outside requests)."""
    view = load_document(archive, doc_id, version)
    try:
        data = archive.raw(doc_id, version)
    except LookupError as problem:
        raise HTTPException(404, str(problem)) from None
    except CorruptBlob as problem:  # the archive's fault, named; `cunzhao verify` finds them all
        raise HTTPException(500, f"the preserved bytes are damaged: {problem}") from None
    charset = view.encoding if _CHARSET.fullmatch(view.encoding or "") else "utf-8"
    return Response(data, media_type=f"text/html; charset={charset}", headers={
        "Content-Security-Policy": ORIGINAL_CSP,
        "X-Frame-Options": "SAMEORIGIN",
        "Cache-Control": "no-store",
    })
