"""The fixture sites speak the real formats: any correct client reads them (httpx, feedparser,
the standard library, cunzhao.parse), and their switches and logs do what the sync tests rely on.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import urljoin

import feedparser
import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser
from sites import (
    ListingSite,
    SitemapSite,
    WaybackSite,
    WebhookSink,
    WordPressSite,
    example_articles,
    intervals_by_host,
    new_article,
    shared_corpus_articles,
    synthetic_articles,
)

from cunzhao import Capture, parse_capture

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parsed(response: httpx.Response) -> tuple[str, str, object]:
    """(title, body, published) of a fetched page, as cunzhao's parse stage reads it."""
    kind = response.headers.get("content-type")
    capture = Capture(response.content, str(response.url), "http", str(response.url), None, kind)
    page = parse_capture(capture)
    return page.title, page.body, page.published


def walk_feed(client: httpx.Client, url: str) -> list[feedparser.FeedParserDict]:
    """Every page of a feed, following ``rel="next"``; each must parse cleanly."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        feed = feedparser.parse(response.content)
        assert feed.bozo == 0, feed.get("bozo_exception")
        links = {link.rel: link.href for link in feed.feed.links}
        assert links["self"] == url
        pages.append(feed)
        url = links.get("next", "")
    return pages


def test_tag_feed_pages_chain_newest_first_and_end_in_404() -> None:
    articles = synthetic_articles(25, tags=("立此存照", "立此存照", "真理部"))
    tagged = sorted((a for a in articles if "立此存照" in a.tags), key=lambda a: a.published)
    with WordPressSite(articles, next_links=True) as wp, httpx.Client() as client:
        pages = walk_feed(client, wp.tag_feed_url("立此存照"))
        assert [len(p.entries) for p in pages] == [10, 7]
        links = [e.link for p in pages for e in p.entries]
        assert links == [wp.article_url(a.id) for a in reversed(tagged)]
        first = pages[0].entries[0]
        assert first.title == tagged[-1].title and "立此存照" in [t.term for t in first.tags]
        assert first.content[0].value.startswith(f"<p>{tagged[-1].blocks[0].text}")
        assert client.get(wp.tag_feed_url("立此存照", 3)).status_code == 404
        assert client.get(wp.tag_feed_url("没有这个标签")).status_code == 404
        raw = wp.url("/chinese/tag/立此存照/feed/?paged=2")  # the tag as the issue writes it
        assert len(feedparser.parse(client.get(raw).content).entries) == 7
        everything = walk_feed(client, wp.feed_url())
        assert sum(len(p.entries) for p in everything) == 25 == 10 * wp.feed_pages() - 5


def test_without_next_links_the_pages_go_by_paged_until_404() -> None:
    with WordPressSite(synthetic_articles(20)) as wp, httpx.Client() as client:
        first = feedparser.parse(client.get(wp.feed_url()).content)
        assert [link.rel for link in first.feed.links] == ["self", "alternate"]
        assert client.get(wp.feed_url(2)).status_code == 200
        assert client.get(wp.feed_url(3)).status_code == 404
        assert client.get(wp.url("/feed/?paged=x")).status_code == 404


def test_conditional_requests_answer_304_until_the_article_changes() -> None:
    article = example_articles()[0]
    with WordPressSite([article]) as wp, httpx.Client() as client:
        url = wp.article_url(article.id)
        first = client.get(url)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert parsed(first) == (article.title, article.page_body, article.published.date())
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
        older = format_datetime(article.published - timedelta(days=1), usegmt=True)
        assert client.get(url, headers={"If-Modified-Since": older}).status_code == 200
        feed = client.get(wp.feed_url())
        assert (
            client.get(wp.feed_url(), headers={"If-None-Match": feed.headers["etag"]}).status_code
            == 304
        )

        changed = wp.change(article.id, ["新的第一段。", "新的第二段。"])
        again = client.get(url, headers={"If-None-Match": etag, "If-Modified-Since": modified})
        assert again.status_code == 200 and again.headers["etag"] != etag
        assert (
            parsed(again)[1] == f"{article.title}\n新的第一段。\n新的第二段。" == changed.page_body
        )
        assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 200
        assert changed.version == 2 and changed.last_modified > article.published
        assert wp.change(article.id).body.endswith("（第3版）本文内容已更新。")
        assert (
            client.get(wp.feed_url(), headers={"If-None-Match": feed.headers["etag"]}).status_code
            == 200
        )


def test_deleted_articles_leave_the_feeds_and_answer_as_told() -> None:
    articles = synthetic_articles(4)
    with WordPressSite(articles) as wp, httpx.Client() as client:
        for article, how in zip(articles, ("404", "410", "home", "soft404"), strict=True):
            wp.delete(article.id, how)
        answers = [client.get(wp.article_url(a.id)) for a in articles]
        assert [r.status_code for r in answers] == [404, 410, 302, 200]
        assert answers[2].headers["location"] == wp.url("/")
        assert "页面不存在" in answers[3].text and client.get(wp.url("/")).status_code == 200
        assert client.get(wp.feed_url()).status_code == 404  # no article left
        added = wp.add(
            new_article(1, "【立此存照】新文章", ["网信办约谈某平台。"], datetime.now(UTC))
        )
        entries = feedparser.parse(client.get(wp.feed_url()).content).entries
        assert [e.link for e in entries] == [wp.article_url(added.id)]
        with pytest.raises(ValueError, match="already exists"):
            wp.add(added)
        with pytest.raises(ValueError, match="expected one of"):
            wp.delete(added.id, "gone")


def test_robots_txt_default_set_and_removed() -> None:
    with WordPressSite([]) as wp, httpx.Client() as client:
        assert "Disallow: /wp-admin/" in client.get(wp.url("/robots.txt")).text
        wp.robots("User-agent: *\nDisallow: /chinese/\n")
        assert client.get(wp.url("/robots.txt")).text.endswith("Disallow: /chinese/\n")
        wp.robots(None)
        assert client.get(wp.url("/robots.txt")).status_code == 404


def listing_links(client: httpx.Client, url: str) -> tuple[list[str], list[str]]:
    """Follow ``a.next`` from ``url``: (the index URLs, the article URLs of ``ul.list li a``)."""
    indexes, links = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode("gbk")
        assert '<meta charset="gb2312">' in html
        tree = LexborHTMLParser(html)
        indexes.append(url)
        links += [urljoin(url, a.attributes["href"] or "") for a in tree.css("ul.list li a")]
        after = tree.css_first("a.next")
        url = urljoin(url, after.attributes["href"] or "") if after else ""
        assert after is None or after.text() == "下一页"
    return indexes, links


def test_gbk_listing_paginates_and_serves_gbk_articles() -> None:
    articles = synthetic_articles(44, tags=()) + example_articles()[:1]
    with ListingSite(articles) as cac, httpx.Client() as client:
        indexes, links = listing_links(client, cac.index_url())
        assert indexes == [cac.index_url(0), cac.index_url(1), cac.index_url(2)]
        assert indexes[1].endswith("/wxzf/index_1.htm") and cac.index_pages() == 3
        assert links == [cac.article_url(a.id) for a in cac.newest()]
        assert client.get(cac.index_url(3)).status_code == 404
        seed = articles[-1]
        assert cac.path_of(seed) == seed.published.strftime(f"/%Y-%m/%d/c_{seed.id}.htm")
        page = client.get(cac.article_url(seed.id))
        assert page.headers["content-type"] == "text/html"
        with pytest.raises(UnicodeDecodeError):
            page.content.decode("utf-8")
        assert f"<h1>{seed.title}</h1>" in page.content.decode("gbk")
        assert parsed(page) == (seed.title, seed.page_body, seed.published.date())


def test_listing_declared_in_the_header_with_relative_links() -> None:
    with ListingSite(synthetic_articles(3), declare="header", links="relative") as cac:
        index = httpx.get(cac.index_url())
        assert index.headers["content-type"] == "text/html; charset=gbk"
        assert "<meta" not in index.content.decode("gbk")
        hrefs = [a.attributes["href"] for a in LexborHTMLParser(index.text).css("ul.list li a")]
        assert all(h and h.startswith("../") for h in hrefs)
        assert [urljoin(cac.index_url(), h or "") for h in hrefs] == [
            cac.article_url(a.id) for a in cac.newest()
        ]
        assert index.text.count('class="next"') == 0  # one page only


def test_sitemap_index_and_gzip_child_list_every_article() -> None:
    with SitemapSite(synthetic_articles(7)) as site, httpx.Client() as client:
        assert f"Sitemap: {site.sitemap_url}" in client.get(site.url("/robots.txt")).text
        index = ET.fromstring(client.get(site.sitemap_url).content)
        assert index.tag == f"{SM}sitemapindex"
        children = [entry.findtext(f"{SM}loc") or "" for entry in index]
        assert children[1].endswith(".xml.gz") and len(children) == 2
        locs: dict[str, datetime] = {}
        for child in children:
            data = client.get(child).content
            urlset = ET.fromstring(gzip.decompress(data) if child.endswith(".gz") else data)
            for url in urlset:
                stamp = datetime.fromisoformat(url.findtext(f"{SM}lastmod") or "")
                locs[url.findtext(f"{SM}loc") or ""] = stamp
        assert sorted(locs) == sorted(site.article_url(a.id) for a in site.newest())
        assert all(client.get(loc).status_code == 200 for loc in locs)
        oldest = site.newest()[-1]
        site.change(oldest.id)
        gz = gzip.decompress(client.get(children[1]).content).decode()
        assert site.article(oldest.id).last_modified.isoformat() in gz


@pytest.fixture
def wayback() -> WaybackSite:
    """Three CAC articles captured, the first twice alike and once changed; a 404 capture."""
    articles = synthetic_articles(3, tags=())
    site = WaybackSite()
    for article in articles:
        site.add_article(article, f"http://www.cac.gov.cn/2024-01/01/c_{article.id}.htm")
    first = f"http://www.cac.gov.cn/2024-01/01/c_{articles[0].id}.htm"
    day = articles[0].published + timedelta(days=2)
    site.add_article(articles[0], first, at=day)  # same bytes: the same digest
    site.add(first, b"<html>changed</html>", at=day + timedelta(days=1))
    site.add("http://www.cac.gov.cn/2024-01/01/c_1.htm", b"<html>404</html>", at=day, status=404)
    site.add("http://www.example.com/other.htm", b"<html>elsewhere</html>", at=day)
    return site


def cdx(client: httpx.Client, site: WaybackSite, **params: str) -> list[list[str]]:
    response = client.get(site.cdx_url, params={"output": "json", **params})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    rows = json.loads(response.content)
    assert isinstance(rows, list)
    return rows


def test_cdx_rows_filters_collapse_and_date_range(wayback: WaybackSite) -> None:
    with wayback, httpx.Client() as client:
        rows = cdx(client, wayback, url="cac.gov.cn/2024-01/", matchType="prefix")
        header, body = rows[0], rows[1:]
        assert header == [
            "urlkey",
            "timestamp",
            "original",
            "mimetype",
            "statuscode",
            "digest",
            "length",
        ]
        assert len(body) == 6 and all(len(r) == 7 and len(r[1]) == 14 for r in body)
        assert all(r[0].startswith("cn,gov,cac)/2024-01/01/c_") for r in body)
        assert body == sorted(body, key=lambda r: (r[0], r[1]))
        assert [r[4] for r in body].count("404") == 1
        ok = cdx(client, wayback, url="cac.gov.cn/2024-01/*", filter="statuscode:200")
        assert {r[4] for r in ok[1:]} == {"200"} and len(ok) == 6
        folded = cdx(
            client, wayback, url="cac.gov.cn/2024-01/*", filter="statuscode:200", collapse="digest"
        )
        assert len(folded) == 5  # the alike second capture is gone, the changed one stays
        stamps = sorted(r[1] for r in body)
        window = cdx(client, wayback, url="cac.gov.cn/*", **{"from": stamps[1], "to": stamps[2]})
        assert sorted(r[1] for r in window[1:]) == stamps[1:3]
        assert cdx(client, wayback, url="cac.gov.cn/2023-*") == []
        picked = cdx(client, wayback, url="www.example.com/other.htm", fl="original,statuscode")
        assert picked == [["original", "statuscode"], ["http://www.example.com/other.htm", "200"]]
        text = client.get(wayback.cdx_url, params={"url": "cac.gov.cn/*"}).text
        assert len(text.splitlines()) == 6 and text.splitlines()[0].split()[0] == body[0][0]
        assert (
            client.get(wayback.cdx_url, params={"url": "x", "filter": "nope:1"}).status_code == 400
        )
        assert client.get(wayback.cdx_url).status_code == 400


def test_cdx_resume_key_pages_through_everything(wayback: WaybackSite) -> None:
    with wayback, httpx.Client() as client:
        everything = cdx(client, wayback, url="cac.gov.cn/*")[1:]
        seen: list[list[str]] = []
        params = {"url": "cac.gov.cn/*", "limit": "2", "showResumeKey": "true"}
        while True:
            rows = cdx(client, wayback, **params)
            if rows[-2:-1] == [[]]:
                params["resumeKey"] = rows[-1][0]
                seen += rows[1:-2]
            else:
                seen += rows[1:]
                break
        assert seen == everything and len(everything) == 6
        resp = client.get(wayback.cdx_url, params={"url": "cac.gov.cn/*", "resumeKey": "@@"})
        assert resp.status_code == 400


def test_memento_returns_the_archived_bytes(wayback: WaybackSite) -> None:
    with wayback, httpx.Client() as client:
        for snapshot in wayback.snapshots():
            response = client.get(wayback.memento_url(snapshot))
            assert response.status_code == snapshot.status
            assert response.content == snapshot.body
            assert response.headers["link"] == f'<{snapshot.original}>; rel="original"'
        snapshot = wayback.snapshots()[0]
        near = wayback.url(f"/web/{snapshot.timestamp[:8]}id_/{snapshot.original}")
        moved = client.get(near)
        assert moved.status_code == 302 and moved.headers["location"].endswith(
            "id_/" + snapshot.original
        )
        assert client.get(wayback.url("/web/2024id_/http://nowhere.cn/")).status_code == 404


def test_switches_unreachable_failing_slow_and_the_log() -> None:
    with WordPressSite(synthetic_articles(2)) as wp, httpx.Client() as client:
        url = wp.article_url(synthetic_articles(1)[0].id)
        assert client.get(url).status_code == 200  # the client now holds a connection
        with wp.offline():
            with pytest.raises(httpx.ConnectError):
                client.get(url)
            with pytest.raises(httpx.ConnectError):
                httpx.get(url)
        assert client.get(url).status_code == 200
        wp.fail(wp.path_of(wp.article(900000)), times=2)
        assert [client.get(url).status_code for _ in range(3)] == [503, 503, 200]
        assert wp.statuses()[503] == 2 and wp.count(wp.path_of(wp.article(900000))) == 5
        wp.clear_log()
        wp.slow(0.5)
        start = time.monotonic()
        threads = [threading.Thread(target=httpx.get, args=(wp.feed_url(),)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert time.monotonic() - start >= 0.5 and wp.max_in_flight() == 3
        wp.slow(0)
        assert wp.per_path() == {"/feed/": 3} and len(wp.intervals()) == 2
        assert wp.count("/feed/") == 3 and wp.count("/feed/?paged=2") == 0
        head = client.head(url)
        assert head.content == b"" and int(head.headers["content-length"]) > 500


def test_intervals_by_host_and_webhook() -> None:
    with WordPressSite([]) as one, SitemapSite([]) as two, WebhookSink() as hook:
        for _ in range(3):
            httpx.get(one.url("/robots.txt"))
        httpx.get(two.url("/robots.txt"))
        gaps = intervals_by_host(one, two)
        assert len(gaps[one.base.removeprefix("http://")]) == 2
        assert gaps[two.base.removeprefix("http://")] == []
        assert httpx.post(hook.hook_url, json={"new": 3}).status_code == 204
        hook.fail("/hook")
        assert httpx.post(hook.hook_url, json={"new": 4}).status_code == 503
        assert hook.payloads() == [{"new": 3}, {"new": 4}]


def test_ten_thousand_synthetic_articles_start_fast_and_serve() -> None:
    start = time.monotonic()
    articles = synthetic_articles(10_000)
    with WordPressSite(articles) as wp, ListingSite(articles) as cac, httpx.Client() as client:
        last = client.get(wp.tag_feed_url("立此存照", 1000))
        assert time.monotonic() - start < 5
        assert len(feedparser.parse(last.content).entries) == 10
        assert client.get(wp.tag_feed_url("立此存照", 1001)).status_code == 404
        assert client.get(cac.index_url(499)).status_code == 200
        assert client.get(cac.article_url(articles[-1].id)).status_code == 200
    assert len({a.title for a in articles}) == 10_000


def test_every_corpus_page_reads_back_from_the_sites() -> None:
    articles = shared_corpus_articles()
    assert len(articles) > 250
    with WordPressSite(articles) as wp, ListingSite(articles) as cac, httpx.Client() as client:
        for article in articles:
            expected = (article.title, article.page_body, article.published.date())
            assert parsed(client.get(wp.article_url(article.id))) == expected
            assert parsed(client.get(cac.article_url(article.id))) == expected
