"""An entity's cases and the entities named in cases, with counts.

A case names an entity as a target (``case_targets.entity_id``) or as its regulator
(``cases.regulator_entity_id``); ids are resolved once, at write time or by a sync, so these
queries never match names. Only each document's latest version counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any, Literal

from sqlalchemy import Connection, func, or_, select

from cunzhao.extract.model import Case
from cunzhao.store.entities.read import list_entities
from cunzhao.store.fact_ids import fact_id
from cunzhao.store.facts import case_from_row
from cunzhao.store.schema import case_targets, cases, documents, entities, versions

__all__ = ["EntityCase", "EntityCount", "Role", "entity_cases", "entity_counts"]

Role = Literal["target", "regulator"]


@dataclass(frozen=True, slots=True)
class EntityCase(Case):
    """A case naming the entity (as target or regulator), with the document that reports it.
    ``entity`` is the id of the entity the case names — the one asked for, or one of its
    children —, ``named`` the targets, as written, that name it; ``fact_id`` its permalink
    (:mod:`cunzhao.store.fact_ids`)."""

    role: Role
    entity: str
    named: tuple[str, ...]
    document_id: int
    title: str
    published: str | None
    series_tag: str | None
    fact_id: str = ""

    def to_json(self) -> dict[str, Any]:
        return {**Case.to_json(self), "role": self.role, "entity": self.entity,
                "named": list(self.named), "document_id": self.document_id,
                "title": self.title, "published": self.published,
                "series_tag": self.series_tag, "fact_id": self.fact_id}


@dataclass(frozen=True)
class EntityCount:
    """An entity with how many cases name it in one role, in how many documents, and the
    first and last publish dates. ``name`` is its canonical Chinese name."""

    id: str
    name: str
    en: str | None
    kind: str
    role: Role
    cases: int
    documents: int
    first: str | None
    last: str | None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def entity_cases(conn: Connection, ids: Sequence[str]) -> list[EntityCase]:
    """Every case naming one of the entities ``ids`` as target or regulator, oldest publish
    date first."""
    wanted = set(ids)
    if not wanted:
        return []
    as_target = select(case_targets.c.case_id).where(case_targets.c.entity_id.in_(wanted))
    rows = conn.execute(
        select(cases, versions.c.document_id, versions.c.title, versions.c.published,
               versions.c.series_tag, versions.c.n, documents.c.url)
        .join(versions, versions.c.id == cases.c.version_id)
        .join(documents, documents.c.id == versions.c.document_id)
        .where(versions.c.is_latest == 1)
        .where(or_(cases.c.id.in_(as_target), cases.c.regulator_entity_id.in_(wanted)))
        .order_by(versions.c.published.asc().nulls_last(), versions.c.document_id, cases.c.ev_start)
    ).all()
    targets: dict[int, list[tuple[str, str | None]]] = {}
    case_ids = [r.id for r in rows]
    for i in range(0, len(case_ids), 500):
        for case_id, name, eid in conn.execute(
                select(case_targets.c.case_id, case_targets.c.name, case_targets.c.entity_id)
                .where(case_targets.c.case_id.in_(case_ids[i : i + 500]))
                .order_by(case_targets.c.case_id, case_targets.c.position)):
            targets.setdefault(case_id, []).append((name, eid))
    found = []
    for r in rows:
        names = targets.get(r.id, [])
        case = case_from_row(r._mapping, [n for n, _ in names])
        named = [(n, e) for n, e in names if e in wanted]
        role: Role = "target" if named else "regulator"
        entity = named[0][1] if named else r.regulator_entity_id
        found.append(EntityCase(**{f.name: getattr(case, f.name) for f in fields(Case)},
                                role=role, entity=entity, named=tuple(n for n, _ in named),
                                document_id=r.document_id, title=r.title,
                                published=r.published, series_tag=r.series_tag,
                                fact_id=fact_id("case", r.document_id, r.url, r.n,
                                                r.ev_start, r.ev_end)))
    return found


def entity_counts(
    conn: Connection, role: Role | None = None, *, kind: str | None = None,
    include_empty: bool = False,
) -> list[EntityCount]:
    """The entities named in cases (of one ``kind``, in one ``role``), most cases first;
    ``include_empty`` adds every other entity with zero counts."""
    out: list[EntityCount] = []
    roles: tuple[tuple[Role, Any, Any], ...] = (
        ("target", case_targets.c.entity_id, case_targets.c.case_id == cases.c.id),
        ("regulator", cases.c.regulator_entity_id, None),
    )
    for this, column, joined in roles:
        if role not in (None, this):
            continue
        query = select(
            entities.c.id, entities.c.zh, entities.c.en, entities.c.kind,
            func.count(func.distinct(cases.c.id)).label("n"),
            func.count(func.distinct(versions.c.document_id)).label("d"),
            func.min(versions.c.published).label("first"),
            func.max(versions.c.published).label("last"),
        )
        source = cases.join(versions, versions.c.id == cases.c.version_id)
        if joined is not None:
            source = source.join(case_targets, joined)
        query = (query.select_from(source).join(entities, entities.c.id == column)
                 .where(versions.c.is_latest == 1)
                 .group_by(entities.c.id, entities.c.zh, entities.c.en, entities.c.kind))
        if kind is not None:
            query = query.where(entities.c.kind == kind)
        out += [EntityCount(r.id, r.zh, r.en, r.kind, this, r.n, r.d, r.first, r.last)
                for r in conn.execute(query)]
    if include_empty:
        named = {c.id for c in out}
        for e in list_entities(conn, kind):
            if e.id not in named:
                out.append(EntityCount(e.id, e.zh, e.en, e.kind,
                                       "regulator" if e.kind == "regulator" else "target",
                                       0, 0, None, None))
    out.sort(key=lambda e: (-e.cases, e.name, e.role))
    return out
