"""Snippets: cut from the original text, matches marked, HTML escaped."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cunzhao.fold import fold
from cunzhao.search import Term, parse_query
from cunzhao.search.snippet import make_snippet, term_pattern


def terms(query: str) -> tuple[Term, ...]:
    return parse_query(query).positive_terms


def test_marks_the_original_characters_found_by_their_folded_form() -> None:
    body = "前文。國家網信辦依法約談了<某平台>，責令整改。後文"
    snippet = make_snippet(body, terms("网信办 约谈"), width=40)
    assert [t for t, m in snippet.segments if m] == ["網信辦", "約談"]
    assert snippet.text.replace("…", "") in body
    assert "&lt;某平台&gt;" in snippet.html and "<mark>網信辦</mark>" in snippet.html


def test_latin_words_match_whole_words_only() -> None:
    pattern = term_pattern("app")
    assert pattern is not None
    folded = "下架app，不是application，也不是 happ"
    assert [m.group() for m in pattern.finditer(folded)] == ["app"]


def test_window_around_a_late_match_with_ellipses() -> None:
    body = "甲" * 300 + "知网" + "乙" * 300
    snippet = make_snippet(body, terms("知网"), width=60)
    assert snippet.segments[0] == ("…", False) and snippet.segments[-1] == ("…", False)
    assert ("知网", True) in snippet.segments
    assert len(snippet.text) <= 62


def test_no_match_in_body_gives_its_beginning() -> None:
    snippet = make_snippet("第一行\n第二行", terms("知网"))
    assert snippet.segments == (("第一行 第二行", False),)


@given(body=st.text(alphabet="网信办約談依法的，。 \nab", max_size=400),
       needle=st.text(alphabet="网信办约谈的", min_size=1, max_size=3))
def test_a_needle_in_the_body_is_marked_and_one_absent_is_not(body: str, needle: str) -> None:
    """Only the first match and those inside its window are looked for (a common term
    matches thousands of times): the window still holds the first, marked."""
    snippet = make_snippet(body, parse_query(needle).positive_terms, width=40)
    marked = [text for text, hit in snippet.segments if hit]
    assert bool(marked) == (fold(needle) in fold(body))
    assert not marked or fold(needle) in fold(marked[0])  # later ones may be cut at the edge
