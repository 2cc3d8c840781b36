"""HTML index pages (GBK as well as UTF-8) → article links and the next page, by selectors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cunzhao.sources import FetchedPage, PageError, Source, parse_listing

INDEX = "https://www.example.org/wxzf/index.htm"
CAC = Source("cac", "listing", url=INDEX, link_selector="ul.list li a",
             next_selector="div.page a.next")


def test_a_gbk_page_gives_its_links_titles_and_next_page(
    page: Callable[..., FetchedPage],
) -> None:
    listing = parse_listing(page("listing-1.html", INDEX, "text/html"), CAC)
    assert [(e.url, e.title) for e in listing.entries] == [
        ("https://www.example.org/wxzf/2024-03/06/c_1701.htm", "国家网信办依法约谈两家网站平台"),
        ("https://www.example.org/wxzf/2024-03/05/c_1700.htm", "网信部门关闭违法违规账号三千余个"),
        ("https://www.example.org/wxzf/2024-03/04/c_1699.htm", "某省网信办对一家公司罚款"),
        # the javascript: link and the repeat with a #fragment are gone; the walker applies
        # url_pattern to what is left
        ("https://www.example.org/zt/special.htm", "专题：不是文章的链接"),
    ]
    assert all(e.original_url == e.url and e.updated is None for e in listing.entries)
    assert listing.next_url == "https://www.example.org/wxzf/index_2.htm"


def test_the_last_page_has_no_next_page(page: Callable[..., FetchedPage]) -> None:
    url = "https://www.example.org/wxzf/index_3.htm"
    listing = parse_listing(page("listing-3.html", url), CAC)
    assert [e.title for e in listing.entries] == ["网信执法工作情况"]
    assert listing.next_url is None


def test_a_selector_may_pick_the_items_around_the_links(page: Callable[..., FetchedPage]) -> None:
    items = Source("cac", "listing", url=INDEX, link_selector="ul.list li")
    listing = parse_listing(page("listing-2.html", INDEX), items)
    assert [e.url.rsplit("/", 1)[1] for e in listing.entries] == [
        "c_1698.htm", "c_1697.htm", "c_1696.htm",
    ]
    assert listing.entries[0].title == "清朗专项行动典型案例通报2024-02-28"  # the item's text
    assert listing.next_url is None  # no next_selector


def test_the_http_charset_decodes_a_page_without_meta() -> None:
    html = '<ul class="list"><li><a href="/a/1.htm">关闭违规账号</a></li></ul>'.encode("gbk")
    fetched = FetchedPage(INDEX, 200, {"content-type": "text/html; charset=GBK"}, html)
    assert [e.title for e in parse_listing(fetched, CAC).entries] == ["关闭违规账号"]


def test_base_href_and_a_next_link_to_the_page_itself() -> None:
    html = (
        '<html><head><base href="https://mirror.example.net/news/"></head><body>'
        '<ul class="list"><li><a href="2024/1.htm">一</a></li>'
        '<li><a href="mailto:x@example.org">信</a></li></ul>'
        '<div class="page"><a class="next" href="https://www.example.org/wxzf/index.htm#top">'
        "下一页</a></div></body></html>"
    ).encode()
    listing = parse_listing(FetchedPage(INDEX, 200, {}, html), CAC)
    assert [e.url for e in listing.entries] == ["https://mirror.example.net/news/2024/1.htm"]
    assert listing.next_url is None


def test_binary_bytes_and_a_missing_selector_are_page_errors(
    page: Callable[..., FetchedPage],
) -> None:
    with pytest.raises(PageError, match="binary data"):
        parse_listing(FetchedPage(INDEX, 200, {}, b"\x89PNG\r\n\x1a\n\x00\x00"), CAC)
    with pytest.raises(PageError, match="no link_selector"):
        parse_listing(page("listing-1.html", INDEX), Source("x", "listing", url=INDEX))
