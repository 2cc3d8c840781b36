"""A sitemap → its URLs (``<urlset>``) or its sitemaps (``<sitemapindex>``), per sitemaps.org.

``<url><loc>`` becomes an ``Entry`` with ``<lastmod>`` as ``updated`` (a W3C datetime
normalised to UTC ``YYYY-MM-DDTHH:MM:SSZ``, a date kept as ``YYYY-MM-DD``, anything else
dropped); a sitemap index's ``<sitemap><loc>``s become ``children``. Relative locations are
made absolute against the page URL. A gzip'd body (``sitemap.xml.gz``, recognised by its
magic bytes, not its name) is inflated first, up to 50 MiB, the protocol's limit. The XML is
read with defusedxml, so entity expansion and external entities are refused. Elements are
matched by local name: the sitemaps.org namespace, none, or an old one all work.
"""

from __future__ import annotations

import zlib
from datetime import date, datetime
from typing import Final
from urllib.parse import urljoin
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from cunzhao.clock import utc_iso
from cunzhao.sources.model import Entry, FetchedPage, Listing, PageError, Source

__all__ = ["MAX_SITEMAP_BYTES", "parse_sitemap"]

MAX_SITEMAP_BYTES: Final = 50 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


def parse_sitemap(page: FetchedPage, source: Source | None = None) -> Listing:
    """The URLs of a ``<urlset>``, or the child sitemaps of a ``<sitemapindex>``."""
    body = _inflate(page) if page.body.startswith(_GZIP_MAGIC) else page.body
    try:
        root = fromstring(body)
    except (ParseError, DefusedXmlException) as error:
        raise PageError(page.url, f"not a sitemap: {error}") from error
    kind = _local(root.tag)
    if kind == "sitemapindex":
        children = [urljoin(page.url, loc) for loc, _ in _locations(root, "sitemap")]
        return Listing(children=children)
    if kind != "urlset":
        raise PageError(page.url, f"not a sitemap: the root element is <{kind}>")
    entries = []
    for loc, lastmod in _locations(root, "url"):
        url = urljoin(page.url, loc)
        entries.append(Entry(url, url, None, _lastmod(lastmod)))
    return Listing(entries)


def _inflate(page: FetchedPage) -> bytes:
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        body = inflater.decompress(page.body, MAX_SITEMAP_BYTES)
    except zlib.error as error:
        raise PageError(page.url, f"broken gzip: {error}") from error
    if inflater.unconsumed_tail:
        raise PageError(page.url, f"larger than {MAX_SITEMAP_BYTES} bytes once inflated")
    if not inflater.eof:
        raise PageError(page.url, "broken gzip: the stream is cut short")
    return body


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _locations(root: Element, item: str) -> list[tuple[str, str | None]]:
    """(loc, lastmod) of each ``item`` child of ``root`` that has a non-empty ``loc``."""
    found = []
    for element in root:
        if _local(element.tag) != item:
            continue
        values = {_local(child.tag): (child.text or "").strip() for child in element}
        if values.get("loc"):
            found.append((values["loc"], values.get("lastmod") or None))
    return found


def _lastmod(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        return utc_iso(datetime.fromisoformat(text))
    except ValueError:
        return None
