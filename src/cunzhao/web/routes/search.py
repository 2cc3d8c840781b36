"""``/search``: results with highlighted snippets, facts per hit, facets and pagination."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse

from cunzhao import FACETS, Archive, QuerySyntaxError, Results
from cunzhao.web.app import archive_of
from cunzhao.web.params import SearchState, search_state
from cunzhao.web.render import render

router = APIRouter(include_in_schema=False)
ArchiveDep = Annotated[Archive, Depends(archive_of)]


def run_search(archive: Archive, state: SearchState, *, facets: bool = True) -> Results:
    """Search, or raise a 400 (bad query syntax) or 404 (page past the last one)."""
    try:
        results = archive.search(state.q, state.filters(), sort=state.sort, page=state.page,
                                 per_page=state.per_page, facets=facets,
                                 all_versions=state.all_versions)
    except QuerySyntaxError as problem:
        raise HTTPException(400, f"cannot read the query: {problem}") from None
    last = last_page(results)
    if state.page > last:
        raise HTTPException(404, f"page {state.page} is past the last page ({last})")
    return results


def last_page(results: Results) -> int:
    return max(1, -(-results.total // results.per_page))


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request, archive: ArchiveDep, state: Annotated[SearchState, Depends(search_state)]
) -> HTMLResponse:
    try:
        results = run_search(archive, state)
    except HTTPException as problem:
        if problem.status_code != 400:
            raise
        return render(request, "search.html", 400, state=state, results=None,
                      error=str(problem.detail), facet_order=FACETS, last=1)
    return render(request, "search.html", state=state, results=results, error=None,
                  facet_order=FACETS, last=last_page(results))
