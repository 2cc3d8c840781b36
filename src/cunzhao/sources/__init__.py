"""Stage "sources": where article URLs come from, and how to list them.

A ``Source`` (``model.py``) is one named ``[sources.NAME]`` table of the sources file
(``config.py``: ``load_sources``, ``add_source``, ``remove_source``). Its kind says how its
pages are read: ``feed.py`` (RSS/Atom), ``listing.py`` (HTML index pages by CSS selectors),
``sitemap.py`` (sitemaps and sitemap indexes), ``cdx.py`` (a Wayback CDX query, each capture
fetched through its raw Memento); a ``folder`` source is re-scanned by the caller with
``cunzhao.capture.iter_captures``. Each parser is a pure function of a fetched page;
``walk.py`` follows the pages with a fetch function it is given. No HTTP, no database here:
the sync stage brings both.
"""

from cunzhao.sources.cdx import cdx_query_url, parse_cdx
from cunzhao.sources.config import (
    DEFAULT_CONFIG,
    ConfigError,
    add_source,
    load_sources,
    parse_source,
    remove_source,
)
from cunzhao.sources.feed import parse_feed
from cunzhao.sources.listing import parse_listing
from cunzhao.sources.model import (
    SOURCE_KINDS,
    Entry,
    FetchedPage,
    Listing,
    PageError,
    Source,
    SourceError,
)
from cunzhao.sources.sitemap import parse_sitemap
from cunzhao.sources.walk import Fetch, start_url, walk

__all__ = [
    "DEFAULT_CONFIG",
    "SOURCE_KINDS",
    "ConfigError",
    "Entry",
    "Fetch",
    "FetchedPage",
    "Listing",
    "PageError",
    "Source",
    "SourceError",
    "add_source",
    "cdx_query_url",
    "load_sources",
    "parse_cdx",
    "parse_feed",
    "parse_listing",
    "parse_sitemap",
    "parse_source",
    "remove_source",
    "start_url",
    "walk",
]
