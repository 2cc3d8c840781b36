"""What a search asks of an engine (:class:`Request`) and what the engine finds (:class:`Found`).

Both engines apply the same budgets (:meth:`Request.settle`) and order facets the same way
(:func:`order_facets`), so they answer every query with the same hits, order and facets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cunzhao.search.results import FACETS, Sort

__all__ = ["FACET_LIMIT", "MAX_FACET_VALUES", "RANK_LIMIT", "Found", "Request", "order_facets"]

MAX_FACET_VALUES = 20
RANK_LIMIT = 20_000
"""Default: a result larger than this is listed by date rather than scored one by one."""
FACET_LIMIT = 10_000
"""Default: facets are counted for results up to this size."""

FacetCounts = dict[str, tuple[tuple[str, int], ...]]


@dataclass(frozen=True)
class Request:
    """Order, page and budgets of one search (``None`` budget: no limit)."""

    sort: Sort = "relevance"
    page: int = 1
    per_page: int = 20
    facets: bool = True
    rank_limit: int | None = RANK_LIMIT
    facet_limit: int | None = FACET_LIMIT

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def settle(self, total: int, *, has_terms: bool) -> tuple[Sort, bool, list[str]]:
        """The order and whether to count facets for a result of ``total`` documents, with
        the notes that say why a budget changed them."""
        sort, want_facets, notes = self.sort, self.facets, []
        if sort == "relevance" and not has_terms:
            sort = "date"
        if sort == "relevance" and self.rank_limit is not None and total > self.rank_limit:
            sort = "date"
            notes.append(f"{total:,} matches, more than {self.rank_limit:,}: shown newest first, "
                         "not ranked (narrow the query to rank by relevance)")
        if want_facets and self.facet_limit is not None and total > self.facet_limit:
            want_facets = False
            notes.append(f"{total:,} matches, more than {self.facet_limit:,}: no facet counts")
        return sort, want_facets and total > 0, notes


@dataclass(frozen=True)
class Found:
    """One page of matching versions, ``(version_id, score)`` in order, and the whole result's
    size and facet counts."""

    total: int
    page: list[tuple[int, float]]
    sort: Sort
    facets: FacetCounts = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def order_facets(counts: Iterable[tuple[str, str, int]]) -> FacetCounts:
    """``(facet, value, n)`` counts as shown: facets in display order, years newest first,
    other values by count then value, :data:`MAX_FACET_VALUES` of each."""
    grouped: dict[str, list[tuple[str, int]]] = {}
    for facet, value, n in counts:
        grouped.setdefault(facet, []).append((value, int(n)))
    out: FacetCounts = {}
    for facet in FACETS:
        pairs = grouped.get(facet)
        if not pairs:
            continue
        if facet == "year":
            pairs.sort(key=lambda p: p[0], reverse=True)
        else:
            pairs.sort(key=lambda p: (-p[1], p[0]))
        out[facet] = tuple(pairs[:MAX_FACET_VALUES])
    return out
