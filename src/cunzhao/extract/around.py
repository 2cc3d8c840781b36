"""What a count reads around itself, found once per clause, sentence and line of a document
instead of once per count: the measures of its clause, the periods before it in its sentence
and paragraph, the periods heading the report, the regulator its paragraph names last (its
scope), and the measure stated after it.

Every answer is what scanning from the count itself would give (``extract/scan.py``), so the
facts are the same; what changes is that a clause, sentence or line holding many counts is
read once — extraction stays linear however many counts a text crams into one of them.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from cunzhao.extract.document import Document
from cunzhao.extract.lexicon import Lexicon
from cunzhao.extract.measures import ClauseMeasures, Fitting, MeasureMatch, action_of
from cunzhao.extract.model import Period
from cunzhao.extract.period import Mentions, PeriodMention, find_periods
from cunzhao.extract.scan import Scan

__all__ = ["Around"]

_AFTER_PERIOD = re.compile(r"[,\s]*")
_JOINED = re.compile(r"[、和及与]")


class Around:
    """Scans of one document, each made on first use and kept."""

    def __init__(self, doc: Document, lex: Lexicon) -> None:
        self.doc, self.lex = doc, lex
        self._clauses: dict[int, ClauseMeasures] = {}
        self._regulators: dict[int, Scan] = {}  # by line start
        self._paragraphs: dict[int, Mentions] = {}  # by line start
        self._periods: dict[int, Mentions] = {}  # by sentence start
        self._end_only: dict[int, Scan] = {}  # by sentence start
        self._leads: tuple[list[int], list[Period]] | None = None
        self._next_fitting: dict[str | None, dict[int, int]] = {}

    def clause(self, pos: int) -> tuple[int, int, ClauseMeasures]:
        """The clause holding ``pos`` and its measures."""
        c_lo, c_hi = self.doc.clause(pos)
        found = self._clauses.get(c_lo)
        if found is None:
            found = self._clauses[c_lo] = ClauseMeasures(self.doc, self.lex, c_lo, c_hi)
        return c_lo, c_hi, found

    def periods(self, lo: int, hi: int) -> Mentions:
        """The period phrases of the sentence ``[lo, hi)``."""
        if lo not in self._periods:
            self._periods[lo] = Mentions(self.doc.masked, self.doc.published, lo, hi)
        return self._periods[lo]

    def end_only(self, lo: int, hi: int) -> Scan:
        """The words of the sentence ``[lo, hi)`` that give only the end of a span (截至)."""
        if lo not in self._end_only:
            self._end_only[lo] = Scan(self.lex.markers["end_only"], self.doc.masked, lo, hi)
        return self._end_only[lo]

    def _line(self, pos: int) -> tuple[int, int]:
        starts = self.doc.line_starts
        i = self.doc.line(pos)
        return starts[i], starts[i + 1] - 1 if i + 1 < len(starts) else len(self.doc.masked)

    def scope(self, pos: int) -> str | None:
        """The regulator named last before ``pos`` in its paragraph (全国网信系统 …)."""
        lo, hi = self._line(pos)
        if lo not in self._regulators:
            self._regulators[lo] = Scan(self.lex.regulator_pattern, self.doc.masked, lo, hi)
        found = self._regulators[lo].last(pos)
        return self.doc.folded[found.start() : found.end()] if found else None

    def opened_before(self, pos: int) -> PeriodMention | None:
        """The last 'since' phrase (3月10日以来) before ``pos`` in its paragraph."""
        lo, hi = self._line(pos)
        if lo not in self._paragraphs:
            self._paragraphs[lo] = Mentions(self.doc.masked, self.doc.published, lo, hi)
        return self._paragraphs[lo].last_since(pos)

    def lead_before(self, pos: int) -> Period | None:
        """The last period heading a report (2023年4月,全省网信系统…) before ``pos``."""
        if self._leads is None:
            found = _lead_periods(self.doc, self.lex)
            self._leads = ([start for start, _ in found], [p for _, p in found])
        i = bisect_left(self._leads[0], pos)
        return self._leads[1][i - 1] if i else None

    def right_action(self, obj: str, lo: int, hi: int) -> tuple[MeasureMatch, str] | None:
        """The measure stated after a count, in the first clause of ``[lo, hi)`` that states
        one with an action on ``obj``; None when there is none, or when that clause says what
        the counted did wrong or lists unrelated measures shared out among them."""
        if lo >= hi:
            return None
        c_lo, c_hi, measures = self.clause(lo)
        fitting = measures.fitting(obj)
        head, n = measures.after(max(lo, c_lo))
        found = [(m, a) for m in head if (a := action_of(self.lex, m, obj, True))]
        j = fitting.first_in(n)
        if found or j < len(fitting.items):
            return self._verdict(lo, c_lo, found, fitting, j)
        pos = self._skip(obj, c_hi + 1, hi)
        if pos >= hi:
            return None
        c_lo, _, measures = self.clause(pos)
        return self._verdict(lo, c_lo, [], measures.fitting(obj), 0)

    def _skip(self, obj: str, pos: int, hi: int) -> int:
        """The first clause start from ``pos`` on, before ``hi``, whose clause states a
        measure with an action on ``obj``; ``hi`` when none does. Each clause is looked at
        once per object: the answers of a walk are kept for every clause it passed."""
        known = self._next_fitting.setdefault(obj, {})
        walked: list[int] = []
        found = hi
        while pos < hi:
            if pos in known:
                found = known[pos]
                break
            walked.append(pos)
            _, c_hi, measures = self.clause(pos)
            if measures.fitting(obj).items:
                found = pos
                break
            pos = c_hi + 1
        for start in walked:
            known[start] = found
        return found

    def _verdict(
        self,
        lo: int,
        c_lo: int,
        head: list[tuple[MeasureMatch, str]],
        fitting: Fitting,
        j: int,
    ) -> tuple[MeasureMatch, str] | None:
        """Of the fitting measures ``head + fitting.items[j:]`` of one clause, the one a count
        at ``lo`` takes (the last), or None (see ``right_action``)."""
        masked, items = self.doc.masked, fitting.items
        rest = items[j : j + 1]  # the first of the rest, if any: items[j:] is not copied
        first, last = (head or rest)[0], items[-1] if rest else head[-1]
        if self.lex.markers["violation"].search(masked, max(lo, c_lo), first[0].start):
            return None  # 14款App存在……未提供账号注销功能: what they did wrong, not what was done
        differs = any(a != last[1] for _, a in head) or bool(rest and fitting.differs_from[j])
        pairs = zip(head, head[1:] + rest, strict=False)
        listed = any(_JOINED.search(masked, m1.end, m2.start) for (m1, _), (m2, _) in pairs) or (
            bool(rest) and fitting.listed_from[j]
        )
        shared_out = "分别" in masked[lo : first[0].start] or masked.startswith("等", last[0].end)
        if differs and listed and shared_out:
            return None  # 26款平台……分别采取了约谈、下架、关停服务等: unrelated measures
        return last  # 对4046家实施警告或罚款处罚: the last verb named


def _lead_periods(doc: Document, lex: Lexicon) -> list[tuple[int, Period]]:
    """Periods heading a report: a span right before a regulator that opens the counts."""
    out = []
    for lo, hi in doc.sentences:
        if not lex.regulator_pattern.search(doc.masked, lo, hi):
            continue
        for mention in find_periods(doc.masked, doc.published, lo, hi):
            if mention.period is None or mention.kind not in ("span", "since"):
                continue
            after = _AFTER_PERIOD.match(doc.masked, mention.end)
            pos = after.end() if after else mention.end
            if lex.regulator_pattern.match(doc.masked, pos):
                out.append((mention.start, mention.period))
    return out
