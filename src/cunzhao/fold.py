"""Search folding: width, case and traditional→simplified, keeping every character's offset.

``fold(text)`` returns a string of exactly ``len(text)`` characters, so an offset found in
folded text is the same offset in the text as shown. Extraction and search both run on
folded text; what is displayed is never folded.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

__all__ = ["fold", "fold_char"]

_T2S = opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def fold_char(ch: str) -> str:
    """Fold one character: full-width → half-width, Latin lower case, traditional → simplified."""
    width = unicodedata.normalize("NFKC", ch)
    if len(width) != 1:
        width = ch
    if width == "\u3000":
        width = " "
    lower = width.lower()
    if len(lower) == 1:
        width = lower
    simple = _T2S.convert(width)
    return simple if len(simple) == 1 else width


def fold(text: str) -> str:
    """Fold a whole text; same length as ``text``.

    Whole-text conversion lets OpenCC use phrase context (e.g. 乾 in 乾隆 vs 干燥); where it
    would change the length, we fall back to character-by-character folding.
    """
    width = _WIDE.sub(_width_match, text)
    simple: str = _T2S.convert(width)
    if len(simple) != len(width):
        simple = "".join(fold_char(c) for c in width)
    return simple


# Characters that width/case folding may change: ASCII capitals, the ideographic space,
# full-width and half-width forms, and compatibility characters (enclosed numbers, CJK
# compatibility ideographs, Latin letters beyond ASCII). One regex pass finds them (they are
# a few per cent of a Chinese text); each is folded alone. Everything else is untouched.
_WIDE = re.compile(
    "[A-Z\u00c0-\u024f\u2000-\u2bff\u3000\u3200-\u33ff\uf900-\ufaff\ufe10-\ufe6f\uff00-\uffef]"
)


def _width_match(match: re.Match[str]) -> str:
    return _width_char(match.group())


@lru_cache(maxsize=65536)
def _width_char(ch: str) -> str:
    if ch.isascii():
        return ch.lower()
    if ch == "\u3000":
        return " "
    width = unicodedata.normalize("NFKC", ch)
    if len(width) != 1:
        width = ch
    lower = width.lower()
    return lower if len(lower) == 1 else width
