"""The JSON API under ``/api/``: documents, search, facets, entities, stats.

Field names are stable (docs/web.md). Lists are paginated with ``page``/``per_page`` and
answer ``total``; errors are ``{"error": {"status", "message", "details"?}}``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.requests import Request

from cunzhao.archive import Archive
from cunzhao.search import Results
from cunzhao.store.timeline import Role, entities, series_from
from cunzhao.web import schemas
from cunzhao.web.app import archive_of
from cunzhao.web.params import MAX_PAGE, SearchState, search_state
from cunzhao.web.routes.document import DocId, VersionN, load_document
from cunzhao.web.routes.entity import Name, load_cases
from cunzhao.web.routes.search import last_page, run_search

router = APIRouter(prefix="/api", tags=["api"])
ArchiveDep = Annotated[Archive, Depends(archive_of)]
StateDep = Annotated[SearchState, Depends(search_state)]
Filter = Annotated[str | None, Query(max_length=200)]
Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]


def _paging(results: Results) -> dict[str, Any]:
    return {"page": results.page, "per_page": results.per_page, "total": results.total,
            "pages": last_page(results)}


@router.get("/documents", response_model=schemas.DocumentList, summary="Documents, newest first (filters as in search)")
def api_documents(archive: ArchiveDep, state: StateDep) -> dict[str, Any]:
    results = run_search(archive, SearchState(**{**state.__dict__, "q": "", "sort": "date"}),
                         facets=False)
    items = [
        {"id": h.document_id, "url": h.url, "title": h.title, "published": h.published,
         "series_tag": h.series_tag, "source_site": h.source_site, "collection": h.collection}
        for h in results.hits
    ]
    return {**_paging(results), "items": items}


@router.get("/documents/{doc_id}", response_model=schemas.Document, summary="One document (latest version unless version=N)")
def api_document(archive: ArchiveDep, doc_id: DocId, version: VersionN = None) -> dict[str, Any]:
    return load_document(archive, doc_id, version).to_json()


@router.get("/search", response_model=schemas.SearchAnswer, summary="Search: one page of hits, total and facet counts")
def api_search(archive: ArchiveDep, state: StateDep) -> dict[str, Any]:
    results = run_search(archive, state)
    return {**results.to_dict(), "pages": last_page(results)}


@router.get("/facets", response_model=schemas.FacetAnswer, summary="Facet counts of a search (no hits)")
def api_facets(archive: ArchiveDep, state: StateDep) -> dict[str, Any]:
    results = run_search(archive, SearchState(**{**state.__dict__, "page": 1, "per_page": 1}))
    data = results.to_dict()
    return {"query": data["query"], "total": data["total"], "facets": data["facets"]}


@router.get("/entities", response_model=schemas.EntityList, summary="Targets and regulators named in cases, most cases first")
def api_entities(
    archive: ArchiveDep, role: Role | None = None, page: Page = 1,
    per_page: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    with archive.engine.connect() as conn:
        found = entities(conn, role)
    start = (page - 1) * per_page
    if page > 1 and start >= len(found):
        from fastapi import HTTPException

        raise HTTPException(404, f"page {page} is past the last page")
    return {"page": page, "per_page": per_page, "total": len(found),
            "pages": max(1, -(-len(found) // per_page)),
            "items": [e.to_json() for e in found[start : start + per_page]]}


@router.get("/entities/{name:path}", response_model=schemas.EntityCases,
            summary="Every case naming a target or regulator")
def api_entity(archive: ArchiveDep, name: Name) -> dict[str, Any]:
    found = load_cases(archive, name)
    return {"name": name, "total": len(found), "cases": [c.to_json() for c in found]}


@router.get("/stats", response_model=schemas.StatsAnswer, summary="Consolidated counts and their series by year and half-year")
def api_stats(
    request: Request, archive: ArchiveDep, action: Filter = None,
    object: Filter = None,
    scope: Filter = None,
) -> dict[str, Any]:
    facts = archive.consolidated_stats(action=action, object_=object, scope=scope)
    return {
        "total": len(facts),
        "figures": [f.to_json() for f in facts],
        "series": {g: [s.to_json() for s in series_from(facts, g)] for g in ("year", "half")},
    }
