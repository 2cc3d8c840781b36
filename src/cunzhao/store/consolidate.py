"""Consolidated figures: one row per reported count, however many documents repeat it.

The same figure travels from the agency's release to Xinhua, mirrors and CDT's copy. A count
is keyed by (scope, action, object, period); each distinct value under a key is one
consolidated fact listing every document that states it. Two values under one key are kept
side by side and flagged ``conflict`` — never silently merged. Only each document's latest
version counts, so re-captures never double a figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from cunzhao.store.schema import documents, stats, versions


@dataclass(frozen=True)
class StatKey:
    scope: str | None
    action: str
    object: str
    period_start: str | None
    period_end: str | None


@dataclass
class ConsolidatedStat:
    key: StatKey
    value: int
    qualifier: str
    sources: list[dict[str, object]] = field(default_factory=list)  # document id, title, date
    conflict: bool = False  # another value is reported for the same key

    def to_json(self) -> dict[str, object]:
        return {
            "scope": self.key.scope, "action": self.key.action, "object": self.key.object,
            "period": {"start": self.key.period_start, "end": self.key.period_end}
            if self.key.period_start or self.key.period_end else None,
            "value": self.value, "qualifier": self.qualifier, "conflict": self.conflict,
            "sources": self.sources,
        }


def consolidated_stats(
    conn: Connection, *, action: str | None = None, object_: str | None = None,
    scope: str | None = None,
) -> list[ConsolidatedStat]:
    """Consolidated counts, ordered by period, action and object."""
    query = (
        select(stats.c.scope, stats.c.action, stats.c.object, stats.c.period_start,
               stats.c.period_end, stats.c.value, stats.c.qualifier, stats.c.evidence,
               documents.c.id.label("document_id"), versions.c.title, versions.c.published)
        .join(versions, versions.c.id == stats.c.version_id)
        .join(documents, documents.c.id == versions.c.document_id)
        .where(versions.c.is_latest == 1)
        .order_by(stats.c.period_end, stats.c.action, stats.c.object, documents.c.id)
    )
    if action:
        query = query.where(stats.c.action == action)
    if object_:
        query = query.where(stats.c.object == object_)
    if scope:
        query = query.where(stats.c.scope == scope)
    facts: dict[tuple[StatKey, int], ConsolidatedStat] = {}
    values: dict[StatKey, set[int]] = {}
    for r in conn.execute(query):
        key = StatKey(r.scope, r.action, r.object, r.period_start, r.period_end)
        fact = facts.setdefault((key, r.value), ConsolidatedStat(key, r.value, r.qualifier))
        if all(s["document_id"] != r.document_id for s in fact.sources):
            fact.sources.append({"document_id": r.document_id, "title": r.title,
                                 "published": r.published, "evidence": r.evidence})
        values.setdefault(key, set()).add(r.value)
    for (key, _), fact in facts.items():
        fact.conflict = len(values[key]) > 1 and key.period_start is not None
    return list(facts.values())
