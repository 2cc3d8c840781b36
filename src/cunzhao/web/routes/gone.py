"""``/gone``: every original confirmed deleted at its source, with the archived copy — the
automatic 404 archive. Newest deletion first, paginated."""

from __future__ import annotations

from math import ceil
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from starlette.requests import Request
from starlette.responses import HTMLResponse

from cunzhao import Archive
from cunzhao.web.app import archive_of
from cunzhao.web.params import MAX_PAGE
from cunzhao.web.render import render

router = APIRouter(include_in_schema=False)
ArchiveDep = Annotated[Archive, Depends(archive_of)]
PER_PAGE = 50


@router.get("/gone", response_class=HTMLResponse)
def gone_page(
    request: Request, archive: ArchiveDep, page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1
) -> HTMLResponse:
    found = sorted(archive.gone_documents(), key=lambda g: (g.first_gone, g.document_id),
                   reverse=True)
    last = max(1, ceil(len(found) / PER_PAGE))
    if page > last:
        raise HTTPException(404, f"page {page} of the gone list does not exist (last: {last})")
    start = (page - 1) * PER_PAGE
    return render(request, "gone.html", rows=found[start : start + PER_PAGE], total=len(found),
                  page=page, last=last, start=start)
