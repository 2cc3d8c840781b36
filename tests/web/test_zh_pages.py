"""The Chinese pages hold no English label: every HTML route is rendered in Chinese over the
web test archive (the corpus, the hostile page), error pages included, and no visible text may
show an id or an English name of an action, object, category, qualifier, kind or level.

Text inside an element marked ``lang="en"`` is declared English content, not a label: the API
reference's descriptions, which come from the OpenAPI schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.responses import HTMLResponse

import cunzhao
from cunzhao.extract.model import QUALIFIERS
from cunzhao.web import create_app
from cunzhao.web.i18n import term

KINDS_TSV = Path(cunzhao.__file__).parent / "extract" / "data" / "kinds.tsv"
HIDDEN = {"script", "style", "head", "code", "pre", "textarea"}  # not prose, or not shown
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "rect", "line", "path", "circle", "stop"}

# Every HTML page, in every state the routes know; {seed} and the like are filled in below.
PAGES = [
    "/", "/about", "/api", "/gone", "/entities", "/entities?kind=regulator",
    "/search", "/search?q=约谈", "/search?q=约谈&action=summon&facet_size=50",
    "/search?q=约谈&has_facts=1&all_versions=1", "/search?category=pornography",
    "/stats", "/stats?granularity=half", "/stats?action=close_account&object=account",
    "/cases", "/cases?measure=summon", "/cases?measure=not-a-measure",
    "/doc/{seed}", "/doc/{multi}", "/doc/{multi}?version=1", "/doc/{multi}/diff",
    "/fact/{fact}", "/case/{case}", "/entity/百度", "/entity/北京市网信办",
    "/entity/百度?children=true",
    # errors, as the pages show them
    "/no-such-page", "/doc/999999", "/doc/{seed}?version=99", "/fact/0-0-00000000",
    "/case/0-0-00000000", "/gone?page=99", "/search?q=约谈&page=999", "/search?page=abc",
    "/search?since=yesterday&sort=random", "/search?q=%22", "/search?q=-",
    "/search?q=a%20OR", "/entity/没有这个实体", "/search?q=" + "x" * 5000,
]


def forbidden() -> dict[str, str]:
    """Each English label the lexicons and labels hold → what it is."""
    found: dict[str, str] = {}
    for kind in ("action", "object", "category"):
        for ident, (_zh, en) in cunzhao.vocabulary(kind).items():
            found[ident] = found[en] = kind
    for ident in QUALIFIERS:
        found[ident] = found[term("qualifier", ident, "en")] = "qualifier"
    target_kinds = [line.split("\t")[0] for line in KINDS_TSV.read_text("utf-8").splitlines()
                    if line.strip() and not line.startswith("#")]
    for ident in {*cunzhao.ENTITY_KINDS, *target_kinds}:
        found[ident] = found[term("kind", ident, "en")] = "kind"
    for ident, (_zh, en) in cunzhao.level_labels().items():
        found[ident] = found[en] = "level"
    return found


def pattern(label: str) -> re.Pattern[str]:
    """``label`` as a whole word (or phrase), as written."""
    return re.compile(rf"(?<![A-Za-z_\-]){re.escape(label)}(?![A-Za-z_\-])")


class VisibleText(HTMLParser):
    """Text nodes a reader sees (SVG hover titles included); attributes, scripts, styles,
    the head, code and what is marked English are left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []  # (tag, hides its text)
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            english = tag != "html" and (dict(attrs).get("lang") or "").startswith("en")
            self.open.append((tag, tag in HIDDEN or english))

    def handle_endtag(self, tag: str) -> None:
        if any(name == tag for name, _ in self.open):
            while self.open.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if data.strip() and not any(hides for _, hides in self.open):
            self.texts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


@pytest.fixture(scope="module")
def zh(web_archive: str) -> Iterator[TestClient]:
    """A reader whose cookie asks for Chinese (the session's ``client`` keeps no cookie)."""
    with TestClient(create_app(web_archive), cookies={"lang": "zh"},
                    raise_server_exceptions=False) as reader:
        yield reader


@pytest.fixture(scope="module")
def en(web_archive: str) -> Iterator[TestClient]:
    with TestClient(create_app(web_archive), cookies={"lang": "en"},
                    raise_server_exceptions=False) as reader:
        yield reader


@pytest.fixture(scope="module")
def urls(client: TestClient, doc_ids: dict[str, int], web_archive: str) -> list[str]:
    with cunzhao.Archive.open(web_archive, read_only=True) as archive:
        multi = next(d.id for d in archive.documents() if d.versions > 1)
    seed_page = client.get(f"/doc/{doc_ids['seed']}").text
    fact = re.search(r'href="/fact/([^"?]+)"', seed_page)
    case = re.search(r'href="/case/([^"?]+)"', seed_page)
    assert fact and case, "the seed's page links its facts' permalinks"
    values = {"seed": doc_ids["seed"], "multi": multi, "fact": fact[1], "case": case[1]}
    return [page.format(**values) for page in PAGES]


def test_every_html_route_is_among_the_pages(client: TestClient) -> None:
    templates = {re.sub(r"\{[^}]+\}", "{}", page.split("?")[0]) for page in PAGES}
    routes = {re.sub(r"\{[^}]+\}", "{}", route.path) for route in client.app.routes  # type: ignore[attr-defined]
              if isinstance(route, APIRoute) and route.response_class is HTMLResponse}
    assert routes <= templates | {"/entity/{}"}, sorted(routes - templates)


def test_chinese_pages_show_no_english_label(zh: TestClient, urls: list[str]) -> None:
    labels = {label: pattern(label) for label in forbidden()}
    assert {"summon", "Summoned for talks", "exact", "at least", "platform", "Platform",
            "provincial", "Local (not named)"} <= set(labels)
    found = []
    for url in urls:
        response = zh.get(url)
        assert response.headers["content-type"].startswith("text/html"), url
        assert response.headers["content-language"] == "zh-Hans", url
        for text in visible_text(response.text):
            found += [f"{url} [{response.status_code}]: {label!r} in {text[:80]!r}"
                      for label, regex in labels.items() if regex.search(text)]
    assert found == [], "\n".join(found)


def test_the_seed_page_shows_qualifiers_kinds_and_sources_in_chinese(
    zh: TestClient, en: TestClient, doc_ids: dict[str, int]
) -> None:
    texts = visible_text(zh.get(f"/doc/{doc_ids['seed']}").text)
    assert texts.count("确数") == 6  # one per count
    assert "平台" in texts and "网站" in texts and "账号" in texts  # the cases' target kinds
    assert any(t.startswith("文件: ") for t in texts)
    english = visible_text(en.get(f"/doc/{doc_ids['seed']}").text)
    assert english.count("exact") == 6 and "platform" not in english and "Platform" in english


@pytest.mark.parametrize(("url", "chinese", "english"), [
    ("/doc/999999", "本档案中没有文档 999999", "no document 999999 in this archive"),
    ("/no-such-page", "找不到这个页面", "Not Found"),
    ("/search?q=%22", "无法读取查询：第 1 个字符处的引号 \" 没有配对",
     "cannot read the query: unbalanced quote \" at character 1"),
    ("/search?page=abc", "应为整数", "Input should be a valid integer"),
    ("/search?q=" + quote("约谈") + "&page=999", "第 999 页超出了最后一页",
     "page 999 is past the last page"),
])
def test_error_messages_in_the_readers_language(
    zh: TestClient, en: TestClient, url: str, chinese: str, english: str
) -> None:
    assert chinese in " ".join(visible_text(zh.get(url).text))
    assert english in " ".join(visible_text(en.get(url).text))
    api = zh.get("/api/documents/999999").json()
    assert api["error"]["message"] == "no document 999999 in this archive"  # the API: English
