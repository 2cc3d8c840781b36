"""An HTML index page → the article links on it and the next page, by CSS selectors.

The bytes are decoded as the parse stage decodes pages (``cunzhao.parse.encoding.decode``:
BOM, UTF-8, the HTTP or ``<meta>`` charset, then detection), so GBK/GB18030 and Big5 list
pages read as well as UTF-8 ones. ``link_selector`` picks the links: an element with an
``href``, or else the first ``a[href]`` inside it (so ``ul.list li`` works as well as
``ul.list li a``). Each URL is made absolute against the page's ``<base href>`` or URL and
loses its fragment; ``javascript:``, ``mailto:`` and other non-http(s) links are dropped, as
are repeats. The title is the link's text. ``next_selector`` picks the next page's link the
same way (the first match); a link back to the page itself is no next page. The source's
``url_pattern`` is applied by the walker, as for every kind.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from cunzhao.parse.encoding import decode
from cunzhao.parse.errors import ParseError
from cunzhao.sources.model import Entry, FetchedPage, Listing, PageError, Source

__all__ = ["parse_listing"]

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def parse_listing(page: FetchedPage, source: Source) -> Listing:
    """The article links and next page of one listing page, by the source's selectors."""
    if source.link_selector is None:
        raise PageError(page.url, f"source {source.name!r} has no link_selector")
    charset = _CHARSET.search(page.content_type or "")
    try:
        text, _ = decode(page.body, charset.group(1) if charset else None)
    except ParseError as error:
        raise PageError(page.url, error.reason) from error
    tree = LexborHTMLParser(text)
    base_node = tree.css_first("base[href]")
    base = urljoin(page.url, base_node.attributes.get("href") or "") if base_node else page.url
    try:
        links = tree.css(source.link_selector)
        following = tree.css(source.next_selector) if source.next_selector else []
    except SelectolaxError as error:
        raise PageError(page.url, f"bad CSS selector: {error}") from error
    entries: list[Entry] = []
    seen: set[str] = set()
    for node in links:
        url = _href(node, base)
        if url is not None and url not in seen:
            seen.add(url)
            entries.append(Entry(url, url, node.text(strip=True) or None))
    next_urls = [url for url in (_href(node, base) for node in following) if url]
    next_url = next_urls[0] if next_urls else None
    return Listing(entries, None if next_url == urldefrag(page.url).url else next_url)


def _href(node: LexborNode, base: str) -> str | None:
    """The absolute http(s) URL ``node`` links to (itself or its first ``a[href]``)."""
    if node.attributes.get("href") is None:
        inner = node.css_first("a[href]")
        if inner is None:
            return None
        node = inner
    href = (node.attributes.get("href") or "").strip()
    if not href:
        return None
    url = urldefrag(urljoin(base, href)).url
    return url if url.lower().startswith(("http://", "https://")) else None
