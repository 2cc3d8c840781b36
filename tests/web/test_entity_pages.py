"""Entity pages: any name redirects to the canonical page, an unknown one is a 404 in the
reader's language with the closest entities, children on request, the province map."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from urllib.parse import quote, unquote

import pytest
from fastapi.testclient import TestClient

from cunzhao import Archive, provinces
from cunzhao.web import create_app
from cunzhao.web.tilemap import grid
from entity_docs import write_docs

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def location(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("entities")
    path = str(folder / "archive.db")
    with Archive.open(path) as archive:
        assert archive.ingest([write_docs(folder / "docs")]).failed == 0
    return path


@pytest.fixture(scope="module")
def client(location: str) -> Iterator[TestClient]:
    with TestClient(create_app(location), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize(("name", "canonical"), [
    ("新浪微博", "微博"), ("Weibo", "微博"), ("weibo", "微博"), ("騰訊微信", "微信"),
    ("北京市互联网信息办公室", "北京市网信办"), ("cac-anhui-滁州", "滁州市网信办"),
])
def test_any_name_redirects_to_the_canonical_page(client: TestClient, name: str,
                                                  canonical: str) -> None:
    answer = client.get(f"/entity/{quote(name)}?lang=en", follow_redirects=False)
    assert answer.status_code == 308
    target = answer.headers["location"]
    assert unquote(target) == f"/entity/{canonical}?lang=en"
    page = client.get(target)
    assert page.status_code == 200 and f"<h1>{canonical}" in page.text


def test_an_unknown_name_is_a_404_in_the_readers_language(client: TestClient) -> None:
    zh = client.get("/entity/" + quote("微薄") + "?lang=zh")
    assert zh.status_code == 404 and "没有这个实体" in zh.text and "最接近的实体" in zh.text
    suggestions = re.findall(r'<li><a href="/entity/([^"?]+)', zh.text)
    assert unquote(suggestions[0]) == "微博"
    assert 'href="/search?q=%E5%BE%AE%E8%96%84&amp;lang=zh"' in zh.text
    en = client.get("/entity/" + quote("微薄") + "?lang=en")
    assert en.status_code == 404 and "No such entity" in en.text and "Closest entities" in en.text
    assert 'href="/search?q=%E5%BE%AE%E8%96%84&amp;lang=en"' in en.text
    api = client.get("/api/entities/" + quote("微薄"))
    assert api.status_code == 404 and "微博" in api.json()["error"]["message"]


def test_children_are_listed_and_their_cases_toggled(client: TestClient) -> None:
    alone = client.get("/entity/" + quote("百度") + "?lang=zh")
    assert 'id="case-count">1<' in alone.text and "百度贴吧" in alone.text
    assert 'class="target child"' not in alone.text
    toggle = re.search(r'id="toggle-children" href="([^"]+)"', alone.text)
    assert toggle and "children=true" in toggle.group(1)
    family = client.get(toggle.group(1).replace("&amp;", "&"))
    assert 'id="case-count">2<' in family.text and 'id="from-children">1<' in family.text
    assert 'class="target child" data-entity="baidu-tieba"' in family.text
    assert "经由 百度贴吧" in family.text
    child = client.get("/entity/" + quote("百度贴吧"))
    assert 'id="parent" href="/entity/%E7%99%BE%E5%BA%A6"' in child.text
    api = client.get("/api/entities/" + quote("百度") + "?children=true").json()
    assert api["entity"]["id"] == "baidu" and api["total"] == 2
    assert {c["entity"] for c in api["cases"]} == {"baidu", "baidu-tieba"}


def test_entities_are_listed_by_kind(client: TestClient) -> None:
    page = client.get("/entities?lang=en")
    assert page.status_code == 200
    assert 'id="kind-platform"' in page.text and 'id="kind-regulator"' in page.text
    only = client.get("/entities?kind=regulator&lang=en").text
    assert 'id="kind-platform"' not in only and "北京市网信办" in only
    items = client.get("/api/entities?kind=platform").json()["items"]
    assert {i["id"] for i in items} >= {"weibo", "baidu-tieba"}
    assert all(i["kind"] == "platform" for i in items)
    assert client.get("/api/entities?kind=planet").status_code == 422


def test_the_map_has_one_cell_per_province_with_its_count(client: TestClient,
                                                          location: str) -> None:
    page = client.get("/stats?lang=en")
    assert page.status_code == 200
    svg = re.search(r'<figure class="chart tilemap" id="issuer-map">\s*(<svg.*?</svg>)',
                    page.text, re.DOTALL)
    assert svg
    root = ET.fromstring(svg.group(1).replace('viewBox', 'xmlns="http://www.w3.org/2000/svg" '
                                              'viewBox', 1))
    cells = {r.get("data-province"): int(r.get("data-count") or -1)
             for r in root.iter(f"{SVG}rect")}
    with Archive.open(location, read_only=True) as archive:
        expected = {c.key: c.total for c in archive.issuer_counts("province")}
        levels = archive.issuer_counts("level")
    assert len(cells) == 31 and cells == expected
    assert cells["guangdong"] == 3 and cells["anhui"] == 1 and cells["xizang"] == 0
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "name"]
    assert "GD" in labels and len(labels) == 31
    assert 'id="issuer-bars"' in page.text and 'data-level="city"' in page.text
    api = client.get("/api/stats?group=level").json()
    assert [(g["key"], g["cases"]) for g in api["groups"]] == [(c.key, c.cases) for c in levels]
    assert client.get("/api/stats").json()["groups"] is None
    assert client.get("/api/stats?group=county").status_code == 422


def test_the_tile_grid_places_every_province_once() -> None:
    places = grid()
    assert set(places) == {p.id for p in provinces()}
    assert len({(c, r) for c, r, _ in places.values()}) == 31


def test_kind_labels_exist_in_both_languages() -> None:
    from cunzhao import ENTITY_KINDS
    from cunzhao.web.i18n import label

    for kind in ENTITY_KINDS:
        assert label(f"kind_{kind}", "zh") != label(f"kind_{kind}", "en") != f"kind_{kind}"


def test_search_filter_by_any_name(client: TestClient) -> None:
    for name in ("微博", "新浪微博", "Weibo"):
        total = client.get("/api/search", params={"target": name}).json()["total"]
        assert total == 2, name


