"""parse_capture: outcomes for bad inputs, plain HTML, dates, URL and capture-time rules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cunzhao.capture.model import Capture
from cunzhao.parse import PARSER_VERSION, Page, ParseError, parse_capture

ParseId = Callable[[str], Page]
BAD = Path(__file__).resolve().parents[1] / "data" / "bad"


def parse_bad(name: str) -> Page:
    path = BAD / name
    return parse_capture(Capture(path.read_bytes(), str(path)))


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.md", "empty file"),
        ("blank.md", "blank file (whitespace only)"),
        ("binary.html", "binary data (NUL bytes), not a text page"),
        ("no_header.md", "no [title](url) header and no HTML: not a page"),
    ],
)
def test_refused_inputs_name_the_file_and_the_reason(name: str, reason: str) -> None:
    with pytest.raises(ParseError) as raised:
        parse_bad(name)
    assert raised.value.source == str(BAD / name)
    assert raised.value.reason == reason
    assert str(raised.value) == f"{BAD / name}: {reason}"


def test_truncated_html_keeps_what_it_has() -> None:
    page = parse_bad("truncated.html")
    assert page.header_format == "html" and page.title == "截断"
    assert page.blocks[0].text.startswith("2023年，全国网信系统严格执行法律法规")
    assert page.blocks[-1].text == "大力查处" and page.blocks[-1].kind == "h"


def test_gbk_wrapped_page() -> None:
    page = parse_bad("gbk.md")
    assert page.encoding == "gb18030" and page.header_format == "epoch"
    assert page.title.startswith("【立此存照】中央网信办")
    assert page.captured_at == datetime(2024, 2, 2, 3, 19, 2, tzinfo=UTC)
    assert page.body.startswith("2023年，全国网信系统严格执行法律法规")


def test_big5_html_page() -> None:
    page = parse_bad("big5.html")
    assert page.encoding == "big5" and page.header_format == "html"
    assert page.title == "中央網信辦｜2023年約談網站10646家"
    assert page.url == "https://chinadigitaltimes.net/chinese/704712.html"
    assert page.body.startswith("2023年，全國網信系統嚴格執行法律法規")
    assert page.captured_at is None


def test_gb18030_declared_as_gb2312() -> None:
    page = parse_bad("gb18030.html")
    assert page.encoding == "gb18030"
    assert page.blocks[-1].text == "𠮷野家与䶮"


def test_bom_page_and_raw_bytes_untouched() -> None:
    data = (BAD / "utf8_bom.md").read_bytes()
    capture = Capture(data, "bom.md")
    page = parse_capture(capture)
    assert page.encoding == "utf-8-sig" and page.header_format == "epoch"
    assert page.title.startswith("【立此存照】")
    assert capture.data == data and data.startswith(b"\xef\xbb\xbf")


def test_content_type_charset_is_used() -> None:
    html = "<html><head><title>网信</title></head><body><p>约谈</p></body></html>"
    page = parse_capture(Capture(html.encode("gbk"), "x", content_type="text/html; charset=GBK"))
    assert (page.encoding, page.title, page.body) == ("gb18030", "网信", "约谈")


def test_plain_html_without_title_uses_first_heading_and_target_url() -> None:
    html = b"<body><h2>Heading</h2><p>text</p></body>"
    when = datetime(2024, 5, 1, tzinfo=UTC)
    page = parse_capture(Capture(html, "x", "warc", target_url="https://a.b/c", captured_at=when))
    assert (page.title, page.url, page.captured_at) == ("Heading", "https://a.b/c", when)
    untitled = parse_capture(Capture(b"<p>text</p>", "y"))
    assert untitled.title == "" and "no title" in untitled.warnings


def test_header_without_body_is_a_page_with_a_warning() -> None:
    page = parse_capture(Capture(b"[T](https://a.b/c)\n------\n", "h.md"))
    assert page.title == "T" and page.blocks == () and "no body text" in page.warnings


def test_legacy_rss_date(parse_id: ParseId) -> None:
    page = parse_id("400339")
    assert page.header_format == "legacy-rss" and page.card is None
    assert page.published == date(2020, 6, 24)


def test_implausible_card_date_is_not_used(parse_id: ParseId) -> None:
    page = parse_id("347474")
    assert page.card is not None and page.card.published == date(2023, 1, 1)
    assert page.published is None
    assert any("2023.1.1" in w and "implausible" in w for w in page.warnings)


def test_card_date_after_capture_is_not_used(parse_id: ParseId) -> None:
    page = parse_id("366032")
    assert page.card is not None and page.card.published == date(2022, 6, 30)
    assert page.captured_at is not None and page.captured_at.date() == date(2022, 6, 4)
    assert page.published is None


def test_2020_epoch_page_date_from_url_month_and_capture(parse_id: ParseId) -> None:
    page = parse_id("390916")
    assert page.header_format == "epoch" and page.card is None
    assert page.captured_at is not None
    assert page.published == page.captured_at.date() == date(2020, 10, 13)


def test_url_month_far_from_capture_is_the_first_day() -> None:
    data = b"<!--1700000000000-->\n[T](https://x.net/chinese/2020/10/slug/)\n------\n\n<p>a</p>"
    page = parse_capture(Capture(data, "m.md"))
    assert page.published == date(2020, 10, 1)
    assert any("approximated" in w for w in page.warnings)


def test_full_date_in_url() -> None:
    data = b"[T](http://www.cac.gov.cn/2024-01/31/c_1.htm)\n------\n\n<p>a</p>"
    assert parse_capture(Capture(data, "u.md")).published == date(2024, 1, 31)


def test_header_url_wins_over_target_url(seed_path: Path) -> None:
    capture = Capture(seed_path.read_bytes(), "s", "warc", target_url="https://elsewhere/x")
    assert parse_capture(capture).url == "https://chinadigitaltimes.net/chinese/704712.html"


def test_parser_version_is_a_string() -> None:
    assert isinstance(PARSER_VERSION, str) and PARSER_VERSION


_fragments = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<h2>",
        "</h2>",
        "<br>",
        "<hr>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "&nbsp;",
        "&amp;",
        "&#",
        "[",
        "](",
        ")",
        "\n",
        "------",
        "日期：",
        "【",
        "】",
        "网信办",
        " ",
        "\u3000",
        "<!--1706843942000-->",
        "<strong>标题：</strong>",
        '<div class="su-spoiler"><div class="su-spoiler-title">CDT 档案卡</div>',
        '<div class="su-spoiler-content">',
        "<a href='https://web.archive.org/web/*/x'>",
        "</a>",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_fragments, st.text(max_size=5)), max_size=40), st.binary(max_size=8))
def test_any_input_gives_a_page_or_a_parse_error(parts: list[str], noise: bytes) -> None:
    data = "".join(parts).encode("utf-8") + noise
    try:
        page = parse_capture(Capture(data, "fuzz.md"))
    except ParseError as error:
        assert error.source == "fuzz.md" and error.reason
        return
    assert all(b.text and b.text == b.text.strip() and "\n" not in b.text for b in page.blocks)
    assert page.series_tag is None or page.title.lstrip().startswith(f"【{page.series_tag}】")
