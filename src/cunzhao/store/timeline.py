"""Read queries over time: an entity's cases, entity lists, and stats series by period.

Only each document's latest version counts. Stats series are built on
:func:`cunzhao.store.consolidate.consolidated_stats`, so a figure repeated by many documents is
one point; figures are never summed across periods (a year and its halves stay separate).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlalchemy import Connection, func, or_, select

from cunzhao.fold import fold
from cunzhao.store.consolidate import ConsolidatedStat, consolidated_stats
from cunzhao.store.schema import case_targets, cases, versions

Role = Literal["target", "regulator"]
Granularity = Literal["year", "half"]
GRANULARITIES: tuple[Granularity, ...] = ("year", "half")


@dataclass(frozen=True)
class EntityCase:
    """One case naming the entity, with the document that reports it."""

    role: Role
    document_id: int
    title: str
    published: str | None
    series_tag: str | None
    targets: list[str]
    target_kind: str
    measures: list[str]
    regulator: str | None
    fine_cny: int | None
    categories: list[str]
    evidence: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class EntityCount:
    name: str
    role: Role
    cases: int
    documents: int
    first: str | None
    last: str | None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _names(name: str) -> list[str]:
    """The name as given and its folded (simplified, half-width) form."""
    return list(dict.fromkeys([name, fold(name)]))


def entity_cases(conn: Connection, name: str) -> list[EntityCase]:
    """Every case naming ``name`` as a target or as its regulator, oldest publish date first."""
    names = _names(name)
    as_target = select(case_targets.c.case_id).where(case_targets.c.name.in_(names))
    rows = conn.execute(
        select(
            cases,
            versions.c.document_id,
            versions.c.title,
            versions.c.published,
            versions.c.series_tag,
        )
        .join(versions, versions.c.id == cases.c.version_id)
        .where(versions.c.is_latest == 1)
        .where(or_(cases.c.id.in_(as_target), cases.c.regulator.in_(names)))
        .order_by(versions.c.published.asc().nulls_last(), versions.c.document_id, cases.c.ev_start)
    ).all()
    targets: dict[int, list[str]] = defaultdict(list)
    if rows:
        for t in conn.execute(
            select(case_targets.c.case_id, case_targets.c.name)
            .where(case_targets.c.case_id.in_([r.id for r in rows]))
            .order_by(case_targets.c.case_id, case_targets.c.position)
        ):
            targets[t.case_id].append(t.name)
    return [
        EntityCase(
            role="target" if set(targets[r.id]) & set(names) else "regulator",
            document_id=r.document_id,
            title=r.title,
            published=r.published,
            series_tag=r.series_tag,
            targets=targets[r.id],
            target_kind=r.target_kind,
            measures=json.loads(r.measures),
            regulator=r.regulator,
            fine_cny=None if r.fine_cny is None else int(r.fine_cny),
            categories=json.loads(r.categories),
            evidence=r.evidence,
            start=r.ev_start,
            end=r.ev_end,
        )
        for r in rows
    ]


def entities(conn: Connection, role: Role | None = None) -> list[EntityCount]:
    """Every target and regulator named in a case, most cases first."""
    out: list[EntityCount] = []
    if role in (None, "target"):
        rows = conn.execute(
            select(
                case_targets.c.name,
                func.count(func.distinct(cases.c.id)).label("n"),
                func.count(func.distinct(versions.c.document_id)).label("d"),
                func.min(versions.c.published).label("first"),
                func.max(versions.c.published).label("last"),
            )
            .join(cases, cases.c.id == case_targets.c.case_id)
            .join(versions, versions.c.id == cases.c.version_id)
            .where(versions.c.is_latest == 1)
            .group_by(case_targets.c.name)
        )
        out += [EntityCount(r.name, "target", r.n, r.d, r.first, r.last) for r in rows]
    if role in (None, "regulator"):
        rows = conn.execute(
            select(
                cases.c.regulator,
                func.count(func.distinct(cases.c.id)).label("n"),
                func.count(func.distinct(versions.c.document_id)).label("d"),
                func.min(versions.c.published).label("first"),
                func.max(versions.c.published).label("last"),
            )
            .join(versions, versions.c.id == cases.c.version_id)
            .where(versions.c.is_latest == 1, cases.c.regulator.is_not(None))
            .group_by(cases.c.regulator)
        )
        out += [EntityCount(r.regulator, "regulator", r.n, r.d, r.first, r.last) for r in rows]
    out.sort(key=lambda e: (-e.cases, e.name, e.role))
    return out


# --- stats series ---------------------------------------------------------------------------


def period_bucket(start: str | None, end: str | None) -> tuple[Granularity, str] | None:
    """``("year", "2023")`` for a calendar year, ``("half", "2023-H1")`` for a half-year."""
    if not start or not end:
        return None
    try:
        s, e = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        return None
    if s.year != e.year or s.day != 1:
        return None
    if (s.month, e.month, e.day) == (1, 12, 31):
        return "year", str(s.year)
    if (s.month, e.month, e.day) == (1, 6, 30):
        return "half", f"{s.year}-H1"
    if (s.month, e.month, e.day) == (7, 12, 31):
        return "half", f"{s.year}-H2"
    return None


@dataclass
class SeriesPoint:
    """One period's figure; ``values`` lists every value reported (more than one = conflict)."""

    period: str
    start: str
    end: str
    value: int
    qualifier: str
    values: list[int]
    sources: list[dict[str, object]]

    @property
    def conflict(self) -> bool:
        return len(self.values) > 1

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "start": self.start,
            "end": self.end,
            "value": self.value,
            "qualifier": self.qualifier,
            "values": self.values,
            "conflict": self.conflict,
            "sources": self.sources,
        }


@dataclass
class Series:
    action: str
    object: str
    scope: str | None
    granularity: Granularity
    points: list[SeriesPoint] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "object": self.object,
            "scope": self.scope,
            "granularity": self.granularity,
            "points": [p.to_json() for p in self.points],
        }


def stat_series(
    conn: Connection,
    granularity: Granularity = "year",
    *,
    action: str | None = None,
    object_: str | None = None,
    scope: str | None = None,
) -> list[Series]:
    """Series per (action, object, scope) of the figures covering whole years or half-years.

    The shown value of a period is the one the most documents state (ties: the larger).
    """
    facts = consolidated_stats(conn, action=action, object_=object_, scope=scope)
    return series_from(facts, granularity)


def series_from(facts: list[ConsolidatedStat], granularity: Granularity) -> list[Series]:
    grouped: dict[tuple[str, str, str | None], dict[str, list[ConsolidatedStat]]] = {}
    for fact in facts:
        bucket = period_bucket(fact.key.period_start, fact.key.period_end)
        if bucket is None or bucket[0] != granularity:
            continue
        key = (fact.key.action, fact.key.object, fact.key.scope)
        grouped.setdefault(key, {}).setdefault(bucket[1], []).append(fact)
    out = []
    for (act, obj, scp), periods in grouped.items():
        series = Series(act, obj, scp, granularity)
        for label in sorted(periods):
            alts = sorted(periods[label], key=lambda f: (-len(f.sources), -f.value))
            best = alts[0]
            series.points.append(
                SeriesPoint(
                    label,
                    best.key.period_start or "",
                    best.key.period_end or "",
                    best.value,
                    best.qualifier,
                    sorted({f.value for f in alts}),
                    [dict(s, value=f.value) for f in alts for s in f.sources],
                )
            )
        out.append(series)
    out.sort(key=lambda s: (s.action, s.object, s.scope or ""))
    return out
