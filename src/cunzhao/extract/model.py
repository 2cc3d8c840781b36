"""What extraction produces: counts (``Stat``), named cases (``Case``) and their container.

Offsets (``start``/``end``) are character offsets into the text given to ``extract()``,
with ``text[start:end] == evidence``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = [
    "EXTRACTOR_VERSION",
    "QUALIFIERS",
    "TARGET_KINDS",
    "Case",
    "Category",
    "Facts",
    "Period",
    "Stat",
]

EXTRACTOR_VERSION = "1.10.0"
"""Bump whenever lexicons or logic change, so stored facts can be re-extracted."""

QUALIFIERS = ("exact", "at_least", "approx", "at_most")
TARGET_KINDS = ("platform", "website", "app", "miniprogram", "account", "company", "person")


@dataclass(frozen=True, slots=True)
class Period:
    """The span a count covers; either end may be unknown."""

    start: date | None
    end: date | None

    def to_json(self) -> dict[str, str | None]:
        return {
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
        }


@dataclass(frozen=True, slots=True)
class Stat:
    """One enforcement count, e.g. 约谈网站10646家."""

    action: str
    object: str
    value: int
    qualifier: str
    period: Period | None
    scope: str | None
    evidence: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "object": self.object,
            "value": self.value,
            "qualifier": self.qualifier,
            "period": self.period.to_json() if self.period else None,
            "scope": self.scope,
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class Case:
    """One enforcement case naming its targets, e.g. 下架“梦聊”等一批……移动应用程序."""

    targets: tuple[str, ...]
    target_kind: str
    measures: tuple[str, ...]
    regulator: str | None
    fine_cny: int | None
    categories: tuple[str, ...]
    evidence: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {
            "targets": list(self.targets),
            "target_kind": self.target_kind,
            "measures": list(self.measures),
            "regulator": self.regulator,
            "fine_cny": self.fine_cny,
            "categories": list(self.categories),
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything extracted from one text."""

    stats: tuple[Stat, ...] = ()
    cases: tuple[Case, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "stats": [s.to_json() for s in self.stats],
            "cases": [c.to_json() for c in self.cases],
        }


@dataclass(frozen=True, slots=True)
class Category:
    """A violation category: canonical id with Chinese and English labels."""

    id: str
    zh: str
    en: str
