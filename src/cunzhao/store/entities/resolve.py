"""Names to entity ids, on the writer's connection: a name resolves through its alias (folded,
so traditional and full-width forms land on the same entity); a name no alias knows becomes
an entity of its own (source ``extracted``), so every stored name has an entity.

Within one transaction each name is looked up once. On PostgreSQL a writer that creates
entities holds a shared advisory lock, and a re-seed (:mod:`cunzhao.store.entities.sync`) the
exclusive one, so the two never interleave.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Connection, Table, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from cunzhao.extract.model import Facts
from cunzhao.store.entities.model import ENTITY_KINDS
from cunzhao.store.entities.seed import alias_key, provinces
from cunzhao.store.schema import entities, entity_aliases

__all__ = [
    "Named",
    "create_entities",
    "forget",
    "infer_office",
    "insert_ignoring",
    "lookup",
    "resolve_facts",
    "resolve_names",
]

LOCK_KEY = "hashtext('cunzhao entities')"
_SHARED = text(f"SELECT pg_advisory_xact_lock_shared({LOCK_KEY})")
_CACHE = "cunzhao.entities"


@dataclass(frozen=True, slots=True)
class Named:
    """What a name resolves to: the entity's id and canonical Chinese name."""

    id: str
    zh: str


def insert_ignoring(conn: Connection, table: Table) -> Insert:
    """``INSERT`` that skips rows whose key is already there (both backends)."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def lookup(conn: Connection, names: Iterable[str]) -> dict[str, Named]:
    """The entity each name resolves to (names no alias knows are left out)."""
    keys = {alias_key(n): n for n in names if n and n.strip()}
    found: dict[str, Named] = {}
    ordered = sorted(keys)
    for i in range(0, len(ordered), 500):
        rows = conn.execute(
            select(entity_aliases.c.folded, entities.c.id, entities.c.zh)
            .join(entities, entities.c.id == entity_aliases.c.entity_id)
            .where(entity_aliases.c.folded.in_(ordered[i : i + 500]))
        )
        for key, eid, zh in rows:
            found[keys[key]] = Named(eid, zh)
    return found


def resolve_names(conn: Connection, wanted: Mapping[str, str]) -> dict[str, Named]:
    """Resolve each name (``wanted``: name → the kind a new entity gets), creating an entity
    for each name no alias knows. Cached for the rest of the transaction."""
    cache_ = _cache(conn)
    missing = {n: k for n, k in wanted.items() if n and n.strip() and n not in cache_}
    if missing:
        cache_.update(lookup(conn, missing))
        new = {n: k for n, k in missing.items() if n not in cache_}
        if new:
            cache_.update(create_entities(conn, new))
    return {n: cache_[n] for n in wanted if n in cache_}


def resolve_facts(conn: Connection, facts: Facts) -> dict[str, Named]:
    """Resolve every target, regulator and scope the facts name."""
    wanted: dict[str, str] = {}
    for case in facts.cases:
        kind = _target_kind(case.target_kind)
        for name in case.targets:
            wanted.setdefault(name, kind)
        if case.regulator:
            wanted[case.regulator] = "regulator"
    for stat in facts.stats:
        if stat.scope:
            wanted[stat.scope] = "regulator"
    return resolve_names(conn, wanted) if wanted else {}


def _target_kind(kind: str) -> str:
    if kind == "person":
        return "person-redacted"
    return kind if kind in ENTITY_KINDS else "account"


def _cache(conn: Connection) -> dict[str, Named]:
    """This transaction's resolutions (a new transaction starts empty)."""
    held = conn.info.get(_CACHE)
    current = conn.get_transaction()
    if held is None or held[0] is not current:
        held = (current, {})
        conn.info[_CACHE] = held
        if conn.dialect.name == "postgresql" and current is not None:
            conn.execute(_SHARED)
    found: dict[str, Named] = held[1]
    return found


def forget(conn: Connection) -> None:
    """Drop this connection's cached resolutions (after a re-seed or an edit)."""
    conn.info.pop(_CACHE, None)


def create_entities(conn: Connection, new: Mapping[str, str]) -> dict[str, Named]:
    rows: list[dict[str, str | None]] = []
    aliases: list[dict[str, str | None]] = []
    for name, kind in sorted(new.items(), key=lambda item: alias_key(item[0])):
        key = alias_key(name)
        province, level = infer_office(name) if kind == "regulator" else (None, None)
        parent = f"cac-{province}" if level == "city" and province else None
        rows.append({"id": key, "zh": name.strip(), "en": None, "kind": kind, "parent": parent,
                     "province": province, "level": level, "source": "extracted",
                     "merged_into": None})
        aliases.append({"folded": key, "name": name.strip(), "entity_id": key,
                        "source": "extracted"})
    conn.execute(insert_ignoring(conn, entities), _unique(rows, "id"))
    conn.execute(insert_ignoring(conn, entity_aliases), _unique(aliases, "folded"))
    return lookup(conn, new)


def _unique(rows: list[dict[str, str | None]], key: str) -> list[dict[str, str | None]]:
    return list({r[key]: r for r in rows}.values())


@cache
def _places() -> tuple[dict[str, str], dict[str, str]]:
    shorts = {p.short: p.id for p in provinces()}
    cities = {c: p.id for p in provinces() for c in p.cities}
    return shorts, cities


def infer_office(name: str) -> tuple[str | None, str | None]:
    """The province and level of an office no alias names, from the places its name holds:
    ``滁州、阜阳等市网信办`` → (anhui, city); none or several provinces → (None, …)."""
    shorts, cities = _places()
    folded = alias_key(name)
    in_cities = {pid for city, pid in cities.items() if city in folded}
    in_provinces = {pid for short, pid in shorts.items() if short in folded}
    places = in_cities | in_provinces
    province = next(iter(places)) if len(places) == 1 else None
    if in_cities:
        return province, "city"
    if in_provinces:
        return province, "provincial"
    return None, None
