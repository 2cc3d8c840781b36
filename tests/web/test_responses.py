"""Every response, on every route: HEAD like GET, security headers on 500s, and a response
cache keyed by the language the app actually reads (issue 15, items 10, 11 and 15)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from cunzhao.web import create_app
from cunzhao.web import routes as web_routes
from cunzhao.web.errors import APP_CSP

SECURITY = {
    "content-security-policy": APP_CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-resource-policy": "same-origin",
}
_PARAM = re.compile(r"\{(\w+)(?::path)?\}")


def assert_secured(response: httpx.Response) -> None:
    """The security headers; a framed original keeps its own, stricter policy (sandbox)."""
    own_policy = response.url.path.endswith("/original")
    for name, value in SECURITY.items():
        if not (own_policy and name == "content-security-policy"):
            assert response.headers.get(name) == value, (response.url, name)
    policy = response.headers["content-security-policy"]
    assert "sandbox" in policy if own_policy else "frame-ancestors 'self'" in policy


def get_routes(values: dict[str, str]) -> list[str]:
    """A URL for every GET route of every router in ``cunzhao.web.routes``, its path
    parameters filled from ``values``."""
    urls = []
    for module in pkgutil.iter_modules(web_routes.__path__):
        router = importlib.import_module(f"{web_routes.__name__}.{module.name}").router
        for route in router.routes:
            if isinstance(route, APIRoute) and "GET" in (route.methods or ()):
                urls.append(_PARAM.sub(lambda m: quote(values[m.group(1)]), route.path))
    return urls


@pytest.fixture(scope="module")
def route_urls(client: TestClient, doc_ids: dict[str, int]) -> list[str]:
    entity = client.get("/api/entities").json()["items"][0]["name"]
    values = {"doc_id": str(doc_ids["seed"]), "name": entity, "fmt": "csv", "table": "stats"}
    for kind in ("fact", "case"):  # the seed's first count and case: their permalinks
        page = client.get(f"/doc/{values['doc_id']}").text
        found = re.search(rf'href="/{kind}/([0-9a-f-]+)"', page)
        assert found, kind
        values[f"{kind}_id"] = found[1]
    urls = get_routes(values)
    openapi = client.get("/api/openapi.json").json()["paths"]
    in_schema = {_PARAM.sub(lambda m: quote(values[m.group(1)]), path) for path in openapi}
    assert in_schema <= set(urls)  # every API route is among them
    assert {"/", "/search", f"/doc/{doc_ids['seed']}", "/stats", "/gone"} <= set(urls)
    return urls


def test_head_answers_like_get_without_a_body(client: TestClient, route_urls: list[str]) -> None:
    assert len(route_urls) >= 23
    for url in [*route_urls, "/api/openapi.json", "/static/app.css"]:
        got = client.get(url)
        head = client.head(url)
        assert got.status_code == 200, (url, got.text[:300])
        assert head.status_code == 200, url
        assert head.content == b"", url
        for name in ("content-type", "content-length", "content-disposition"):
            assert head.headers.get(name) == got.headers.get(name), (url, name)
        assert_secured(head)


def test_head_of_a_missing_page_is_404_not_405(client: TestClient) -> None:
    response = client.head("/no-such-page")
    assert response.status_code == 404 and response.content == b""
    assert client.head("/api/documents/999999999").status_code == 404
    assert client.post("/search").status_code == 405  # other methods are still refused


def test_head_through_a_real_server(server: str) -> None:
    with httpx.Client(base_url=server) as http:
        got, head = http.get("/api/stats"), http.head("/api/stats")
    assert head.status_code == got.status_code == 200
    assert head.headers["content-length"] == got.headers["content-length"] != "0"
    assert head.content == b""


@pytest.fixture(scope="module")
def failing_client(web_archive: str) -> Iterator[TestClient]:
    """The real app with two routes of its own that fail: one raising, one whose error
    page cannot even be rendered."""
    app = create_app(web_archive)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    @app.get("/api/boom")
    def api_boom() -> None:
        raise KeyError("another bug")

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.mark.parametrize("url", ["/boom", "/api/boom"])
def test_a_500_carries_the_security_headers(failing_client: TestClient, url: str) -> None:
    for method in ("GET", "HEAD"):
        response = failing_client.request(method, url)
        assert response.status_code == 500
        assert_secured(response)
        assert "bug" not in response.text and "Traceback" not in response.text
    assert "internal error" in failing_client.get(url, cookies={"lang": "en"}).text
    assert "服务器内部错误" in failing_client.get(url).text or url.startswith("/api/")


def test_every_status_carries_the_security_headers(client: TestClient) -> None:
    for method, url in (("GET", "/"), ("GET", "/no-such-page"), ("POST", "/api/stats"),
                        ("GET", "/api/search?per_page=0"), ("GET", "/?" + "a" * 5000)):
        assert_secured(client.request(method, url))


@pytest.fixture
def fresh_client(web_archive: str) -> Iterator[TestClient]:
    """A client over a new app, so that its response cache starts empty."""
    with TestClient(create_app(web_archive)) as test_client:
        yield test_client


_HTML_LANG = {"zh": '<html lang="zh-Hans">', "en": '<html lang="en">'}


@pytest.mark.parametrize(
    ("first", "first_lang", "then", "then_lang"),
    [
        ("lang=enx", "zh", "lang=en", "en"),  # an English reader after a lookalike cookie
        ("xlang=en", "zh", "lang=en", "en"),
        ("lang=en", "en", "xlang=en", "zh"),  # and the other way round
        ("lang=en", "en", "lang=enx", "zh"),
        ("a=1; lang=zh", "zh", "a=1; lang=en", "en"),
        ("lang=zh", "zh", "a=1; lang=en", "en"),
        ("a=1; lang=en", "en", "lang=zh; b=lang=en", "zh"),
    ],
)
def test_the_cache_keys_on_the_parsed_lang_cookie(
    fresh_client: TestClient, first: str, first_lang: str, then: str, then_lang: str
) -> None:
    for cookie, lang in ((first, first_lang), (then, then_lang)):
        page = fresh_client.get("/stats", headers={"cookie": cookie})
        assert page.status_code == 200
        assert _HTML_LANG[lang] in page.text, (cookie, page.text[:200])

