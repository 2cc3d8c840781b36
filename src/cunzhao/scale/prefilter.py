"""A cheap screen on a record's raw bytes: may this page hold an enforcement fact at all?

The words are the extractor's own (``extract/data/triggers.tsv``, as ``extract.lexicon``
loads them into ``Lexicon.trigger_words``: the enforcement and regulator words in simplified
and traditional script). The extractor only
reads the lines of a text that hold one of them, so a page none of them occurs in yields no
fact; ``scan`` parses only the pages that pass. The bytes are searched undecoded, for each
word as UTF-8, GB18030 and Big5 write it — the encodings the parse stage reads Chinese
pages in — and once more with numeric character references (``&#32422;``) written out.
The search is one RE2 automaton (Arrow's ``match_substring_regex``): linear in the bytes,
whatever the number of words.

What it can miss — a word split by markup (``约<b>谈</b>``), pinyin between its characters
(``關(guān)閉``), a page in another encoding (UTF-16) — the tests measure on the corpus
(docs/scale.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["ENCODINGS", "Prefilter"]

ENCODINGS = ("utf-8", "gb18030", "big5")
_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));")


class Prefilter:
    """Screens records' bytes: which may hold one of the words."""

    def __init__(self, words: Iterable[str]) -> None:
        spelled: set[bytes] = set()
        for word in words:
            for encoding in ENCODINGS:
                try:
                    spelled.add(word.encode(encoding))
                except UnicodeEncodeError:
                    continue  # a character this encoding lacks: the page cannot be in it
        if not spelled:
            raise ValueError("a prefilter needs at least one word")
        # binary input: RE2 reads the pattern byte by byte, each byte written \\xHH
        self.pattern = "|".join("".join(f"\\x{b:02x}" for b in w) for w in sorted(spelled))

    @classmethod
    def from_lexicon(cls) -> Prefilter:
        """The screen of the extractor's own trigger words."""
        from cunzhao.extract.lexicon import lexicon

        return cls(lexicon().trigger_words)

    def screen(self, records: Sequence[bytes]) -> list[bool]:
        """For each record, whether a word occurs in it (one automaton run for them all)."""
        if not records:
            return []
        written = [_REFERENCE.sub(_written_out, r) if b"&#" in r else r for r in records]
        found = pc.match_substring_regex(pa.array(written, pa.large_binary()), self.pattern)
        return [bool(v) for v in found.to_pylist()]


def _written_out(match: re.Match[bytes]) -> bytes:
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    try:
        return chr(code).encode("utf-8")
    except (ValueError, UnicodeEncodeError):  # beyond Unicode, or a lone surrogate
        return match[0]
