"""Walking sources over a real HTTP server on 127.0.0.1 serving the fixtures in ``data/``:
first syncs walk every page, later ones stop at the first known page, ``max_pages`` caps a
walk, and a page that fails names the source, the URL and the reason."""

from __future__ import annotations

import gzip
import socket
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any
from urllib.error import HTTPError

import pytest

from cunzhao.sources import Entry, FetchedPage, Source, SourceError, cdx_query_url, walk
from netserver import NetServer

WP_FEED = "/chinese/?feed=rss2&tag=lcz"  # WordPress's plain feed URL; paged=N is added to it
ARTICLE = r"/\d{4}-\d{2}/\d{2}/c_\d+\.htm$"
RESUME = "cn%2Cgov%2Ccac%29%2F2017-06%2F02%2Fc_1122.htm+20170602101530"


def fetch(url: str) -> FetchedPage:
    """A plain urllib GET: any HTTP status comes back as a page, not an exception."""
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            headers = {k.lower(): v for k, v in answer.headers.items()}
            return FetchedPage(answer.url, answer.status, headers, answer.read())
    except HTTPError as error:
        headers = {k.lower(): v for k, v in error.headers.items()}
        return FetchedPage(url, error.code, headers, error.read())


class Site:
    """The fixture site: a WordPress feed, an Atom feed, a GBK listing, sitemaps, CDX."""

    def __init__(self, server: NetServer, data: Callable[[str], bytes]) -> None:
        self.server = server
        self.seen = 0  # requests counted so far

        def serve(path: str, name: str, kind: str) -> None:
            body = data(name).replace(b"https://example.org", server.base.encode())
            server.page(path, gzip.compress(body) if path.endswith(".gz") else body, kind)

        rss, xml = "application/rss+xml; charset=UTF-8", "application/xml"
        serve(WP_FEED, "wp-1.xml", rss)
        serve(WP_FEED + "&paged=2", "wp-2.xml", rss)
        serve(WP_FEED + "&paged=3", "wp-3.xml", rss)  # paged=4: 404, as WordPress answers
        serve("/notices/atom-1.xml", "atom-1.xml", "application/atom+xml")
        serve("/notices/atom-2.xml", "atom-2.xml", "application/atom+xml")
        serve("/plain/rss.xml", "rss.xml", rss)  # not WordPress: ?paged=2 gives the same
        for number, path in enumerate(("index.htm", "index_2.htm", "index_3.htm"), 1):
            serve(f"/wxzf/{path}", f"listing-{number}.html", "text/html")
        serve("/sitemap.xml", "sitemap-index.xml", xml)
        serve("/sitemap-posts-2024.xml.gz", "sitemap-posts-2024.xml", "application/gzip")
        serve("/sitemap-posts-2023.xml", "sitemap-posts-2023.xml", xml)
        self.wayback = Source("gone", "wayback", url="www.cac.gov.cn/2017-06/",
                              cdx_server=server.url("/cdx"), memento_base=server.url("/web"))
        serve(self._path(cdx_query_url(self.wayback)), "cdx-1.json", "application/json")
        serve(self._path(cdx_query_url(self.wayback, RESUME)), "cdx-2.json", "application/json")

    def _path(self, url: str) -> str:
        return url.removeprefix(self.server.base)

    def source(self, kind: str, path: str, **fields: Any) -> Source:
        return Source("site", kind, url=self.server.url(path), **fields)

    def requests(self) -> list[str]:
        """The paths requested since the last call."""
        paths = [request.path for request in self.server.requests[self.seen :]]
        self.seen = len(self.server.requests)
        return paths


@pytest.fixture
def site(data: Callable[[str], bytes]) -> Iterator[Site]:
    with NetServer() as server:
        yield Site(server, data)


def _walk(source: Source, known: set[str] | None = None, *, first_sync: bool) -> list[Entry]:
    return list(walk(source, fetch, (known or set()).__contains__, first_sync=first_sync))


def _ids(entries: list[Entry]) -> list[str]:
    return [e.url.rsplit("/", 1)[1].split(".")[0] for e in entries]


def test_a_wordpress_feed_first_sync_pages_back_until_404(site: Site) -> None:
    entries = _walk(site.source("feed", WP_FEED), first_sync=True)
    assert _ids(entries) == ["910006", "910005", "910004", "910003", "910002", "910001"]
    assert site.requests() == [WP_FEED, *(f"{WP_FEED}&paged={n}" for n in (2, 3, 4))]


def test_a_later_sync_with_nothing_new_fetches_one_page(site: Site) -> None:
    source = site.source("feed", WP_FEED)
    known = {e.url for e in _walk(source, first_sync=True)}
    site.requests()
    again = _walk(source, known, first_sync=False)
    assert site.requests() == [WP_FEED]
    assert _ids(again) == ["910006", "910005"]  # known entries are listed too


def test_a_later_sync_stops_at_the_first_page_known_before_it_was_listed(site: Site) -> None:
    source = site.source("feed", WP_FEED)
    everything = _walk(source, first_sync=True)
    known = {e.url for e in everything[2:]}  # pages 2 and 3 were synced before
    site.requests()
    for entry in walk(source, fetch, known.__contains__, first_sync=False):
        known.add(entry.url)  # a caller recording each entry as it comes
    assert site.requests() == [WP_FEED, WP_FEED + "&paged=2"]


def test_max_pages_caps_a_first_sync(site: Site) -> None:
    entries = _walk(site.source("feed", WP_FEED, max_pages=2), first_sync=True)
    assert _ids(entries) == ["910006", "910005", "910004", "910003"]
    assert len(site.requests()) == 2


def test_a_feed_that_ignores_paged_is_walked_once(site: Site) -> None:
    entries = _walk(site.source("feed", "/plain/rss.xml"), first_sync=True)
    assert _ids(entries) == ["900003", "900002", "900001"]
    assert site.requests() == ["/plain/rss.xml", "/plain/rss.xml?paged=2"]


def test_an_atom_feed_follows_rel_next(site: Site) -> None:
    source = site.source("feed", "/notices/atom-1.xml")
    entries = _walk(source, first_sync=True)
    assert _ids(entries) == ["c_4", "c_3", "c_2"]
    assert site.requests() == ["/notices/atom-1.xml", "/notices/atom-2.xml"]
    _walk(source, {e.url for e in entries}, first_sync=False)
    assert site.requests() == ["/notices/atom-1.xml"]


def test_a_gbk_listing_walks_its_pages_and_applies_the_url_pattern(site: Site) -> None:
    source = site.source("listing", "/wxzf/index.htm", link_selector="ul.list li a",
                         next_selector="div.page a.next", url_pattern=ARTICLE)
    entries = _walk(source, first_sync=True)
    assert _ids(entries) == [f"c_{n}" for n in range(1701, 1694, -1)]
    assert entries[0].title == "国家网信办依法约谈两家网站平台"
    assert site.requests() == ["/wxzf/index.htm", "/wxzf/index_2.htm", "/wxzf/index_3.htm"]
    assert len(_walk(source, {e.url for e in entries}, first_sync=False)) == 3
    assert site.requests() == ["/wxzf/index.htm"]


def test_a_page_seen_before_in_the_walk_is_not_fetched_again(site: Site) -> None:
    source = site.source("listing", "/wxzf/index.htm", link_selector="ul.list a",
                         next_selector="div.page a")  # page 2's first pager link: 上一页
    _walk(source, first_sync=True)
    assert site.requests() == ["/wxzf/index.htm", "/wxzf/index_2.htm"]


def test_a_sitemap_index_walks_every_child_on_every_sync(site: Site) -> None:
    source = site.source("sitemap", "/sitemap.xml", url_pattern=r"/20\d\d/")
    entries = _walk(source, first_sync=True)
    assert [(e.url.removeprefix(site.server.base), e.updated) for e in entries] == [
        ("/2024/03/06/yuetan-liangjia-pingtai.html", "2024-03-06T04:00:00Z"),
        ("/2024/02/28/guanbi-zhanghao.html", "2024-02-28"),
        ("/2024/02/01/xiajia-yingyong.html", None),
        ("/2023/12/30/fakuan-gongsi.html", "2023-12-30T09:30:00Z"),
    ]
    paths = ["/sitemap.xml", "/sitemap-posts-2024.xml.gz", "/sitemap-posts-2023.xml"]
    assert site.requests() == paths
    _walk(source, {e.url for e in entries}, first_sync=False)  # not ordered by time
    assert site.requests() == paths


def test_a_wayback_source_follows_the_resume_key(site: Site) -> None:
    entries = _walk(site.wayback, first_sync=True)
    assert [e.original_url.rsplit("/", 1)[1] for e in entries] == [
        "c_1121.htm", "c_1121.htm", "c_1122.htm", "c_1123.htm",
    ]
    assert entries[0].url == site.server.url(
        "/web/20170601093012id_/http://www.cac.gov.cn/2017-06/01/c_1121.htm"
    )
    assert len(site.requests()) == 2


def test_a_missing_page_fails_after_the_pages_before_it(site: Site) -> None:
    site.server.remove("/wxzf/index_2.htm")
    source = site.source("listing", "/wxzf/index.htm", link_selector="ul.list a",
                         next_selector="a.next", url_pattern=ARTICLE)
    listed: list[Entry] = []
    with pytest.raises(SourceError) as caught:
        listed.extend(walk(source, fetch, lambda url: False, first_sync=True))
    assert len(listed) == 3
    assert caught.value.source == "site" and caught.value.reason == "HTTP 404"
    assert caught.value.url == site.server.url("/wxzf/index_2.htm")
    assert str(caught.value) == f"site: {site.server.url('/wxzf/index_2.htm')}: HTTP 404"


def test_a_page_that_is_not_a_feed_is_named(site: Site) -> None:
    site.server.page("/notices/atom-2.xml", b"<html><body>Maintenance</body></html>")
    with pytest.raises(SourceError, match="atom-2.xml: not an RSS or Atom feed"):
        _walk(site.source("feed", "/notices/atom-1.xml"), first_sync=True)


def test_a_server_error_on_a_wordpress_page_is_not_the_end_of_paging(site: Site) -> None:
    site.server.page(WP_FEED + "&paged=2", b"busy", "text/plain", status=503)
    with pytest.raises(SourceError, match="paged=2: HTTP 503"):
        _walk(site.source("feed", WP_FEED), first_sync=True)


def test_an_unreachable_host_is_named(site: Site) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = Source("dead", "feed", url=f"http://127.0.0.1:{port}/feed/")
    with pytest.raises(SourceError, match=rf"^dead: http://127.0.0.1:{port}/feed/: URLError"):
        _walk(source, first_sync=True)


def test_not_modified_lists_nothing(site: Site) -> None:
    site.server.page("/feed-304/", b"", status=304)
    assert _walk(site.source("feed", "/feed-304/"), first_sync=False) == []
    assert site.requests() == ["/feed-304/"]


def test_a_folder_has_no_pages_to_walk(site: Site) -> None:
    with pytest.raises(ValueError, match="no pages to walk"):
        _walk(Source("local", "folder"), first_sync=True)
