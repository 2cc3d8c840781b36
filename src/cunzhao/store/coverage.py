"""What the archive holds, in one record: the coverage block of the home and about pages.

Counts look at each document's latest version, as listings do: its publish date (the range
and the documents by year, undated apart), the site of its original, and whether any stat or
case was extracted from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, exists, func, or_, select

from cunzhao.store.schema import captures, cases, stats, sync_runs, versions

__all__ = ["Coverage", "coverage"]


@dataclass(frozen=True)
class Coverage:
    """Date range, documents by publish year (``None``: undated) and by source site (most
    first, ``None``: no site known), how many carry facts, and when the archive last got
    something (latest ingest of a capture, latest finished sync run; None: never).
    ``gone``: originals confirmed deleted at their source (filled by ``Archive``)."""

    documents: int
    first_published: str | None
    last_published: str | None
    by_year: tuple[tuple[str | None, int], ...]
    sources: tuple[tuple[str | None, int], ...]
    with_facts: int
    last_ingest: str | None
    last_sync: str | None
    gone: int = 0

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "by_year": [list(p) for p in self.by_year],
                "sources": [list(p) for p in self.sources]}


def coverage(conn: Connection) -> Coverage:
    latest = versions.c.is_latest == 1
    first, last, total = conn.execute(
        select(func.min(versions.c.published), func.max(versions.c.published), func.count())
        .where(latest)).one()
    year = func.substr(versions.c.published, 1, 4)
    by_year = conn.execute(select(year, func.count()).where(latest).group_by(year)
                           .order_by(year.desc().nulls_last())).all()
    sources = conn.execute(
        select(versions.c.source_site, func.count()).where(latest)
        .group_by(versions.c.source_site)
        .order_by(func.count().desc(), versions.c.source_site.nulls_last())).all()
    has_facts = or_(exists().where(stats.c.version_id == versions.c.id),
                    exists().where(cases.c.version_id == versions.c.id))
    with_facts = conn.execute(select(func.count()).where(latest, has_facts)).scalar_one()
    return Coverage(
        documents=int(total), first_published=first, last_published=last,
        by_year=tuple((y, int(n)) for y, n in by_year),
        sources=tuple((s, int(n)) for s, n in sources), with_facts=int(with_facts),
        last_ingest=conn.execute(select(func.max(captures.c.ingested_at))).scalar(),
        last_sync=conn.execute(select(func.max(sync_runs.c.finished_at))).scalar(),
    )
