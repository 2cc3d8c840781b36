"""Browser tests: Playwright driving Debian's Chromium against the real server on 127.0.0.1.

Chromium comes from ``$CUNZHAO_CHROMIUM`` or /usr/bin/chromium (``.ci/run`` installs it);
Playwright's own browser downloads are never used. Screenshots go to ``test-artifacts/web``.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from testenv import unavailable

pw = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium_path() -> str:
    path = os.environ.get("CUNZHAO_CHROMIUM") or "/usr/bin/chromium"
    if not (Path(path).is_file() or shutil.which(path)):
        unavailable(
            f"Chromium not found at {path} (set CUNZHAO_CHROMIUM or apt-get install chromium)"
        )
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with pw.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A fresh page that records every request it makes (``tab.requests``)."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda request: tab.requests.append(request))
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def shot(tab: Any, name: str) -> None:
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sent(tab: Any) -> list[str]:
    """URLs the page really requested (Chromium reports CSP-blocked loads as failed 'csp')."""
    return [r.url for r in tab.requests if r.failure != "csp"]


def assert_only_local(tab: Any, server: str) -> None:
    outside = [u for u in sent(tab) if not u.startswith((server, "data:", "about:"))]
    assert outside == [], f"requests left the machine: {outside}"


def test_search_document_facet_entity_stats_language_download(
    page: Any, server: str, doc_ids: dict[str, int], tmp_path: Path
) -> None:
    page.goto(server + "/")
    shot(page, "01-home")
    page.fill("main form.bigsearch input[name=q]", "约谈")
    page.press("main form.bigsearch input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    total = int(page.inner_text("#total").replace(",", ""))
    assert total > 1
    assert page.locator(".hit .snippet mark").count() > 0
    assert "约谈" in page.locator(".hit .snippet mark").first.inner_text()
    shot(page, "02-search")

    # the seed document is among the hits; open it from the result list
    page.click(f".hit h3 a[href='/doc/{doc_ids['seed']}']")
    page.wait_for_url(f"**/doc/{doc_ids['seed']}")
    stat_marks = page.locator("#body mark.stat")
    facts = {f for m in stat_marks.all() for f in m.get_attribute("data-facts").split()
             if f.startswith("s")}
    assert len(facts) == 6 == page.locator("table.stats tbody tr").count()
    marked = "".join(m.inner_text() for m in stat_marks.all())
    for evidence in ("约谈网站10646家", "关闭违法违规账号127878个"):
        assert evidence in marked
    assert len(page.inner_text("#sha256")) == 64
    assert page.locator("iframe[sandbox='']").count() == 1
    shot(page, "03-document")

    # a facet narrows the search and its count is the new total
    page.go_back()
    facet = page.locator(".facet[data-facet=year] li").first
    expected = int(facet.locator(".n").inner_text().replace(",", ""))
    facet.locator("a").click()
    page.wait_for_url("**year=*")
    assert int(page.inner_text("#total").replace(",", "")) == expected < total
    shot(page, "04-facet")

    # the entity page: cases over time with a chart
    page.goto(server + "/entity/" + quote("百度"))
    assert int(page.inner_text("#case-count")) >= 1
    assert page.locator("#timeline svg rect").count() >= 1
    shot(page, "05-entity")

    # statistics: one chart per action, values in hover titles, table below
    page.goto(server + "/stats")
    charts = page.locator(".action-charts")
    assert charts.count() >= 5
    hovers = [t.text_content() or "" for t in page.locator("#chart-summon svg a.bar title").all()]
    assert any("10,646" in h and "中央网信办" in h for h in hovers), hovers
    assert page.locator("#table tbody tr").count() >= charts.count()
    shot(page, "06-stats")

    # language switch, kept by the cookie on the next page
    zh_nav = page.inner_text("header nav")
    page.click("#lang-switch")
    page.wait_for_url("**lang=en**")
    assert "Statistics" in page.inner_text("header nav") and "Statistics" not in zh_nav
    page.goto(server + "/about")
    assert "How each figure is derived" in page.inner_text("main")
    shot(page, "07-english")

    # download every hit of a search as CSV
    page.goto(server + "/search?q=" + quote("约谈"))
    with page.expect_download() as info:
        page.click("#download-csv")
    saved = tmp_path / "hits.csv"
    info.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert len(rows) == total
    assert str(doc_ids["seed"]) in {r["document_id"] for r in rows}
    assert_only_local(page, server)


def test_archived_script_never_runs(page: Any, server: str, doc_ids: dict[str, int]) -> None:
    hostile = doc_ids["hostile"]
    page.goto(f"{server}/doc/{hostile}")
    page.wait_for_load_state("networkidle")
    frame = page.frame_locator("iframe[sandbox]")
    assert "测试页面" in frame.locator("body").inner_text()  # the original did render
    page.locator("iframe[sandbox]").scroll_into_view_if_needed()
    shot(page, "08-hostile-document")
    assert page.title().startswith("【立此存照】<script>")  # the archived title, as text
    assert page.evaluate("document.documentElement.getAttribute('data-pwned')") is None
    assert "<script>" in page.inner_text("h1")  # the archived title, shown as text
    inner = page.frames[1]
    assert inner.evaluate("document.documentElement.getAttribute('data-pwned')") is None
    assert not inner.evaluate("document.title").startswith("PWNED")
    page.goto(f"{server}/doc/{hostile}/original")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.getAttribute('data-pwned')") is None
    assert not page.title().startswith("PWNED")
    blocked = [r.url for r in page.requests if r.failure == "csp"]
    assert any("example.org" in u for u in blocked)  # the CSP did block the outside loads
    assert not [u for u in sent(page) if "pwned" in u], sent(page)
    assert_only_local(page, server)


def test_phone_layout(browser: Any, server: str, doc_ids: dict[str, int]) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = context.new_page()
    try:
        for name, path in (("09-phone-search", "/search?q=" + quote("约谈")),
                           ("10-phone-document", f"/doc/{doc_ids['seed']}")):
            tab.goto(server + path)
            overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
            tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)
    finally:
        context.close()


def test_version_diff_page(page: Any, server: str, web_archive: str) -> None:
    from cunzhao.archive import Archive

    with Archive.open(web_archive, create=False) as archive:
        changed = next(
            d.id for d in archive.documents() if d.versions > 1
            and archive.document(d.id, 1).body != archive.document(d.id, 2).body  # type: ignore[union-attr]
        )
    page.goto(f"{server}/doc/{changed}")
    page.select_option("form.diffform select[name=a]", "1")
    page.select_option("form.diffform select[name=b]", "2")
    page.click("form.diffform button")
    page.wait_for_url(f"**/doc/{changed}/diff?a=1&b=2**")
    assert page.locator("table.diff ins, table.diff del").count() >= 1
    shot(page, "11-diff")
    assert_only_local(page, server)
