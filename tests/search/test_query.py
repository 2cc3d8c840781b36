"""The query language: terms, phrases, exclusions, OR — and clear errors for the rest."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cunzhao.search import MAX_QUERY_LENGTH, QuerySyntaxError, parse_query


def texts(groups: tuple[tuple[object, ...], ...]) -> list[list[str]]:
    return [[t.text for t in g] for g in groups]  # type: ignore[attr-defined]


def test_terms_phrases_or_and_exclusions() -> None:
    parsed = parse_query('小红书 罚款 "网信办 约谈" 抖音 OR 快手 -百度 -"必应"')
    assert texts(parsed.groups) == [["小红书"], ["罚款"], ["网信办 约谈"], ["抖音", "快手"]]
    assert [t.text for t in parsed.excluded] == ["百度", "必应"]
    assert parsed.groups[2][0].quoted


def test_curly_and_full_width_forms() -> None:
    assert texts(parse_query("“历史虚无主义” －知网").groups) == [["历史虚无主义"]]
    assert [t.text for t in parse_query("“历史虚无主义” －知网").excluded] == ["知网"]


def test_lower_case_or_is_a_word() -> None:
    assert texts(parse_query("this or that").groups) == [["this"], ["or"], ["that"]]


def test_empty_query() -> None:
    assert parse_query("   ").is_empty


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"知网', "unbalanced quote"),
        ("知网 -", "'-' must be followed"),
        ("- 知网", "'-' must be followed"),
        ("OR", "OR needs a term on each side"),
        ("知网 OR", "OR needs a term on each side"),
        ("OR 知网", "OR needs a term on each side"),
        ("知网 OR OR 百度", "OR needs a term on each side"),
        ("知网 OR -百度", "cannot be part of OR"),
        ("-知网 OR 百度", "cannot be part of OR"),
        ("，。！", "no letters, digits or CJK"),
        ('""', "no letters, digits or CJK"),
        ('知"网"', "a quote must start a phrase"),
        ("知" * (MAX_QUERY_LENGTH + 1), "query too long"),
    ],
)
def test_malformed_queries_get_a_clear_message(query: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message):
        parse_query(query)


@settings(max_examples=500)
@given(st.text(max_size=80))
def test_any_text_parses_or_raises_query_syntax_error(query: str) -> None:
    try:
        parsed = parse_query(query)
    except QuerySyntaxError as error:
        assert str(error) and "\n" not in str(error)
        return
    for term in parsed.positive_terms + parsed.excluded:
        assert term.tokens
        for token in term.tokens:
            # nothing that could break out of an FTS5 string or a tsquery literal
            assert all(c.isalnum() or not c.isascii() for c in token.text)
