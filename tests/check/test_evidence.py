"""What counts as evidence of deletion: 404/410, a redirect to the home page or an error page,
a soft 404 — and what does not (a live page whose title has "404" in it, a move elsewhere)."""

from __future__ import annotations

from pathlib import Path

from originals import ARTICLE, add_page, check_at, html

from cunzhao.archive import Archive
from cunzhao.capture.http import FetchOutcome
from cunzhao.check import gone_documents, link_status
from cunzhao.check.classify import classify, is_error_page, is_home_page, soft_not_found
from netserver import NetServer


def test_redirects_home_to_an_error_page_and_elsewhere(server: NetServer, tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        home_doc = add_page(archive, server, "/news/1.html", ARTICLE, tmp_path)
        error_doc = add_page(archive, server, "/news/3.html", html("第三篇", "内容" * 50), tmp_path)
        moved_doc = add_page(archive, server, "/news/2.html", html("另一篇", "正文" * 50), tmp_path)
        server.page("/", html("首页", "欢迎"))
        server.page("/archive/2.html", html("另一篇", "正文" * 50))
        server.page("/error/index.html", html("提示", "欢迎访问本站"))  # no not-found text
        server.redirect("/news/1.html", "/", status=301)
        server.redirect("/news/2.html", "/archive/2.html", status=301)
        server.redirect("/news/3.html", "/error/index.html")
        expected = {home_doc: "gone", error_doc: "gone", moved_doc: "redirected"}
        assert check_at(archive, tmp_path, 0) == expected
        status = link_status(archive.engine, moved_doc)
        assert status is not None and status.final_url == server.url("/archive/2.html")
        home = link_status(archive.engine, home_doc)
        assert home is not None and "home page" in (home.detail or "")
        error = link_status(archive.engine, error_doc)
        assert error is not None and "error page" in (error.detail or "")
        assert check_at(archive, tmp_path, 24) == expected
        assert sorted(g.document_id for g in gone_documents(archive.engine)) == sorted(
            (home_doc, error_doc)
        )


def test_soft_404_is_gone_but_a_404_series_title_is_not(server: NetServer, tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        wechat = add_page(archive, server, "/s/abc", ARTICLE, tmp_path)
        series = add_page(
            archive, server, "/404wenku.html", html("【404文库】记者是不存在的", "正文" * 400),
            tmp_path,
        )
        server.page("/s/abc", html("微信公众平台", "该内容已被发布者删除"))
        assert check_at(archive, tmp_path, 0) == {wechat: "gone", series: "alive"}
        status = link_status(archive.engine, wechat)
        assert status is not None and "该内容已被发布者删除" in (status.detail or "")
        assert check_at(archive, tmp_path, 30) == {wechat: "gone", series: "alive"}
        assert [g.document_id for g in gone_documents(archive.engine)] == [wechat]


def test_the_classifier_rules() -> None:
    def verdict(outcome: str, detail: str, status: int | None = None) -> tuple[str, str]:
        found = classify(FetchOutcome("http://a.cn/b/c.html", outcome, status,  # type: ignore[arg-type]
                                      detail=detail))
        return found.verdict, found.detail or ""

    dns = verdict("unreachable", "ConnectError: [Errno -2] Name or service not known")
    assert dns[0] == "unreachable" and dns[1].startswith("DNS failure")
    refused = verdict("unreachable", "ConnectError: [Errno 111] Connection refused")
    assert refused[0] == "unreachable" and refused[1].startswith("connection refused")
    tls = verdict("unreachable", "ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate")
    assert tls[0] == "unreachable" and tls[1].startswith("TLS error")
    assert verdict("timeout", "no answer in time: ReadTimeout")[0] == "unreachable"
    for status in (500, 502, 503, 504, 429):
        assert verdict("http_error", f"HTTP {status}", status)[0] == "unreachable", status
    assert verdict("gone", "HTTP 404", 404) == ("gone", "HTTP 404")
    assert verdict("gone", "HTTP 410", 410) == ("gone", "HTTP 410")
    assert verdict("http_error", "HTTP 403", 403)[0] == "error"
    assert verdict("blocked", "robots.txt disallows it")[0] == "error"
    assert verdict("too_large", "more than 10 bytes")[0] == "error"


def test_home_and_error_pages_and_soft_404_text() -> None:
    assert is_home_page("https://www.cac.gov.cn/") and is_home_page("http://a.cn/index.html")
    assert not is_home_page("http://www.cac.gov.cn/2024-01/31/c_1.htm")
    assert is_error_page("http://a.cn/404.html") and is_error_page("http://a.cn/error/x.jsp")
    assert is_error_page("https://weibo.com/sorry?pagenotfound&")
    assert is_error_page("http://a.cn/page-not-found/")
    assert not is_error_page("http://a.cn/2024/04/c_404123.htm")
    assert not is_error_page("http://www.cac.gov.cn/2024-01/31/c_1.htm")
    assert soft_not_found(html("404 Not Found", "nginx")) in ("not found", "404 not found")
    assert soft_not_found(html("页面不存在", "返回首页")) == "页面不存在"
    assert soft_not_found(ARTICLE) is None
