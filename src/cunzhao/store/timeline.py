"""Stats series by period (an entity's cases: :mod:`cunzhao.store.entities.cases`).

Only each document's latest version counts. Stats series are built on
:func:`cunzhao.store.consolidate.figures`, so a figure repeated by many documents is
one point; figures are never summed across periods (a year and its halves stay separate).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from cunzhao.extract.model import Period
from cunzhao.store.consolidate import Figure, FigureSource

Granularity = Literal["year", "half"]
GRANULARITIES: tuple[Granularity, ...] = ("year", "half")


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
