"""The state of a search as URL query parameters, shared by the page, the API and downloads.

Every parameter is validated here (lengths, ranges, dates), so a bad URL is a 422 with the
parameter named, never an error deeper down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Query

from cunzhao import MAX_QUERY_LENGTH, Filters, Sort

MAX_VALUE = 200
MAX_PAGE = 100_000
MAX_PER_PAGE = 100

Text = Annotated[str | None, Query(max_length=MAX_VALUE)]


@dataclass(frozen=True)
class SearchState:
    q: str
    tag: str | None
    year: int | None
    since: date | None
    until: date | None
    action: str | None
    target: str | None
    category: str | None
    source: str | None
    collection: str | None
    sort: Sort
    page: int
    per_page: int
    has_facts: bool | None = None  # only documents stating (True) or not stating facts
    all_versions: bool = False  # also documents only an earlier version matches

    def filters(self) -> Filters:
        since, until = self.since, self.until
        if self.year is not None:
            since = max(since, date(self.year, 1, 1)) if since else date(self.year, 1, 1)
            until = min(until, date(self.year, 12, 31)) if until else date(self.year, 12, 31)
        return Filters(
            tag=self.tag,
            since=since,
            until=until,
            action=self.action,
            target=self.target,
            category=self.category,
            source=self.source,
            collection=self.collection,
            has_facts=self.has_facts,
        )

    def params(self) -> dict[str, Any]:
        """Query parameters that reproduce this state (defaults left out)."""
        return {
            "q": self.q or None,
            "tag": self.tag,
            "year": self.year,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "action": self.action,
            "target": self.target,
            "category": self.category,
            "source": self.source,
            "collection": self.collection,
            "sort": None if self.sort == "relevance" else self.sort,
            "page": None if self.page == 1 else self.page,
            "per_page": None if self.per_page == 20 else self.per_page,
            "has_facts": None if self.has_facts is None else int(self.has_facts),
            "all_versions": 1 if self.all_versions else None,
        }

    def active_filters(self) -> list[tuple[str, str]]:
        """(parameter, value) of each filter set, for the "remove filter" links."""
        names = (
            "tag",
            "year",
            "since",
            "until",
            "action",
            "target",
            "category",
            "source",
            "collection",
            "has_facts",
            "all_versions",
        )
        params = self.params()
        return [(n, str(params[n])) for n in names if params[n] is not None]


def search_state(
    q: Annotated[str, Query(max_length=MAX_QUERY_LENGTH,
                            description="Query (see docs/search.md)")] = "",
    tag: Text = None,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    since: Annotated[date | None, Query(description="Published on or after (YYYY-MM-DD)")] = None,
    until: Annotated[date | None, Query(description="Published on or before (YYYY-MM-DD)")] = None,
    action: Text = None,
    target: Text = None,
    category: Text = None,
    source: Text = None,
    collection: Text = None,
    sort: Literal["relevance", "date"] = "relevance",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
    has_facts: Annotated[bool | None, Query(
        description="1: only documents stating a count or case (enforcement documents); "
                    "0: only those stating none")] = None,
    all_versions: Annotated[bool, Query(
        description="Also documents that only an earlier version matches (each hit says "
                    "which version matched)")] = False,
) -> SearchState:
    return SearchState(
        q.strip(),
        tag or None,
        year,
        since,
        until,
        action or None,
        target or None,
        category or None,
        source or None,
        collection or None,
        sort,
        page,
        per_page,
        has_facts,
        all_versions,
    )
