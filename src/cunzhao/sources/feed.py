"""A feed page → its entries: RSS 2.0 (also 0.9x/1.0) and Atom, read with feedparser.

Each item with a link becomes an ``Entry`` (links made absolute against the page URL; items
without one are skipped), with its title and its updated (else published) time in UTC.
The next page is the feed's ``rel="next"`` link: ``<atom:link rel="next">`` inside an RSS
channel, ``<link rel="next">`` in Atom (RFC 5005 paging). WordPress feeds carry none; the
walker then tries ``?paged=N`` itself. A page feedparser cannot recognise as a feed (an HTML
page, an empty body) is a ``PageError``; a feed with a recoverable flaw (feedparser's
"bozo" flag) is read for what it holds.
"""

from __future__ import annotations

from datetime import UTC, datetime
from time import struct_time
from typing import Any

import feedparser

from cunzhao.clock import utc_iso
from cunzhao.sources.model import Entry, FetchedPage, Listing, PageError, Source

__all__ = ["parse_feed"]


def parse_feed(page: FetchedPage, source: Source | None = None) -> Listing:
    """The entries and next page of one RSS or Atom page (``source`` is not needed)."""
    headers = {"content-location": page.url}
    if page.content_type:
        headers["content-type"] = page.content_type
    parsed = feedparser.parse(page.body, response_headers=headers)
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        raise PageError(page.url, "not an RSS or Atom feed" + (f" ({problem})" if problem else ""))
    entries = []
    for item in parsed.entries:
        link = item.get("link")
        if not link:
            continue
        title = str(item.get("title") or "").strip() or None
        # dict.get: FeedParserDict.get maps a missing updated_parsed to published_parsed
        # itself, with a DeprecationWarning
        stamp = dict.get(item, "updated_parsed") or dict.get(item, "published_parsed")
        entries.append(Entry(link, link, title, _iso(stamp)))
    return Listing(entries, _next_link(parsed.feed.get("links", [])))


def _next_link(links: list[dict[str, Any]]) -> str | None:
    for link in links:
        if link.get("rel") == "next" and link.get("href"):
            return str(link["href"])
    return None


def _iso(stamp: struct_time | None) -> str | None:
    """feedparser's UTC ``struct_time`` as ``YYYY-MM-DDTHH:MM:SSZ``."""
    if stamp is None:
        return None
    return utc_iso(datetime(*stamp[:6], tzinfo=UTC))
