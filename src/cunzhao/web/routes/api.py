"""The JSON API under ``/api/``: documents, search, facets, entities, stats.

Field names are stable (docs/web.md). Lists are paginated with ``page``/``per_page`` and
answer ``total``; errors are ``{"error": {"status", "message", "details"?}}``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from cunzhao import (
    ENTITY_KINDS,
    GRANULARITIES,
    Archive,
    DocumentView,
    Filters,
    IssuerGroup,
    Results,
    Role,
    series_of,
)
from cunzhao.web import schemas
from cunzhao.web.app import archive_of
from cunzhao.web.params import MAX_PAGE, MAX_VALUE, SearchState, search_state
from cunzhao.web.routes.cases import CaseQuery, Unmatched, case_query, find_events
from cunzhao.web.routes.document import DocId, VersionN, load_document
from cunzhao.web.routes.entity import Children, Name
from cunzhao.web.routes.search import last_page, run_search

router = APIRouter(prefix="/api", tags=["api"])
ArchiveDep = Annotated[Archive, Depends(archive_of)]
StateDep = Annotated[SearchState, Depends(search_state)]
CaseQueryDep = Annotated[CaseQuery, Depends(case_query)]
Filter = Annotated[str | None, Query(max_length=MAX_VALUE)]
Page = Annotated[int, Query(ge=1, le=MAX_PAGE)]


def _paging(page: int, per_page: int, total: int) -> dict[str, Any]:
    pages = max(1, -(-total // per_page))
    if page > pages:
        raise HTTPException(404, f"page {page} is past the last page ({pages})")
    return {"page": page, "per_page": per_page, "total": total, "pages": pages}


@router.get("/documents", response_model=schemas.DocumentList,
            summary="Documents, newest first (filters as in search)")
def api_documents(archive: ArchiveDep, state: StateDep) -> dict[str, Any]:
    filters = state.filters()
    paging = _paging(state.page, state.per_page, archive.count_documents(filters))
    items = archive.documents(filters, limit=state.per_page,
                              offset=(state.page - 1) * state.per_page)
    return {**paging, "items": [d.public() for d in items]}


@router.get("/documents/{doc_id}", response_model=DocumentView,
            summary="One document (latest version unless version=N)")
def api_document(archive: ArchiveDep, doc_id: DocId, version: VersionN = None) -> DocumentView:
    return load_document(archive, doc_id, version).public()  # no path of the ingesting machine


@router.get("/search", response_model=schemas.SearchAnswer,
            summary="Search: one page of hits, total and facet counts")
def api_search(archive: ArchiveDep, state: StateDep) -> dict[str, Any]:
    results = run_search(archive, state)
    return {**results.to_json(), "pages": last_page(results)}


@router.get("/facets", response_model=schemas.FacetAnswer,
            summary="Facet counts of a search (no hits)")
def api_facets(archive: ArchiveDep, state: StateDep) -> dict[str, Any]:
    results: Results = run_search(archive, SearchState(**{**state.__dict__, "page": 1,
                                                          "per_page": 1}))
    data = results.to_json()
    return {"query": data["query"], "total": data["total"], "facets": data["facets"]}


@router.get("/entities", response_model=schemas.EntityList,
            summary="Entities named in cases (targets and regulators), most cases first")
def api_entities(
    archive: ArchiveDep, role: Role | None = None, page: Page = 1,
    per_page: Annotated[int, Query(ge=1, le=1000)] = 100,
    kind: Annotated[str | None, Query(max_length=32, description="One of: "
                                      + ", ".join(ENTITY_KINDS))] = None,
) -> dict[str, Any]:
    if kind is not None and kind not in ENTITY_KINDS:
        raise HTTPException(422, f"unknown kind {kind!r} (one of: {', '.join(ENTITY_KINDS)})")
    found = archive.entities(role, kind=kind)
    start = (page - 1) * per_page
    return {**_paging(page, per_page, len(found)), "items": found[start : start + per_page]}


@router.get("/entities/{name:path}", response_model=schemas.EntityCases,
            summary="An entity (any of its names) and every case naming it")
def api_entity(archive: ArchiveDep, name: Name, children: Children = False) -> dict[str, Any]:
    entity = archive.entity(name)
    if entity is None:
        closest = ", ".join(e.zh for e in archive.suggest_entities(name))
        raise HTTPException(404, f"no entity named {name!r}"
                            + (f"; closest: {closest}" if closest else ""))
    found = archive.entity_cases(entity, include_children=children)
    return {"entity": entity, "name": entity.zh, "total": len(found), "cases": found}


@router.get("/stats", response_model=schemas.StatsAnswer,
            summary="Consolidated counts and their series by year and half-year")
def api_stats(
    archive: ArchiveDep, action: Filter = None, object: Filter = None, scope: Filter = None,
    group: Annotated[IssuerGroup | None, Query(
        description="Also count cases and figures by the issuing regulator's province or "
                    "level")] = None,
) -> dict[str, Any]:
    found = archive.figures(Filters(action=action, object=object, scope=scope))
    answer: dict[str, Any] = {"total": len(found), "figures": found,
                              "series": {g: series_of(found, g) for g in GRANULARITIES}}
    if group is not None:
        answer["groups"] = archive.issuer_counts(group)
    return answer


@router.get("/cases", response_model=schemas.CaseEventList,
            summary="Enforcement cases counted once: each event with every document "
                    "reporting it, oldest first")
def api_cases(archive: ArchiveDep, q: CaseQueryDep) -> dict[str, Any]:
    try:
        found = find_events(archive, q)
    except Unmatched as problem:
        raise HTTPException(422, str(problem)) from None
    start = (q.page - 1) * q.per_page
    return {**_paging(q.page, q.per_page, len(found)),
            "items": found[start : start + q.per_page]}
