"""Finding measure phrasings (约谈, 责令限期整改, 关闭…) and reading them as actions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cunzhao.extract.document import Document
from cunzhao.extract.lexicon import Lexicon
from cunzhao.extract.scan import Scan

_JOINED = re.compile(r"[、和及与]")

__all__ = [
    "ClauseMeasures",
    "Fitting",
    "MeasureMatch",
    "action_of",
    "has_measure",
    "measures_in",
]


@dataclass(frozen=True, slots=True)
class MeasureMatch:
    """A measure phrase at ``start:end``; ``alt`` indexes the lexicon's rules for it."""

    start: int
    end: int
    alt: int


def measures_in(doc: Document, lex: Lexicon, lo: int, hi: int) -> list[MeasureMatch]:
    """Measure phrases in ``masked[lo:hi]``, left to right, skipping conditional clauses."""
    return list(_measures(doc, lex, lo, hi))


def has_measure(doc: Document, lex: Lexicon, lo: int, hi: int) -> bool:
    """Whether ``measures_in(doc, lex, lo, hi)`` finds any (reading no further than the first)."""
    return next(_measures(doc, lex, lo, hi), None) is not None


def _measures(doc: Document, lex: Lexicon, lo: int, hi: int) -> Iterator[MeasureMatch]:
    conditional = lex.markers["conditional"]
    skip_until = -1
    for m in lex.measure_pattern.finditer(doc.masked, lo, hi):
        c_lo, c_hi = doc.clause(m.start())
        if m.start() < skip_until:
            continue
        if conditional.match(doc.masked, c_lo, c_hi):
            # "逾期未完成整改的,依法予以下架" — the clause and the next one are hypothetical.
            _, next_hi = doc.clause(c_hi + 1)
            skip_until = next_hi
            continue
        yield _match(m)


class ClauseMeasures:
    """``measures_in(doc, lex, lo, hi)`` for any ``lo``/``hi`` inside one clause
    ``[c_lo, c_hi)``, from one scan (``Scan``), and what a count asks of them: the last
    measure before it with an action on its object, those after it that have one."""

    __slots__ = ("_fitting", "_lex", "_scan", "_skipped", "_text", "all")

    def __init__(self, doc: Document, lex: Lexicon, c_lo: int, c_hi: int) -> None:
        self._lex, self._text = lex, doc.masked
        # "逾期未完成整改的,依法予以下架": a conditional clause states no measure
        self._skipped = lex.markers["conditional"].match(doc.masked, c_lo, c_hi) is not None
        self._scan = Scan(lex.measure_pattern, doc.masked, c_lo, c_hi)
        self.all = [] if self._skipped else [_match(m) for m in self._scan.matches]
        self._fitting: dict[str | None, Fitting] = {}

    def before(self, hi: int) -> tuple[int, list[MeasureMatch]]:
        """``(n, tail)``: the measures in ``[c_lo, hi)`` are ``all[:n] + tail``."""
        if self._skipped:
            return 0, []
        n, tail = self._scan.upto(hi)
        return n, [_match(m) for m in tail]

    def after(self, lo: int) -> tuple[list[MeasureMatch], int]:
        """``(head, n)``: the measures in ``[lo, c_hi)`` are ``head + all[n:]``."""
        if self._skipped:
            return [], 0
        head, n = self._scan.since(lo)
        return [_match(m) for m in head], n

    def fitting(self, obj: str | None) -> Fitting:
        """The clause's measures that have an action on ``obj`` (for stats)."""
        if obj not in self._fitting:
            self._fitting[obj] = Fitting(self._lex, self._text, self.all, obj)
        return self._fitting[obj]


class Fitting:
    """The measures of a clause that have an action on one object, with their actions, and
    what a count asks of them from any position on, each answered at once."""

    __slots__ = ("differs_from", "items", "last_upto", "listed_from", "starts")

    def __init__(self, lex: Lexicon, text: str, measures: list[MeasureMatch], obj: str | None):
        self.items: list[tuple[MeasureMatch, str]] = []
        self.last_upto = [-1]  # for the first i measures: index in items of the last fitting
        for m in measures:
            action = action_of(lex, m, obj, True)
            if action:
                self.items.append((m, action))
            self.last_upto.append(len(self.items) - 1)
        self.starts = [m.start for m, _ in self.items]
        # from item j on: does an action differ from the last one; are two of them listed
        # (约谈、下架: joined by 、和及与)
        n = len(self.items)
        self.differs_from, self.listed_from = [False] * (n + 1), [False] * (n + 1)
        for j in range(n - 2, -1, -1):
            self.differs_from[j] = self.differs_from[j + 1] or self.items[j][1] != self.items[-1][1]
            gap = text[self.items[j][0].end : self.items[j + 1][0].start]
            self.listed_from[j] = self.listed_from[j + 1] or _JOINED.search(gap) is not None

    def first_in(self, n: int) -> int:
        """Index in ``items`` of the first fitting measure among the clause's ``all[n:]``."""
        return self.last_upto[n] + 1

    def last_before(self, n: int) -> tuple[MeasureMatch, str] | None:
        """The last fitting measure among the first ``n`` of the clause."""
        i = self.last_upto[n]
        return self.items[i] if i >= 0 else None


def _match(m: re.Match[str]) -> MeasureMatch:
    assert m.lastindex is not None
    return MeasureMatch(m.start(), m.end(), m.lastindex - 1)


def action_of(lex: Lexicon, match: MeasureMatch, obj: str | None, for_stats: bool) -> str | None:
    """The action a measure phrase means for this object (stats) or target kind (cases)."""
    for rule in lex.measure_rules[match.alt]:
        if rule.fits(obj, for_stats):
            return rule.action
    return None
