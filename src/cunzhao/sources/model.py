"""The records of the sources stage: a configured ``Source``, the ``Entry``s its pages list,
the ``Listing`` one parsed page yields, the ``FetchedPage`` a walk is handed, and its errors.

A source names where article URLs are found (a feed, an HTML listing, a sitemap, a Wayback
CDX query, a local folder) and which of them to keep: ``url_pattern`` over the article URL,
``keywords`` / ``keyword_regex`` over the article's text (``Source.keeps``, applied by whoever
fetched the article). Nothing here fetches anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Final

from cunzhao.fold import fold

__all__ = [
    "CDX_SERVER",
    "MEMENTO_BASE",
    "SOURCE_KINDS",
    "Entry",
    "FetchedPage",
    "Listing",
    "PageError",
    "Source",
    "SourceError",
]

SOURCE_KINDS: Final = ("feed", "listing", "sitemap", "wayback", "folder")
CDX_SERVER: Final = "https://web.archive.org/cdx/search/cdx"
MEMENTO_BASE: Final = "https://web.archive.org/web"


@dataclass(frozen=True)
class Source:
    """One named source, as a ``[sources.NAME]`` table of the configuration describes it.

    ``url`` is the feed, listing or sitemap URL, or for ``wayback`` the URL prefix given to the
    CDX server; ``path`` is the folder of a ``folder`` source. ``date_from``/``date_to`` are
    CDX timestamps (``YYYYMMDD``, or a prefix/extension of ``YYYYMMDDhhmmss``).
    """

    name: str
    kind: str
    url: str | None = None
    path: Path | None = None
    link_selector: str | None = None
    next_selector: str | None = None
    url_pattern: str | None = None
    keywords: tuple[str, ...] = ()
    keyword_regex: str | None = None
    tag: str | None = None
    cdx_server: str = CDX_SERVER
    memento_base: str = MEMENTO_BASE
    date_from: str | None = None
    date_to: str | None = None
    statuses: tuple[str, ...] = ("200",)
    max_pages: int | None = None

    def to_json(self) -> dict[str, object]:
        """Every setting, as ``cunzhao source ls --json`` prints it."""
        return {f.name: str(v) if isinstance(v, Path) else list(v) if isinstance(v, tuple)
                else v for f in fields(self) for v in [getattr(self, f.name)]}

    def matches(self, url: str) -> bool:
        """Whether an article URL passes ``url_pattern`` (searched anywhere; True without one)."""
        return self.url_pattern is None or re.search(self.url_pattern, url) is not None

    def keeps(self, text: str) -> bool:
        """Whether an article's text passes the keyword filter (True without one).

        A keyword matches when its folded form occurs in the folded text (traditional and
        full-width forms match simplified, half-width ones); ``keyword_regex`` is searched in
        the text as it is and in its folded form. Either one matching keeps the article.
        """
        if not self.keywords and self.keyword_regex is None:
            return True
        folded = fold(text)
        if any(fold(word) in folded for word in self.keywords):
            return True
        if self.keyword_regex is None:
            return False
        return any(re.search(self.keyword_regex, t) is not None for t in (text, folded))


@dataclass(frozen=True)
class Entry:
    """One article a source lists: the URL to fetch and what the listing said about it.

    For a Wayback capture ``url`` is the raw Memento (``…/20200101000000id_/http://…``) and
    ``original_url`` the page it preserves; otherwise both are the same. ``updated`` is an
    ISO 8601 string (``2024-03-05T08:00:00Z``, or a date ``2024-03-05``) when the page gave
    one: a feed item's updated/published time, a sitemap ``lastmod``, a CDX timestamp.
    """

    url: str
    original_url: str
    title: str | None = None
    updated: str | None = None


@dataclass(frozen=True)
class FetchedPage:
    """What a fetch function hands the walker: the final URL (after redirects), the HTTP
    status, the response headers with lower-case names, and the body as received."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


@dataclass(frozen=True)
class Listing:
    """What one parsed page yields: its entries, the next page (if any) and, for a sitemap
    index, the sitemaps it points to."""

    entries: list[Entry] = field(default_factory=list)
    next_url: str | None = None
    children: list[str] = field(default_factory=list)


class PageError(Exception):
    """A fetched page that is not what its kind expects (not a feed, not a sitemap, bad CDX).

    Parsers raise it; the walker turns it into a ``SourceError`` naming the source.
    """

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class SourceError(Exception):
    """A source that could not be walked: ``"NAME: URL: reason"`` (the URL when one is known)."""

    def __init__(self, source: str, reason: str, url: str | None = None) -> None:
        where = f"{source}: {url}" if url else source
        super().__init__(f"{where}: {reason}")
        self.source = source
        self.reason = reason
        self.url = url
