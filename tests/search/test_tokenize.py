"""Tokens: one per CJK character (bigram or lone last character), words for Latin/digits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cunzhao.search.tokenize import (
    QueryToken,
    first_chars,
    index_text,
    index_tokens,
    is_cjk,
    query_tokens,
)


def phrase_at(stream: list[str], phrase: tuple[QueryToken, ...]) -> bool:
    """Does ``phrase`` occur at consecutive positions of ``stream`` (what FTS5 / <-> do)?"""
    n = len(phrase)
    for start in range(len(stream) - n + 1):
        if all(
            stream[start + i].startswith(t.text) if t.prefix else stream[start + i] == t.text
            for i, t in enumerate(phrase)
        ):
            return True
    return False


def test_cjk_runs_give_one_token_per_character() -> None:
    assert index_tokens("网信办约谈") == ["网信", "信办", "办约", "约谈", "谈"]
    assert index_tokens("知网（CNKI）") == ["知网", "网", "cnki"]


def test_mixed_latin_and_cjk() -> None:
    assert index_tokens("AI写作导师") == ["ai", "写作", "作导", "导师", "师"]
    assert query_tokens("AI写作导师") == (
        QueryToken("ai"), QueryToken("写作"), QueryToken("作导"), QueryToken("导师")
    )


def test_folding_traditional_width_and_case() -> None:
    assert index_tokens("網信辦") == index_tokens("网信办")
    assert index_tokens("ＣＮＫＩ ＡＰＰ") == ["cnki", "app"]


def test_query_shapes() -> None:
    assert query_tokens("网") == (QueryToken("网", prefix=True),)
    assert query_tokens("约谈") == (QueryToken("约谈"),)
    # a run followed by more tokens needs its last character as a prefix position
    assert query_tokens("小红书 罚款") == (
        QueryToken("小红"), QueryToken("红书"), QueryToken("书", prefix=True), QueryToken("罚款"),
    )
    assert query_tokens("，。!") == ()


_HAN = st.text(alphabet="网信办约谈知百度", min_size=1, max_size=6)
_DOC = st.text(alphabet="网信办约谈知百度，。 a1", max_size=40)


@given(doc=_DOC, needle=_HAN)
def test_cjk_query_matches_exactly_the_substring(doc: str, needle: str) -> None:
    """The index scheme's core promise: a CJK query phrase matches iff it is a substring."""
    assert phrase_at(index_tokens(doc), query_tokens(needle)) == (needle in doc)


@given(doc=_DOC)
def test_every_token_is_space_free_and_quote_free(doc: str) -> None:
    for token in index_tokens(doc):
        assert token and all(c.isalnum() or not c.isascii() for c in token)


@given(doc=st.text(alphabet="网信办約談ＡＰＰapp 12，。\n-", max_size=60))
def test_index_text_is_the_token_stream_joined(doc: str) -> None:
    """SQLite's FTS table gets ``index_text``; it must split into exactly ``index_tokens``."""
    assert index_text(doc).split() == index_tokens(doc)


@given(doc=st.text(alphabet="网信办約談ＡＰＰapp 12，。\n-", max_size=60))
def test_first_chars_hold_each_position_s_first_character(doc: str) -> None:
    """tantivy's ``title1``/``body1`` get ``first_chars``: position by position, a CJK
    token's first character, a Latin word whole — so prefixes are exact terms there."""
    tokens = index_tokens(doc)
    assert first_chars(doc).split() == [t[0] if is_cjk(t[0]) else t for t in tokens]
