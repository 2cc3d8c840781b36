"""What a search returns: hits with snippet and facts, facet counts."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal, get_args

from cunzhao.extract.model import Case, Stat
from cunzhao.search.snippet import Snippet

__all__ = ["FACETS", "FACT_FACETS", "Facet", "Hit", "Results", "Sort"]

Sort = Literal["relevance", "date"]

Facet = Literal["year", "tag", "action", "target", "category", "source", "collection"]
"""A facet name, as stored in ``search_facets.facet`` and returned in ``Results.facets``.

Each but ``year`` is also the name of the ``Filters`` field that selects by it."""
FACETS: tuple[Facet, ...] = get_args(Facet)
"""Every facet name, in display order."""
FACT_FACETS: tuple[Facet, ...] = ("action", "target", "category")
"""The facets whose values come from a version's extracted facts, not its own columns."""


@dataclass(frozen=True)
class Hit:
    """One matching document with the matching version's facts: its latest (indexed)
    version, or with ``latest`` False an earlier version numbered ``version_n`` that
    matched when the latest did not (a search across versions, :mod:`cunzhao.search.earlier`)."""

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
    stats: tuple[Stat, ...] = ()
    cases: tuple[Case, ...] = ()
    version_n: int | None = None  # the version that matched (1, 2, …)
    latest: bool = True

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form: the snippet as text, HTML and segments; facts as ``show`` prints."""
        out = _fields(self)
        out.update(
            snippet={"text": self.snippet.text, "html": self.snippet.html,
                     "segments": [[t, m] for t, m in self.snippet.segments]},
            stats=[s.to_json() for s in self.stats],
            cases=[c.to_json() for c in self.cases],
        )
        return out


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

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form (what ``cunzhao search --json`` prints)."""
        out = _fields(self)
        out.update(
            hits=[hit.to_json() for hit in self.hits],
            facets={k: [[v, n] for v, n in pairs] for k, pairs in self.facets.items()},
        )
        return out


def _fields(record: Hit | Results) -> dict[str, Any]:
    """A dataclass's fields by name, in order (not converted: ``asdict`` would deep-copy)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}
