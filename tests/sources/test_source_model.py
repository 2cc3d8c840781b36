"""Source's filters (url_pattern, keywords folded, keyword_regex) and the errors' messages."""

from __future__ import annotations

from typing import Any

from cunzhao.sources import PageError, Source, SourceError


def _source(**fields: Any) -> Source:
    return Source(name="s", kind="feed", url="https://example.org/feed/", **fields)


def test_without_filters_every_text_and_url_is_kept() -> None:
    source = _source()
    assert source.keeps("") and source.keeps("天气晴")
    assert source.matches("https://example.org/anything")


def test_keywords_match_traditional_and_full_width_text() -> None:
    source = _source(keywords=("关闭", "app"))
    assert source.keeps("網信辦依法關閉違規帳號")  # traditional text, simplified keyword
    assert source.keeps("下架多款ＡＰＰ")  # full-width capitals, half-width lower-case keyword
    assert not source.keeps("约谈网站负责人")


def test_traditional_keywords_match_simplified_text() -> None:
    assert _source(keywords=("關閉",)).keeps("关闭账号")


def test_keyword_regex_is_searched_in_the_text_and_its_folded_form() -> None:
    fined = _source(keyword_regex=r"罚款\d+万元")
    assert fined.keeps("处以罚款５０万元")  # full-width digits match \d once folded
    assert not fined.keeps("处以警告")
    assert _source(keyword_regex="關閉").keeps("依法關閉")  # as written, unfolded


def test_keywords_or_regex_either_keeps() -> None:
    source = _source(keywords=("约谈",), keyword_regex="罚款")
    assert source.keeps("约谈") and source.keeps("罚款")
    assert not source.keeps("通报")


def test_url_pattern_is_searched_anywhere_in_the_url() -> None:
    source = _source(url_pattern=r"/\d{4}/\d{2}/\d+\.html$")
    assert source.matches("https://example.org/chinese/2024/03/900003.html")
    assert not source.matches("https://example.org/chinese/tag/lcz/")


def test_errors_name_the_source_the_url_and_the_reason() -> None:
    error = SourceError("cdt-lcz", "HTTP 503", "https://example.org/feed/")
    assert str(error) == "cdt-lcz: https://example.org/feed/: HTTP 503"
    assert (error.source, error.reason) == ("cdt-lcz", "HTTP 503")
    assert error.url == "https://example.org/feed/"
    assert str(SourceError("cdt-lcz", "no such folder")) == "cdt-lcz: no such folder"
    page_error = PageError("https://example.org/x", "not a feed")
    assert str(page_error) == "https://example.org/x: not a feed"
