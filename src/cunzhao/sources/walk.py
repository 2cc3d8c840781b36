"""Walk a source's pages and yield the article entries they list.

``walk`` is given the fetching (``fetch(url) -> FetchedPage``: the caller's HTTP client, with
its robots.txt, rate limit, retries and WARC log) and the frontier (``is_known(url)``: was
this entry's ``url`` seen by an earlier sync); it does no I/O of its own. From the start page
(the source's URL, or its first CDX query) it follows, one page at a time:

- the parsed page's ``next_url`` (a feed's ``rel="next"``, a listing's next link, a CDX
  resume key) and a sitemap index's children;
- for a feed whose first page has no next link, WordPress paging: ``?paged=2``, ``3``, …
  until a page answers 404/410, is not a feed, or lists nothing new in this walk.

Every entry whose ``original_url`` passes ``url_pattern`` is yielded once, known or not (the
caller decides what to fetch, e.g. by comparing ``updated``); entries are yielded page by
page as pages are fetched. A first sync walks every page. A later sync of a feed or listing
(newest first) stops after the first page whose entries were all known before it was
yielded; sitemaps and CDX answers are not ordered by time and are walked whole. At most
``max_pages`` pages are fetched, probes included. A ``304 Not Modified`` page (the caller
made a conditional request) lists nothing and leads nowhere.

A page that cannot be fetched (an exception from ``fetch``, a status other than 2xx/304) or
parsed raises ``SourceError`` naming the source, the URL and the reason, after the entries of
the pages before it were yielded.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Final
from urllib.parse import urlsplit, urlunsplit

from cunzhao.sources.cdx import cdx_query_url, parse_cdx
from cunzhao.sources.feed import parse_feed
from cunzhao.sources.listing import parse_listing
from cunzhao.sources.model import Entry, FetchedPage, Listing, PageError, Source, SourceError
from cunzhao.sources.sitemap import parse_sitemap

__all__ = ["PARSERS", "Fetch", "start_url", "walk"]

Fetch = Callable[[str], FetchedPage]
PARSERS: Final[dict[str, Callable[[FetchedPage, Source], Listing]]] = {
    "feed": parse_feed,
    "listing": parse_listing,
    "sitemap": parse_sitemap,
    "wayback": parse_cdx,
}
_NEWEST_FIRST = frozenset({"feed", "listing"})
_END_OF_PAGING = frozenset({404, 410})


def start_url(source: Source) -> str:
    """The first page a walk of ``source`` fetches."""
    if source.kind == "wayback":
        return cdx_query_url(source)
    if source.kind not in PARSERS or source.url is None:
        raise ValueError(f"{source.name}: a {source.kind!r} source has no pages to walk")
    return source.url


def walk(
    source: Source, fetch: Fetch, is_known: Callable[[str], bool], *, first_sync: bool
) -> Iterator[Entry]:
    """The entries ``source`` lists, page after page (see the module's docstring)."""
    first = start_url(source)
    parse = PARSERS[source.kind]
    stop_when_known = not first_sync and source.kind in _NEWEST_FIRST
    queue, visited, yielded = deque([first]), set[str](), set[str]()
    probe, paged, pages = None, 1, 0
    while queue and (source.max_pages is None or pages < source.max_pages):
        url = queue.popleft()
        if url in visited:
            continue
        visited.add(url)
        pages += 1
        page = _fetch(source, fetch, url)
        visited.add(page.url)
        if url == probe and page.status in _END_OF_PAGING:
            return
        if page.status == 304:
            continue
        if not 200 <= page.status < 300:
            raise SourceError(source.name, f"HTTP {page.status}", url)
        try:
            listing = parse(page, source)
        except PageError as error:
            if url == probe:
                return  # not a WordPress feed after all
            raise SourceError(source.name, error.reason, url) from error
        entries = [entry for entry in listing.entries if source.matches(entry.original_url)]
        all_known = stop_when_known and bool(entries) and all(is_known(e.url) for e in entries)
        new = [entry for entry in entries if entry.url not in yielded]
        yielded.update(entry.url for entry in new)
        yield from new
        queue.extend(listing.children)
        if all_known:
            return
        if listing.next_url is not None and url != probe:
            queue.append(listing.next_url)
        elif source.kind == "feed" and url in (first, probe) and new:
            paged += 1
            probe = _paged(first, paged)
            queue.append(probe)


def _fetch(source: Source, fetch: Fetch, url: str) -> FetchedPage:
    """``fetch(url)``; whatever it raises becomes a ``SourceError`` naming the URL."""
    try:
        return fetch(url)
    except SourceError:
        raise
    except Exception as error:  # the caller's client: DNS, TLS, timeouts, its own errors
        raise SourceError(source.name, f"{type(error).__name__}: {error}", url) from error


def _paged(url: str, number: int) -> str:
    """``url`` with WordPress's ``paged=number`` added to its query."""
    parts = urlsplit(url)
    query = f"{parts.query}&paged={number}" if parts.query else f"paged={number}"
    return urlunsplit(parts._replace(query=query))
