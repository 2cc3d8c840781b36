"""The duty-machine wrapper header, and the metadata of plain HTML pages.

A wrapped page reads::

    <!--1706843942000-->          optional: capture time, epoch milliseconds, UTC
    [TITLE](URL)
    ------
    日期：Wed, 24 Jun 2020 08:53:10 +0000   optional (legacy RSS): the publish date
                                  blank line
    <html …>                      the page, usually on one line

Titles may contain brackets and parentheses, so the URL is taken from the *last* ``](``
of the line. Plain ``.html`` files have no header: their title and URL come from the
parsed document (:func:`html_metadata`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from selectolax.lexbor import LexborHTMLParser

__all__ = ["Header", "HtmlMetadata", "html_metadata", "split_header"]

_EPOCH = re.compile(r"<!--\s*(\d{9,14})\s*-->")
_RULE = re.compile(r"-{3,}|={3,}")
_DATE_LINE = re.compile(r"(?:日期|Date)\s*[：:]\s*(.+)")
_LOOKAHEAD_LINES = 8


@dataclass(frozen=True)
class Header:
    """What the wrapper header states; ``body`` is everything after it."""

    title: str
    url: str | None
    captured_at: datetime | None
    date_text: str | None  # the 日期： line as written
    published_at: datetime | None  # that line parsed (RFC 2822)
    format: str  # "epoch", "legacy-rss" or "wrapped"
    body: str


@dataclass(frozen=True)
class HtmlMetadata:
    title: str | None
    url: str | None  # <link rel=canonical>, else og:url


def split_header(text: str) -> Header | None:
    """Read the wrapper header at the start of ``text``; None when there is none."""
    lines = text.split("\n", _LOOKAHEAD_LINES)
    i = 0
    while i < len(lines) - 1 and not lines[i].strip():
        i += 1
    captured_at = None
    epoch = _EPOCH.fullmatch(lines[i].strip())
    if epoch:
        captured_at = datetime.fromtimestamp(int(epoch.group(1)) / 1000, tz=UTC)
        i += 1
    if i + 1 >= len(lines):
        return None
    link = parse_title_link(lines[i].strip())
    if link is None or not _RULE.fullmatch(lines[i + 1].strip()):
        return None
    title, url = link
    i += 2
    date_text = published_at = None
    if i < len(lines):
        dated = _DATE_LINE.fullmatch(lines[i].strip())
        if dated:
            date_text = dated.group(1).strip()
            published_at = _rfc2822(date_text)
            i += 1
    if epoch:
        fmt = "epoch"
    elif date_text is not None:
        fmt = "legacy-rss"
    else:
        fmt = "wrapped"
    body = "\n".join(lines[i:]) if i < len(lines) else ""
    return Header(title, url, captured_at, date_text, published_at, fmt, body.lstrip("\r\n"))


def parse_title_link(line: str) -> tuple[str, str | None] | None:
    """``[TITLE](URL)`` → ``(TITLE, URL)``; the title may hold ``[]()`` itself."""
    if not (line.startswith("[") and line.endswith(")")):
        return None
    cut = line.rfind("](")
    if cut < 0:
        return None
    url = line[cut + 2 : -1].strip()
    if url.startswith("<") and url.endswith(">"):
        url = url[1:-1]
    if " " in url:
        return None
    return line[1:cut].strip(), url or None


def html_metadata(tree: LexborHTMLParser) -> HtmlMetadata:
    """Title and canonical URL of a plain HTML page, from its ``<head>``."""
    title = None
    node = tree.css_first("title")
    if node is not None:
        title = " ".join(node.text(deep=True).split()) or None
    if title is None:
        title = _meta_content(tree, 'meta[property="og:title"]')
    url = None
    canonical = tree.css_first('link[rel="canonical"]')
    if canonical is not None:
        url = (canonical.attributes.get("href") or "").strip() or None
    if url is None:
        url = _meta_content(tree, 'meta[property="og:url"]')
    return HtmlMetadata(title, url)


def _meta_content(tree: LexborHTMLParser, selector: str) -> str | None:
    node = tree.css_first(selector)
    if node is None:
        return None
    return (node.attributes.get("content") or "").strip() or None


def _rfc2822(text: str) -> datetime | None:
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):  # a year of 20 digits: overflow
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
