"""Phones and desktops, in Chromium, on SQLite (the corpus) and PostgreSQL (the seed and a
restated copy: test_browser_cite's ``site``):
the seed's document page, a figure's permalink, the statistics, a search and an entity page at
390×844 and 1280×800. No page scrolls sideways; no text is squeezed into a column narrower than
4 em (an element narrower than 4 × its font size whose text wraps: the one-character columns
of a table on a phone); chart text is 11 px or more as drawn; one search box; on a phone the
fact and case tables are cards and the facets come before the results, collapsed.

Screenshots: ``test-artifacts/web/small-screens/{backend}-{page}-{width}.png``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from test_browser import ARTIFACTS, browser  # noqa: F401 (test_browser's Chromium fixture)
from test_browser_cite import site  # noqa: F401 (SQLite and PostgreSQL sites with the seed)

SHOTS = ARTIFACTS / "small-screens"
PHONE, DESKTOP = (390, 844), (1280, 800)

# What a page's layout gives away, measured in the browser.
MEASURE = """() => {
  const shown = (el) => {
    const style = getComputedStyle(el);
    return style.display !== "none" && style.visibility !== "hidden"
      && el.getClientRects().length > 0;
  };
  const squeezed = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest("svg, script, style, iframe")) continue;
    const texts = [...el.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim());
    if (!texts.length || !shown(el)) continue;
    const em = parseFloat(getComputedStyle(el).fontSize);
    const width = el.getBoundingClientRect().width;
    if (width === 0 || width + 0.5 >= 4 * em) continue;
    const lines = new Set();
    for (const text of texts) {
      const range = document.createRange();
      range.selectNodeContents(text);
      for (const r of range.getClientRects()) if (r.width > 0) lines.add(Math.round(r.top));
    }
    if (lines.size > 1) {
      squeezed.push(`<${el.tagName.toLowerCase()} class="${el.className}"> ${width.toFixed(0)}px`
        + ` wide (4 em: ${4 * em}px), ${lines.size} lines: ${el.textContent.trim().slice(0, 30)}`);
    }
  }
  const small = [];
  let charts = 0;
  for (const text of document.querySelectorAll("svg text")) {
    if (!text.textContent.trim() || !shown(text)) continue;
    charts += 1;
    const drawn = parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a;
    if (drawn < 11 - 0.01) small.push(`${text.textContent.trim()}: ${drawn.toFixed(1)}px`);
  }
  return {
    sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    squeezed, small, charts,
    searches: [...document.querySelectorAll("input[type=search]")].filter(shown).length,
  };
}"""


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def screen(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:  # noqa: F811
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height},
                                  is_mobile=width < 500, has_touch=width < 500)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def pages(tab: Any, base: str, seed: int) -> dict[str, str]:
    tab.goto(f"{base}/doc/{seed}")
    figure = tab.get_attribute("table.stats a.permalink >> nth=0", "href")
    assert figure and figure.startswith("/fact/")
    return {"document": f"/doc/{seed}", "figure": figure, "stats": "/stats",
            "search": "/search?q=" + quote("约谈"), "entity": "/entity/" + quote("百度")}


def test_pages_fit_the_screen(screen: Any, site: tuple[str, str, int]) -> None:  # noqa: F811
    backend, base, seed = site
    width = screen.viewport_size["width"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for name, path in pages(screen, base, seed).items():
        screen.goto(base + path)
        screen.screenshot(path=str(SHOTS / f"{backend}-{name}-{width}.png"), full_page=True)
        found = screen.evaluate(MEASURE)
        if found["sideways"] > 1:
            problems.append(f"{name}: scrolls sideways by {found['sideways']}px")
        problems += [f"{name}: {text}" for text in found["squeezed"] + found["small"]]
        if found["searches"] != 1:
            problems.append(f"{name}: {found['searches']} search boxes")
        if name in ("stats", "entity"):
            assert found["charts"] > 0, f"{name} draws no chart text"
    assert problems == [], "\n".join(problems)


def test_phone_cards_and_facets(screen: Any, site: tuple[str, str, int]) -> None:  # noqa: F811
    backend, base, seed = site
    phone = screen.viewport_size["width"] == PHONE[0]
    screen.goto(f"{base}/doc/{seed}")
    for table in ("table.stats", "table.cases"):
        header_shown = screen.locator(f"{table} thead").bounding_box()["height"] > 1
        cell = screen.locator(f"{table} tbody td >> nth=0")
        label = cell.evaluate("td => getComputedStyle(td, '::before').content")
        assert header_shown is not phone
        assert (cell.evaluate("td => getComputedStyle(td).display") == "block") is phone
        assert (label != "none") is phone, label  # each cell names its column on a card
    screen.goto(f"{base}/search?q=" + quote("约谈"))
    facets = screen.locator("#facets")
    results = screen.locator("section.results")
    first_facet = screen.locator(".facet a >> nth=0")
    assert facets.bounding_box()["y"] < results.bounding_box()["y"] or not phone
    assert first_facet.is_visible() is not phone  # collapsed on a phone, open beside on a desktop
    if phone:
        screen.click("#facets > summary")
        assert first_facet.is_visible()
        expected = int(screen.locator(".facet .n >> nth=0").inner_text().replace(",", ""))
        first_facet.click()
        screen.wait_for_url(re.compile(r".*&\w+=.*"))
        assert int(screen.inner_text("#total").replace(",", "")) == expected
        screen.screenshot(path=str(SHOTS / f"{backend}-search-facet-{PHONE[0]}.png"))
