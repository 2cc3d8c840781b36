"""Finding measure phrasings (约谈, 责令限期整改, 关闭…) and reading them as actions."""

from __future__ import annotations

from dataclasses import dataclass

from cunzhao.extract.document import Document
from cunzhao.extract.lexicon import Lexicon

__all__ = ["MeasureMatch", "action_of", "measures_in"]


@dataclass(frozen=True, slots=True)
class MeasureMatch:
    """A measure phrase at ``start:end``; ``alt`` indexes the lexicon's rules for it."""

    start: int
    end: int
    alt: int


def measures_in(doc: Document, lex: Lexicon, lo: int, hi: int) -> list[MeasureMatch]:
    """Measure phrases in ``masked[lo:hi]``, left to right, skipping conditional clauses."""
    out: list[MeasureMatch] = []
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
        assert m.lastindex is not None
        out.append(MeasureMatch(m.start(), m.end(), m.lastindex - 1))
    return out


def action_of(lex: Lexicon, match: MeasureMatch, obj: str | None, for_stats: bool) -> str | None:
    """The action a measure phrase means for this object (stats) or target kind (cases)."""
    for rule in lex.measure_rules[match.alt]:
        if rule.fits(obj, for_stats):
            return rule.action
    return None
