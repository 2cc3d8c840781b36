"""Sitemaps and sitemap indexes (plain or gzip'd) → entries with lastmod, or child sitemaps."""

from __future__ import annotations

import gzip
from collections.abc import Callable

import pytest

from cunzhao.sources import FetchedPage, PageError, parse_sitemap
from cunzhao.sources.sitemap import MAX_SITEMAP_BYTES

POSTS = [
    ("https://example.org/2024/03/06/yuetan-liangjia-pingtai.html", "2024-03-06T04:00:00Z"),
    ("https://example.org/2024/02/28/guanbi-zhanghao.html", "2024-02-28"),
    ("https://example.org/2024/02/01/xiajia-yingyong.html", None),  # unreadable lastmod
    ("https://example.org/about/", None),  # the <url> without <loc> is skipped
]


def test_a_url_set_gives_entries_with_lastmod(page: Callable[..., FetchedPage]) -> None:
    listing = parse_sitemap(page("sitemap-posts-2024.xml", "https://example.org/s.xml"))
    assert [(e.url, e.updated) for e in listing.entries] == POSTS
    assert all(e.original_url == e.url and e.title is None for e in listing.entries)
    assert listing.children == [] and listing.next_url is None


def test_an_index_gives_its_sitemaps(page: Callable[..., FetchedPage]) -> None:
    listing = parse_sitemap(page("sitemap-index.xml", "https://example.org/sitemap.xml"))
    assert listing.children == [
        "https://example.org/sitemap-posts-2024.xml.gz",
        "https://example.org/sitemap-posts-2023.xml",
    ]
    assert listing.entries == []


def test_a_gzipped_sitemap_is_inflated(data: Callable[[str], bytes]) -> None:
    body = gzip.compress(data("sitemap-posts-2024.xml"))
    fetched = FetchedPage("https://example.org/s.xml.gz", 200, {}, body)
    assert [(e.url, e.updated) for e in parse_sitemap(fetched).entries] == POSTS


def test_no_namespace_and_relative_locations() -> None:
    body = b"<urlset><url><loc>/a.html</loc><lastmod>2024-01-02T03:04:05Z</lastmod></url></urlset>"
    fetched = FetchedPage("https://example.org/sitemap.xml", 200, {}, body)
    entries = parse_sitemap(fetched).entries
    assert [(e.url, e.updated) for e in entries] == [
        ("https://example.org/a.html", "2024-01-02T03:04:05Z")
    ]


BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b"<urlset><url><loc>&lol2;</loc></url></urlset>"
)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html><body>Not Found</body></html>", "the root element is <html>"),
        (b"not xml at all", "not a sitemap"),
        (BOMB, "not a sitemap"),  # entities are refused
        (b"\x1f\x8b\x08\x00broken", "broken gzip"),
        (gzip.compress(b" " * (MAX_SITEMAP_BYTES + 1)), "larger than"),
    ],
)
def test_what_is_not_a_sitemap_is_a_page_error(body: bytes, reason: str) -> None:
    with pytest.raises(PageError, match=reason) as caught:
        parse_sitemap(FetchedPage("https://example.org/sitemap.xml", 200, {}, body))
    assert caught.value.url == "https://example.org/sitemap.xml"
