"""The packaged lexicons (``data/*.tsv``), loaded once and compiled for folded text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import opencc

from cunzhao.extract.model import Category
from cunzhao.fold import fold

__all__ = [
    "Lexicon",
    "MeasureRule",
    "action_label",
    "category_label",
    "lexicon",
    "object_label",
]


@dataclass(frozen=True, slots=True)
class MeasureRule:
    """A phrasing of a measure and the action it means for the given objects/kinds."""

    action: str
    objects: frozenset[str] | None  # None: any object
    use: str  # both | stat | case

    def fits(self, obj: str | None, for_stats: bool) -> bool:
        if self.use == ("case" if for_stats else "stat"):
            return False
        return self.objects is None or (obj is not None and obj in self.objects)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Every data file, compiled."""

    actions: dict[str, tuple[str, str]]
    objects: dict[str, tuple[str, str]]
    categories: dict[str, Category]
    measure_pattern: re.Pattern[str]
    measure_rules: tuple[tuple[MeasureRule, ...], ...]  # by alternative index
    object_pattern: re.Pattern[str]
    object_by_group: tuple[str, ...]
    measure_words: dict[str, tuple[str | None, bool]]
    kind_pattern: re.Pattern[str]
    kind_by_group: tuple[str, ...]
    category_patterns: tuple[tuple[str, re.Pattern[str]], ...]
    regulator_pattern: re.Pattern[str]
    platform_pattern: re.Pattern[str]
    platforms: dict[str, str]  # folded name -> canonical
    markers: dict[str, re.Pattern[str]]
    triggers: re.Pattern[str]  # raw-text words (both scripts) a relevant line contains
    trigger_words: frozenset[str]  # those words, for a prefilter on raw bytes


def _rows(name: str) -> list[list[str]]:
    text = resources.files("cunzhao.extract").joinpath("data").joinpath(name).read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


def _alternation(patterns: list[str], prefilter: bool = False) -> re.Pattern[str]:
    """One regex with a numbered group per alternative (lastindex tells which matched).

    With ``prefilter``, a lookahead on the characters the patterns use lets the scan skip
    most positions at once (no pattern may start with a wildcard).
    """
    body = "|".join(f"({p})" for p in patterns)
    if prefilter:
        chars = sorted({c for p in patterns for c in p if not c.isascii()})
        body = f"(?=[{''.join(chars)}])(?:{body})"
    return re.compile(body)


def _plain_groups(pattern: str) -> str:
    # Alternatives must not add capture groups of their own.
    return re.sub(r"\((?!\?)", "(?:", pattern)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Load and compile all lexicons (cached for the process)."""
    actions = {r[0]: (r[1], r[2]) for r in _rows("actions.tsv")}
    objects: dict[str, tuple[str, str]] = {}
    object_alts: list[str] = []
    object_ids: list[str] = []
    for oid, zh, en, pattern in _rows("objects.tsv"):
        objects[oid] = (zh, en)
        object_alts.append(_plain_groups(pattern))
        object_ids.append(oid)

    measure_alts: list[str] = []
    measure_rules: list[list[MeasureRule]] = []
    for pattern, action, objs, use in _rows("measures.tsv"):
        rule = MeasureRule(action, None if objs == "*" else frozenset(objs.split(",")), use)
        key = _plain_groups(pattern)
        if key in measure_alts:
            measure_rules[measure_alts.index(key)].append(rule)
        else:
            measure_alts.append(key)
            measure_rules.append([rule])

    measure_words = {
        w: (None if obj == "-" else obj, forced == "1")
        for w, obj, forced in _rows("measure_words.tsv")
    }
    kind_alts = [_plain_groups(p) for _, p in _rows("kinds.tsv")]
    kind_ids = [k for k, _ in _rows("kinds.tsv")]
    categories = {r[0]: Category(r[0], r[1], r[2]) for r in _rows("categories.tsv")}
    category_patterns = tuple((r[0], re.compile(r[3])) for r in _rows("categories.tsv"))
    regulator_pattern = re.compile("|".join(_plain_groups(r[0]) for r in _rows("regulators.tsv")))
    platforms = {fold(r[0]): r[1] for r in _rows("platforms.tsv")}
    names = sorted(platforms, key=len, reverse=True)
    platform_pattern = re.compile("|".join(re.escape(n) for n in names))
    markers: dict[str, re.Pattern[str]] = {}
    for kind, pattern in _rows("markers.tsv"):
        markers[kind] = re.compile(pattern)

    converters = [opencc.OpenCC(c) for c in ("s2t", "s2tw", "s2hk")]
    words = [r[0] for r in _rows("triggers.tsv")]
    triggers = set(words) | {c.convert(w) for c in converters for w in words}
    return Lexicon(
        actions=actions,
        objects=objects,
        categories=categories,
        measure_pattern=_alternation(measure_alts, prefilter=True),
        measure_rules=tuple(tuple(r) for r in measure_rules),
        object_pattern=_alternation(object_alts),
        object_by_group=tuple(object_ids),
        measure_words=measure_words,
        kind_pattern=_alternation(kind_alts),
        kind_by_group=tuple(kind_ids),
        category_patterns=category_patterns,
        regulator_pattern=regulator_pattern,
        platform_pattern=platform_pattern,
        platforms=platforms,
        markers=markers,
        triggers=re.compile(
            "|".join(re.escape(t) for t in sorted(triggers, key=len, reverse=True))
        ),
        trigger_words=frozenset(triggers),
    )


def _label(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    zh, en = table[key]
    return zh if lang == "zh" else en


def action_label(action: str, lang: str = "en") -> str:
    """Chinese (``lang="zh"``) or English label of an action id."""
    return _label(lexicon().actions, action, lang)


def object_label(obj: str, lang: str = "en") -> str:
    """Chinese or English label of an object id."""
    return _label(lexicon().objects, obj, lang)


def category_label(category: str, lang: str = "en") -> str:
    """Chinese or English label of a violation category id."""
    entry = lexicon().categories[category]
    return entry.zh if lang == "zh" else entry.en
