"""Permalink pages, "cite this", coverage, the has-facts default, the API page and diffs, over
the corpus archive (``client``); the citation formats themselves: test_citation.py."""

from __future__ import annotations

import re
from html import unescape

import pytest
from fastapi.testclient import TestClient

from cunzhao import Archive, fact_ids


def _permalinks(client: TestClient, doc_id: int) -> list[tuple[str, str]]:
    return re.findall(r'href="/(fact|case)/([0-9a-f-]+)"', client.get(f"/doc/{doc_id}").text)


def _pre(html: str, ident: str) -> str:
    """The text of the ``<pre id=ident>`` of a page."""
    found = re.search(rf'id="{ident}">(.*?)</pre>', html, re.DOTALL)
    assert found, ident
    return unescape(found[1])


def test_document_rows_link_their_permalinks(client: TestClient, web_archive: str,
                                             doc_ids: dict[str, int]) -> None:
    with Archive.open(web_archive, read_only=True) as archive:
        view = archive.document(doc_ids["seed"])
        assert view is not None
        stat_ids, case_ids = fact_ids(view, 1)
    links = _permalinks(client, doc_ids["seed"])
    assert links == [("fact", i) for i in stat_ids] + [("case", i) for i in case_ids]


def test_fact_page_shows_value_evidence_provenance_and_citations(
        client: TestClient, doc_ids: dict[str, int]) -> None:
    ident = next(i for kind, i in _permalinks(client, doc_ids["seed"]) if kind == "fact")
    page = client.get(f"/fact/{ident}?lang=en")
    assert page.status_code == 200
    html = page.text
    assert '<span class="big">10,646</span>' in html
    assert re.search(r'<mark class="stat">约谈网站10646家</mark>', html)
    assert "c936962517691c3b" in html  # the seed's sha256 begins so
    assert 'id="original-url" href="http://www.cac.gov.cn/2024-01/31/c_1708373600499439.htm"' in html
    assert 'id="wayback" href="https://web.archive.org/web/' in html
    assert "2024-02-02T03:19:02Z" in html  # capture time
    assert f'href="/doc/{doc_ids["seed"]}#at-s0"' in html.replace("?lang=en", "")
    bib = _pre(html, "cite-bibtex")
    assert bib.startswith(f"@misc{{cunzhao-stat-{ident},")
    assert f"url = {{http://testserver/fact/{ident}}}" in bib and "SHA-256 c936962517691c3b" in bib
    text = _pre(html, "cite-text")
    assert "“约谈网站10646家”" in text and "(accessed " in text and "January 31, 2024" in text


def test_case_page_and_unknown_ids(client: TestClient, doc_ids: dict[str, int]) -> None:
    ident = next(i for kind, i in _permalinks(client, doc_ids["seed"]) if kind == "case")
    page = client.get(f"/case/{ident}")
    assert page.status_code == 200 and "百度、必应、夸克浏览器" in page.text
    assert 'id="cite-csl"' in page.text
    assert client.get(f"/fact/{ident}").status_code == 404  # a case's id names no count
    missing = client.get("/fact/1-1-00000000")
    assert missing.status_code == 404 and "document-version-digest" in missing.text
    assert client.get("/case/" + "9" * 41).status_code == 422  # longer than any id


def test_figures_link_their_permalinks(client: TestClient) -> None:
    for html in (client.get("/stats").text, client.get("/").text):
        linked = set(re.findall(r'href="/fact/([0-9a-f-]+)"', html))
        assert linked, "no figure links its permalink"
        for ident in linked:
            assert client.get(f"/fact/{ident}").status_code == 200
    chart = client.get("/stats").text
    assert not re.search(r'<a href="/doc/\d+" class="bar', chart)  # bars open permalinks


def test_entity_cases_link_their_permalinks(client: TestClient) -> None:
    page = client.get("/entity/百度")
    linked = re.findall(r'href="/case/([0-9a-f-]+)"', page.text)
    assert linked
    for ident in set(linked):
        assert "百度" in client.get(f"/case/{ident}").text
    cases = client.get("/api/entities/百度").json()["cases"]
    assert {c["fact_id"] for c in cases} == set(linked)


def test_document_page_cites_the_document(client: TestClient, doc_ids: dict[str, int]) -> None:
    html = client.get(f"/doc/{doc_ids['seed']}").text
    csl = _pre(html, "cite-csl")
    assert f'"id": "cunzhao-doc-{doc_ids["seed"]}"' in csl
    assert f'"URL": "http://testserver/doc/{doc_ids["seed"]}"' in csl


def test_coverage_on_home_and_about(client: TestClient, web_archive: str) -> None:
    with Archive.open(web_archive, read_only=True) as archive:
        cov = archive.coverage()
    for path in ("/", "/about"):
        html = client.get(path + "?lang=en").text
        block = html[html.index('id="coverage"'):]
        assert f"{cov.first_published} – {cov.last_published}" in block
        assert f"{cov.with_facts:,} with enforcement facts" in block
        assert 'href="/gone?lang=en"' in block and cov.last_ingest in block
        years = re.findall(r'href="/search\?year=(\d{4})', block)
        assert years == [y for y, _ in cov.by_year if y]
        assert "chinadigitaltimes.net" in block


def test_home_lists_enforcement_documents_and_search_filters_them(
        client: TestClient, web_archive: str) -> None:
    with Archive.open(web_archive, read_only=True) as archive:
        stating = {d.id for d in archive.documents()
                   if (v := archive.document(d.id)) and (v.stats or v.cases)}
    latest = client.get("/").text.split('id="latest"')[1]
    listed = {int(i) for i in re.findall(r'href="/doc/(\d+)"', latest)}
    assert listed and listed <= stating
    answer = client.get("/api/search?has_facts=1&per_page=100").json()
    assert {h["document_id"] for h in answer["hits"]} == stating
    assert client.get("/api/search?has_facts=0&per_page=1").json()["total"] == \
        client.get("/api/search?per_page=1").json()["total"] - len(stating)
    page = client.get("/search?q=约谈&has_facts=1&lang=en").text
    assert "Enforcement documents only ✕" in page and 'id="has-facts-off"' in page


def test_api_page_describes_every_endpoint_with_curl(client: TestClient) -> None:
    page = client.get("/api")
    assert page.status_code == 200
    assert re.findall(r"<script[^>]*>", page.text) == ['<script src="/static/app.js" defer>']
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page.text)  # nothing from elsewhere
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in paths:
        assert f"<code>GET {path}</code>" in page.text, path
    curls = [unescape(c) for c in re.findall(r'<pre class="curl">(.*?)</pre>', page.text)]
    assert len(curls) == len(paths)
    assert "curl --get 'http://testserver/api/search' --data-urlencode 'q=约谈'" in curls
    assert "curl 'http://testserver/api/entities/%E7%99%BE%E5%BA%A6'" in curls
    assert "curl -OJ --get 'http://testserver/download/cases.csv' --data-urlencode " \
        "'target=百度'" in curls


@pytest.mark.parametrize("path", ["/fact/", "/case/"])
def test_permalink_pages_are_cached_per_host(client: TestClient, doc_ids: dict[str, int],
                                             path: str) -> None:
    ident = next(i for k, i in _permalinks(client, doc_ids["seed"]) if f"/{k}/" == path)
    here = client.get(path + ident).text
    there = client.get(path + ident, headers={"host": "archive.example.org"}).text
    assert "http://testserver" + path + ident in here
    assert "http://archive.example.org" + path + ident in there
