"""A text prepared for matching: folded, quoted names masked, split into sentences and clauses.

Only lines that contain an enforcement word (in either script) are folded and read; the rest
of the text is kept as is, which keeps extraction fast on long pages about other things.
Folding keeps length, so every offset here is an offset into the original text.

Clauses and sentences are bounded (``Limits.clause_chars``, ``Limits.sentence_chars``): a
clause longer than that with no punctuation is cut every so many characters, as if a comma
stood there, and a longer sentence at its last clause end that fits, so the context any fact
is read in stays short — and the work per fact with it — however the text runs on. A cut
sentence's parts are all hedged when the sentence is.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date

from cunzhao.extract.lexicon import Lexicon
from cunzhao.fold import fold
from cunzhao.parse.limits import Limits

__all__ = ["MASK", "Document", "display_name", "prepare"]

MASK = "□"
_QUOTED = re.compile(
    r"“[^“”\n]{1,40}”|「[^「」\n]{1,40}」|『[^『』\n]{1,40}』|《[^《》\n]{1,60}》|‘[^‘’\n]{1,40}’"
)
# Pinyin ruby left in the text by some mirrors: 网(wǎng)信办; at least one tone mark.
_RUBY = re.compile(r"\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*\)")
# A "?" run into Latin letters (传输?shù)的, 严重?cái)_乱) is mojibake a mirror left, not a question.
# Symbols and letters that spam templates sprinkle between words (✿◈◈◈ღ); □ is kept (MASK).
_NOISE = re.compile(
    "[\u2190-\u21ff\u2300-\u23ff\u25a0\u25a2-\u27bf\u2900-\u2bff\u10a0-\u10ff"
    "\U0001f300-\U0001faff]+"
)
_SENTENCE_END = re.compile(r"[。!\n]|\?(?![a-z])")
_CLAUSE_END = re.compile(r"[,;:。!\n]|\?(?![a-z])|\s{2,}|(?<=[^\x00-\x7f])\s(?=[^\x00-\x7f])")


@dataclass(slots=True)
class Document:
    """Original text, its folded and masked forms, and where sentences and clauses end."""

    original: str  # the text read (ruby annotations such as "(wàn)" taken out)
    folded: str
    masked: str  # folded, with quoted names and skipped lines blanked out
    published: date | None
    sentences: list[tuple[int, int]]
    clause_ends: list[int]
    line_starts: list[int]
    hedged: set[int] = field(default_factory=set)  # sentence starts
    source: str = ""  # the text as given
    offsets: list[int] | None = None  # position in ``original`` -> position in ``source``
    measure_starts: list[int] = field(default_factory=list)

    def span(self, start: int, end: int) -> tuple[int, int, str]:
        """Offsets and text in the text as given, for ``original[start:end]``."""
        if self.offsets is None:
            return start, end, self.source[start:end]
        s, e = (
            self.offsets[start],
            self.offsets[end - 1] + 1 if end > start else self.offsets[start],
        )
        return s, e, self.source[s:e]

    def clause(self, pos: int) -> tuple[int, int]:
        """Bounds of the clause holding ``pos``."""
        i = bisect_right(self.clause_ends, pos)
        lo = self.clause_ends[i - 1] + 1 if i > 0 else 0
        hi = self.clause_ends[i] if i < len(self.clause_ends) else len(self.masked)
        return lo, hi

    def has_measure(self, lo: int, hi: int) -> bool:
        """Whether a measure phrase starts in ``[lo, hi)``."""
        i = bisect_right(self.measure_starts, lo - 1)
        return i < len(self.measure_starts) and self.measure_starts[i] < hi

    def line(self, pos: int) -> int:
        """Index of the line holding ``pos``."""
        return bisect_right(self.line_starts, pos) - 1


# 关闭的账号名单 / 名单如下: a heading whose lines below each name one target
_ROSTER_HEAD = re.compile(r"名单(?:如下)?[:]?\s*$")
_ROSTER_LINE = 40


def prepare(
    text: str,
    published: date | None,
    lex: Lexicon,
    folded_text: str | None = None,
    limits: Limits | None = None,
) -> Document | None:
    """Fold the relevant lines of ``text``; None when no line is relevant.

    ``folded_text`` is ``fold(text)`` when the caller has it already (ingest folds each body
    once, for the store and for here); its lines are then taken instead of folding again.
    ``limits``: the clause and sentence bounds (default ``Limits()``).
    """
    limits = limits or Limits()
    parts: list[str] = []
    relevant: list[bool] = []
    navigation = lex.markers["navigation"]
    hits = _trigger_lines(text, lex)
    if folded_text is not None and len(folded_text) != len(text):
        folded_text = None  # not fold(text): folding keeps length
    start = 0
    roster = False  # under a 名单 heading: its short lines are read too, a name or so each
    for i, line in enumerate(text.split("\n")):
        end = start + len(line)
        under = roster and len(line.strip()) <= _ROSTER_LINE
        # ……关闭违法网站8868家。\n其中,“A”“B”等属于……: the names of that count
        under = under or (bool(relevant) and relevant[-1] and line.lstrip().startswith("其中"))
        if under or i in hits or ("(" in line and lex.triggers.search(_RUBY.sub("", line))):
            # 關(guān)閉: pinyin between the characters of an enforcement word
            folded_line = fold(line) if folded_text is None else folded_text[start:end]
            keep = not navigation.search(folded_line)
            parts.append(folded_line if keep else " " * len(line))
            relevant.append(keep)
            roster = (roster and under) or _ROSTER_HEAD.search(folded_line) is not None
        else:
            parts.append(line)
            relevant.append(False)
            roster = roster and not line.strip()
        start = end + 1
    if not any(relevant):
        return None
    folded = "\n".join(parts)
    original, offsets = text, None
    if _RUBY.search(folded) or _NOISE.search(folded):
        keep_char = [True] * len(folded)
        for pattern in (_RUBY, _NOISE):
            for m in pattern.finditer(folded):
                keep_char[m.start() : m.end()] = [False] * (m.end() - m.start())
        offsets = [i for i, k in enumerate(keep_char) if k]
        offsets.append(len(text))
        original = "".join(text[i] for i in offsets[:-1])
        folded = "".join(folded[i] for i in offsets[:-1])
    masked = _QUOTED.sub(lambda m: m[0][0] + MASK * (len(m[0]) - 2) + m[0][-1], folded)

    sentences: list[tuple[int, int]] = []
    hedged: set[int] = set()
    clause_ends: list[int] = []
    measure_starts: list[int] = []
    line_starts: list[int] = []
    hedge = lex.markers["hedge"]
    lo = 0
    for is_relevant, line in zip(relevant, masked.split("\n"), strict=True):
        hi = lo + len(line)
        line_starts.append(lo)
        if is_relevant:
            ends = _bounded(
                [m.start() for m in _CLAUSE_END.finditer(masked, lo, hi)], lo, hi,
                limits.clause_chars,
            )
            start = lo
            for m in _SENTENCE_END.finditer(masked, lo, hi):
                if m.start() > start:
                    # a question asserts nothing, nor hearsay
                    doubt = m.group() == "?" or hedge.search(masked, start, m.start())
                    _add_sentence(sentences, hedged, ends, start, m.start(), bool(doubt),
                                  limits.sentence_chars)
                start = m.end()
            if start < hi:
                _add_sentence(sentences, hedged, ends, start, hi,
                              bool(hedge.search(masked, start, hi)), limits.sentence_chars)
            clause_ends += ends
            measure_starts += [m.start() for m in lex.measure_pattern.finditer(masked, lo, hi)]
        clause_ends.append(hi)
        lo = hi + 1
    return Document(
        original,
        folded,
        masked,
        published,
        sentences,
        clause_ends,
        line_starts,
        hedged,
        text,
        offsets,
        measure_starts,
    )


def _bounded(ends: list[int], lo: int, hi: int, most: int) -> list[int]:
    """Clause ends of a line ``[lo, hi)``, with cuts so that no clause is over ``most`` long."""
    if hi - lo <= most:
        return ends
    out: list[int] = []
    start = lo
    for end in [*ends, hi]:
        while end - start > most:  # a cut takes the place of a punctuation mark
            out.append(start + most)
            start += most + 1
        if end < hi:
            out.append(end)
        start = end + 1
    return out


def _add_sentence(
    sentences: list[tuple[int, int]],
    hedged: set[int],
    ends: list[int],
    lo: int,
    hi: int,
    doubt: bool,
    most: int,
) -> None:
    """Add the sentence ``[lo, hi)``, in parts of at most ``most`` that end at clause ends
    (``ends``, sorted) when it is longer."""
    parts = [(lo, hi)]
    if hi - lo > most:
        parts, start, last = [], lo, None
        for end in [*ends[bisect_right(ends, lo) : bisect_left(ends, hi)], hi]:
            if end - start > most and last is not None:
                parts.append((start, last))
                start = last + 1
            last = end
        parts.append((start, hi))
    sentences += parts
    if doubt:
        hedged.update(start for start, _ in parts)


def _trigger_lines(text: str, lex: Lexicon) -> set[int]:
    """Indexes of the lines holding an enforcement word (one scan of the whole text)."""
    lines: set[int] = set()
    line, pos = 0, 0
    for m in lex.triggers.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        lines.add(line)
    return lines


def display_name(doc: Document, start: int, end: int) -> str:
    """A name as written, in simplified script (Latin letters keep their case)."""
    out = []
    for o, f in zip(doc.original[start:end], doc.folded[start:end]):
        if o.isascii():
            out.append(o)
        elif f.isascii():
            out.append(unicodedata.normalize("NFKC", o))
        else:
            out.append(f)
    return "".join(out).strip()
