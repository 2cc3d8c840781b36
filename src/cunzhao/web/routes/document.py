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

from cunzhao import Archive, CorruptBlob, DocumentView, VersionInfo, fact_ids
from cunzhao.web.app import archive_of
from cunzhao.web.highlight import block_diff, marked_blocks
from cunzhao.web.render import render
from cunzhao.web.routes.facts import citation

router = APIRouter(include_in_schema=False)
ArchiveDep = Annotated[Archive, Depends(archive_of)]
DocId = Annotated[int, Path(ge=1, le=2**31 - 1)]
VersionN = Annotated[int | None, Query(ge=1, le=100_000)]
# the diff form's "latest different version" option sends an empty value
FormVersion = Annotated[str | None, Query(pattern=r"^([1-9][0-9]{0,4}|100000)?$",
                                          description="A version number, or empty: the default")]

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
    ids = fact_ids(view, current.n) if current else ((), ())
    doc = view.public()
    path = f"/doc/{doc_id}" + (f"?version={current.n}" if current and version else "")
    key = f"cunzhao-doc-{doc_id}" + (f"-v{current.n}" if current and version else "")
    return render(request, "document.html", doc=doc, current=current, stat_ids=ids[0],
                  case_ids=ids[1], cite=citation(request, doc, current, key, path),
                  blocks=marked_blocks(view.blocks, view.body, view.stats, view.cases))


def recency(v: VersionInfo) -> tuple[bool, str, str]:
    """How recent a version is: by capture time (one without ranks below those with one),
    then by ingest time — the order that decides the latest version."""
    return v.captured_at is not None, v.captured_at or "", v.ingested_at


def default_pair(archive: Archive, doc_id: int, versions: list[VersionInfo],
                 b: int | None) -> tuple[int, int]:
    """The versions a diff compares when not told: ``b`` (default: the latest) and the most
    recent version before it whose title or text differs (else the one just before)."""
    ranked = sorted(versions, key=recency, reverse=True)
    right = next((v for v in ranked if v.n == b), ranked[0]) if b else ranked[0]
    older = [v for v in ranked if recency(v) < recency(right)] or [
        v for v in ranked if v.n != right.n]
    if not older:
        return right.n, right.n
    shown = load_document(archive, doc_id, right.n)
    for v in older:
        other = load_document(archive, doc_id, v.n)
        if (other.title, other.body) != (shown.title, shown.body):
            return v.n, right.n
    return older[0].n, right.n


@router.get("/doc/{doc_id}/diff", response_class=HTMLResponse)
def diff_page(request: Request, archive: ArchiveDep, doc_id: DocId,
              a: FormVersion = None, b: VersionN = None) -> HTMLResponse:
    latest = load_document(archive, doc_id)
    first = int(a) if a else None
    if first is None:
        first, b = default_pair(archive, doc_id, latest.versions, b)
    b = b or next(v.n for v in latest.versions if v.is_latest)
    left, right = load_document(archive, doc_id, first), load_document(archive, doc_id, b)
    rows = block_diff([b.text for b in left.blocks], [b.text for b in right.blocks])
    return render(request, "diff.html", doc=latest, a=first, b=b, left=left, right=right,
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
