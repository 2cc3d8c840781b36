"""Which regulator acts on the names of a sentence: the nearest one named before them — in
"A指导B" (A guiding B) it is A — else the first one named after them.

The sentence's regulators are scanned once (``extract/scan.py``) and the walk back over
"指导"/"会同" is kept for each of them, so that a sentence with many names and regulators
is read in one pass, with the answers scanning from each name would give.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from cunzhao.extract.document import Document
from cunzhao.extract.lexicon import Lexicon
from cunzhao.extract.scan import Scan

__all__ = ["SentenceRegulators"]

_GUIDING = ("指导", "会同")  # 北京市网信办指导属地网信部门…: the first one acts


class SentenceRegulators:
    """The regulators named in one sentence ``[lo, hi)``."""

    def __init__(self, doc: Document, lex: Lexicon, lo: int, hi: int) -> None:
        self._masked = doc.masked
        self.scan = Scan(lex.regulator_pattern, doc.masked, lo, hi)
        self._root: list[int] = []  # walking back over A指导B from each regulator: A's index
        for i, m in enumerate(self.scan.matches):
            self._root.append(self._root[i - 1] if i and self._guided(m) else i)

    def _guided(self, m: re.Match[str]) -> bool:
        return self._masked[max(0, m.start() - 2) : m.start()] in _GUIDING

    def acting(self, names_start: int, hi: int) -> re.Match[str] | None:
        """Of the regulators named in ``[lo, hi)``: the last one ending by ``names_start``,
        walked back over 指导/会同 to the one guiding; else the first; else None."""
        matches = self.scan.matches
        n, tail = self.scan.upto(hi)  # the regulators in [lo, hi): matches[:n] + tail
        k = min(n, bisect_right(self.scan.ends, names_start))
        before_tail = [m for m in tail if m.end() <= names_start] if k == n else []
        j = len(before_tail) - 1
        while j >= 0 and k + j > 0 and self._guided(before_tail[j]):
            j -= 1
        if j >= 0:
            return before_tail[j]
        if k:
            return matches[self._root[k - 1]]
        if n:
            return matches[0]
        return tail[0] if tail else None
