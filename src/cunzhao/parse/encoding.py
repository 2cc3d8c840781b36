"""Bytes → text: UTF-8 (with or without BOM), GB18030/GBK/GB2312 and Big5.

Order: a byte-order mark (UTF-8, UTF-16); strict UTF-8; the declared charset (the caller's,
e.g. from an HTTP ``Content-Type``, then a ``<meta charset>`` / ``http-equiv`` declaration in
the first bytes); then charset-normalizer, restricted to the Chinese encodings; last,
Windows-1252, the browsers' default for an undeclared Western page. GBK and GB2312 are
decoded as GB18030, their superset, and Big5 falls back to CP950 and Big5-HKSCS, so one
stray extension character does not fail a whole page. The raw bytes are never changed:
only the returned text loses its BOM.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from cunzhao.parse.errors import ParseError

__all__ = ["declared_charset", "decode"]

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
_META = re.compile(rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SNIFF_BYTES = 4096
# C0 controls other than tab, LF, VT, FF, CR, and DEL: text has next to none, binary data
# many. Counted on the bytes: in UTF-8, GB18030 and Big5 a byte below 0x40 is always ASCII.
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 0x09 or 0x0E <= b < 0x20 or b == 0x7F))
_CHECKED_BYTES = 65536
_MAX_CONTROL_RATIO = 0.01


def declared_charset(data: bytes) -> str | None:
    """The charset a ``<meta>`` tag in the first 4 KiB declares, as written, or None."""
    match = _META.search(data, 0, _SNIFF_BYTES)
    return match.group(1).decode("ascii").lower() if match else None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding)``, the encoding as a Python codec name.

    Raises ``ParseError`` (source ``"<bytes>"``; callers re-raise with their path) for binary
    data: NUL bytes, many control characters, or bytes no candidate encoding can decode.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _required(_strict(data, "utf-8-sig"), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _required(_strict(data, "utf-16"), "utf-16")
    if b"\x00" in data:
        raise ParseError("<bytes>", "binary data (NUL bytes), not a text page")
    head = data[:_CHECKED_BYTES]
    if len(head.translate(None, _NOT_CONTROL)) > _MAX_CONTROL_RATIO * len(head):
        raise ParseError("<bytes>", "binary data (control characters), not a text page")
    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    for charset in (declared, declared_charset(data)):
        found = _decode_declared(data, charset)
        if found is not None:
            return found
    best = from_bytes(data, cp_isolation=_CANDIDATES).best()
    if best is not None and best.encoding is not None:
        for codec in _SUPERSETS.get(best.encoding, (best.encoding,)):
            text = _strict(data, codec)
            if text is not None:
                return text, codec
    text = _strict(data, "cp1252")  # the WHATWG default for an undeclared Western page
    if text is not None:
        return text, "cp1252"
    raise ParseError("<bytes>", "undecodable bytes: not UTF-8, GB18030, Big5 or Windows-1252")


def _decode_declared(data: bytes, charset: str | None) -> tuple[str, str] | None:
    if not charset:
        return None
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        return None
    for codec in _SUPERSETS.get(name, (name,)):
        text = _strict(data, codec)
        if text is not None:
            return text, codec
    return None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _required(text: str | None, codec: str) -> tuple[str, str]:
    if text is None:
        raise ParseError("<bytes>", f"invalid {codec} despite its byte-order mark")
    return text, codec
