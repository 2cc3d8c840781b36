"""A province by any of its names: ``beijing``, 北京, 北京市, Beijing (folded: 北京 in
traditional script too); the closest ones for a name that is none of them."""

from __future__ import annotations

from cunzhao.store.entities.model import Province
from cunzhao.store.entities.read import edit_distance
from cunzhao.store.entities.seed import alias_key, provinces

__all__ = ["UnknownProvince", "closest_provinces", "find_province"]


class UnknownProvince(LookupError):
    """No province has this name; ``suggestions`` are the closest ones."""

    def __init__(self, name: str, suggestions: list[Province]) -> None:
        closest = ", ".join(f"{p.full} ({p.id})" for p in suggestions)
        hint = f"; closest: {closest}" if closest else ""
        super().__init__(f"no province named {name!r}{hint}")
        self.name, self.suggestions = name, suggestions


def _names(p: Province) -> tuple[str, ...]:
    return p.id, p.short, p.full, p.en


def find_province(name: str) -> Province | None:
    """The province whose id, short or full Chinese name or English name ``name`` is."""
    key = alias_key(name)
    return next((p for p in provinces() if key in {alias_key(n) for n in _names(p)}), None)


def closest_provinces(name: str, limit: int = 3) -> list[Province]:
    """The provinces whose names come closest to ``name`` (fewest edits relative to length),
    none further than half the name."""
    key = alias_key(name)
    if not key:
        return []
    scored = []
    for p in provinces():
        distance = min(edit_distance(key, alias_key(n)) / max(len(key), len(n))
                       for n in _names(p))
        if distance <= 0.5:
            scored.append((distance, p.id, p))
    return [p for _, _, p in sorted(scored)[:limit]]
