"""The wrapper header: epoch line, ``[title](url)`` with awkward titles, ``日期：`` line."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from selectolax.lexbor import LexborHTMLParser

from cunzhao.parse.header import html_metadata, parse_title_link, split_header


def test_epoch_header() -> None:
    header = split_header("<!--1706843942000-->\n[T](https://x.org/1.html)\n------\n\n<p>a</p>\n")
    assert header is not None
    assert header.captured_at == datetime(2024, 2, 2, 3, 19, 2, tzinfo=UTC)
    assert (header.title, header.url, header.format) == ("T", "https://x.org/1.html", "epoch")
    assert header.body == "<p>a</p>\n"
    assert header.date_text is None


def test_legacy_rss_header() -> None:
    text = "[T](https://x.org/a/)\n------\n日期：Wed, 24 Jun 2020 08:53:10 +0000\n\n<p>a</p>\n"
    header = split_header(text)
    assert header is not None
    assert header.format == "legacy-rss"
    assert header.date_text == "Wed, 24 Jun 2020 08:53:10 +0000"
    assert header.published_at == datetime(2020, 6, 24, 8, 53, 10, tzinfo=UTC)
    assert header.captured_at is None
    assert header.body == "<p>a</p>\n"


def test_a_date_line_no_date_fits_in_is_kept_as_written() -> None:
    """Found by fuzzing (tests/hardening): a year of 20 digits overflowed the RFC 2822 reader."""
    date_text = "Wed, 24 Jun 99999999999999999999 08:53:10 +0000"
    header = split_header(f"[T](https://x.org/a/)\n------\n日期：{date_text}\n\n<p>a</p>\n")
    assert header is not None and header.format == "legacy-rss"
    assert (header.date_text, header.published_at) == (date_text, None)


def test_crlf_and_no_blank_line() -> None:
    header = split_header("[T](u://x)\r\n------\r\n<p>a</p>")
    assert header is not None and header.format == "wrapped"
    assert header.body.strip() == "<p>a</p>"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("[【立此存照】标题](https://a.b/c)", ("【立此存照】标题", "https://a.b/c")),
        ("[a [b] (c) d](https://a.b/c)", ("a [b] (c) d", "https://a.b/c")),
        ("[x](y)](https://a.b/(c))", ("x](y)", "https://a.b/(c)")),
        ("[t](<https://a.b/c>)", ("t", "https://a.b/c")),
        ("[t]()", ("t", None)),
        ("[](https://a.b/c)", ("", "https://a.b/c")),
        ("not a header", None),
        ("[t](has a space)", None),
    ],
)
def test_title_link(line: str, expected: tuple[str, str | None] | None) -> None:
    assert parse_title_link(line) == expected


def test_no_header() -> None:
    assert split_header("<html><body><p>a</p></body></html>") is None
    assert split_header("# README\n\nsome text\n") is None
    assert split_header("") is None
    assert split_header("[t](u)\nno rule here\n") is None


def test_html_metadata() -> None:
    tree = LexborHTMLParser(
        "<html><head><title> 网信 \n 办 </title>"
        '<link rel="canonical" href="https://a.b/c"><meta property="og:url" content="https://o">'
        "</head><body></body></html>"
    )
    meta = html_metadata(tree)
    assert (meta.title, meta.url) == ("网信 办", "https://a.b/c")
    og = html_metadata(
        LexborHTMLParser(
            '<head><meta property="og:title" content="OG"><meta property="og:url" content="https://o">'
        )
    )
    assert (og.title, og.url) == ("OG", "https://o")
    assert html_metadata(LexborHTMLParser("<p>x</p>")) == type(meta)(None, None)
