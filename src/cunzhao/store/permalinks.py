"""A fact at its permalink (``/fact/{id}``, ``/case/{id}``): the stat or case, the version that
states it, and the other documents reporting the same. Ids: :mod:`cunzhao.store.fact_ids`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from cunzhao.extract.model import Case, Stat
from cunzhao.store.consolidate import FigureSource
from cunzhao.store.fact_ids import FactKind, fact_id, fact_ids, parse_fact_id
from cunzhao.store.facts import load_targets
from cunzhao.store.reader import DocumentView, VersionInfo, document_view, find_document_id
from cunzhao.store.schema import case_targets, cases, documents, stats, versions

__all__ = ["FactView", "find_fact"]


@dataclass(frozen=True)
class FactView:
    """A stat or case at its permalink: the facts of that kind its evidence span states
    (usually one), the version stating them (``document`` holds that version's text) and the
    other documents reporting the same figure or case (their latest versions)."""

    id: str
    kind: FactKind
    facts: tuple[Stat, ...] | tuple[Case, ...]
    document: DocumentView
    version: VersionInfo
    others: tuple[FigureSource, ...]


def find_fact(conn: Connection, kind: FactKind, ident: str) -> FactView | None:
    """The fact the permalink ``ident`` names, or None (malformed, or no such fact now)."""
    parsed = parse_fact_id(ident)
    if parsed is None or find_document_id(conn, parsed[0]) is None:
        return None
    document_id, n, _ = parsed
    try:
        view = document_view(conn, document_id, n)
    except LookupError:
        return None
    pool: tuple[Stat, ...] | tuple[Case, ...] = view.stats if kind == "stat" else view.cases
    ids = fact_ids(view, n)[0 if kind == "stat" else 1]
    found = [fact for fact, other in zip(pool, ids, strict=True) if other == ident]
    if not found:
        return None
    version = next(v for v in view.versions if v.n == n)
    if kind == "stat":
        stated = tuple(f for f in found if isinstance(f, Stat))
        return FactView(ident, kind, stated, view, version,
                        _same_figure(conn, stated[0], document_id))
    told = tuple(f for f in found if isinstance(f, Case))
    return FactView(ident, kind, told, view, version, _same_case(conn, told[0], document_id))


def _latest() -> Any:
    return (select(documents.c.id.label("document_id"), documents.c.url, versions.c.n,
                   versions.c.title, versions.c.published)
            .join(versions, versions.c.document_id == documents.c.id)
            .where(versions.c.is_latest == 1))


def _same_figure(conn: Connection, stat: Stat, document_id: int) -> tuple[FigureSource, ...]:
    """Other documents whose latest version states the same count (scope, action, object,
    period and value), by publish date."""
    period = stat.period
    query = (_latest().add_columns(stats.c.evidence, stats.c.ev_start, stats.c.ev_end)
             .join(stats, stats.c.version_id == versions.c.id)
             .where(documents.c.id != document_id, stats.c.action == stat.action,
                    stats.c.object == stat.object, stats.c.value == stat.value))
    for column, value in (
        (stats.c.scope, stat.scope),
        (stats.c.period_start, period.start.isoformat() if period and period.start else None),
        (stats.c.period_end, period.end.isoformat() if period and period.end else None),
    ):
        query = query.where(column.is_(None) if value is None else column == value)
    return _sources(conn.execute(query).all(), "stat")


def _same_case(conn: Connection, case: Case, document_id: int) -> tuple[FigureSource, ...]:
    """Other documents whose latest version names the same targets with the same measures."""
    if not case.targets:
        return ()
    named = select(case_targets.c.case_id).where(case_targets.c.name == case.targets[0])
    rows = conn.execute(
        _latest().add_columns(cases.c.id.label("case_id"), cases.c.measures, cases.c.evidence,
                              cases.c.ev_start, cases.c.ev_end)
        .join(cases, cases.c.version_id == versions.c.id)
        .where(documents.c.id != document_id, cases.c.id.in_(named))
    ).all()
    targets = load_targets(conn, [r.case_id for r in rows])
    alike = [r for r in rows if (set(targets[r.case_id]), set(json.loads(r.measures)))
             == (set(case.targets), set(case.measures))]
    return _sources(alike, "case")


def _sources(rows: Sequence[Any], kind: FactKind) -> tuple[FigureSource, ...]:
    found: dict[int, FigureSource] = {}
    for r in sorted(rows, key=lambda r: (r.published or "9999", r.document_id, r.ev_start)):
        found.setdefault(r.document_id, FigureSource(
            r.document_id, r.title, r.published, r.evidence,
            fact_id=fact_id(kind, r.document_id, r.url, r.n, r.ev_start, r.ev_end)))
    return tuple(found.values())
