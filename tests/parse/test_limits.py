"""The parse stage's bounds (issue 15, item 4): page size, HTML nesting depth, the time
budget and its deadline, and the Markdown readers that replaced quadratic regexes."""

from __future__ import annotations

import itertools
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from cunzhao.capture.model import Capture
from cunzhao.parse import ParseError, parse_capture
from cunzhao.parse.card import find_card
from cunzhao.parse.limits import Deadline, Limits, OverBudget
from cunzhao.parse.nesting import cap_depth
from cunzhao.parse.text import _heading, _without_links, markdown_blocks

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REPORT = "<p>国家网信办依法约谈网站12家。</p>"


def page(body: str, source: str = "mem.html") -> Capture:
    return Capture(data=f"<html><body>{body}</body></html>".encode(), source=source)


def test_limits_from_the_environment() -> None:
    assert Limits.from_env({}) == Limits()
    got = Limits.from_env({"CUNZHAO_TIME_BUDGET": " 2.5 ", "CUNZHAO_MAX_DEPTH": "64",
                           "CUNZHAO_MAX_PAGE_BYTES": "1000"})
    assert (got.seconds, got.depth, got.page_bytes) == (2.5, 64, 1000)
    assert Limits.from_env({"CUNZHAO_TIME_BUDGET": "0"}).deadline("x").seconds == 0
    for name, raw, phrase in [
        ("CUNZHAO_TIME_BUDGET", "soon", "not a number of seconds"),
        ("CUNZHAO_MAX_DEPTH", "0", "must be more than 0"),
        ("CUNZHAO_MAX_PAGE_BYTES", "1.5", "not a whole number"),
        ("CUNZHAO_TIME_BUDGET", "-1", "must be more than 0"),
    ]:
        with pytest.raises(ValueError, match=f"{name}='{re.escape(raw)}': {phrase}"):
            Limits.from_env({name: raw})


def test_a_page_over_the_size_limit_is_not_parsed() -> None:
    capture = page(REPORT * 100, "big.html")
    with pytest.raises(ParseError) as raised:
        parse_capture(capture, Limits(page_bytes=1000))
    assert raised.value.source == "big.html"
    assert "over the parse limit of 0 MiB (CUNZHAO_MAX_PAGE_BYTES)" in raised.value.reason
    assert parse_capture(capture).blocks  # the default limit takes it


def test_the_deadline_stops_parsing_by_name() -> None:
    """The clock moves a second each time it is read (once to start, once per check): a
    2.5 s budget is spent at the third check (decoding, building the tree, clean text)."""
    capture = Capture(data=(EXAMPLES / "seed-704712.md").read_bytes(), source="seed.md")
    with pytest.raises(OverBudget) as raised:
        parse_capture(capture, deadline=Deadline(2.5, "seed.md", clock=itertools.count(1.0).__next__))
    assert isinstance(raised.value, ParseError) and raised.value.source == "seed.md"
    assert raised.value.reason.startswith("parse/extract took longer than 2.5 s (stopped in ")
    assert "CUNZHAO_TIME_BUDGET" in raised.value.reason
    parse_capture(capture, deadline=Deadline(100, "seed.md", clock=itertools.count(1.0).__next__))  # in time


def test_a_deadline_of_zero_never_passes() -> None:
    deadline = Limits(seconds=0).deadline("x")
    deadline.check("anything")
    Deadline(3.5, "x", clock=itertools.count(1.0).__next__).check("second second, in time")


def test_deep_nesting_is_flattened_below_the_limit() -> None:
    html = "<div>" * 1000 + REPORT + "</div>" * 1000
    capped, dropped = cap_depth(html, 100)
    assert dropped == 1800  # 900 opening and 900 closing tags past depth 100
    assert capped.count("<div>") == capped.count("</div>") == 100
    assert REPORT in capped
    unclosed, dropped = cap_depth("<div>x" * 1000, 100)
    assert dropped == 900 and unclosed.count("x") == 1000


@pytest.mark.parametrize(
    "html",
    [
        "<p>x" * 1000,  # optional end tags close their siblings: no depth
        "<ul>" + "<li>x" * 1000 + "</ul>",
        "<svg>" + '<path d="M0"/>' * 1000 + "</svg>",  # /> closes inside svg
        "<script>" + "'<div>' + " * 1000 + "</script>",  # text of a script
        "<textarea>" + "<b>" * 1000 + "</textarea>",
        "<br>" * 1000 + "<img src=x>" * 1000,
        "<div></div>" * 1000,
    ],
)
def test_what_does_not_nest_is_left_as_it_is(html: str) -> None:
    assert cap_depth(html, 100) == (html, 0)


def test_the_examples_are_not_touched() -> None:
    for path in EXAMPLES.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert cap_depth(text, 512) == (text, 0), path


def test_100k_nested_elements_parse_in_time() -> None:
    """Before the cap: 22 s in lexbor for 100,000 nested divs, 27 s for 50,000 open spans
    followed by 50,000 paragraphs (each looks down the whole stack)."""
    for body in ("<div>" * 100_000 + REPORT + "</div>" * 100_000,
                 "<span>" * 50_000 + REPORT * 50_000):
        started = time.process_time()
        parsed = parse_capture(page(body))
        assert time.process_time() - started < 5
        assert parsed.blocks[0].text == "国家网信办依法约谈网站12家。"
        assert any("tags nested deeper than 512 left out" in w for w in parsed.warnings)


def test_a_card_nested_deep_is_read() -> None:
    """The card reader walked the tree by recursion: 5,000 levels were a RecursionError."""
    html = (
        "<div class='su-spoiler'><div class='su-spoiler-title'>CDT 档案卡</div>"
        "<div class='su-spoiler-content'>" + "<span>" * 5000
        + "<strong>标题：</strong>深处<br><strong>发表日期：</strong>2024.1.31"
        + "</span>" * 5000 + "</div></div>"
    )
    found = find_card(LexborHTMLParser(html))
    assert found is not None
    assert (found.card.title, found.card.published_text) == ("深处", "2024.1.31")


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="[]()!# a\t\u3000文", max_size=40))
def test_markdown_readers_agree_with_the_regexes_they_replaced(text: str) -> None:
    assert _without_links(text, "[") == _LINK.sub(r"\1", text)
    assert _without_links(text, "![") == _IMAGE.sub("", text)
    line = text.strip()
    heading = _HEADING.match(line)
    assert _heading(line) == ((len(heading[1]), heading[2]) if heading else None)


def test_markdown_brackets_and_hashes_read_in_linear_time() -> None:
    """The regexes took minutes on a line of unclosed ``[`` or a long run of ``#``."""
    started = time.process_time()
    text = "约谈网站12家" + "[" * 500_000 + "[a](" * 100_000 + "![" * 100_000
    blocks = markdown_blocks(text + "\n# " + "#" * 200_000 + " 标题")
    assert time.process_time() - started < 3
    assert blocks[0].text.startswith("约谈网站12家[[[")
