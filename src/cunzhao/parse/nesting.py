"""Bound how deep HTML nests before lexbor builds its tree.

An HTML tree builder looks down its stack of open elements for many tags (is a ``<p>`` open?
which ``<li>`` does this one close?), so 100,000 nested ``<div>``s cost 100,000² steps inside
lexbor, where no time budget can stop them. Browsers bound the depth of the tree (Chromium:
512); here the tags of elements that would sit deeper than ``depth`` are left out before
parsing, their text kept — what the reader loses is only where those elements began and
ended.

The depth is counted on the tags as written, one scan: elements with optional end tags
(``p``, ``li``, ``td`` …), which the parser closes by itself, and void ones do not count;
``/>`` closes an element only inside ``<svg>`` or ``<math>``, as in HTML; the text of
``<script>``, ``<style>``, ``<textarea>``, ``<title>`` and the like is skipped, as a parser
skips it.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["cap_depth"]

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")
_VOID = frozenset({
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
    "input", "keygen", "link", "meta", "param", "source", "track", "wbr",
})
# Closed by the parser when a sibling opens (or never nested): they do not deepen the tree.
_OPTIONAL_END = frozenset({
    "html", "head", "body", "p", "li", "dt", "dd", "option", "optgroup", "rb", "rt", "rtc",
    "rp", "tr", "td", "th", "tbody", "thead", "tfoot", "colgroup", "caption",
})
_RAW_TEXT = frozenset({
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
})
_FOREIGN = frozenset({"svg", "math"})


@lru_cache(maxsize=16)
def _raw_end(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}\s*>", re.IGNORECASE)


def cap_depth(html: str, depth: int) -> tuple[str, int]:
    """``html`` without the tags of elements nested deeper than ``depth``, and their count."""
    if html.count("<") <= depth:
        return html, 0
    cuts: list[tuple[int, int]] = []
    level = foreign = 0
    pos = 0
    while (m := _TAG.search(html, pos)) is not None:
        gt = html.find(">", m.end())  # where this tag ends; the scan goes on after it
        if gt < 0:
            break  # no tag ends after here: the parser reads the rest as text
        span, pos = (m.start(), gt + 1), gt + 1
        closing, name = m.group(1), m.group(2).lower()
        if name in _VOID or name in _OPTIONAL_END:
            continue
        if closing:
            if name in _FOREIGN:
                foreign = max(0, foreign - 1)
            if level > depth:
                cuts.append(span)
            level = max(0, level - 1)
            continue
        if name == "plaintext":
            break  # everything after it is text
        if name in _RAW_TEXT:
            closed = _raw_end(name).search(html, pos)
            if closed is None:
                break  # unclosed: the rest of the page is its text
            pos = closed.end()
            continue
        if foreign and html[gt - 1] == "/":
            continue  # <path/> inside <svg>: closed at once
        foreign += name in _FOREIGN
        level += 1
        if level > depth:
            cuts.append(span)
    if not cuts:
        return html, 0
    pieces, last = [], 0
    for start, end in cuts:
        pieces.append(html[last:start])
        last = end
    pieces.append(html[last:])
    return "".join(pieces), len(cuts)
