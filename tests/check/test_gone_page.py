"""``/gone``, the automatic 404 archive: exactly the confirmed-gone originals, each with its
dates, its original URL and its archived copy; paginated; friendly when empty; zh and en."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from originals import ARTICLE, add_page, check_at, html, stamp

from cunzhao.archive import Archive
from cunzhao.capture.model import Capture
from cunzhao.store.link_checks import LinkCheck, add_link_check
from cunzhao.web import create_app
from netserver import NetServer


def listed(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="gone-(\d+)">', page)]


def test_the_gone_page_lists_exactly_the_confirmed_deletions(
    archive_location: str, server: NetServer, tmp_path: Path
) -> None:
    with Archive.open(archive_location) as archive:
        empty = TestClient(create_app(archive_location, cache=False))
        first = empty.get("/gone")
        assert first.status_code == 200 and 'id="gone-empty"' in first.text
        assert listed(first.text) == [] and "cunzhao check" in first.text
        assert 'href="/gone"' in empty.get("/").text  # linked from every page's nav

        alive = add_page(archive, server, "/alive.html", ARTICLE, tmp_path)
        once = add_page(archive, server, "/once.html", html("一次", "正文" * 70), tmp_path)
        down = add_page(archive, server, "/down.html", html("宕机", "正文" * 80), tmp_path)
        early = add_page(archive, server, "/early.html", html("早删", "正文" * 90), tmp_path)
        late = add_page(archive, server, "/late.html", html("晚删", "正文" * 95), tmp_path)
        check_at(archive, tmp_path, 0)
        server.remove("/early.html", status=410)
        server.page("/down.html", b"down", "text/plain", status=503)
        check_at(archive, tmp_path, 1)
        server.remove("/late.html")
        check_at(archive, tmp_path, 10)
        server.remove("/once.html")
        check_at(archive, tmp_path, 40)

    client = TestClient(create_app(archive_location, cache=False))
    page = client.get("/gone").text
    assert listed(page) == [late, early]  # newest deletion first
    for doc in (alive, once, down):
        assert f'href="/doc/{doc}"' not in page
    row = page[page.index(f'<tr id="gone-{early}">'):]
    row = row[: row.index("</tr>")]
    assert stamp(1) in row and stamp(0) in row  # first seen gone, last seen alive
    assert server.url("/early.html") in row and "HTTP 410" in row and "早删" in row
    assert f'href="/doc/{early}"' in row and f'href="/doc/{early}/original"' in row
    assert client.get(f"/doc/{early}/original").status_code == 200
    english = client.get("/gone?lang=en").text
    assert "Originals deleted at source" in english and "first seen gone" in english
    assert "原网页已删除的文档" in client.get("/gone?lang=zh").text
    assert client.get("/gone?page=2").status_code == 404
    assert client.get("/gone?page=0").status_code == 422


def test_a_long_gone_list_is_paginated(tmp_path: Path) -> None:
    location = tmp_path / "many.db"
    with Archive.open(location) as archive:
        docs = []
        for i in range(53):
            page = Capture(html(f"第{i}篇", "正文" * 40 + str(i)), str(tmp_path / f"{i}.html"))
            result = archive.ingest_capture(page)
            assert result.document_id is not None
            docs.append(result.document_id)
        with archive.engine.begin() as conn:
            for i, doc in enumerate(docs):
                for at in (i, i + 24):
                    add_link_check(conn, LinkCheck(doc, f"http://a.cn/{i}.html", stamp(at),
                                                   "gone", 404, None, "HTTP 404"))
    client = TestClient(create_app(location, cache=False))
    one, two = client.get("/gone").text, client.get("/gone?page=2").text
    assert listed(one) == docs[::-1][:50] and listed(two) == docs[::-1][50:]
    assert 'rel="next" href="/gone?page=2"' in one and 'rel="prev"' in two
    assert "53" in one
