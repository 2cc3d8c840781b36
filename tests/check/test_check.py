"""Watching originals against a real HTTP server on 127.0.0.1: alive, changed, and a deletion
that is called "gone" only after two sightings at least a day apart."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from originals import ARTICLE, QUICK, add_page, check_at, hours, html, stamp
from sqlalchemy import func, select

from cunzhao.archive import Archive
from cunzhao.capture.http import FetchPolicy
from cunzhao.capture.model import Capture
from cunzhao.check import check_documents, gone_documents, link_checks, link_status
from netserver import NetServer


def test_alive_changed_then_gone_only_after_two_sightings_a_day_apart(
    archive_location: str, server: NetServer, tmp_path: Path
) -> None:
    with Archive.open(archive_location) as archive:
        doc = add_page(archive, server, "/a.html", ARTICLE, tmp_path)
        assert check_at(archive, tmp_path, 0) == {doc: "alive"}

        changed = ARTICLE.replace(b"10646", b"10647")
        server.page("/a.html", changed)
        results = check_documents(archive.engine, tmp_path, policy=FetchPolicy(**QUICK),
                                  clock=lambda: hours(1))
        assert [r.outcome for r in results] == ["changed"] and results[0].capture_id is not None
        view = archive.document(doc)
        assert view is not None and [v.n for v in view.versions] == [1, 2]
        assert archive.raw(doc, version=2) == changed
        assert check_at(archive, tmp_path, 2) == {doc: "alive"}  # compared with the last check

        server.remove("/a.html")
        assert check_at(archive, tmp_path, 3) == {doc: "gone"}  # a sighting, not a verdict
        status = link_status(archive.engine, doc)
        assert status is not None and not status.gone and status.sightings == 1
        assert (status.first_gone, status.last_alive) == (stamp(3), stamp(2))
        assert status.http_status == 404 and status.detail == "HTTP 404"
        assert gone_documents(archive.engine) == []
        view = archive.document(doc)
        assert view is not None and view.source_status is not None
        assert view.source_status["gone"] is False

        assert check_at(archive, tmp_path, 26.5) == {doc: "gone"}  # 23.5 h later: too soon
        soon = link_status(archive.engine, doc)
        assert soon is not None and not soon.gone and soon.sightings == 2

        server.remove("/a.html", status=410)
        assert check_at(archive, tmp_path, 27) == {doc: "gone"}  # 24 h after the first
        again = link_status(archive.engine, doc)
        assert again is not None and again.gone and again.first_gone == stamp(3)
        assert [r.outcome for r in again.history] == [
            "alive", "changed", "alive", "gone", "gone", "gone"
        ]
        (gone,) = gone_documents(archive.engine)
        assert (gone.document_id, gone.first_gone, gone.last_gone, gone.last_alive) == (
            doc, stamp(3), stamp(27), stamp(2)
        )
        assert gone.sightings == 3 and gone.title == "网信办查处违法网站"
        assert gone.detail == "HTTP 410"
        assert [g.document_id for g in archive.gone_documents()] == [doc]
        with archive.engine.connect() as conn:
            rows = conn.execute(select(func.count()).select_from(link_checks)).scalar_one()
        assert rows == 6  # the history is kept


def test_both_thresholds_are_parameters(server: NetServer, tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        doc = add_page(archive, server, "/t.html", ARTICLE, tmp_path)
        server.remove("/t.html")
        assert check_at(archive, tmp_path, 0) == {doc: "gone"}
        assert check_at(archive, tmp_path, 6) == {doc: "gone"}
        assert gone_documents(archive.engine) == []  # defaults: 2 sightings, 24 h
        six = timedelta(hours=6)
        assert [g.document_id for g in gone_documents(archive.engine, after=six)] == [doc]
        assert gone_documents(archive.engine, sightings=3, after=six) == []
        assert [g.document_id for g in archive.gone_documents(sightings=1, after=timedelta(0))
                ] == [doc]
        status = link_status(archive.engine, doc, after=timedelta(hours=7))
        assert status is not None and not status.gone
        with pytest.raises(ValueError, match="at least 1"):
            archive.gone_documents(sightings=0)
        with pytest.raises(ValueError, match="negative"):
            gone_documents(archive.engine, after=timedelta(hours=-1))


def test_alive_again_ends_the_run(server: NetServer, tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        doc = add_page(archive, server, "/r.html", ARTICLE, tmp_path)
        server.remove("/r.html")
        check_at(archive, tmp_path, 0)
        server.page("/r.html", ARTICLE)
        assert check_at(archive, tmp_path, 12) == {doc: "alive"}
        server.remove("/r.html")
        check_at(archive, tmp_path, 30)  # 30 h after the first sighting, but a new run
        status = link_status(archive.engine, doc)
        assert status is not None and not status.gone
        assert (status.first_gone, status.sightings, status.last_alive) == (
            stamp(30), 1, stamp(12)
        )
        check_at(archive, tmp_path, 54)
        (gone,) = gone_documents(archive.engine)
        assert (gone.first_gone, gone.sightings) == (stamp(30), 2)


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
        assert check_at(archive, tmp_path, 0) == {doc: "alive"}
        server.remove("/2024-01/31/c_1708373600499439.htm", status=410)
        assert check_at(archive, tmp_path, 1) == {doc: "gone"}
        assert check_at(archive, tmp_path, 25) == {doc: "gone"}
        status = link_status(archive.engine, doc)
        assert status is not None and status.url == original and status.gone
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
        outcomes = check_at(archive, tmp_path, 0, concurrency=4)
        elapsed = time.monotonic() - started
        assert outcomes == {d: ("gone" if i in (1, 3) else "alive") for i, d in enumerate(docs)}
        assert elapsed < 4 * 0.4  # the four slow answers overlapped
        # since: the pages have no publish date, so a since filter selects none of them
        assert check_documents(
            archive.engine, tmp_path, since=date(2000, 1, 1), policy=FetchPolicy(**QUICK)
        ) == []


def test_the_web_document_page_marks_a_page_deleted_at_source_once_confirmed(
    server: NetServer, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from cunzhao.web import create_app

    with Archive.open(tmp_path / "web.db") as archive:
        doc = add_page(archive, server, "/w.html", ARTICLE, tmp_path)
        assert check_at(archive, tmp_path, 0) == {doc: "alive"}
        client = TestClient(create_app(str(tmp_path / "web.db"), cache=False))

        def source_status(lang: str) -> str:
            page = client.get(f"/doc/{doc}?lang={lang}").text
            start = page.index('<dd id="source-status">')
            return page[start : page.index("</dd>", start)]

        assert "原网页已删除" not in source_status("zh")
        server.remove("/w.html", status=410)
        assert check_at(archive, tmp_path, 1) == {doc: "gone"}
        assert "Deleted at source" not in source_status("en")
        assert check_at(archive, tmp_path, 25) == {doc: "gone"}
        shown = source_status("en")
        assert "Deleted at source" in shown and "HTTP 410" in shown
