"""HTML (or a Markdown body) → clean ``Block``s: paragraphs and headings, in reading order.

Left out: scripts, styles, ``<noscript>`` copies of lazy-loaded images, embedded frames,
share widgets, the archive card (removed by the caller), and feed footers (WordPress
"Better Feed": ``<hr>`` + ``© … get_post_time … Permalink … Post tags``; feedx's
"获取更多RSS"). Every block-level element and every ``<br>`` ends a block; whitespace runs
inside a block become one space; empty blocks are dropped. Entities are decoded by lexbor.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cunzhao.parse.limits import NO_DEADLINE, Deadline
from cunzhao.parse.model import Block

__all__ = [
    "html_blocks",
    "looks_like_html",
    "markdown_blocks",
    "remove_boilerplate",
    "take_leading_date",
]

_SKIP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "svg",
        "math",
        "canvas",
        "video",
        "audio",
        "select",
        "button",
        "input",
        "textarea",
        "head",
        "title",
        "meta",
        "link",
        "img",
        "picture",
        "source",
        "map",
    ]
)
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_WIDGET_CLASSES = (
    "addtoany_share_save_container",
    "a2a_kit",
    "sharedaddy",
    "sd-sharing-enabled",
    "jp-relatedposts",
)
_WIDGETS = ", ".join(f".{name}" for name in _WIDGET_CLASSES)
_FOOTER_MARKS = ("get_post_time", "Feed enhanced by", "获取更多RSS", "feedx.net")
_SPACE = re.compile(r"\s+")
_HTML_TAG = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9-]*)(?:\s[^<>]*)?/?>|<!--|<!doctype", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_DMY_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})(?:\s*-\s*\d{1,2}:\d{2})?")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_MD_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)]|>)\s+")


def looks_like_html(text: str) -> bool:
    """Whether ``text`` has an HTML tag in its first 64 KiB (else it is Markdown/plain)."""
    return _HTML_TAG.search(text, 0, 65536) is not None


def remove_boilerplate(tree: LexborHTMLParser, html: str) -> None:
    """Remove share widgets and feed footers from ``tree`` (parsed from ``html``) in place.

    Plain substring checks on ``html`` first spare the CSS queries on most pages.
    """
    if any(name in html for name in _WIDGET_CLASSES):
        for node in tree.css(_WIDGETS):
            node.decompose()
    if not any(mark in html for mark in _FOOTER_MARKS):
        return
    for rule in tree.css("hr"):
        first = rule.next
        # a rule after blank siblings is the next one's to look past: each sibling read once
        while first is not None and first.tag != "hr" and not _node_text(first).strip():
            first = first.next
        if first is not None and any(mark in _node_text(first) for mark in _FOOTER_MARKS):
            while rule.next is not None:
                rule.next.decompose()
            rule.decompose()
            break  # a footer ends the page
    for small in tree.css("small"):
        if any(mark in small.text(deep=True) for mark in _FOOTER_MARKS):
            parent = small.parent
            target = parent if parent is not None and parent.tag == "p" else small
            target.decompose()


def take_leading_date(tree: LexborHTMLParser, html: str) -> date | None:
    """A dateline that opens the page: remove it and return its date.

    DW opens with ``<div><i><br>ISO-8601</i></div>``, RFI with ``<div>DD/MM/YYYY - HH:MM</div>``,
    BBC with a ``<time datetime=…>`` whose text is relative ("19 分钟前").
    """
    body = tree.body
    if body is None:
        return None
    first = body.child
    while first is not None and not _node_text(first).strip() and first.tag != "div":
        first = first.next
    if first is not None and first.tag == "div":
        found = _leading_date(first.text(deep=True).strip())
        if found is not None:
            first.decompose()
            return found
    stamp = tree.css_first("time[datetime]") if "<time" in html else None
    if stamp is None:
        return None
    found = _leading_date((stamp.attributes.get("datetime") or "").strip())
    if found is not None:
        holder = stamp.parent
        alone = (
            holder is not None and holder.text(deep=True).strip() == stamp.text(deep=True).strip()
        )
        (holder if alone and holder is not None and holder.tag != "body" else stamp).decompose()
    return found


def _leading_date(text: str) -> date | None:
    try:
        iso = _ISO_DATE.fullmatch(text)
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        dmy = _DMY_DATE.fullmatch(text)
        if dmy:
            return datetime(int(dmy.group(3)), int(dmy.group(2)), int(dmy.group(1))).date()
    except ValueError:
        return None
    return None


def html_blocks(root: LexborNode, deadline: Deadline = NO_DEADLINE) -> list[Block]:
    """The blocks under ``root``, in document order (an explicit stack: no recursion limit)."""
    blocks: list[Block] = []
    parts: list[str] = []
    level = 0

    def flush() -> None:  # called only when parts holds text
        text = " ".join("".join(parts).split())
        parts.clear()
        if text:
            blocks.append(Block("h", text, level) if level else Block("p", text))

    stack: list[LexborNode | int] = []
    _push_children(stack, root)
    seen = 0
    while stack:
        item = stack.pop()
        seen += 1
        if not seen & 0xFFFF:
            deadline.check("clean text")
        if isinstance(item, int):  # leaving a block element; >0: a heading of that level
            if parts:
                flush()
            if item > 0:
                level = 0
            continue
        tag = item.tag
        if tag == "-text":
            parts.append(item.text_content or "")
            continue
        if tag is None or tag[0] == "-" or tag in _SKIP:
            continue
        if tag == "br":
            if parts:
                flush()
            continue
        heading = _HEADINGS.get(tag, 0)
        if heading or tag in _BLOCK:
            if parts:
                flush()
            if heading:
                level = heading
            stack.append(heading)
        _push_children(stack, item)
    if parts:
        flush()
    return blocks


def _push_children(stack: list[LexborNode | int], node: LexborNode) -> None:
    child = node.last_child
    while child is not None:
        stack.append(child)
        child = child.prev


def _node_text(node: LexborNode) -> str:
    if node.tag == "-text":
        return node.text_content or ""
    return node.text(deep=True) if node.tag and node.tag[0] != "-" else ""


def markdown_blocks(text: str, deadline: Deadline = NO_DEADLINE) -> list[Block]:
    """Blocks of a Markdown/plain-text body: ``#`` headings, blank-line paragraphs, items."""
    blocks: list[Block] = []
    parts: list[str] = []

    def flush() -> None:
        if parts:
            joined = _SPACE.sub(" ", " ".join(parts)).strip()
            parts.clear()
            if joined:
                blocks.append(Block("p", joined))

    for n, line in enumerate(text.splitlines()):
        if not n & 0xFFF:
            deadline.check("clean text")
        stripped = line.strip()
        heading = _heading(stripped)
        if not stripped or heading or _MD_ITEM.match(line):
            flush()
        if heading:
            title = _inline_markdown(heading[1])
            if title:
                blocks.append(Block("h", title, heading[0]))
        elif stripped:
            parts.append(_inline_markdown(_MD_ITEM.sub("", line)))
    flush()
    return blocks


def _heading(line: str) -> tuple[int, str] | None:
    r"""``## Title ##`` (a stripped line) → ``(2, "Title")``: one to six ``#``, whitespace,
    the text without closing ``#``s — what ``^(#{1,6})\s+(.*?)\s*#*\s*$`` reads, without
    that regex's cubic backtracking on a long run of ``#``."""
    level = len(line) - len(line.lstrip("#"))
    if not 1 <= level <= 6 or level == len(line) or not line[level].isspace():
        return None
    return level, line[level:].strip().rstrip("#").rstrip()


def _inline_markdown(text: str) -> str:
    text = _without_links(text, "![")  # images go
    text = _without_links(text, "[")  # links keep their text
    return _MD_EMPHASIS.sub("", text).strip()


class _Next:
    """The first ``char`` of ``text`` at or after a position; the positions asked only grow,
    so the text is scanned once in all."""

    def __init__(self, text: str, char: str) -> None:
        self.text, self.char = text, char
        self.found: int | None = None  # -1: none after the last position asked

    def __call__(self, pos: int) -> int:
        if self.found is None or -1 < self.found < pos:
            self.found = self.text.find(self.char, pos)
        return self.found


def _without_links(text: str, opener: str) -> str:
    r"""``[label](url)`` → ``label`` (``opener="!["``: ``![alt](url)`` → nothing).

    What ``re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)`` gives, in linear time: that
    regex scans to the end of the line from every ``[`` that is never closed.
    """
    if opener not in text:
        return text
    close_bracket, close_paren = _Next(text, "]"), _Next(text, ")")
    out: list[str] = []
    pos = last = 0
    while (start := text.find(opener, pos)) >= 0:
        label = start + len(opener)
        end = close_bracket(label)
        if end < 0:
            break
        if not text.startswith("(", end + 1):
            pos = start + 1
            continue
        close = close_paren(end + 2)
        if close < 0:
            break
        out += [text[last:start], "" if opener == "![" else text[label:end]]
        pos = last = close + 1
    return "".join(out) + text[last:]
