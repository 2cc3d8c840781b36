"""Snippets: a window of the original body around the first match, matches marked.

Matches are found in ``fold(body)`` (same length as ``body``) with a pattern per query term
that mirrors the index: CJK runs as exact substrings, Latin words on word boundaries, and
anything that is not a token character allowed between the parts of a phrase. The snippet
is then cut from the body as shown, so it keeps traditional characters and full-width forms.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from cunzhao.fold import fold
from cunzhao.search.query import Term
from cunzhao.search.tokenize import CJK_RANGES, token_runs

__all__ = ["Snippet", "make_snippet", "term_pattern"]

_LATIN = f"[^\\W_{CJK_RANGES}]"
_GAP = "[\\W_]*"


@dataclass(frozen=True)
class Snippet:
    """``segments``: (text, is_match) pieces in order; ``text``: them joined; ``html``: the
    same, escaped, matches in <mark>. All three are fields, so that the API serialises them."""

    text: str
    html: str
    segments: tuple[tuple[str, bool], ...]

    @classmethod
    def of(cls, segments: tuple[tuple[str, bool], ...]) -> Snippet:
        return cls(
            "".join(s for s, _ in segments),
            "".join(f"<mark>{html.escape(s)}</mark>" if hit else html.escape(s)
                    for s, hit in segments),
            segments,
        )


def term_pattern(term_text: str) -> re.Pattern[str] | None:
    """The pattern that finds a term in folded text (None when it has no token characters)."""
    folded = fold(term_text)
    parts = []
    for cjk, start, end in token_runs(folded):
        piece = re.escape(folded[start:end])
        parts.append(piece if cjk else f"(?<!{_LATIN}){piece}(?!{_LATIN})")
    return re.compile(_GAP.join(parts)) if parts else None


def make_snippet(
    body: str, terms: Iterable[Term], width: int = 120, folded: str | None = None
) -> Snippet:
    """A window of about ``width`` characters of ``body`` around the first match of any term.

    ``folded`` is ``fold(body)`` when the caller has it (the archive stores it).
    """
    if folded is None or len(folded) != len(body):
        folded = fold(body)
    patterns = [p for p in (term_pattern(t.text) for t in terms) if p is not None]
    starts = [m.start() for m in (_first(p, folded) for p in patterns) if m is not None]
    if not starts:
        cut = body[:width].rstrip().replace("\n", " ")
        return Snippet.of(((cut + ("…" if len(body) > width else ""), False),))
    start = max(0, min(min(starts) - width // 3, len(body) - width))
    end = min(len(body), start + width)
    spans = sorted(span for p in patterns for span in _spans_before(p, folded, end))
    segments: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    pos = start
    for s, e in _merge(spans):
        if e <= pos or s >= end:
            continue
        s, e = max(s, pos), min(e, end)
        if s > pos:
            segments.append((body[pos:s], False))
        segments.append((body[s:e], True))
        pos = e
    if pos < end:
        segments.append((body[pos:end], False))
    if end < len(body):
        segments.append(("…", False))
    return Snippet.of(tuple((t.replace("\n", " "), hit) for t, hit in segments))


def _first(pattern: re.Pattern[str], folded: str) -> re.Match[str] | None:
    """The first non-empty match (a common term matches thousands of times: stop there)."""
    return next((m for m in pattern.finditer(folded) if m.end() > m.start()), None)


def _spans_before(pattern: re.Pattern[str], folded: str, end: int) -> list[tuple[int, int]]:
    """The non-empty matches that start before ``end``, in order."""
    spans = []
    for m in pattern.finditer(folded):
        if m.start() >= end:
            break
        if m.end() > m.start():
            spans.append(m.span())
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
