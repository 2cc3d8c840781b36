"""Server-rendered pages, safety (escaping, CSP, no outside hosts, read-only) and bad requests."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from cunzhao import Archive, ReadOnlyArchive
from cunzhao.web import create_app
from cunzhao.web.routes.document import ORIGINAL_CSP

PAGES = ["/", "/about", "/search?q=约谈", "/search", "/stats", "/stats?granularity=half",
         "/entities", "/entity/百度"]


def page(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    return str(response.text)


@pytest.mark.parametrize("url", PAGES)
def test_pages_load_only_local_resources(client: TestClient, url: str) -> None:
    html = page(client, url)
    loaded = re.findall(r'<(?:script|img|iframe)[^>]*\ssrc="([^"]*)"', html)
    loaded += re.findall(r'<link[^>]*\shref="([^"]*)"', html)
    assert loaded and all(u.startswith(("/", "data:")) and not u.startswith("//") for u in loaded)
    csp = client.get(url).headers["content-security-policy"]
    assert "default-src 'none'" in csp and "http" not in csp


def test_search_page_highlights_and_pages(client: TestClient) -> None:
    html = page(client, "/search?q=约谈&per_page=2")
    assert "<mark>约谈</mark>" in html
    assert 'rel="next" href="/search?q=%E7%BA%A6%E8%B0%88&amp;per_page=2&amp;page=2"' in html
    assert 'data-facet="year"' in html and 'href="/download/search.csv?q=' in html


def test_document_page_marks_each_fact_and_frames_the_original(
    client: TestClient, doc_ids: dict[str, int]
) -> None:
    html = page(client, f"/doc/{doc_ids['seed']}")
    for i in range(6):
        assert f'id="at-s{i}"' in html and f'id="s{i}"' in html
    assert re.search(r'<mark class="stat"[^>]*>约谈网站10646家</mark>', html)
    frame = re.search(r"<iframe ([^>]*)>", html)
    assert frame and 'sandbox=""' in frame.group(1)
    assert f'src="/doc/{doc_ids["seed"]}/original"' in frame.group(1)


def test_archived_html_is_escaped_and_the_original_is_inert(
    client: TestClient, doc_ids: dict[str, int]
) -> None:
    html = page(client, f"/doc/{doc_ids['hostile']}")
    assert "<script>document.title" not in html
    assert "&lt;script&gt;document.title=&#39;PWNED-TITLE&#39;&lt;/script&gt;" in html
    assert "javascript:" not in html
    for url in ("/search?q=测试页", f"/entity/{quote('<script>x</script>')}"):
        assert "<script>document" not in client.get(url).text
        assert "<script>x" not in client.get(url).text
    original = client.get(f"/doc/{doc_ids['hostile']}/original")
    assert original.status_code == 200
    assert original.headers["content-security-policy"] == ORIGINAL_CSP
    assert original.headers["x-content-type-options"] == "nosniff"
    assert b"<script>document.title = 'PWNED'" in original.content  # preserved byte for byte


def test_original_of_each_version(client: TestClient, web_archive: str) -> None:
    with Archive.open(web_archive, create=False) as archive:
        doc = next(d for d in archive.documents() if d.versions > 1)
        first = archive.raw(doc.id, 1)
    assert client.get(f"/doc/{doc.id}/original?version=1").content == first
    assert client.get(f"/doc/{doc.id}/original?version={doc.versions + 1}").status_code == 404


def test_version_diff_shows_changes(client: TestClient, web_archive: str) -> None:
    with Archive.open(web_archive, create=False) as archive:
        multi = [d for d in archive.documents() if d.versions > 1]
        bodies = {d.id: [archive.document(d.id, n).body for n in (1, 2)]  # type: ignore[union-attr]
                  for d in multi}
    changed = next(i for i, (a, b) in bodies.items() if a != b)
    html = page(client, f"/doc/{changed}/diff?a=1&b=2")
    assert "<ins>" in html or "<del>" in html
    same = next((i for i, (a, b) in bodies.items() if a == b), None)
    if same is not None:
        assert 'id="diff-same"' in page(client, f"/doc/{same}/diff?a=1&b=2")


def test_language_switch_and_cookie(client: TestClient) -> None:
    english = client.get("/stats?lang=en")
    assert "Enforcement statistics" in english.text
    assert "lang=en" in english.headers["set-cookie"]
    assert "Enforcement statistics" in client.get("/stats", headers={"Cookie": "lang=en"}).text
    assert "执法统计" in client.get("/stats", headers={"Cookie": "lang=zh"}).text
    assert "执法统计" in client.get("/stats?lang=zh", headers={"Cookie": "lang=en"}).text


BAD = [
    ("/doc/99999999", 404, "no document"),
    ("/doc/1?version=999", 404, "no version"),
    ("/doc/abc", 422, "doc_id"),
    ("/search?q=%22unbalanced", 400, "quote"),
    ("/search?q=约谈&page=1000000000", 422, "page"),
    ("/search?q=约谈&page=999", 404, "last page"),
    ("/search?q=" + "a" * 5000, 414, "query string"),
    ("/search?q=" + "a" * 501, 422, "q"),
    ("/search?since=2023-13-45", 422, "since"),
    ("/search?per_page=0", 422, "per_page"),
    ("/entity/不存在的实体名称", 404, "不存在的实体名称"),
    ("/stats?granularity=decade", 422, "granularity"),
    ("/nowhere", 404, "Not Found"),
    ("/download/search.xml?q=a", 422, "fmt"),
    ("/download/secrets.csv", 422, "table"),
    ("/download/search.csv?q=%22x", 400, "quote"),
]


@pytest.mark.parametrize(("url", "status", "says"), BAD)
def test_bad_requests_get_a_clear_html_page(client: TestClient, url: str, status: int,
                                            says: str) -> None:
    response = client.get(url, cookies={"lang": "en"})  # in Chinese: tests/web/test_zh_pages.py
    assert response.status_code == status
    assert says in response.text and "Traceback" not in response.text
    if not url.startswith("/download/"):
        assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("url", [
    "/api/documents/99999999", "/api/documents/0", "/api/search?q=%22x", "/api/search?page=0",
    "/api/search?q=约谈&page=1000000000", "/api/entities/不存在的实体名称",
    "/api/search?q=" + "a" * 5000, "/api/entities?page=99999", "/api/stats?action=" + "x" * 300,
])
def test_bad_api_requests_get_a_json_error(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert 400 <= response.status_code < 500
    error = response.json()["error"]
    assert error["status"] == response.status_code and error["message"]


def test_the_app_cannot_write_to_the_archive(web_archive: str) -> None:
    app = create_app(web_archive)
    engine = app.state.archive.engine
    with pytest.raises(ReadOnlyArchive), engine.begin() as conn:
        conn.execute(text("UPDATE documents SET url = url || 'x'"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM documents WHERE url LIKE '%x'")
                            ).scalar_one() == 0
    app.state.archive.close()
