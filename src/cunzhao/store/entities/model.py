"""The entity records: who a case names or who issued a fact, and the edits made to them.

An ``Entity`` is one platform, company, app, website, mini-program, account, outlet,
regulator or redacted person, under a stable id, whatever names the documents give it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

__all__ = [
    "ENTITY_KINDS",
    "LEVELS",
    "Entity",
    "EntityEdit",
    "IssuerCount",
    "Province",
    "UnknownEntity",
]

ENTITY_KINDS = ("platform", "company", "app", "website", "miniprogram", "account", "outlet",
                "regulator", "person-redacted")
"""What an entity is; ``cunzhao entities --kind`` takes one of these."""

LEVELS = ("national", "provincial", "city", "local", "system")
"""A regulator's level: a national body, a provincial or city office, an unnamed local office
(属地网信办), or the system of offices at every level (全国网信系统, 各级网信部门)."""

EditOp = Literal["alias", "merge"]


@dataclass(frozen=True, slots=True)
class Entity:
    """One entity. ``parent``: the entity it belongs to (百度贴吧 → 百度, a city office → its
    provincial office); ``province``: a province id (``cunzhao.provinces()``) and ``level``
    (``LEVELS``) for regulators; ``aliases``: every name that resolves to it; ``children``:
    the ids whose parent it is; ``source``: where its record comes from (a data file, or
    ``extracted`` for a name first seen in a document); ``merged_into``: set when an edit merged
    it into another entity."""

    id: str
    zh: str
    en: str | None
    kind: str
    parent: str | None = None
    province: str | None = None
    level: str | None = None
    source: str = "extracted"
    merged_into: str | None = None
    aliases: tuple[str, ...] = ()
    children: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "zh": self.zh, "en": self.en, "kind": self.kind,
                "parent": self.parent, "province": self.province, "level": self.level,
                "source": self.source, "merged_into": self.merged_into,
                "aliases": list(self.aliases), "children": list(self.children)}


@dataclass(frozen=True, slots=True)
class EntityEdit:
    """A recorded change: ``alias`` (``name`` now resolves to ``entity``) or ``merge`` (the
    entity ``name`` is merged into ``entity``), who made it and when; ``previous`` is the entity
    ``name`` resolved to before. An undone edit keeps its record, with who undid it and when."""

    id: int
    op: str
    name: str
    entity: str
    previous: str | None
    by: str
    at: str
    undone_by: str | None = None
    undone_at: str | None = None

    @property
    def active(self) -> bool:
        return self.undone_at is None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "op": self.op, "name": self.name, "entity": self.entity,
                "previous": self.previous, "by": self.by, "at": self.at,
                "undone_by": self.undone_by, "undone_at": self.undone_at}


@dataclass(frozen=True, slots=True)
class Province:
    """A provincial-level division: id (``beijing``), short and full Chinese names, English;
    ``office``: the id of its cyberspace office's entity."""

    id: str
    short: str
    full: str
    en: str
    office: str
    cities: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IssuerCount:
    """Facts issued by the regulators of one province (``group="province"``, ``key`` a
    province id) or one level (``group="level"``): cases naming such a regulator, consolidated
    figures whose scope is such a regulator, and how many distinct offices issued them. Only
    each document's latest version counts."""

    group: str
    key: str
    zh: str
    en: str
    cases: int
    figures: int
    offices: int
    total: int  # cases + figures

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class UnknownEntity(LookupError):
    """No entity has this name, alias or id; ``suggestions`` are the closest ones."""

    def __init__(self, name: str, suggestions: list[Entity]) -> None:
        self.name = name
        self.suggestions = suggestions
        closest = ", ".join(f"{e.zh} ({e.id})" for e in suggestions)
        super().__init__(f"no entity named {name!r}" + (f"; closest: {closest}" if closest
                                                          else ""))
