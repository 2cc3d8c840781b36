"""The JSON API's answers as Pydantic models: they give the OpenAPI schema its field names.

These names are the stable contract documented in docs/web.md; the routes build plain dicts
and FastAPI checks them against these models on the way out.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Paged(BaseModel):
    page: int = Field(description="This page (from 1)")
    per_page: int
    total: int = Field(description="Rows over all pages")
    pages: int = Field(description="Number of the last page")


class DocumentItem(BaseModel):
    id: int
    url: str | None
    title: str
    published: str | None = Field(description="Publish date, YYYY-MM-DD")
    series_tag: str | None
    source_site: str | None
    collection: str | None


class DocumentList(Paged):
    items: list[DocumentItem]


class Period(BaseModel):
    start: str | None
    end: str | None


class DocStat(BaseModel):
    action: str
    object: str
    value: int
    qualifier: str
    period: Period | None
    scope: str | None
    evidence: str
    start: int = Field(description="Offset of the evidence in body")
    end: int


class DocCase(BaseModel):
    targets: list[str]
    target_kind: str
    measures: list[str]
    regulator: str | None
    fine_cny: int | None
    categories: list[str]
    evidence: str
    start: int
    end: int


class Version(BaseModel):
    n: int
    version_id: int
    is_latest: bool
    sha256: str
    size: int | None
    source_kind: str
    source: str
    captured_at: str | None
    ingested_at: str
    tool_version: str
    title: str


class Block(BaseModel):
    kind: str
    level: int
    text: str


class Document(BaseModel):
    id: int
    url: str
    title: str
    series_tag: str | None
    published: str | None
    captured_at: str | None
    first_seen: str
    card: dict[str, Any] | None
    original_url: str | None
    archive_url: str | None
    encoding: str
    header_format: str
    parser_version: str
    versions: list[Version]
    blocks: list[Block]
    body: str = Field(description="The blocks' texts joined by newlines; fact offsets index it")
    stats: list[DocStat]
    cases: list[DocCase]


class Snippet(BaseModel):
    text: str
    html: str = Field(description="Escaped text, matches in <mark>")
    segments: list[tuple[str, bool]] = Field(description="[text, is_match] pairs")


class HitStat(BaseModel):
    action: str
    object: str
    value: int
    qualifier: str
    period_start: str | None
    period_end: str | None


class HitCase(BaseModel):
    targets: list[str]
    measures: list[str]
    fine_cny: int | None
    regulator: str | None


class Hit(BaseModel):
    document_id: int
    version_id: int
    title: str
    published: str | None
    series_tag: str | None
    url: str | None
    source_site: str | None
    collection: str | None
    score: float
    snippet: Snippet
    stats: list[HitStat]
    cases: list[HitCase]


FacetCounts = dict[str, list[tuple[str, int]]]


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


class Entity(BaseModel):
    name: str
    role: str = Field(description="target or regulator")
    cases: int
    documents: int
    first: str | None
    last: str | None


class EntityList(Paged):
    items: list[Entity]


class EntityCase(DocCase):
    role: str
    document_id: int
    title: str
    published: str | None
    series_tag: str | None


class EntityCases(BaseModel):
    name: str
    total: int
    cases: list[EntityCase]


class Source(BaseModel):
    document_id: int
    title: str
    published: str | None
    evidence: str
    value: int | None = None


class Figure(BaseModel):
    scope: str | None
    action: str
    object: str
    period: Period | None
    value: int
    qualifier: str
    conflict: bool
    sources: list[Source]


class Point(BaseModel):
    period: str = Field(description='"2023" or "2023-H1"')
    start: str
    end: str
    value: int
    qualifier: str
    values: list[int]
    conflict: bool
    sources: list[Source]


class Series(BaseModel):
    action: str
    object: str
    scope: str | None
    granularity: str
    points: list[Point]


class StatsAnswer(BaseModel):
    total: int
    figures: list[Figure]
    series: dict[str, list[Series]] = Field(description='{"year": […], "half": […]}')
