"""``/cases`` and ``/api/cases`` on both backends: events counted once, paginated and filtered,
a value naming nothing answered with the closest values; the entity page counts events; and on
the shared corpus, the June 2020 summons of 微博 reported by two documents is one event."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from case_event_docs import ingested
from cunzhao.web import create_app


@pytest.fixture
def site(archive_location: str, tmp_path: Path) -> Iterator[TestClient]:
    location = ingested(archive_location, tmp_path / "pages")
    with TestClient(create_app(location), raise_server_exceptions=False) as client:
        yield client


def test_api_cases_pages_filters_and_suggestions(site: TestClient) -> None:
    first = site.get("/api/cases?per_page=4").json()
    assert (first["total"], first["pages"], len(first["items"])) == (10, 3, 4)
    event = first["items"][0]
    assert (event["date"], event["targets"], len(event["sources"])) == ("2020-06-10", ["微博"], 2)
    assert set(event["sources"][0]) >= {"document_id", "title", "published", "evidence"}
    assert len(site.get("/api/cases?per_page=4&page=3").json()["items"]) == 2
    assert site.get("/api/cases?per_page=4&page=4").status_code == 404
    douyin = site.get("/api/cases?measure=" + quote("罚款") + "&since=2021-01-01").json()
    assert [(e["targets"], e["fines"], e["conflicts"]) for e in douyin["items"]] == [
        (["抖音"], [800000, 1000000], ["fine"])]
    family = site.get("/api/cases?entity=Baidu&children=true").json()
    assert [e["target_ids"] for e in family["items"]] == [["baidu-tieba"], ["baidu"]]
    assert site.get("/api/cases?province=Shanghai").json()["total"] == 1
    for query, said in (("entity=" + quote("微薄"), "closest: 微博 (weibo)"),
                        ("measure=" + quote("关闭帐号"), "closest: close_account"),
                        ("province=" + quote("北平"), "closest: 北京市 (beijing)")):
        answer = site.get("/api/cases?" + query)
        assert answer.status_code == 422 and said in answer.json()["error"]["message"]
    assert site.get("/api/cases?since=2020-13-01").status_code == 422


def test_cases_page_in_both_languages(site: TestClient) -> None:
    zh = site.get("/cases?lang=zh")
    assert zh.status_code == 200 and "执法案例（每个事件只计一次）" in zh.text
    assert 'id="event-total">10<' in zh.text and 'id="report-total">15<' in zh.text
    assert 'id="conflict-total">2<' in zh.text and zh.text.count('class="conflict"') == 2
    assert "800,000 ≠ 1,000,000" in zh.text
    en = site.get("/cases?lang=en&entity=" + quote("新浪微博"))
    assert "Enforcement cases, each counted once" in en.text and 'id="event-total">3<' in en.text
    # newest first on the page, undated last
    assert en.text.index("2020-12-20") < en.text.index("2020-06-10")
    everything = site.get("/cases?lang=en").text
    assert everything.index("2022-06-01") < everything.index('"First reported">undated')
    missing = site.get("/cases?lang=en&entity=" + quote("微薄"))
    assert missing.status_code == 404 and "Nothing matches" in missing.text
    links = re.findall(r'class="suggestion" href="([^"]+)"', missing.text)
    assert links and quote("微博") in links[0]


def test_the_entity_page_counts_events(site: TestClient) -> None:
    page = site.get("/entity/" + quote("微博") + "?lang=en").text
    assert 'id="event-count">3<' in page and 'id="case-count">4<' in page
    family = site.get("/entity/" + quote("百度") + "?children=true").text
    assert 'id="event-count">2<' in family


def test_corpus_the_june_2020_weibo_summons_is_one_event(client: TestClient) -> None:
    june = client.get("/api/cases?entity=" + quote("微博")
                      + "&since=2020-06-01&until=2020-06-30").json()["items"]
    assert len(june) == 1 and len(june[0]["sources"]) == 2
    assert june[0]["regulators"] == ["北京市网信办"] and not june[0]["conflict"]
    everything = client.get("/api/cases?per_page=1000").json()
    reports = sum(len(e["sources"]) for e in everything["items"])
    assert everything["total"] < reports
