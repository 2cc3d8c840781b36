"""Consolidated cases: one ``CaseEvent`` per enforcement act, however many documents report it.

A ``Case`` is one document's account of an act (北京市网信办约谈新浪微博); the office's
release, a news story and a monthly roundup make three. :func:`case_events` groups the cases
of each document's latest version into events, as :func:`~cunzhao.store.consolidate.figures`
groups stats into ``Figure``s.

**The same event.** Reports are taken oldest publish date first (then document id, then place
in the document); each joins the first event that

1. has the same measure set (约谈 + 责令整改 is not 约谈 alone);
2. shares a target entity with it (names resolved by the entity layer: 新浪微博 = 微博 =
   ``weibo``; a name without an entity counts by its folded form);
3. was first reported at most ``WINDOW_DAYS`` days earlier — cases state no date of their
   own, so the publish date stands for the event's;
4. holds no report from the same document (one document's cases are distinct acts);

else it starts an event. A report without a publish date joins only an undated event of the
same measures and targets whose first report states the same evidence (a copy of the text).

**Conflicts.** Details that disagree are kept side by side, never merged, and set
``conflict``: two fines (``fines``), two named regulators (``regulators``; an unnamed office —
属地网信办, level ``local`` — or all of them, level ``system``, disagrees with none).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Row, select

from cunzhao.store.entities.seed import alias_key
from cunzhao.store.fact_ids import fact_id
from cunzhao.store.filters import Filters, where_documents
from cunzhao.store.schema import case_targets, cases, documents, entities, versions

__all__ = ["WINDOW_DAYS", "CaseEvent", "CaseSource", "case_events"]

WINDOW_DAYS = 30
"""How many days after an event's first report a report of it may be published."""

_VAGUE_LEVELS = ("local", "system")  # offices not named: they contradict no named one


@dataclass(frozen=True)
class CaseSource:
    """A document reporting an event: its case's evidence, targets and regulator as written
    (``regulator_id``: the regulator's entity), fine, and ``fact_id``, the case's permalink."""

    document_id: int
    title: str
    published: str | None
    evidence: str
    targets: tuple[str, ...]
    regulator: str | None
    regulator_id: str | None
    fine_cny: int | None
    fact_id: str

    def to_json(self) -> dict[str, Any]:
        return {**self.__dict__, "targets": list(self.targets)}


@dataclass(frozen=True)
class CaseEvent:
    """One enforcement act as reported across documents.

    ``id`` is its first report's permalink; ``date`` that report's publish date and ``last``
    the latest one's. ``targets`` are the canonical names of the entities its reports name
    (``target_ids`` their ids), ``categories`` every report's; ``regulators`` the canonical
    names of the offices named (``regulator_ids``, their ``provinces``). ``fine_cny`` is the
    fine when the reports agree, ``fines`` every amount reported; ``conflicts`` says what
    disagrees (``fine``, ``regulator``) and ``conflict`` whether anything does.
    """

    id: str
    date: str | None
    last: str | None
    targets: tuple[str, ...]
    target_ids: tuple[str, ...]
    target_kind: str
    measures: tuple[str, ...]
    categories: tuple[str, ...]
    regulators: tuple[str, ...]
    regulator_ids: tuple[str, ...]
    provinces: tuple[str, ...]
    fine_cny: int | None
    fines: tuple[int, ...]
    conflict: bool
    conflicts: tuple[str, ...]
    sources: tuple[CaseSource, ...]

    def to_json(self) -> dict[str, Any]:
        data = {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}
        return {**data, "sources": [s.to_json() for s in self.sources]}


@dataclass
class _Open:
    """An event while reports join it."""

    first: date | None
    measures: frozenset[str]
    keys: set[str]
    rows: list[Row[Any]] = field(default_factory=list)
    documents: set[int] = field(default_factory=set)


def case_events(
    conn: Connection, filters: Filters | None = None, *,
    entities: Collection[str] | None = None, regulators: Collection[str] | None = None,
    province: str | None = None, window: int = WINDOW_DAYS,
) -> list[CaseEvent]:
    """The events reported by the documents ``filters`` select, oldest first.

    ``filters.action`` keeps events with that measure, ``category`` those of that category,
    ``since``/``until`` those first reported in that span, ``target`` those naming it (as
    written or canonically); the other filters select the reporting documents. ``entities``
    keeps events naming one of these ids as target or regulator, ``regulators`` those whose
    regulator is one of them, ``province`` those issued by an office of that province (an id).
    """
    filters = filters or Filters()
    rows = _reports(conn, filters)
    names = _target_names(conn, [r.id for r in rows])
    events = _group(rows, names, timedelta(days=window))
    known = _entities(conn, {e for named in names.values() for _, e in named}
                      | {r.regulator_entity_id for r in rows})
    found = [_event(ev, names, known) for ev in events]
    return [e for e in found if _wanted(e, filters, entities, regulators, province)]


def _reports(conn: Connection, filters: Filters) -> list[Row[Any]]:
    """The cases of the latest versions of the selected documents, in report order."""
    query = (
        select(cases.c.id, cases.c.target_kind, cases.c.measures, cases.c.regulator,
               cases.c.regulator_entity_id, cases.c.fine_cny, cases.c.categories,
               cases.c.evidence, cases.c.ev_start, cases.c.ev_end, versions.c.document_id,
               versions.c.n, versions.c.title, versions.c.published, documents.c.url)
        .join(versions, versions.c.id == cases.c.version_id)
        .join(documents, documents.c.id == versions.c.document_id)
        .where(versions.c.is_latest == 1)
        .order_by(versions.c.published.asc().nulls_last(), versions.c.document_id,
                  cases.c.ev_start, cases.c.id)
    )
    if filters.action is not None:  # the measure set is the same in every report of an event
        query = query.where(cases.c.measures.contains(f'"{filters.action}"', autoescape=True))
    by_document = replace(filters, action=None, category=None, target=None, since=None,
                          until=None)
    return list(conn.execute(where_documents(query, versions, by_document)))


def _target_names(conn: Connection, case_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """Each case's targets as written with their entity ids (a name without one: its folded
    form), in the order written."""
    found: dict[int, list[tuple[str, str]]] = {}
    for i in range(0, len(case_ids), 500):
        for case_id, name, eid in conn.execute(
                select(case_targets.c.case_id, case_targets.c.name, case_targets.c.entity_id)
                .where(case_targets.c.case_id.in_(case_ids[i : i + 500]))
                .order_by(case_targets.c.case_id, case_targets.c.position)):
            found.setdefault(case_id, []).append((name, eid or alias_key(name)))
    return found


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _group(rows: list[Row[Any]], names: dict[int, list[tuple[str, str]]],
           window: timedelta) -> list[_Open]:
    """The reports grouped into events by the rule in the module's docstring."""
    events: list[_Open] = []
    recent: dict[frozenset[str], list[_Open]] = {}  # dated events by measure set
    copies: dict[tuple[frozenset[str], frozenset[str], str], _Open] = {}  # undated ones
    for row in rows:
        measures = frozenset(json.loads(row.measures))
        keys = {eid for _, eid in names.get(row.id, [])}
        day = _day(row.published)
        if day is None:
            key = (measures, frozenset(keys), alias_key(row.evidence))
            event = copies.get(key)
            if event is None or row.document_id in event.documents:
                event = copies[key] = _Open(None, measures, keys)
                events.append(event)
        else:
            pool = recent.setdefault(measures, [])
            pool[:] = [e for e in pool if e.first is not None and day - e.first <= window]
            event = next((e for e in pool if e.keys & keys
                          and row.document_id not in e.documents), None)
            if event is None:
                event = _Open(day, measures, set())
                pool.append(event)
                events.append(event)
            event.keys |= keys
        event.rows.append(row)
        event.documents.add(row.document_id)
    return events


def _entities(conn: Connection, ids: set[str | None]) -> dict[str, Any]:
    """id → (zh, province, level) of these entities."""
    wanted = sorted(i for i in ids if i)
    found: dict[str, Any] = {}
    for i in range(0, len(wanted), 500):
        for row in conn.execute(select(entities.c.id, entities.c.zh, entities.c.province,
                                       entities.c.level)
                                .where(entities.c.id.in_(wanted[i : i + 500]))):
            found[row.id] = row
    return found


def _ordered(values: list[Any]) -> tuple[Any, ...]:
    return tuple(dict.fromkeys(v for v in values if v is not None))


def _event(ev: _Open, names: dict[int, list[tuple[str, str]]],
           known: dict[str, Any]) -> CaseEvent:
    rows = ev.rows
    first = rows[0]
    written = [pair for r in rows for pair in names.get(r.id, [])]
    target_ids = _ordered([eid for _, eid in written])
    canonical = {eid: known[eid].zh if eid in known else name for name, eid in written}
    regulator_ids = _ordered([r.regulator_entity_id for r in rows])
    fines = _ordered([None if r.fine_cny is None else int(r.fine_cny) for r in rows])
    named = [i for i in regulator_ids if i not in known or known[i].level not in _VAGUE_LEVELS]
    conflicts = tuple(what for what, values in (("fine", fines), ("regulator", named))
                      if len(values) > 1)
    sources = tuple(
        CaseSource(r.document_id, r.title, r.published, r.evidence,
                   tuple(n for n, _ in names.get(r.id, [])), r.regulator,
                   r.regulator_entity_id, None if r.fine_cny is None else int(r.fine_cny),
                   fact_id("case", r.document_id, r.url, r.n, r.ev_start, r.ev_end))
        for r in rows)
    return CaseEvent(
        id=sources[0].fact_id, date=first.published, last=rows[-1].published,
        targets=tuple(canonical[i] for i in target_ids), target_ids=target_ids,
        target_kind=first.target_kind, measures=tuple(json.loads(first.measures)),
        categories=_ordered([c for r in rows for c in json.loads(r.categories)]),
        regulators=tuple(known[i].zh if i in known else i for i in regulator_ids),
        regulator_ids=regulator_ids,
        provinces=_ordered([known[i].province for i in regulator_ids if i in known]),
        fine_cny=fines[0] if len(fines) == 1 else None, fines=fines,
        conflict=bool(conflicts), conflicts=conflicts, sources=sources,
    )


def _wanted(event: CaseEvent, filters: Filters, ids: Collection[str] | None,
            regulators: Collection[str] | None, province: str | None) -> bool:
    """Whether ``event`` passes the filters that look at the event as a whole."""
    day = event.date
    checks = (
        filters.category is None or filters.category in event.categories,
        filters.since is None or (day is not None and day >= filters.since.isoformat()),
        filters.until is None or (day is not None and day <= filters.until.isoformat()),
        filters.target is None or filters.target in event.targets
        or any(filters.target in s.targets for s in event.sources),
        ids is None or bool(set(ids) & {*event.target_ids, *event.regulator_ids}),
        regulators is None or bool(set(regulators) & set(event.regulator_ids)),
        province is None or province in event.provinces,
    )
    return all(checks)
