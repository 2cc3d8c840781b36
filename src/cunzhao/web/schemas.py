"""The JSON API's envelopes. Their items are the library's own records (``DocumentView``,
``Stat``, ``Case``, ``Figure``, ``Series``, ``Entity``, ``EntityCount``, ``EntityCase``,
``IssuerCount``, ``Hit``, …), which FastAPI reads as dataclasses for the OpenAPI schema; no
field is declared twice.

Field names are the stable contract documented in docs/web.md.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from cunzhao import (
    CaseEvent,
    DocumentSummary,
    Entity,
    EntityCase,
    EntityCount,
    Figure,
    Hit,
    IssuerCount,
    Series,
)

FacetCounts = dict[str, list[tuple[str, int]]]


class Paged(BaseModel):
    page: int = Field(description="This page (from 1)")
    per_page: int
    total: int = Field(description="Rows over all pages")
    pages: int = Field(description="Number of the last page")


class DocumentList(Paged):
    items: list[DocumentSummary]


class SearchAnswer(Paged):
    query: str
    sort: str
    hits: list[Hit]
    facets: FacetCounts = Field(description="{facet: [[value, count], …]} over all hits")
    note: str | None = Field(None, description="Set when the search engine limited the work "
                             "(e.g. date order instead of rank, or no facets)")


class FacetAnswer(BaseModel):
    query: str
    total: int
    facets: FacetCounts


class EntityList(Paged):
    items: list[EntityCount]


class EntityCases(BaseModel):
    entity: Entity
    name: str = Field(description="The entity's canonical (Chinese) name")
    total: int
    cases: list[EntityCase]


class StatsAnswer(BaseModel):
    total: int
    figures: list[Figure]
    series: dict[str, list[Series]] = Field(description='{"year": […], "half": […]}')
    groups: list[IssuerCount] | None = Field(
        None, description="With ?group=province|level: cases and figures by the issuing "
        "regulator's province or level")


class CaseEventList(Paged):
    items: list[CaseEvent]
