"""RSS 2.0 and Atom pages → entries (absolute links, titles, UTC times) and the next page."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cunzhao.sources import Entry, FetchedPage, PageError, parse_feed

FEED_URL = "https://example.org/chinese/tag/lcz/feed/"


def test_rss_items_with_links_become_entries(page: Callable[..., FetchedPage]) -> None:
    listing = parse_feed(page("rss.xml", FEED_URL, "application/rss+xml; charset=UTF-8"))
    assert listing.entries == [
        Entry("https://example.org/chinese/2024/03/900003.html",
              "https://example.org/chinese/2024/03/900003.html",
              "【立此存照】某省网信办约谈三家网站", "2024-03-05T00:00:00Z"),
        Entry("https://example.org/chinese/2024/03/900002.html",  # relative link, made absolute
              "https://example.org/chinese/2024/03/900002.html",
              "【立此存照】關閉違規帳號一批", "2024-03-04T20:15:00Z"),
        Entry("https://example.org/chinese/2024/03/900001.html",  # no date
              "https://example.org/chinese/2024/03/900001.html", "【真理部】下架一款应用", None),
    ]
    assert listing.next_url is None and listing.children == []


def test_atom_follows_rel_next_and_prefers_updated(page: Callable[..., FetchedPage]) -> None:
    first = parse_feed(page("atom-1.xml", "https://example.org/notices/atom-1.xml"))
    assert first.next_url == "https://example.org/notices/atom-2.xml"
    assert [(e.url, e.updated) for e in first.entries] == [
        ("https://example.org/notices/2024-03/06/c_4.htm", "2024-03-06T01:00:00Z"),
        ("https://example.org/notices/2024-03/01/c_3.htm", "2024-03-01T08:00:00Z"),
    ]
    assert first.entries[0].title == "依法查处一批违法违规网站"
    last = parse_feed(page("atom-2.xml", "https://example.org/notices/atom-2.xml"))
    assert last.next_url is None and len(last.entries) == 1


def test_an_rss_channel_may_page_with_atom_link_next() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
        b'<channel><title>t</title><atom:link rel="next" href="?page=2"/>'
        b"<item><title>a</title><link>https://example.org/a</link></item></channel></rss>"
    )
    listing = parse_feed(FetchedPage("https://example.org/rss", 200, {}, body))
    assert listing.next_url == "https://example.org/rss?page=2"


def test_a_wordpress_page_has_no_next_link(page: Callable[..., FetchedPage]) -> None:
    listing = parse_feed(page("wp-2.xml", "https://example.org/chinese/?feed=rss2&tag=lcz&paged=2"))
    assert [e.url.rsplit("/", 1)[1] for e in listing.entries] == ["910004.html", "910003.html"]
    assert listing.next_url is None


@pytest.mark.parametrize(
    "body", [b"", b"<html><head><title>Not Found</title></head><body>404</body></html>",
             b'{"items": []}'],
)
def test_what_is_not_a_feed_is_a_page_error_naming_the_url(body: bytes) -> None:
    with pytest.raises(PageError, match="not an RSS or Atom feed") as caught:
        parse_feed(FetchedPage("https://example.org/feed/", 200, {}, body))
    assert caught.value.url == "https://example.org/feed/"
