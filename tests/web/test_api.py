"""The JSON API and downloads against a real archive of the shared corpus (TestClient)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pyarrow.parquet as pq
from fastapi.testclient import TestClient

from cunzhao.archive import Archive
from cunzhao.search import FACETS


def get_json(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def test_search_returns_hits_snippets_facts_and_facets(client: TestClient,
                                                       doc_ids: dict[str, int]) -> None:
    data = get_json(client, "/api/search?q=约谈")
    assert data["total"] >= 3 and data["page"] == 1 and data["pages"] >= 1
    assert set(data["facets"]) <= set(FACETS) and data["facets"]["year"]
    for hit in data["hits"]:
        marked = [text for text, is_match in hit["snippet"]["segments"] if is_match]
        assert marked and all("约谈" in t or "約談" in t for t in marked)
    seed = next(h for h in data["hits"] if h["document_id"] == doc_ids["seed"])
    assert {s["value"] for s in seed["stats"]} >= {10646, 127878}


def test_search_pages_are_disjoint_and_cover_the_total(client: TestClient) -> None:
    total = get_json(client, "/api/search?q=约谈")["total"]
    seen: list[int] = []
    for page in range(1, total // 2 + 2):
        if page > 1 and len(seen) >= total:
            break
        seen += [h["document_id"] for h in
                 get_json(client, f"/api/search?q=约谈&per_page=2&page={page}")["hits"]]
    assert len(seen) == len(set(seen)) == total


def test_a_facet_value_count_is_the_filtered_total(client: TestClient) -> None:
    facets = get_json(client, "/api/facets?q=约谈")["facets"]
    for name in ("year", "tag", "source"):
        value, count = facets[name][0]
        narrowed = get_json(client, f"/api/search?q=约谈&{name}={value}")
        assert narrowed["total"] == count


def test_documents_list_every_document_newest_first(client: TestClient, web_archive: str) -> None:
    with Archive.open(web_archive, create=False) as archive:
        expected = archive.counts()["documents"]
    first = get_json(client, "/api/documents?per_page=100")
    assert first["total"] == expected and len(first["items"]) == 100
    dates = [d["published"] for d in first["items"] if d["published"]]
    assert dates == sorted(dates, reverse=True)
    last = get_json(client, f"/api/documents?per_page=100&page={first['pages']}")
    assert len(last["items"]) == expected - 100 * (first["pages"] - 1)


def test_one_document_with_facts_at_their_offsets(client: TestClient,
                                                  doc_ids: dict[str, int]) -> None:
    doc = get_json(client, f"/api/documents/{doc_ids['seed']}")
    assert doc["url"] == "https://chinadigitaltimes.net/chinese/704712.html"
    assert len(doc["stats"]) == 6
    for fact in doc["stats"] + doc["cases"]:
        assert doc["body"][fact["start"]:fact["end"]] == fact["evidence"]
    assert len(doc["versions"][0]["sha256"]) == 64


def test_entity_cases_name_the_entity(client: TestClient) -> None:
    names = get_json(client, "/api/entities?per_page=1000")
    assert names["total"] == len(names["items"]) > 0
    assert {"target", "regulator"} <= {e["role"] for e in names["items"]}
    data = get_json(client, "/api/entities/百度")
    assert data["total"] >= 1
    for case in data["cases"]:
        assert "百度" in case["targets"] and case["document_id"] >= 1
    regulator = next(e for e in names["items"] if e["role"] == "regulator")
    data = get_json(client, f"/api/entities/{regulator['name']}")
    assert data["entity"]["id"] == regulator["id"] and data["name"] == regulator["name"]
    assert len(data["cases"]) >= regulator["cases"]
    assert all(c["entity"] == regulator["id"] for c in data["cases"])


def test_stats_are_consolidated_and_never_summed(client: TestClient, web_archive: str) -> None:
    data = get_json(client, "/api/stats")
    with Archive.open(web_archive, create=False) as archive:
        assert data["total"] == len(archive.figures()) == len(data["figures"])
    summon = [p for s in data["series"]["year"] if s["action"] == "summon"
              and s["scope"] == "全国网信系统" for p in s["points"]]
    assert [(p["period"], p["value"]) for p in summon] == [("2023", 10646)]
    figures = [f for f in data["figures"] if f["action"] == "summon" and f["value"] == 10646]
    assert len(figures) == 1  # one figure, however many documents state it
    filtered = get_json(client, "/api/stats?action=close_account")
    assert filtered["figures"] and {f["action"] for f in filtered["figures"]} == {"close_account"}


def test_openapi_lists_every_api_route(client: TestClient) -> None:
    schema = get_json(client, "/api/openapi.json")
    paths = schema["paths"]
    models = schema["components"]["schemas"]
    assert {"document_id", "snippet", "stats", "cases"} <= set(models["Hit"]["properties"])
    assert {"figures", "series"} <= set(models["StatsAnswer"]["properties"])
    for path in ("/api/documents", "/api/documents/{doc_id}", "/api/search", "/api/facets",
                 "/api/entities", "/api/entities/{name}", "/api/stats",
                 "/download/search.{fmt}"):
        assert path in paths


def test_search_downloads_hold_every_hit(client: TestClient) -> None:
    total = get_json(client, "/api/search?q=约谈")["total"]
    body = client.get("/download/search.csv?q=约谈&per_page=1&page=1")
    assert body.status_code == 200 and "attachment" in body.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(body.content.decode("utf-8"))))
    assert len(rows) == total
    lines = client.get("/download/search.jsonl?q=约谈").content.decode("utf-8").splitlines()
    assert [json.loads(x)["document_id"] for x in lines] == [int(r["document_id"]) for r in rows]
    table = pq.read_table(io.BytesIO(client.get("/download/search.parquet?q=约谈").content))
    assert table.num_rows == total


def test_stats_and_cases_downloads(client: TestClient) -> None:
    figures = get_json(client, "/api/stats")["total"]
    rows = list(csv.DictReader(io.StringIO(
        client.get("/download/consolidated_stats.csv").content.decode("utf-8"))))
    assert len(rows) == figures
    only = client.get("/download/consolidated_stats.jsonl?action=summon").content.decode()
    assert only and all(json.loads(x)["action"] == "summon" for x in only.splitlines())
    cases = pq.read_table(io.BytesIO(client.get("/download/cases.parquet").content))
    assert cases.num_rows >= 1 and "targets" in cases.column_names
