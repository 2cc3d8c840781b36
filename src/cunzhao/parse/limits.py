"""Bounds on the work one input may cause: page size, HTML nesting, clause and sentence
length, and a time budget for parsing and extracting one capture.

Every stage is linear in its input once these caps hold, so the caps bound time and memory;
the time budget is the backstop for what they do not foresee. It is cooperative (no signals,
so it works in any thread): parse and extract call :meth:`Deadline.check` between their steps
and inside their loops (per block, per sentence), and the first check after the budget is
spent raises :class:`OverBudget`, a ``ParseError`` — the capture fails with that reason and
the batch goes on. A single call into C (lexbor building a tree, one regex scan) cannot be
interrupted; the caps bound each such call by the size of its input.

Defaults suit real pages with a wide margin (docs/parse.md). Each can be set in the
environment (``Limits.from_env``; ``cunzhao ingest`` reads it) or passed in code.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from cunzhao.parse.errors import ParseError

__all__ = ["ENV", "NO_DEADLINE", "Deadline", "Limits", "OverBudget"]

# Limits field → the environment variable that sets it (the extraction bounds change what is
# extracted, so they are set in code, not per deployment).
ENV = {
    "page_bytes": "CUNZHAO_MAX_PAGE_BYTES",
    "depth": "CUNZHAO_MAX_DEPTH",
    "seconds": "CUNZHAO_TIME_BUDGET",
}


@dataclass(frozen=True)
class Limits:
    """``page_bytes``: a page larger than this is not parsed (a named failure).
    ``depth``: HTML elements nested deeper than this are read as if at this depth (their
    tags dropped, their text kept), as browsers do. ``clause_chars``/``sentence_chars``:
    extraction reads a clause (sentence) with no punctuation in that long as if one stood
    there, so the context a fact is read in is never longer. ``seconds``: the time budget of
    parsing and extracting one capture (0: none)."""

    page_bytes: int = 8 << 20
    depth: int = 512
    clause_chars: int = 500
    sentence_chars: int = 2000
    seconds: float = 20.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults, overridden by the variables of :data:`ENV` that are set."""
        env = os.environ if environ is None else environ
        base = cls()
        return replace(
            base,
            page_bytes=int(_setting(env, "page_bytes", base.page_bytes)),
            depth=int(_setting(env, "depth", base.depth)),
            seconds=_setting(env, "seconds", base.seconds),
        )

    def deadline(self, source: str) -> Deadline:
        """A deadline ``seconds`` from now for the capture named ``source``."""
        return Deadline(self.seconds, source) if self.seconds > 0 else NO_DEADLINE


def _setting(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(ENV[name], "").strip()
    if not raw:
        return default
    whole = isinstance(default, int)
    try:
        value = int(raw) if whole else float(raw)
    except ValueError:
        kind = "a whole number" if whole else "a number of seconds"
        raise ValueError(f"{ENV[name]}={raw!r}: not {kind}") from None
    if value < 0 or (whole and value == 0):
        raise ValueError(f"{ENV[name]}={raw!r}: must be more than 0")
    return value


class OverBudget(ParseError):
    """Parsing and extracting one capture took longer than its time budget."""


class Deadline:
    """The moment one capture's time budget is spent; :meth:`check` raises after it."""

    __slots__ = ("_at", "_clock", "seconds", "source")

    def __init__(
        self, seconds: float, source: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.seconds, self.source, self._clock = seconds, source, clock
        self._at = clock() + seconds if seconds > 0 else float("inf")

    def check(self, where: str) -> None:
        """Raise ``OverBudget`` when the budget is spent; ``where``: the step under way."""
        if self._clock() > self._at:
            raise OverBudget(
                self.source,
                f"parse/extract took longer than {self.seconds:g} s (stopped in {where}; "
                f"the budget is {ENV['seconds']})",
            )


NO_DEADLINE = Deadline(0.0, "<no deadline>")
