"""One regex scan of a span, read back for any end or start: ``finditer(text, lo, hi)`` for
every ``hi`` (or every ``lo``), at the cost of one scan — so that looking back or ahead from
each of many facts over the same clause, sentence or line stays linear.

A scan bounded at ``hi`` finds the same matches as the scan to the span's end, up to the
first match that runs past ``hi``; from where that one starts, the bounded scan is run again
(a short stretch). This holds for patterns that look at nothing after their own match (no
``$``, ``\\b`` or lookahead beyond it) and match no empty string — those of ``extract/data``
and ``period.py``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

__all__ = ["Scan"]


_SHORT = 64  # a span this short is scanned again for each question: cheaper than keeping it


class Scan:
    """The matches of ``pattern`` in ``text[lo:limit]``, for any end up to ``limit``; made
    on first use. A short span is not kept: each question scans it again."""

    __slots__ = ("_ends", "_matches", "_starts", "limit", "lo", "pattern", "text")

    def __init__(self, pattern: re.Pattern[str], text: str, lo: int, limit: int) -> None:
        self.pattern, self.text, self.lo, self.limit = pattern, text, lo, limit
        self._matches: list[re.Match[str]] | None = None
        self._starts: list[int] = []
        self._ends: list[int] = []

    @property
    def matches(self) -> list[re.Match[str]]:
        """Every match of ``finditer(text, lo, limit)``."""
        if self._matches is None:
            self._matches = list(self.pattern.finditer(self.text, self.lo, self.limit))
            self._starts = [m.start() for m in self._matches]
            self._ends = [m.end() for m in self._matches]
        return self._matches

    @property
    def ends(self) -> list[int]:
        """Where each match ends."""
        self.matches  # noqa: B018 — made on first use
        return self._ends

    @property
    def starts(self) -> list[int]:
        """Where each match starts."""
        self.matches  # noqa: B018 — made on first use
        return self._starts

    def _short(self) -> bool:
        return self._matches is None and self.limit - self.lo <= _SHORT

    def upto(self, hi: int) -> tuple[int, list[re.Match[str]]]:
        """``(n, tail)``: ``finditer(text, lo, hi)`` finds ``matches[:n] + tail``."""
        if self._short():
            return 0, list(self.pattern.finditer(self.text, self.lo, hi))
        matches, ends = self.matches, self._ends
        n = bisect_right(ends, hi)
        if n < len(matches) and matches[n].start() < hi:
            return n, list(self.pattern.finditer(self.text, matches[n].start(), hi))
        return n, []

    def last(self, hi: int) -> re.Match[str] | None:
        """The last match of ``finditer(text, lo, hi)``, if any."""
        n, tail = self.upto(hi)
        if tail:
            return tail[-1]
        return self.matches[n - 1] if n else None

    def any_before(self, hi: int) -> bool:
        """Whether ``pattern.search(text, lo, hi)`` finds anything."""
        if self._short():
            return self.pattern.search(self.text, self.lo, hi) is not None
        matches = self.matches
        return bool(matches) and (
            self._ends[0] <= hi or self.pattern.search(self.text, matches[0].start(), hi)
            is not None
        )

    def since(self, lo: int) -> tuple[list[re.Match[str]], int]:
        """``(head, n)``: ``finditer(text, lo, limit)`` finds ``head + matches[n:]``.

        ``head`` is empty unless a match runs over ``lo``; then the scan from ``lo`` is run
        until it meets a match of this one (from there on they agree).
        """
        matches, starts = self.matches, self._starts
        n = bisect_left(starts, lo)
        if n == 0 or self._ends[n - 1] <= lo:
            return [], n
        head: list[re.Match[str]] = []
        for m in self.pattern.finditer(self.text, lo, self.limit):
            i = bisect_left(starts, m.start())
            if i < len(starts) and starts[i] == m.start():
                return head, i  # a match at a position is the same whoever scans
            head.append(m)
        return head, len(matches)
