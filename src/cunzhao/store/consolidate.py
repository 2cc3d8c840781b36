"""Consolidated figures: one ``Figure`` per reported count, however many documents repeat it.

The same figure travels from the agency's release to Xinhua, mirrors and CDT's copy. A count
is keyed by (scope, action, object, period); each distinct value under a key is one figure
listing every document that states it. Two values under one key are kept side by side and
flagged ``conflict`` — never silently merged. Only each document's latest version counts, so
re-captures never double a figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from cunzhao.extract.model import Period
from cunzhao.store.fact_ids import fact_id
from cunzhao.store.facts import period_of
from cunzhao.store.filters import Filters, where_documents
from cunzhao.store.schema import documents, stats, versions

__all__ = ["Figure", "FigureSource", "figures"]


@dataclass(frozen=True)
class FigureSource:
    """A document stating a figure; ``value`` is set where sources of several values mix;
    ``fact_id`` is the permalink of the stat there (:mod:`cunzhao.store.permalinks`)."""

    document_id: int
    title: str
    published: str | None
    evidence: str
    value: int | None = None
    fact_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Figure:
    """One count as reported across documents: key, value and the documents stating it."""

    scope: str | None
    action: str
    object: str
    period: Period | None
    value: int
    qualifier: str
    conflict: bool = False  # another value is reported for the same key
    sources: list[FigureSource] = field(default_factory=list)

    @property
    def key(self) -> tuple[str | None, str, str, Period | None]:
        return self.scope, self.action, self.object, self.period

    def to_json(self) -> dict[str, Any]:
        return {
            "scope": self.scope, "action": self.action, "object": self.object,
            "period": self.period.to_json() if self.period else None,
            "value": self.value, "qualifier": self.qualifier, "conflict": self.conflict,
            "sources": [s.to_json() for s in self.sources],
        }


def figures(conn: Connection, filters: Filters | None = None) -> list[Figure]:
    """Consolidated counts of the documents ``filters`` selects, by period, action, object.

    ``action``, ``object`` and ``scope`` narrow the counts themselves, not only the documents.
    """
    filters = filters or Filters()
    query = (
        select(stats.c.scope, stats.c.action, stats.c.object, stats.c.period_start,
               stats.c.period_end, stats.c.value, stats.c.qualifier, stats.c.evidence,
               stats.c.ev_start, stats.c.ev_end, documents.c.id.label("document_id"),
               documents.c.url, versions.c.n, versions.c.title, versions.c.published)
        .join(versions, versions.c.id == stats.c.version_id)
        .join(documents, documents.c.id == versions.c.document_id)
        .where(versions.c.is_latest == 1)
        .order_by(stats.c.period_end, stats.c.action, stats.c.object, documents.c.id)
    )
    for column, value in ((stats.c.action, filters.action), (stats.c.object, filters.object),
                          (stats.c.scope, filters.scope)):
        if value is not None:
            query = query.where(column == value)
    query = where_documents(query, versions, filters)
    found: dict[tuple[Any, ...], Figure] = {}
    values: dict[tuple[Any, ...], set[int]] = {}
    for r in conn.execute(query):
        key = (r.scope, r.action, r.object, r.period_start, r.period_end)
        figure = found.get((*key, r.value))
        if figure is None:
            figure = Figure(r.scope, r.action, r.object, period_of(r.period_start, r.period_end),
                            int(r.value), r.qualifier)
            found[(*key, r.value)] = figure
        if all(s.document_id != r.document_id for s in figure.sources):
            figure.sources.append(FigureSource(
                r.document_id, r.title, r.published, r.evidence,
                fact_id=fact_id("stat", r.document_id, r.url, r.n, r.ev_start, r.ev_end)))
        values.setdefault(key, set()).add(int(r.value))
    for full_key, figure in found.items():
        dated = figure.period is not None and figure.period.start is not None
        figure.conflict = dated and len(values[full_key[:-1]]) > 1
    return list(found.values())
