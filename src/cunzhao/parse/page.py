"""A capture's bytes → a ``Page``: decode, read the header, parse the HTML once, take the
archive card out, extract clean blocks, and settle title, URL and dates.

Publish date, first that applies (see docs/parse.md):

1. the archive card's 发表日期, if it is plausible: not after the capture date + 1 day (the
   card is in Beijing time) and not more than 180 days before it (``347474``'s card says
   2023.1.1 on a page captured in October 2023);
2. the wrapper's ``日期：`` line (legacy RSS), as a date in its own UTC offset;
3. a full date in the URL (``/2024-01/31/``, ``/2020/10/11/``, ``/20201011-``);
4. a dateline opening the page (DW's ISO timestamp, RFI's ``DD/MM/YYYY - HH:MM``);
5. a year and month in the URL (``/chinese/2020/10/…``): the capture date when it falls in
   that month, else the month's first day (with a warning);
6. none.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from selectolax.lexbor import LexborHTMLParser

from cunzhao.capture.model import Capture
from cunzhao.parse.card import find_card
from cunzhao.parse.encoding import decode_replacing
from cunzhao.parse.errors import ParseError
from cunzhao.parse.header import html_metadata, split_header
from cunzhao.parse.limits import ENV, NO_DEADLINE, Deadline, Limits
from cunzhao.parse.model import Block, Card, Page
from cunzhao.parse.nesting import cap_depth
from cunzhao.parse.text import (
    html_blocks,
    looks_like_html,
    markdown_blocks,
    remove_boilerplate,
    take_leading_date,
)

__all__ = ["PARSER_VERSION", "ParseError", "parse_capture"]

PARSER_VERSION = "1"

_SERIES_TAG = re.compile(r"^\s*【([^】\n]{1,40})】")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_URL_FULL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})/(\d{1,2})(?:/|\b)|/((?:19|20)\d{6})-")
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})/(\d{2})/")
_CARD_EARLIEST = timedelta(days=180)
_CARD_LATEST = timedelta(days=1)


def parse_capture(
    capture: Capture, limits: Limits | None = None, deadline: Deadline = NO_DEADLINE
) -> Page:
    """Parse one capture within ``limits`` (default ``Limits()``: page size, HTML nesting);
    raise ``ParseError`` (naming ``capture.source``) when impossible, and ``OverBudget``
    once ``deadline`` has passed."""
    source = capture.source
    limits = limits or Limits()
    if not capture.data or capture.data.isspace():
        raise ParseError(
            source, "empty file" if not capture.data else "blank file (whitespace only)"
        )
    if len(capture.data) > limits.page_bytes:
        raise ParseError(
            source, f"a page of {_mib(len(capture.data))} is over the parse limit of "
            f"{_mib(limits.page_bytes)} ({ENV['page_bytes']}); not parsed",
        )
    try:
        decoded = decode_replacing(capture.data, _content_type_charset(capture.content_type))
    except ParseError as error:
        raise ParseError(source, error.reason) from None
    deadline.check("decoding")
    text, encoding = decoded.text, decoded.encoding
    warnings: list[str] = []
    if decoded.errors:
        warnings.append(f"{decoded.errors} undecodable byte sequence(s) read as U+FFFD")
    header = split_header(text)
    body = header.body if header is not None else text
    is_html = looks_like_html(body)
    if header is None and not is_html:
        raise ParseError(source, "no [title](url) header and no HTML: not a page")

    card: Card | None = None
    leading: date | None = None
    html_title = html_url = None
    if is_html:
        body, dropped = cap_depth(body, limits.depth)
        if dropped:
            warnings.append(f"{dropped} tags nested deeper than {limits.depth} left out")
        tree = LexborHTMLParser(body)
        deadline.check("HTML parsing")
        match = find_card(tree) if "档案卡" in body else None
        if match is not None:
            card = match.card
            warnings.extend(match.warnings)
            match.node.decompose()
        remove_boilerplate(tree, body)
        leading = take_leading_date(tree, body)
        if header is None:
            meta = html_metadata(tree)
            html_title, html_url = meta.title, meta.url
        root = tree.body if tree.body is not None else tree.root
        blocks = html_blocks(root, deadline) if root is not None else []
    else:
        blocks = markdown_blocks(body, deadline)
    deadline.check("clean text")
    if not blocks:
        warnings.append("no body text")

    if header is not None:
        title, url, header_format = header.title, header.url, header.format
    else:
        title = html_title or _first_heading(blocks) or ""
        url, header_format = None, "html"
    if not title:
        warnings.append("no title")
    url = url or capture.target_url or html_url
    captured_at = header.captured_at if header is not None and header.captured_at else None
    captured_at = captured_at or capture.captured_at
    rss_date = header.published_at.date() if header and header.published_at else None
    published = _publish_date(card, rss_date, url, leading, captured_at, warnings)
    tag = _SERIES_TAG.match(title)
    return Page(
        title=title,
        series_tag=tag.group(1).strip() if tag else None,
        url=url,
        captured_at=captured_at,
        published=published,
        blocks=tuple(blocks),
        card=card,
        encoding=encoding,
        header_format=header_format,
        warnings=tuple(warnings),
        decode_errors=decoded.errors,
    )


def _publish_date(
    card: Card | None,
    rss_date: date | None,
    url: str | None,
    leading: date | None,
    captured_at: datetime | None,
    warnings: list[str],
) -> date | None:
    captured = captured_at.date() if captured_at is not None else None
    if card is not None and card.published is not None:
        if captured is None or (
            captured - _CARD_EARLIEST <= card.published <= captured + _CARD_LATEST
        ):
            return card.published
        warnings.append(
            f"card 发表日期 {card.published_text} is implausible for a capture "
            f"on {captured.isoformat()}; not used"
        )
    if rss_date is not None:
        return rss_date
    if url:
        full = _url_full_date(url)
        if full is not None:
            return full
    if leading is not None:
        return leading
    if url:
        month = _URL_MONTH.search(url)
        if month:
            year, mon = int(month.group(1)), int(month.group(2))
            if 1 <= mon <= 12:
                if captured is not None and (captured.year, captured.month) == (year, mon):
                    return captured
                warnings.append("publish date approximated from the URL's year and month")
                return date(year, mon, 1)
    return None


def _url_full_date(url: str) -> date | None:
    match = _URL_FULL_DATE.search(url)
    if match is None:
        return None
    try:
        if match.group(4):
            digits = match.group(4)
            return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _mib(size: int) -> str:
    return f"{size / (1 << 20):.1f} MiB".replace(".0 MiB", " MiB")


def _first_heading(blocks: list[Block]) -> str | None:
    return next((b.text for b in blocks if b.kind == "h"), None)


def _content_type_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _CHARSET.search(content_type)
    return match.group(1) if match else None
