"""The entity seed: ``store/data/*.tsv`` and the extractor's ``platforms.tsv``, read once.

``entities.tsv`` holds one row per platform, company and national regulator; every name that
``extract/data/platforms.tsv`` maps to a canonical name becomes an alias of the entity of that
name, so the extractor's list and the seed cannot drift (a platform missing from
``entities.tsv`` is an error). ``regions.tsv`` and ``office_names.tsv`` give the provincial and
city cyberspace offices. The fingerprint of all four files tells when an archive's entity
table must be seeded again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from cunzhao.fold import fold
from cunzhao.store.entities.model import ENTITY_KINDS, LEVELS, Entity, Province

__all__ = ["Seed", "alias_key", "provinces", "read_rows", "seed"]

SEED_FORMAT = "1"  # bump when the way the files are read changes
_OWN = ("entities.tsv", "regions.tsv", "office_names.tsv")


def alias_key(name: str) -> str:
    """The form a name is looked up by: folded (simplified, half-width, lower case), trimmed."""
    return " ".join(fold(name).split())


@dataclass(frozen=True)
class Seed:
    """The seeded entities (aliases included) and, per alias key, the entity it names."""

    entities: tuple[Entity, ...]
    aliases: dict[str, tuple[str, str, str]]  # key -> (name as written, entity id, source)
    conflicts: tuple[str, ...]  # aliases two entities claim (the first keeps it)
    fingerprint: str


def _text(package: str, name: str) -> str:
    return resources.files(package).joinpath("data").joinpath(name).read_text("utf-8")


def read_rows(package: str, name: str, width: int) -> list[list[str]]:
    rows = []
    for number, line in enumerate(_text(package, name).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != width:
            raise ValueError(f"{package}/data/{name} line {number}: expected {width} "
                             f"tab-separated columns, found {len(cells)}")
        rows.append([c.strip() for c in cells])
    return rows


@cache
def provinces() -> tuple[Province, ...]:
    """The 31 provincial-level divisions with a cyberspace office, in ``regions.tsv`` order."""
    return tuple(
        Province(pid, short, full, en, f"cac-{pid}", tuple(cities.split()))
        for pid, short, full, en, cities in read_rows("cunzhao.store", "regions.tsv", 5)
    )


def _offices() -> list[tuple[Entity, list[str]]]:
    templates: dict[str, list[str]] = {}
    for level, template in read_rows("cunzhao.store", "office_names.tsv", 2):
        templates.setdefault(level, []).append(template)
    found = []
    for p in provinces():
        names = [t.format(full=p.full, short=p.short) for t in templates["provincial"]]
        office = Entity(p.office, names[0], f"{p.en} Cyberspace Administration", "regulator",
                        None, p.id, "provincial", "regions.tsv; office_names.tsv")
        found.append((office, names))
        for city in p.cities:
            names = [t.format(city=city) for t in templates["city"]]
            found.append((Entity(f"{p.office}-{city}", names[0], None, "regulator", p.office,
                                 p.id, "city", "regions.tsv; office_names.tsv"), names))
    return found


def _own_rows() -> list[tuple[Entity, list[str]]]:
    found = []
    for eid, zh, en, kind, parent, level, aliases, source in read_rows(
            "cunzhao.store", "entities.tsv", 8):
        if kind not in ENTITY_KINDS or (level and level not in LEVELS):
            raise ValueError(f"cunzhao.store/data/entities.tsv: {eid}: unknown kind {kind!r} "
                             f"or level {level!r}")
        entity = Entity(eid, zh, en or None, kind, parent or None, None, level or None, source)
        found.append((entity, [a for a in aliases.split("|") if a]))
    return found


@cache
def seed() -> Seed:
    """Every seeded entity and alias (cached for the process)."""
    rows = _own_rows() + _offices()
    by_zh = {e.zh: e.id for e, _ in rows}
    platform_names: dict[str, list[str]] = {}
    for written, canonical, _en in read_rows("cunzhao.extract", "platforms.tsv", 3):
        if canonical not in by_zh:
            raise ValueError(f"cunzhao.extract/data/platforms.tsv: {canonical!r} has no row in "
                             "cunzhao.store/data/entities.tsv")
        platform_names.setdefault(by_zh[canonical], []).append(written)
    aliases: dict[str, tuple[str, str, str]] = {}
    conflicts: list[str] = []

    def claim(name: str, eid: str, source: str) -> None:
        key = alias_key(name)
        held = aliases.get(key)
        if held is None:
            aliases[key] = (name, eid, source)
        elif held[1] != eid:
            conflicts.append(f"{name!r}: {held[1]} and {eid}")

    for entity, names in rows:  # each entity's own names first, then its listed aliases
        for name in (entity.zh, entity.id, *([entity.en] if entity.en else [])):
            claim(name, entity.id, "name")
    for entity, names in rows:
        for name in names:
            claim(name, entity.id, entity.source)
        for name in platform_names.get(entity.id, []):
            claim(name, entity.id, "platforms.tsv")
    named: dict[str, list[str]] = {}
    for (name, eid, _source) in aliases.values():
        named.setdefault(eid, []).append(name)
    children: dict[str, list[str]] = {}
    for entity, _ in rows:
        if entity.parent:
            children.setdefault(entity.parent, []).append(entity.id)
    entities = tuple(
        Entity(e.id, e.zh, e.en, e.kind, e.parent, e.province, e.level, e.source, None,
               tuple(named.get(e.id, ())), tuple(children.get(e.id, ())))
        for e, _ in rows
    )
    digest = hashlib.sha256(SEED_FORMAT.encode())
    for package, name in [*(("cunzhao.store", n) for n in _OWN),
                          ("cunzhao.extract", "platforms.tsv")]:
        digest.update(_text(package, name).encode())
    return Seed(entities, aliases, tuple(conflicts), digest.hexdigest())
