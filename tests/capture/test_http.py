"""Capturing from a real HTTP server on 127.0.0.1: outcomes, WARC records, politeness,
mementos, and ingest of what was captured."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator

from cunzhao.archive import Archive
from cunzhao.capture.http import USER_AGENT, Fetcher, FetchOutcome, FetchPolicy, capture_urls
from cunzhao.capture.memento import parse_timemap, raw_memento_url
from cunzhao.capture.model import Capture
from cunzhao.capture.warc import iter_warc_captures
from netserver import NetServer

FAST: dict[str, Any] = {"retries": 0, "timeout": 5.0, "backoff": 0.01, "rate_per_host": 0}


def fetch_all(
    urls: list[str], folder: Path, memento_base: str | None = None, **options: Any
) -> list[FetchOutcome]:
    """capture_urls with quick settings for tests (no waits unless a test asks for them)."""
    return capture_urls(
        urls, folder, FetchPolicy(**{**FAST, **options}), memento_base=memento_base
    )


@pytest.fixture
def server() -> Iterator[NetServer]:
    with NetServer() as running:
        yield running


@pytest.fixture
def page(seed_path: Path) -> bytes:
    return seed_path.read_bytes()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _records(path: Path) -> list[tuple[str, str, int | None]]:
    found = []
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh):
            is_response = record.rec_type == "response"
            status = record.http_headers.get_statuscode() if is_response else None
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            found.append((record.rec_type, uri, int(status) if status else None))
    return found


def test_page_is_fetched_into_a_warc_with_request_and_response(
    server: NetServer, page: bytes, tmp_path: Path
) -> None:
    url = server.page("/chinese/704712.html", page)
    (outcome,) = fetch_all([url], tmp_path)
    assert outcome.outcome == "ok" and outcome.status == 200
    capture = outcome.capture
    assert capture is not None and capture.data == page
    assert capture.source_kind == "http" and capture.target_url == url
    assert capture.captured_at is not None
    assert abs((datetime.now(UTC) - capture.captured_at).total_seconds()) < 60
    (warc,) = tmp_path.glob("*.warc.gz")
    assert capture.source.startswith(f"{warc}#")
    records = _records(warc)
    assert [r[0] for r in records] == ["warcinfo", "response", "request"]
    assert records[1] == ("response", url, 200)
    # the request record says who asked
    with open(warc, "rb") as fh:
        request = next(r for r in ArchiveIterator(fh) if r.rec_type == "request")
        assert request.http_headers.get_header("User-Agent") == USER_AGENT
    assert server.requests_for("/chinese/704712.html")[0].headers["User-Agent"] == USER_AGENT


def test_capture_then_ingest_from_the_warc(server: NetServer, page: bytes, tmp_path: Path) -> None:
    url = server.page("/chinese/704712.html", page, gzip=True, chunked=True)
    (outcome,) = fetch_all([url], tmp_path / "warcs")
    assert outcome.capture is not None and outcome.capture.data == page  # decoded
    (warc,) = (tmp_path / "warcs").glob("*.warc.gz")
    with open(warc, "rb") as fh:
        response = next(r for r in ArchiveIterator(fh) if r.rec_type == "response")
        assert response.http_headers.get_header("Content-Encoding") == "gzip"  # kept as sent
        assert response.http_headers.get_header("Transfer-Encoding") is None
    with Archive.open(tmp_path / "a.db") as archive:
        summary = archive.ingest([warc])
        assert summary.counts == {"ingested": 1}, summary.failures
        doc = archive.document("https://chinadigitaltimes.net/chinese/704712.html")
        assert doc is not None and doc.title.startswith("【立此存照】")
        assert archive.raw(doc.id) == page


def test_redirects_are_followed_and_recorded(
    server: NetServer, page: bytes, tmp_path: Path
) -> None:
    final = server.page("/new.html", page)
    server.redirect("/mid", "/new.html", status=302)
    start = server.redirect("/old", server.url("/mid"), status=301)
    (outcome,) = fetch_all([start], tmp_path)
    assert outcome.outcome == "redirect"
    assert outcome.final_url == final
    assert outcome.redirects == (start, server.url("/mid"))
    assert outcome.capture is not None and outcome.capture.target_url == final
    (warc,) = tmp_path.glob("*.warc.gz")
    statuses = [r[2] for r in _records(warc) if r[0] == "response"]
    assert statuses == [301, 302, 200]


def test_error_answers_are_outcomes(server: NetServer, tmp_path: Path) -> None:
    server.remove("/gone", status=410)
    server.page("/broken", b"oops", "text/plain", status=500)
    png = b"\x89PNG\r\n\x1a\n" + bytes(300)
    server.page("/logo.png", png, "image/png")
    urls = [
        server.url("/missing"),
        server.url("/gone"),
        server.url("/broken"),
        server.url("/logo.png"),
        "ftp://example.org/x",
        "http://[::1/broken",
    ]
    outcomes = fetch_all(urls, tmp_path, retries=1)
    assert [o.outcome for o in outcomes] == [
        "gone",
        "gone",
        "http_error",
        "non_html",
        "invalid",
        "invalid",
    ]
    assert [o.status for o in outcomes[:4]] == [404, 410, 500, 200]
    assert len(server.requests_for("/broken")) == 2  # retried once
    image = outcomes[3].capture
    assert image is not None and image.data == png and image.content_type == "image/png"
    assert all(o.capture is None for o in outcomes[:3])


def test_retry_with_backoff_recovers(server: NetServer, page: bytes, tmp_path: Path) -> None:
    url = server.page("/flaky", page, fail_first=2)
    (outcome,) = fetch_all([url], tmp_path, retries=2, backoff=0.1)
    assert outcome.outcome == "ok"
    hits = server.requests_for("/flaky")
    assert len(hits) == 3
    # the waits between tries double: at least 0.1 s, then at least 0.2 s
    assert hits[1].at - hits[0].at >= 0.1 and hits[2].at - hits[1].at >= 0.2


def test_timeouts_and_unreachable_hosts(server: NetServer, tmp_path: Path) -> None:
    slow = server.page("/slow", b"<p>late</p>", delay=1.5)
    dead = f"http://127.0.0.1:{_closed_port()}/x.html"
    outcomes = fetch_all([slow, dead], tmp_path, timeout=0.3)
    assert [o.outcome for o in outcomes] == ["timeout", "unreachable"]
    assert all(o.detail for o in outcomes)


def test_robots_txt_is_respected_unless_ignored(
    server: NetServer, page: bytes, tmp_path: Path
) -> None:
    server.page("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
    private = server.page("/private/a.html", page)
    public = server.page("/public.html", page)
    outcomes = fetch_all([private, public], tmp_path)
    assert [o.outcome for o in outcomes] == ["blocked", "ok"]
    assert "robots.txt" in (outcomes[0].detail or "")
    assert server.requests_for("/private/a.html") == []
    assert len(server.requests_for("/robots.txt")) == 1  # cached per host
    (again,) = fetch_all([private], tmp_path, respect_robots=False)
    assert again.outcome == "ok"


def test_robots_txt_server_error_blocks(server: NetServer, page: bytes, tmp_path: Path) -> None:
    server.page("/robots.txt", b"down", "text/plain", status=503)
    url = server.page("/a.html", page)
    (outcome,) = fetch_all([url], tmp_path)
    assert outcome.outcome == "blocked" and "503" in (outcome.detail or "")


def test_per_host_rate_limit(server: NetServer, page: bytes, tmp_path: Path) -> None:
    urls = [server.page(f"/p{i}.html", page + str(i).encode()) for i in range(3)]
    started = time.monotonic()
    fetch_all(urls, tmp_path, respect_robots=False, rate_per_host=5.0)
    times = sorted(r.at for r in server.requests)
    # request k may not leave before started + k/5 s (arrival gaps alone can shrink under load)
    assert len(times) == 3
    assert [round(t - started, 3) >= k * 0.2 for k, t in enumerate(times)] == [True] * 3


def _wayback_route(server: NetServer, original: str, stamp: str, body: bytes) -> str:
    when = datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    server.page(
        f"/web/{stamp}id_/{original}",
        body,
        headers={"Memento-Datetime": when.strftime("%a, %d %b %Y %H:%M:%S GMT")},
    )
    return server.url(f"/web/{stamp}/{original}")


def test_unreachable_page_falls_back_to_the_closest_memento(
    server: NetServer, page: bytes, tmp_path: Path
) -> None:
    original = server.url("/chinese/704712.html")
    server.remove("/chinese/704712.html")
    memento = _wayback_route(server, original, "20240202031902", page)
    closest = {"url": memento, "timestamp": "20240202031902", "available": True, "status": "200"}
    server.page(
        "/wayback/available",
        json.dumps({"url": original, "archived_snapshots": {"closest": closest}}).encode(),
        "application/json",
    )
    (outcome,) = fetch_all([original], tmp_path, memento_base=server.url("/web"))
    assert outcome.outcome == "memento"
    assert outcome.memento_url == raw_memento_url(memento)
    assert "original gone" in (outcome.detail or "")
    capture = outcome.capture
    assert capture is not None and capture.data == page
    assert capture.source_kind == "memento"
    assert capture.target_url == original
    assert capture.captured_at == datetime(2024, 2, 2, 3, 19, 2, tzinfo=UTC)
    with Archive.open(tmp_path / "a.db") as archive:
        assert archive.ingest_capture(capture).outcome == "ingested"


def test_timemap_lookup_picks_the_newest_memento(
    server: NetServer, page: bytes, tmp_path: Path
) -> None:
    dead = f"http://127.0.0.1:{_closed_port()}/a.html"
    old = _wayback_route(server, dead, "20200101000000", b"<html><p>old</p></html>")
    new = _wayback_route(server, dead, "20230101000000", page)
    timemap = (
        f'<{dead}>; rel="original",\n'
        f'<{server.url("/web/timemap/link/" + dead)}>; rel="self"; type="application/link-format",\n'
        f'<{old}>; rel="first memento"; datetime="Wed, 01 Jan 2020 00:00:00 GMT",\n'
        f'<{new}>; rel="last memento"; datetime="Sun, 01 Jan 2023 00:00:00 GMT"\n'
    )
    server.page(f"/web/timemap/link/{dead}", timemap.encode(), "application/link-format")
    assert [m[0] for m in parse_timemap(timemap)] == [old, new]
    with Fetcher(tmp_path, FetchPolicy(**FAST), memento_base=server.url("/web")) as fetcher:
        outcome = fetcher.fetch(dead)
    assert outcome.outcome == "memento"
    assert outcome.capture is not None and outcome.capture.data == page
    assert outcome.capture.captured_at == datetime(2023, 1, 1, tzinfo=UTC)
    assert "unreachable" in (outcome.detail or "")


def test_no_memento_keeps_the_original_outcome(server: NetServer, tmp_path: Path) -> None:
    url = server.url("/never.html")
    (outcome,) = fetch_all([url], tmp_path, memento_base=server.url("/web"))
    assert outcome.outcome == "gone" and outcome.capture is None


def test_a_page_that_changes_becomes_a_second_version(
    server: NetServer, page: bytes, tmp_path: Path
) -> None:
    url = server.page("/chinese/704712.html", page)
    changed = page.replace("严格执行".encode(), "认真执行".encode())
    with Archive.open(tmp_path / "a.db") as archive:
        (first,) = fetch_all([url], tmp_path)
        assert first.capture is not None
        assert archive.ingest_capture(first.capture).outcome == "ingested"
        server.page("/chinese/704712.html", changed)
        (second,) = fetch_all([url], tmp_path)
        assert second.capture is not None
        result = archive.ingest_capture(second.capture)
        assert (result.outcome, result.version_n) == ("new_version", 2)
        doc = archive.document(result.document_id or 0)
        assert doc is not None and [v.n for v in doc.versions] == [1, 2]
        assert archive.raw(doc.id, version=1) == page
        assert archive.raw(doc.id, version=2) == changed
    # both fetches were preserved; read back in one pass they are the two versions
    datas = [
        c.data
        for w in sorted(tmp_path.glob("*.warc.gz"))
        for c in iter_warc_captures(w)
        if isinstance(c, Capture)
    ]
    assert datas == [page, changed]
