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
    width = _COMPAT.sub(lambda m: _width_char(m.group()), text.translate(_WIDTH_TABLE))
    simple: str = _T2S.convert(width)
    if len(simple) != len(width):
        simple = "".join(fold_char(c) for c in width)
    return simple


# Full-width ASCII forms, the ideographic space and ASCII capitals, folded by str.translate.
_WIDTH_TABLE = {0xFF01 + i: 0x21 + i for i in range(0x5E)}
_WIDTH_TABLE[0x3000] = 0x20
_WIDTH_TABLE.update({c: c + 32 for c in range(0x41, 0x5B)})
_WIDTH_TABLE.update({c: c + 32 - 0xFF21 + 0x41 for c in range(0xFF21, 0xFF3B)})
# Other compatibility characters (enclosed numbers, CJK compatibility ideographs, half-width
# forms, Latin letters beyond ASCII) go through NFKC one by one; everything else is untouched.
_COMPAT = re.compile("[\u00c0-\u024f\u2000-\u2bff\u3200-\u33ff\uf900-\ufaff\ufe10-\ufe6f\uff00-\uffef]")


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
