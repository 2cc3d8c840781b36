"""Read the stored facts back as the extract stage's own records (``Stat``, ``Case``).

The one loader of stats and cases: documents, search hits, entity pages, exports and the API
all read facts through :func:`load_facts` or the row converters below.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from sqlalchemy import Connection, RowMapping, select

from cunzhao.extract.model import Case, Facts, Period, Stat
from cunzhao.store.schema import case_targets, cases, stats

__all__ = ["case_from_row", "load_facts", "load_targets", "period_of", "stat_from_row"]


def load_facts(conn: Connection, version_ids: Iterable[int]) -> dict[int, Facts]:
    """The facts of each version (``Facts()`` for one without any), in evidence order."""
    ids = sorted(set(version_ids))
    found_stats: dict[int, list[Stat]] = defaultdict(list)
    found_cases: dict[int, list[Case]] = defaultdict(list)
    for part in _chunks(ids):
        for row in conn.execute(
            select(stats).where(stats.c.version_id.in_(part))
            .order_by(stats.c.version_id, stats.c.ev_start, stats.c.id)
        ):
            found_stats[row.version_id].append(stat_from_row(row._mapping))
        case_rows = conn.execute(
            select(cases).where(cases.c.version_id.in_(part))
            .order_by(cases.c.version_id, cases.c.ev_start, cases.c.id)
        ).all()
        targets = load_targets(conn, [r.id for r in case_rows])
        for row in case_rows:
            found_cases[row.version_id].append(case_from_row(row._mapping, targets[row.id]))
    return {vid: Facts(tuple(found_stats[vid]), tuple(found_cases[vid])) for vid in ids}


def load_targets(conn: Connection, case_ids: list[int]) -> dict[int, list[str]]:
    """Each case's target names, in the order written."""
    names: dict[int, list[str]] = defaultdict(list)
    for part in _chunks(case_ids):
        for case_id, name in conn.execute(
            select(case_targets.c.case_id, case_targets.c.name)
            .where(case_targets.c.case_id.in_(part))
            .order_by(case_targets.c.case_id, case_targets.c.position)
        ):
            names[case_id].append(name)
    return names


def period_of(start: str | None, end: str | None) -> Period | None:
    """The period stored as two ISO dates (either may be NULL), or None for neither."""
    if start is None and end is None:
        return None
    return Period(date.fromisoformat(start) if start else None,
                  date.fromisoformat(end) if end else None)


def stat_from_row(row: RowMapping) -> Stat:
    """A ``stats`` row (its columns by name) as a ``Stat``."""
    return Stat(
        action=row["action"], object=row["object"], value=int(row["value"]),
        qualifier=row["qualifier"], period=period_of(row["period_start"], row["period_end"]),
        scope=row["scope"], evidence=row["evidence"], start=row["ev_start"], end=row["ev_end"],
    )


def case_from_row(row: RowMapping, targets: Iterable[str]) -> Case:
    """A ``cases`` row (its columns by name) and its target names as a ``Case``."""
    fine = row["fine_cny"]
    return Case(
        targets=tuple(targets), target_kind=row["target_kind"],
        measures=_json_tuple(row["measures"]), regulator=row["regulator"],
        fine_cny=None if fine is None else int(fine),
        categories=_json_tuple(row["categories"]), evidence=row["evidence"],
        start=row["ev_start"], end=row["ev_end"],
    )


@lru_cache(maxsize=4096)
def _json_tuple(text: str) -> tuple[str, ...]:
    """A stored JSON list of ids as a tuple (cached: there are few distinct lists)."""
    return tuple(json.loads(text))


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]
