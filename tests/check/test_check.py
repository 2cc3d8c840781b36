"""Watching originals against a real HTTP server on 127.0.0.1: alive, changed, redirected,
gone (404/410, home-page redirect, soft 404), errors, and the history that dates a deletion."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from cunzhao.archive import Archive
from cunzhao.capture.http import FetchOutcome, FetchPolicy, capture_urls
from cunzhao.capture.model import Capture
from cunzhao.check import check_documents, gone_documents, link_checks, link_status
from cunzhao.check.classify import classify, is_home_page, soft_not_found
from netserver import NetServer

QUICK: dict[str, Any] = {"retries": 0, "timeout": 3.0, "backoff": 0.01, "rate_per_host": 0}


def html(title: str, text: str) -> bytes:
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>{text}</p></body></html>"
    ).encode()


ARTICLE = html("网信办查处违法网站", "2023年，全国网信系统依法约谈网站10646家。" * 20)


@pytest.fixture
def server() -> Iterator[NetServer]:
    with NetServer() as running:
        yield running


def add_page(archive: Archive, server: NetServer, path: str, body: bytes, folder: Path) -> int:
    """Serve ``body`` at ``path``, capture it over HTTP and ingest it; returns the document id."""
    url = server.page(path, body)
    (outcome,) = capture_urls([url], folder, FetchPolicy(**QUICK))
    assert outcome.capture is not None, outcome
    result = archive.ingest_capture(outcome.capture)
    assert result.outcome == "ingested", result
    assert result.document_id is not None
    return result.document_id


def check(
    archive: Archive, folder: Path, concurrency: int = 4, **options: Any
) -> dict[int, str]:
    results = check_documents(
        archive.engine, folder, concurrency=concurrency,
        policy=FetchPolicy(**{**QUICK, **options}),
    )
    return {r.document_id: r.outcome for r in results}


def test_alive_changed_then_gone_with_dates(
    archive_location: str, server: NetServer, tmp_path: Path
) -> None:
    with Archive.open(archive_location) as archive:
        doc = add_page(archive, server, "/a.html", ARTICLE, tmp_path)
        assert check(archive, tmp_path) == {doc: "alive"}

        changed = ARTICLE.replace(b"10646", b"10647")
        server.page("/a.html", changed)
        results = check_documents(archive.engine, tmp_path, policy=FetchPolicy(**QUICK))
        assert [r.outcome for r in results] == ["changed"]
        assert results[0].capture_id is not None
        view = archive.document(doc)
        assert view is not None and [v.n for v in view.versions] == [1, 2]
        assert archive.raw(doc, version=2) == changed
        assert check(archive, tmp_path) == {doc: "alive"}  # compared with the last check now
        alive_at = link_status(archive.engine, doc).last_alive  # type: ignore[union-attr]

        time.sleep(1.1)  # check times have one-second resolution
        server.remove("/a.html")
        assert check(archive, tmp_path) == {doc: "gone"}
        status = link_status(archive.engine, doc)
        assert status is not None and status.gone
        assert status.http_status == 404 and status.detail == "HTTP 404"
        assert status.last_alive == alive_at
        assert status.first_gone is not None and status.first_gone > alive_at  # type: ignore[operator]
        first_gone = status.first_gone

        time.sleep(1.1)
        server.remove("/a.html", status=410)
        assert check(archive, tmp_path) == {doc: "gone"}
        again = link_status(archive.engine, doc)
        assert again is not None and again.first_gone == first_gone  # the run goes on
        assert [r.outcome for r in again.history] == ["alive", "changed", "alive", "gone", "gone"]

        (gone,) = gone_documents(archive.engine)
        assert (gone.document_id, gone.first_gone, gone.last_alive) == (doc, first_gone, alive_at)
        assert gone.title == "网信办查处违法网站"
        with archive.engine.connect() as conn:
            rows = conn.execute(select(func.count()).select_from(link_checks)).scalar_one()
        assert rows == 5  # the history is kept


def test_redirects_home_and_elsewhere(server: NetServer, tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        home_doc = add_page(archive, server, "/news/1.html", ARTICLE, tmp_path)
        moved_doc = add_page(archive, server, "/news/2.html", html("另一篇", "正文" * 50), tmp_path)
        server.page("/", html("首页", "欢迎"))
        server.page("/archive/2.html", html("另一篇", "正文" * 50))
        server.redirect("/news/1.html", "/", status=301)
        server.redirect("/news/2.html", "/archive/2.html", status=301)
        assert check(archive, tmp_path) == {home_doc: "gone", moved_doc: "redirected"}
        status = link_status(archive.engine, moved_doc)
        assert status is not None and status.final_url == server.url("/archive/2.html")
        home = link_status(archive.engine, home_doc)
        assert home is not None and "home page" in (home.detail or "")


def test_soft_404_is_gone_but_a_404_series_title_is_not(server: NetServer, tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        wechat = add_page(archive, server, "/s/abc", ARTICLE, tmp_path)
        series = add_page(
            archive,
            server,
            "/404wenku.html",
            html("【404文库】记者是不存在的", "正文" * 400),
            tmp_path,
        )
        server.page("/s/abc", html("微信公众平台", "该内容已被发布者删除"))
        assert check(archive, tmp_path) == {wechat: "gone", series: "alive"}
        status = link_status(archive.engine, wechat)
        assert status is not None and "该内容已被发布者删除" in (status.detail or "")


def test_errors_do_not_end_a_gone_run_nor_revive(server: NetServer, tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        doc = add_page(archive, server, "/x.html", ARTICLE, tmp_path)
        server.remove("/x.html")
        assert check(archive, tmp_path) == {doc: "gone"}
        server.page("/x.html", b"busy", "text/plain", status=503)
        assert check(archive, tmp_path) == {doc: "error"}
        status = link_status(archive.engine, doc)
        assert status is not None and status.outcome == "error" and status.gone
        assert [g.document_id for g in gone_documents(archive.engine)] == [doc]
        server.page("/x.html", ARTICLE)
        assert check(archive, tmp_path) == {doc: "alive"}
        assert gone_documents(archive.engine) == []


def _seed_with_local_source(seed: bytes, original: str) -> bytes:
    wayback = b"https://web.archive.org/web/http://www.cac.gov.cn/2024-01/31/c_1708373600499439.htm"
    assert wayback in seed
    return seed.replace(wayback, original.encode())


def test_the_unwrapped_source_link_is_checked(
    server: NetServer, seed_path: Path, tmp_path: Path
) -> None:
    original = server.page("/2024-01/31/c_1708373600499439.htm", ARTICLE)
    page = _seed_with_local_source(seed_path.read_bytes(), original)
    with Archive.open(tmp_path / "a.db") as archive:
        result = archive.ingest_capture(Capture(page, str(tmp_path / "seed.md")))
        assert result.document_id is not None
        doc = result.document_id
        assert check(archive, tmp_path) == {doc: "alive"}
        server.remove("/2024-01/31/c_1708373600499439.htm", status=410)
        assert check(archive, tmp_path) == {doc: "gone"}
        status = link_status(archive.engine, doc)
        assert status is not None and status.url == original
        (gone,) = gone_documents(archive.engine)
        assert gone.document_url == "https://chinadigitaltimes.net/chinese/704712.html"
        assert gone.url == original


def test_concurrency_and_since(server: NetServer, tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        docs = [
            add_page(
                archive, server, f"/p{i}.html", html(f"第{i}篇", "正文" * 60 + str(i)), tmp_path
            )
            for i in range(6)
        ]
        for i in (1, 3):
            server.page(f"/p{i}.html", b"gone", status=404)
        slow = [server.route(f"/p{i}.html") for i in (0, 2, 4, 5)]
        for route in slow:
            assert route is not None
            route.delay = 0.4
        started = time.monotonic()
        outcomes = check(archive, tmp_path, concurrency=4)
        elapsed = time.monotonic() - started
        assert outcomes == {d: ("gone" if i in (1, 3) else "alive") for i, d in enumerate(docs)}
        assert elapsed < 4 * 0.4  # the four slow answers overlapped
        # since: the pages have no publish date, so a since filter selects none of them
        assert check_documents(
            archive.engine, tmp_path, since=date(2000, 1, 1), policy=FetchPolicy(**QUICK)
        ) == []


def test_classifier_rules() -> None:
    dns = FetchOutcome(
        "http://gone.invalid/a",
        "unreachable",
        detail="ConnectError: [Errno -2] Name or service not known",
    )
    refused = FetchOutcome(
        "http://127.0.0.1:1/a", "unreachable", detail="ConnectError: [Errno 111] Connection refused"
    )
    assert classify(dns).verdict == "gone" and "DNS" in (classify(dns).detail or "")
    assert classify(refused).verdict == "error"
    assert classify(FetchOutcome("http://a/b", "timeout", detail="no answer")).verdict == "error"
    assert classify(FetchOutcome("http://a/b", "blocked", detail="robots")).verdict == "error"
    assert is_home_page("https://www.cac.gov.cn/") and is_home_page("http://a.cn/index.html")
    assert not is_home_page("http://www.cac.gov.cn/2024-01/31/c_1.htm")
    assert soft_not_found(html("404 Not Found", "nginx")) in ("not found", "404 not found")
    assert soft_not_found(html("页面不存在", "返回首页")) == "页面不存在"
    assert soft_not_found(ARTICLE) is None


def test_the_web_document_page_marks_a_page_deleted_at_source(
    server: NetServer, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from cunzhao.web import create_app

    with Archive.open(tmp_path / "web.db") as archive:
        doc = add_page(archive, server, "/w.html", ARTICLE, tmp_path)
        assert check(archive, tmp_path) == {doc: "alive"}
        client = TestClient(create_app(str(tmp_path / "web.db"), cache=False))
        page = client.get(f"/doc/{doc}").text
        assert 'id="source-status"' in page and "原网页已删除" not in page
        server.remove("/w.html", status=410)
        assert check(archive, tmp_path) == {doc: "gone"}
        page = client.get(f"/doc/{doc}?lang=en").text
        assert "Deleted at source" in page and "HTTP 410" in page
