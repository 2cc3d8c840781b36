"""Read entities: by any name, alias or id; lists by kind; children; the closest to a name."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Row, func, select

from cunzhao.store.entities.model import Entity
from cunzhao.store.entities.seed import alias_key
from cunzhao.store.schema import entities, entity_aliases

__all__ = [
    "canonical_targets",
    "descendants",
    "edit_distance",
    "find_entity",
    "list_entities",
    "load_entities",
    "suggest",
]


def find_entity(conn: Connection, name: str) -> Entity | None:
    """The entity ``name`` resolves to: a name as written, an alias, a traditional or
    full-width form of one, or an id (an entity merged away resolves to the one it joined)."""
    if not name or not name.strip():
        return None
    eid = conn.execute(select(entity_aliases.c.entity_id)
                       .where(entity_aliases.c.folded == alias_key(name))).scalar()
    if eid is None:
        eid = conn.execute(select(entities.c.id).where(entities.c.id == name.strip())).scalar()
    if eid is None:
        return None
    found = load_entities(conn, [eid])
    entity = found.get(eid)
    while entity is not None and entity.merged_into and entity.merged_into != entity.id:
        entity = load_entities(conn, [entity.merged_into]).get(entity.merged_into)
    return entity


def load_entities(conn: Connection, ids: Iterable[str]) -> dict[str, Entity]:
    """The entities with these ids, their aliases and children included."""
    wanted = sorted(set(ids))
    rows: list[Row[Any]] = []
    aliases: defaultdict[str, list[str]] = defaultdict(list)
    children: defaultdict[str, list[str]] = defaultdict(list)
    for i in range(0, len(wanted), 500):
        part = wanted[i : i + 500]
        rows += conn.execute(select(entities).where(entities.c.id.in_(part))).all()
        for eid, name in conn.execute(select(entity_aliases.c.entity_id, entity_aliases.c.name)
                                      .where(entity_aliases.c.entity_id.in_(part))
                                      .order_by(entity_aliases.c.folded)):
            aliases[eid].append(name)
        for parent, eid in conn.execute(
                select(entities.c.parent, entities.c.id)
                .where(entities.c.parent.in_(part), entities.c.merged_into.is_(None))
                .order_by(entities.c.id)):
            children[parent].append(eid)
    return {r.id: _entity(r, aliases[r.id], children[r.id]) for r in rows}


def list_entities(conn: Connection, kind: str | None = None) -> list[Entity]:
    """Every entity not merged into another (of one ``kind``), by id."""
    query = select(entities.c.id).where(entities.c.merged_into.is_(None))
    if kind is not None:
        query = query.where(entities.c.kind == kind)
    found = load_entities(conn, conn.execute(query).scalars())
    return [found[k] for k in sorted(found)]


def descendants(conn: Connection, eid: str) -> list[str]:
    """The ids below ``eid`` (children, their children …), nearest first."""
    found: list[str] = []
    frontier = [eid]
    while frontier:
        below = [c for c in conn.execute(
            select(entities.c.id).where(entities.c.parent.in_(frontier),
                                        entities.c.merged_into.is_(None))
            .order_by(entities.c.id)).scalars() if c not in found and c != eid]
        found += below
        frontier = below
    return found


def suggest(conn: Connection, name: str, limit: int = 5) -> list[Entity]:
    """The entities whose names come closest to ``name``: fewest edits (Levenshtein, on folded
    forms, relative to length), then most characters in common; none sharing no character."""
    key = alias_key(name)
    if not key:
        return []
    wanted = set(key) - {" "}
    best: dict[str, tuple[float, int]] = {}
    for alias, eid in conn.execute(
            select(entity_aliases.c.folded, entity_aliases.c.entity_id)
            .join(entities, entities.c.id == entity_aliases.c.entity_id)
            .where(entities.c.merged_into.is_(None))):
        shared = len(wanted & set(alias))
        if not shared:
            continue
        score = (edit_distance(key, alias) / max(len(key), len(alias)), -shared)
        if eid not in best or score < best[eid]:
            best[eid] = score
    close = [e for e in best if best[e][0] < 0.75]
    named = _mentions(conn, close)
    ranked = sorted(close, key=lambda e: (best[e], -named.get(e, 0), e))[:limit]
    found = load_entities(conn, ranked)
    return [found[e] for e in ranked if e in found]


def _mentions(conn: Connection, ids: list[str]) -> dict[str, int]:
    """How many stored names resolve to each entity (ties in :func:`suggest` go to the most
    named)."""
    from cunzhao.store.schema import case_targets, cases

    found: dict[str, int] = {}
    for column in (case_targets.c.entity_id, cases.c.regulator_entity_id):
        for i in range(0, len(ids), 500):
            for eid, n in conn.execute(select(column, func.count()).where(
                    column.in_(ids[i : i + 500])).group_by(column)):
                found[eid] = found.get(eid, 0) + n
    return found


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions, one each."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                                previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _entity(row: Row[Any], aliases: list[str], children: list[str]) -> Entity:
    r = row._mapping
    return Entity(r["id"], r["zh"], r["en"], r["kind"], r["parent"], r["province"], r["level"],
                  r["source"], r["merged_into"], tuple(aliases), tuple(children))


def canonical_targets(conn: Connection, version_ids: Iterable[int]) -> dict[str, str]:
    """The canonical name of each target the cases of these versions name (for facets)."""
    from cunzhao.store.schema import case_targets, cases

    ids = sorted(set(version_ids))
    found: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        found.update(conn.execute(
            select(case_targets.c.name, entities.c.zh)
            .join(cases, cases.c.id == case_targets.c.case_id)
            .join(entities, entities.c.id == case_targets.c.entity_id)
            .where(cases.c.version_id.in_(ids[i : i + 500]))
        ).all())
    return found
