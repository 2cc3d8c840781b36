"""Bytes → text: UTF-8 (with or without BOM), GB18030/GBK/GB2312, Big5 and Windows-1252 —
damaged bytes included, read with replacement characters and counted.

Order: a byte-order mark (UTF-8, UTF-16); strict UTF-8; the declared charset strictly (the
caller's, e.g. from an HTTP ``Content-Type``, then a ``<meta charset>`` / ``http-equiv``
declaration in the first bytes); UTF-8 when at most 1 in 20 of the non-ASCII bytes fails
(a damaged UTF-8 page: other text is almost never nearly valid UTF-8); charset-normalizer,
restricted to the Chinese encodings, strictly. Then the candidates — declared, UTF-8,
GB18030, Big5 (CP950, Big5-HKSCS) and Windows-1252, the browsers' default for an undeclared
Western page — decoded with U+FFFD for each undecodable sequence: of those replacing few
(3, or 1 in 20 of the non-ASCII bytes), the text that reads least like mojibake
(charset-normalizer's mess ratio: GB18030 reads Big5 bytes with next to no replacements, so
their count alone cannot choose), then the one replacing fewest; failing that, the same
among those replacing at most 1 in 20 of all bytes. GBK and GB2312 are decoded as GB18030,
their superset, and Big5 falls back to CP950 and Big5-HKSCS, so one stray extension
character does not fail a whole page.

``Decoded.errors`` counts the replacements; a NUL byte, which no text page holds and
PostgreSQL cannot store, is replaced and counted too. Binary data — many control bytes, or
mostly undecodable — is refused. The raw bytes are never changed: only the returned text
loses its BOM.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from typing import NamedTuple

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

from cunzhao.parse.errors import ParseError

__all__ = ["Decoded", "declared_charset", "decode", "decode_replacing"]

# Python codec name → the codecs tried, in order (a superset after its subset).
_SUPERSETS: dict[str, tuple[str, ...]] = {
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "gb18030": ("gb18030",),
    "big5": ("big5", "cp950", "big5hkscs"),
    "cp950": ("cp950", "big5hkscs"),
    "big5hkscs": ("big5hkscs",),
}
_CANDIDATES = ["gb18030", "big5", "cp950", "big5hkscs"]
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_META = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SNIFF_BYTES = 4096
# C0 controls other than tab, LF, VT, FF, CR (NUL included), and DEL: text has next to none,
# binary data many. Counted on the bytes: in UTF-8, GB18030 and Big5 a byte below 0x40 is
# always ASCII. A single one is damage, not binary data.
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 0x09 or 0x0E <= b < 0x20 or b == 0x7F))
_ASCII = bytes(range(0x80))
_CHECKED_BYTES = 65536
_MAX_CONTROL_RATIO = 0.01
# Damage, not a wrong encoding: replacements at most 1 in 20 of the non-ASCII bytes (the
# encoding fits the page), or — last resort — 1 in 20 of the characters.
_FIT_RATIO = 20
_FEW = 3  # replacements one damaged byte can cause
_MESS_SAMPLE = 20000  # characters judged for mojibake


class Decoded(NamedTuple):
    """Decoded text, the encoding (a Python codec name) and how many undecodable byte
    sequences became U+FFFD (0 for intact bytes)."""

    text: str
    encoding: str
    errors: int


def declared_charset(data: bytes) -> str | None:
    """The charset a ``<meta>`` tag in the first 4 KiB declares, as written, or None."""
    match = _META.search(data, 0, _SNIFF_BYTES)
    return match.group(1).decode("ascii").lower() if match else None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """``decode_replacing`` without the count: ``(text, encoding)``."""
    found = decode_replacing(data, declared)
    return found.text, found.encoding


def decode_replacing(data: bytes, declared: str | None = None) -> Decoded:
    """Decode ``data`` (``declared``: a charset the caller knows, e.g. from HTTP).

    Raises ``ParseError`` (source ``"<bytes>"``; callers re-raise with their path) for binary
    data: many control bytes, or bytes that no candidate encoding reads as mostly text.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _without_nul(_replacing(data, codec))
    head = data[:_CHECKED_BYTES]
    controls = len(head.translate(None, _NOT_CONTROL))
    if controls > max(1, _MAX_CONTROL_RATIO * len(head)):
        kind = "NUL bytes" if b"\x00" in head else "control characters"
        raise ParseError("<bytes>", f"binary data ({kind}), not a text page")
    stated = [codec for charset in (declared, declared_charset(data))
              for codec in _codecs(charset)]
    non_ascii = len(data.translate(None, _ASCII))
    fits = non_ascii // _FIT_RATIO
    judged = [*stated, "utf-8", *_CANDIDATES, "cp1252"]
    found = (
        _first_strict(data, ["utf-8", *stated])
        or _replaced(data, ["utf-8"], fits)
        or _guessed(data)
        or _replaced(data, judged, max(_FEW, fits))
        or _replaced(data, judged, len(data) // _FIT_RATIO)
    )
    if found is None:
        raise ParseError(
            "<bytes>", "undecodable bytes: not UTF-8, GB18030, Big5 or Windows-1252"
        )
    return _without_nul(found)


def _codecs(charset: str | None) -> tuple[str, ...]:
    if not charset:
        return ()
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        return ()
    return _SUPERSETS.get(name, (name,))


def _first_strict(data: bytes, candidates: Iterable[str]) -> Decoded | None:
    for codec in candidates:
        try:
            return Decoded(data.decode(codec), codec, 0)
        except UnicodeDecodeError:
            continue
    return None


def _guessed(data: bytes) -> Decoded | None:
    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is None or best.encoding is None:
        return None
    return _first_strict(data, _SUPERSETS.get(best.encoding, (best.encoding,)))


def _replaced(data: bytes, candidates: Iterable[str], most: int) -> Decoded | None:
    """Of the candidates replacing at most ``most`` sequences, the one whose text reads
    least like mojibake (charset-normalizer's mess ratio), then the one replacing fewest."""
    fitting = [found for codec in dict.fromkeys(candidates)
               if (found := _replacing(data, codec)).errors <= most]
    if len(fitting) < 2:
        return fitting[0] if fitting else None
    return min(fitting, key=lambda found: (mess_ratio(found.text[:_MESS_SAMPLE], 1.0), found.errors))


def _replacing(data: bytes, codec: str) -> Decoded:
    text = data.decode(codec, "replace")
    # "replace" puts one U+FFFD where "ignore" puts nothing: the difference counts them
    return Decoded(text, codec, len(text) - len(data.decode(codec, "ignore")))


def _without_nul(found: Decoded) -> Decoded:
    nuls = found.text.count("\x00")
    if not nuls:
        return found
    return Decoded(found.text.replace("\x00", "\ufffd"), found.encoding, found.errors + nuls)
