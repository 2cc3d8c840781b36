"""Quantities as written in Chinese reports: 10646, 12,292, 2200万余, 13.4亿, 2万多, 一百余, 六千五百.

Works on folded text (half-width digits and punctuation). Chinese numerals are read by
cn2an; 万/亿 multipliers and qualifier words (余, 多, 以上, 约, 近, 不到 …) are handled here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import cn2an

__all__ = ["Quantity", "find_quantities", "parse_quantity"]

_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_CHINESE = r"[〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*"
_BEFORE = r"(?P<before>大约|约|近|将近|接近|超过|超|逾|不到|不足|至少|多达|达)?"
_NUMBER = (
    rf"(?P<num>{_ARABIC}|{_CHINESE})(?P<inner>余|多)?(?P<mult>万|亿)?(?P<mult2>万)?"
    rf"(?:(?:至|到|-|~|—)(?P<high>{_ARABIC}|{_CHINESE})(?P<hmult>万|亿)?)?"
    r"(?P<after>余|多)?"
)
_PATTERN = re.compile(_BEFORE + _NUMBER)
_FULL = re.compile(rf"^{_BEFORE}{_NUMBER}(?P<tail>以上|左右|上下|以下)?$")

_MULTIPLIERS = {"万": 10_000, "亿": 100_000_000, None: 1}
_AT_LEAST = {"余", "多", "超过", "超", "逾", "以上", "至少", "多达"}
_APPROX = {"约", "大约", "近", "将近", "接近", "左右", "上下"}
_AT_MOST = {"不到", "不足", "以下"}


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number found in text, with its qualifier and span (``start``/``end`` in that text)."""

    value: int
    qualifier: str
    start: int
    end: int
    chinese: bool  # written with Chinese numerals


def _number(text: str) -> Decimal:
    if text[0].isdigit():
        return Decimal(text.replace(",", ""))
    return Decimal(int(cn2an.cn2an(text, "smart")))


def _qualifier(*words: str | None) -> str:
    for word in words:
        if word in _AT_LEAST:
            return "at_least"
        if word in _APPROX:
            return "approx"
        if word in _AT_MOST:
            return "at_most"
    return "exact"


def _from_match(m: re.Match[str], tail: str | None = None) -> Quantity | None:
    try:
        base = _number(m["num"])
    except (InvalidOperation, ValueError, KeyError, IndexError):
        return None
    scale = _MULTIPLIERS[m["mult"]] * _MULTIPLIERS[m["mult2"]]
    if m["high"] and not m["mult"]:
        scale = _MULTIPLIERS[m["hmult"]]
    value = int(base * scale)
    qualifier = _qualifier(m["inner"], m["after"], tail, m["before"])
    if m["high"]:  # a range "A至B": at least its lower bound
        qualifier = "at_least"
    return Quantity(value, qualifier, m.start(), m.end(), not m["num"][0].isdigit())


def parse_quantity(text: str) -> Quantity:
    """Parse one quantity written alone, e.g. ``"2200万余"`` → 22000000, at_least.

    Raises ``ValueError`` naming the text when it is not a quantity.
    """
    m = _FULL.match(text.strip())
    q = _from_match(m, m["tail"]) if m else None
    if q is None:
        raise ValueError(f"not a quantity: {text!r}")
    return q


def find_quantities(
    text: str, lo: int = 0, hi: int | None = None, followed_by: re.Pattern[str] | None = None
) -> Iterator[Quantity]:
    """Every quantity in ``text[lo:hi]`` (folded), left to right; offsets index ``text``.

    With ``followed_by``, only quantities that pattern matches right after (a classifier).
    """
    for m in _PATTERN.finditer(text, lo, len(text) if hi is None else hi):
        if followed_by is not None and not followed_by.match(text, m.end()):
            continue
        q = _from_match(m)
        if q is not None:
            yield q


def qualifier_after(text: str, pos: int) -> tuple[str | None, int]:
    """A qualifier word (以上, 左右 …) written after a classifier at ``pos``, and where it ends."""
    for word in ("以上", "左右", "上下", "以下", "余", "多"):
        if text.startswith(word, pos):
            return _qualifier(word), pos + len(word)
    return None, pos
