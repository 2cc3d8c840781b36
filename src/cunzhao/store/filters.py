"""The document filters every listing shares: series tag and publish-date range."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from sqlalchemy import FromClause, Select

Query = TypeVar("Query", bound=Select[Any])


def where_published(
    query: Query, version: FromClause, *, tag: str | None = None,
    since: date | None = None, until: date | None = None,
) -> Query:
    """Narrow ``query`` to rows whose ``version`` (the versions table or an alias of it) has
    this series tag and a publish date in [since, until]."""
    if tag is not None:
        query = query.where(version.c.series_tag == tag)
    if since is not None:
        query = query.where(version.c.published >= since.isoformat())
    if until is not None:
        query = query.where(version.c.published <= until.isoformat())
    return query
