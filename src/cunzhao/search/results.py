"""What a search takes and returns: filters, hits with snippet and facts, facet counts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Literal

from cunzhao.search.snippet import Snippet

__all__ = ["FACETS", "CaseFact", "Hit", "Results", "SearchFilters", "Sort", "StatFact"]

Sort = Literal["relevance", "date"]

FACETS = ("year", "tag", "action", "target", "category", "source", "collection")
"""Facet names, as stored in ``search_facets.facet`` and returned in ``Results.facets``."""


@dataclass(frozen=True)
class SearchFilters:
    """Restrict a search. Dates are publish dates (inclusive); strings match exactly.

    ``action`` matches a stat's action or a case's measure (ids such as ``summon``),
    ``target`` a case target's name, ``category`` a case category, ``source`` the original's
    site (``versions.source_site``), ``collection`` the CDS收藏 hall (e.g. 公民馆).
    """

    tag: str | None = None
    since: date | None = None
    until: date | None = None
    action: str | None = None
    target: str | None = None
    category: str | None = None
    source: str | None = None
    collection: str | None = None

    @property
    def is_empty(self) -> bool:
        return all(v is None for v in asdict(self).values())


@dataclass(frozen=True)
class StatFact:
    action: str
    object: str
    value: int
    qualifier: str
    period_start: str | None
    period_end: str | None


@dataclass(frozen=True)
class CaseFact:
    targets: tuple[str, ...]
    measures: tuple[str, ...]
    fine_cny: int | None
    regulator: str | None


@dataclass(frozen=True)
class Hit:
    """One matching document (its indexed, latest version)."""

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
    stats: tuple[StatFact, ...] = ()
    cases: tuple[CaseFact, ...] = ()


@dataclass(frozen=True)
class Results:
    """One page of hits, the total over all pages, and facet counts for the whole result.

    ``sort`` is the order the hits are in: ``"date"`` when asked, when the query is empty,
    or when the result was too large to rank (see ``note``).
    """

    query: str
    sort: Sort
    page: int
    per_page: int
    total: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    note: str | None = None  # set when a budget applied (date order instead of rank, no facets)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form; each hit's snippet as plain segments and as HTML."""
        hits = []
        for hit in self.hits:
            item = asdict(hit)
            item["snippet"] = {
                "text": hit.snippet.text,
                "html": hit.snippet.html,
                "segments": [[t, m] for t, m in hit.snippet.segments],
            }
            hits.append(item)
        return {
            "query": self.query,
            "sort": self.sort,
            "page": self.page,
            "per_page": self.per_page,
            "total": self.total,
            "hits": hits,
            "facets": {k: [[v, n] for v, n in pairs] for k, pairs in self.facets.items()},
            "note": self.note,
        }
