"""Text shown with marks: a body with its facts' evidence spans, and a diff of two versions.

Both produce (text, flag) pieces for the templates to escape; no HTML is built here.
Fact offsets index ``body``, which is the blocks' texts joined by "\n".
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from cunzhao import Block


class Evidence(Protocol):
    """A fact's evidence offsets into the body (``Stat`` and ``Case`` have them)."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


@dataclass(frozen=True)
class Span:
    text: str
    facts: tuple[str, ...] = ()  # ids of the facts whose evidence covers this text ("s0", "c1")
    starts: tuple[str, ...] = ()  # ids of the facts whose evidence starts here

    @property
    def kinds(self) -> str:
        """CSS classes: ``stat`` and/or ``case``."""
        return " ".join(sorted({"stat" if f[0] == "s" else "case" for f in self.facts}))


@dataclass(frozen=True)
class MarkedBlock:
    kind: str
    level: int
    spans: tuple[Span, ...]


def fact_spans(stats: Sequence[Evidence], cases: Sequence[Evidence],
               size: int) -> list[tuple[str, int, int]]:
    """(id, start, end) of every fact whose offsets lie inside a body of ``size`` characters."""
    out = []
    for prefix, facts in (("s", stats), ("c", cases)):
        for i, fact in enumerate(facts):
            if 0 <= fact.start < fact.end <= size:
                out.append((f"{prefix}{i}", fact.start, fact.end))
    return out


def marked_blocks(blocks: Sequence[Block], body: str, stats: Sequence[Evidence],
                  cases: Sequence[Evidence]) -> list[MarkedBlock]:
    """The body's blocks, each cut into spans at the facts' evidence boundaries."""
    texts = body.split("\n")
    if len(texts) != len(blocks) or any(t != b.text for t, b in zip(texts, blocks, strict=True)):
        shapes = [("p", 0)] * len(texts)  # blocks disagree with body: offsets follow the body
    else:
        shapes = [(b.kind, b.level) for b in blocks]
    facts = fact_spans(stats, cases, len(body))
    out, pos = [], 0
    for (kind, level), text in zip(shapes, texts, strict=True):
        lo, hi = pos, pos + len(text)
        cuts = {lo, hi}
        for _, s, e in facts:
            cuts.update(c for c in (s, e) if lo < c < hi)
        edges = sorted(cuts)
        spans = tuple(
            Span(body[a:b], tuple(f for f, s, e in facts if s < b and e > a),
                 tuple(f for f, s, _ in facts if s == a))
            for a, b in itertools.pairwise(edges)
            if b > a
        )
        out.append(MarkedBlock(kind, level, spans))
        pos = hi + 1
    return out


Op = Literal["equal", "delete", "insert", "replace", "skip"]


@dataclass(frozen=True)
class DiffRow:
    """One row of a side-by-side diff; pieces flagged True differ from the other side."""

    op: Op
    a: tuple[tuple[str, bool], ...] = ()
    b: tuple[tuple[str, bool], ...] = ()
    skipped: int = 0


def _inline(a: str, b: str) -> tuple[tuple[tuple[str, bool], ...], tuple[tuple[str, bool], ...]]:
    left: list[tuple[str, bool]] = []
    right: list[tuple[str, bool]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if i2 > i1:
            left.append((a[i1:i2], tag != "equal"))
        if j2 > j1:
            right.append((b[j1:j2], tag != "equal"))
    return tuple(left), tuple(right)


def block_diff(a: Sequence[str], b: Sequence[str], context: int = 2) -> list[DiffRow]:
    """Rows comparing two block lists; unchanged runs longer than 2×``context`` are folded."""
    rows: list[DiffRow] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            run = list(a[i1:i2])
            if len(run) > 2 * context + 1:
                head = run[:context] if rows else []
                tail = run[-context:] if i2 < len(a) or j2 < len(b) else []
                rows += [DiffRow("equal", ((t, False),), ((t, False),)) for t in head]
                rows.append(DiffRow("skip", skipped=len(run) - len(head) - len(tail)))
                rows += [DiffRow("equal", ((t, False),), ((t, False),)) for t in tail]
            else:
                rows += [DiffRow("equal", ((t, False),), ((t, False),)) for t in run]
        elif tag == "replace":
            left, right = list(a[i1:i2]), list(b[j1:j2])
            for k in range(max(len(left), len(right))):
                if k < len(left) and k < len(right):
                    la, rb = _inline(left[k], right[k])
                    rows.append(DiffRow("replace", la, rb))
                elif k < len(left):
                    rows.append(DiffRow("delete", ((left[k], True),)))
                else:
                    rows.append(DiffRow("insert", (), ((right[k], True),)))
        elif tag == "delete":
            rows += [DiffRow("delete", ((t, True),)) for t in a[i1:i2]]
        else:
            rows += [DiffRow("insert", (), ((t, True),)) for t in b[j1:j2]]
    return rows
