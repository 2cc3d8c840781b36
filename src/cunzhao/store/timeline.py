"""Read queries over time: an entity's cases, entity lists, and stats series by period.

Only each document's latest version counts. Stats series are built on
:func:`cunzhao.store.consolidate.figures`, so a figure repeated by many documents is
one point; figures are never summed across periods (a year and its halves stay separate).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

from sqlalchemy import Connection, func, or_, select

from cunzhao.extract.model import Case, Period
from cunzhao.fold import fold
from cunzhao.store.consolidate import Figure, FigureSource
from cunzhao.store.facts import case_from_row, load_targets
from cunzhao.store.schema import case_targets, cases, versions

Role = Literal["target", "regulator"]
Granularity = Literal["year", "half"]
GRANULARITIES: tuple[Granularity, ...] = ("year", "half")


@dataclass(frozen=True, slots=True)
class EntityCase(Case):
    """A case naming the entity (as target or regulator), with the document that reports it."""

    role: Role
    document_id: int
    title: str
    published: str | None
    series_tag: str | None

    def to_json(self) -> dict[str, Any]:
        return {**Case.to_json(self), "role": self.role, "document_id": self.document_id,
                "title": self.title, "published": self.published,
                "series_tag": self.series_tag}


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
        select(cases, versions.c.document_id, versions.c.title, versions.c.published,
               versions.c.series_tag)
        .join(versions, versions.c.id == cases.c.version_id)
        .where(versions.c.is_latest == 1)
        .where(or_(cases.c.id.in_(as_target), cases.c.regulator.in_(names)))
        .order_by(versions.c.published.asc().nulls_last(), versions.c.document_id, cases.c.ev_start)
    ).all()
    targets = load_targets(conn, [r.id for r in rows])
    found = []
    for r in rows:
        case = case_from_row(r._mapping, targets[r.id])
        role: Role = "target" if set(case.targets) & set(names) else "regulator"
        found.append(EntityCase(**{f.name: getattr(case, f.name) for f in fields(Case)},
                                role=role, document_id=r.document_id, title=r.title,
                                published=r.published, series_tag=r.series_tag))
    return found


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


def period_bucket(period: Period | None) -> tuple[Granularity, str] | None:
    """``("year", "2023")`` for a calendar year, ``("half", "2023-H1")`` for a half-year."""
    if period is None or period.start is None or period.end is None:
        return None
    s, e = period.start, period.end
    if s.year != e.year or s.day != 1:
        return None
    if (s.month, e.month, e.day) == (1, 12, 31):
        return "year", str(s.year)
    if (s.month, e.month, e.day) == (1, 6, 30):
        return "half", f"{s.year}-H1"
    if (s.month, e.month, e.day) == (7, 12, 31):
        return "half", f"{s.year}-H2"
    return None


@dataclass(frozen=True)
class SeriesPoint:
    """One period's figure; ``values`` lists every value reported (more than one = conflict)."""

    period: str
    start: str
    end: str
    value: int
    qualifier: str
    values: list[int]
    conflict: bool
    sources: list[FigureSource]

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "values": list(self.values),
                "sources": [s.to_json() for s in self.sources]}


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


def series_of(found: list[Figure], granularity: Granularity) -> list[Series]:
    """Series per (action, object, scope) of the figures covering whole years or half-years.

    The shown value of a period is the one the most documents state (ties: the larger).
    """
    grouped: dict[tuple[str, str, str | None], dict[str, list[Figure]]] = {}
    for figure in found:
        bucket = period_bucket(figure.period)
        if bucket is None or bucket[0] != granularity:
            continue
        key = (figure.action, figure.object, figure.scope)
        grouped.setdefault(key, {}).setdefault(bucket[1], []).append(figure)
    out = []
    for (act, obj, scp), periods in grouped.items():
        series = Series(act, obj, scp, granularity)
        for label in sorted(periods):
            alts = sorted(periods[label], key=lambda f: (-len(f.sources), -f.value))
            best = alts[0]
            assert best.period is not None and best.period.start and best.period.end
            values = sorted({f.value for f in alts})
            series.points.append(SeriesPoint(
                label, best.period.start.isoformat(), best.period.end.isoformat(), best.value,
                best.qualifier, values, len(values) > 1,
                [replace(s, value=f.value) for f in alts for s in f.sources],
            ))
        out.append(series)
    out.sort(key=lambda s: (s.action, s.object, s.scope or ""))
    return out
