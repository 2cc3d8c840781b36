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


class Scan:
    """The matches of ``pattern`` in ``text[lo:limit]``, for any end up to ``limit``."""

    __slots__ = ("ends", "limit", "matches", "pattern", "starts", "text")

    def __init__(self, pattern: re.Pattern[str], text: str, lo: int, limit: int) -> None:
        self.pattern, self.text, self.limit = pattern, text, limit
        self.matches = list(pattern.finditer(text, lo, limit))
        self.starts = [m.start() for m in self.matches]
        self.ends = [m.end() for m in self.matches]

    def upto(self, hi: int) -> tuple[int, list[re.Match[str]]]:
        """``(n, tail)``: ``finditer(text, lo, hi)`` finds ``matches[:n] + tail``."""
        n = bisect_right(self.ends, hi)
        if n < len(self.matches) and self.matches[n].start() < hi:
            return n, list(self.pattern.finditer(self.text, self.matches[n].start(), hi))
        return n, []

    def last(self, hi: int) -> re.Match[str] | None:
        """The last match of ``finditer(text, lo, hi)``, if any."""
        n, tail = self.upto(hi)
        if tail:
            return tail[-1]
        return self.matches[n - 1] if n else None

    def any_before(self, hi: int) -> bool:
        """Whether ``pattern.search(text, lo, hi)`` finds anything."""
        return bool(self.matches) and (
            self.ends[0] <= hi or self.pattern.search(self.text, self.matches[0].start(), hi)
            is not None
        )

    def since(self, lo: int) -> tuple[list[re.Match[str]], int]:
        """``(head, n)``: ``finditer(text, lo, limit)`` finds ``head + matches[n:]``.

        ``head`` is empty unless a match runs over ``lo``; then the scan from ``lo`` is run
        until it meets a match of this one (from there on they agree).
        """
        n = bisect_left(self.starts, lo)
        if n == 0 or self.ends[n - 1] <= lo:
            return [], n
        head: list[re.Match[str]] = []
        for m in self.pattern.finditer(self.text, lo, self.limit):
            i = bisect_left(self.starts, m.start())
            if i < len(self.starts) and self.starts[i] == m.start():
                return head, i  # a match at a position is the same whoever scans
            head.append(m)
        return head, len(self.matches)
