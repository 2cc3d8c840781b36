"""In Chromium, on SQLite (the corpus) and PostgreSQL (the seed and a restated copy): the
document page cites itself and links each fact's permalink, the permalink shows the evidence
highlighted, figures on /stats and home open permalinks, search toggles, the API page.
Screenshots: ``test-artifacts/web/2x-*.png``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from test_browser import assert_only_local, browser, page, shot  # noqa: F401 (test_browser's Chromium and tab fixtures)

from cunzhao import Archive
from pages import restated_seed

SEED_URL = "https://chinadigitaltimes.net/chinese/704712.html"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         seed_path: Path) -> Iterator[tuple[str, str, int]]:
    """(backend, base URL, the seed's document id)."""
    if request.param == "sqlite":
        location = request.getfixturevalue("web_archive")
        server: str = request.getfixturevalue("server")
        with Archive.open(location, read_only=True) as archive:
            seed = archive.document(SEED_URL)
        assert seed is not None
        yield "sqlite", server, seed.id
        return
    from testenv import fresh_pg_database

    serve: Callable[[str], AbstractContextManager[str]] = request.getfixturevalue("serve")
    folder = tmp_path_factory.mktemp("pg-site")
    with fresh_pg_database("cz_browser") as url:
        with Archive.open(url) as archive:
            archive.ingest([seed_path, restated_seed(seed_path, folder,
                                                     "https://example.org/704712.html")])
            seed = archive.document(SEED_URL)
        assert seed is not None
        with serve(url) as base:
            yield "postgresql", base, seed.id


@pytest.fixture
def tab(request: pytest.FixtureRequest) -> Any:
    """A fresh tab of test_browser's Chromium that records every request it makes."""
    return request.getfixturevalue("page")


def test_document_cites_and_opens_a_figure_permalink(tab: Any, site: tuple[str, str, int]
                                                     ) -> None:
    backend, base, seed = site
    tab.goto(f"{base}/doc/{seed}?lang=en")
    tab.click("#cite summary")
    assert tab.locator("#cite-bibtex").is_visible()
    assert f"@misc{{cunzhao-doc-{seed}," in tab.inner_text("#cite-bibtex")
    assert "accessed" in tab.inner_text("#cite-text")
    shot(tab, f"20-seed-document-{backend}")
    tab.click("table.stats a.permalink >> nth=0")
    tab.wait_for_url(re.compile(r".*/fact/\d+-1-[0-9a-f]{8}"))
    assert tab.inner_text("#evidence mark") == "约谈网站10646家"
    assert tab.inner_text("#sha256").startswith("c936962517691c3b")
    assert tab.locator("#others li").count() == (0 if backend == "sqlite" else 1)
    tab.click("#cite summary")
    shot(tab, f"21-fact-permalink-{backend}")
    tab.click("#fact-document")  # back to the sentence in its document
    assert tab.url.endswith("#at-s0")
    assert_only_local(tab, base)


def test_stats_and_home_figures_open_permalinks(tab: Any, site: tuple[str, str, int]) -> None:
    backend, base, _ = site
    tab.goto(f"{base}/stats?lang=en")
    shot(tab, f"22-stats-{backend}")
    tab.click("svg.bars a.bar >> nth=0")
    tab.wait_for_url(re.compile(r".*/fact/"))
    assert tab.locator("h1.fact-value .big").is_visible()
    tab.goto(f"{base}/?lang=en")
    assert tab.locator("#coverage").is_visible()
    assert "with enforcement facts" in tab.inner_text("#coverage")
    tab.click("ul.headlines a >> nth=0")
    tab.wait_for_url(re.compile(r".*/fact/"))
    tab.goto(f"{base}/search?q=%E7%BA%A6%E8%B0%88&lang=en")
    tab.click("#has-facts-on")
    assert "has_facts=1" in tab.url and tab.locator("li.hit").count() >= 1
    tab.click("#all-versions-on")
    assert "all_versions=1" in tab.url
    tab.goto(f"{base}/api?lang=en")
    assert tab.locator("pre.curl").count() >= 9
    shot(tab, f"23-api-{backend}")
    assert_only_local(tab, base)
