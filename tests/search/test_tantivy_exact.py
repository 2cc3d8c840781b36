"""The tantivy index matches exactly what the token scheme promises, for any text and query.

Random titles and bodies go into a real (in-memory) tantivy index through the same document
builder and query builder that archives use; every query must find exactly the documents
the oracle names: for a CJK string, those containing it (folded); for any query, those in
which every group has a term whose token phrase occurs (``phrase_at``, the reading of
FTS5's phrases and prefixes), and no excluded term's.
"""

from __future__ import annotations

import tantivy
from hypothesis import given, settings
from hypothesis import strategies as st
from test_tokenize import phrase_at

from cunzhao.fold import fold
from cunzhao.search.entries import IndexEntry
from cunzhao.search.query import ParsedQuery, QuerySyntaxError, Term, parse_query
from cunzhao.search.tantivy_doc import document, make_schema, open_tokenizers
from cunzhao.search.tantivy_query import build_query
from cunzhao.search.tokenize import index_tokens
from cunzhao.store.filters import Filters

_TEXT = st.text(alphabet="网信办约谈知百度網辦，。 a1ＡＰＰ\n-", max_size=40)
_TITLE = st.text(alphabet="网信办约谈知百 a1", max_size=12)
_HAN = st.text(alphabet="网信办约谈知百度網", min_size=1, max_size=5)
_WORD = st.one_of(_HAN, st.sampled_from(["a1", "ＡＰＰ", "app", "1", "a"]),
                  st.builds(lambda a, b: a + b, _HAN, st.sampled_from(["a1", "1", "，"])))
_PIECE = st.one_of(_WORD, _WORD.map(lambda w: f"-{w}"),
                   st.builds(lambda a, b: f'"{a} {b}"', _WORD, _WORD), st.just("OR"))
_QUERY = st.lists(_PIECE, min_size=1, max_size=4).map(" ".join)


def _index(docs: list[tuple[str, str]]) -> tuple[tantivy.Index, tantivy.Schema]:
    schema = make_schema()
    index = tantivy.Index(schema)
    open_tokenizers(index)
    writer = index.writer(15_000_000, 1)
    for i, (title, body) in enumerate(docs, start=1):
        entry = IndexEntry(i, i, title, body, None, None, None, None, None, frozenset())
        writer.add_document(document(entry, schema))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index, schema


def _found(index: tantivy.Index, schema: tantivy.Schema, parsed: ParsedQuery) -> set[int]:
    searcher = index.searcher()
    hits = searcher.search(build_query(schema, parsed, Filters()), limit=100).hits
    orders = searcher.fast_field_values("order", [address for _, address in hits])
    return {int(order or 0) & 0xFFFFFFFF for order in orders}


def _matches(term: Term, title: str, body: str) -> bool:
    return phrase_at(index_tokens(title), term.tokens) or phrase_at(index_tokens(body),
                                                                     term.tokens)


@settings(max_examples=150, deadline=None)
@given(docs=st.lists(st.tuples(_TITLE, _TEXT), min_size=1, max_size=6), needle=_HAN)
def test_a_cjk_query_finds_exactly_the_documents_containing_it(
    docs: list[tuple[str, str]], needle: str
) -> None:
    index, schema = _index(docs)
    expected = {i for i, (title, body) in enumerate(docs, start=1)
                if fold(needle) in fold(title) or fold(needle) in fold(body)}
    assert _found(index, schema, parse_query(needle)) == expected


@settings(max_examples=200, deadline=None)
@given(docs=st.lists(st.tuples(_TITLE, _TEXT), min_size=1, max_size=6), data=st.data())
def test_any_query_finds_what_the_token_oracle_finds(
    docs: list[tuple[str, str]], data: st.DataObject
) -> None:
    """Queries mix random words with quoted slices of the documents (a space put in or not:
    phrases across punctuation, spaces and prefix positions), OR and exclusions."""
    text = data.draw(st.sampled_from([t + "\n" + b for t, b in docs]))
    start = data.draw(st.integers(0, len(text)))
    piece = text[start : start + data.draw(st.integers(1, 8))].replace('"', "")
    cut = data.draw(st.integers(0, len(piece)))  # a space the document may not have there
    piece = piece[:cut] + " " * data.draw(st.booleans()) + piece[cut:]
    query = data.draw(st.sampled_from(["", "OR", "-知", data.draw(_QUERY)])) + f' "{piece}"'
    try:
        parsed = parse_query(query)
    except QuerySyntaxError:
        return
    index, schema = _index(docs)
    expected = {
        i for i, (title, body) in enumerate(docs, start=1)
        if all(any(_matches(t, title, body) for t in group) for group in parsed.groups)
        and not any(_matches(t, title, body) for t in parsed.excluded)
    }
    assert _found(index, schema, parsed) == expected


def test_scattered_characters_and_prefix_positions() -> None:
    docs = [("", "网信办依法约谈"), ("", "网信办，依法"), ("", "网 信办"), ("知网", "2023年度")]
    index, schema = _index(docs)
    assert _found(index, schema, parse_query("网信办依法")) == {1}
    assert _found(index, schema, parse_query('"网信办 依法"')) == {1, 2}
    assert _found(index, schema, parse_query("网信")) == {1, 2}
    assert _found(index, schema, parse_query("网")) == {1, 2, 3, 4}
    assert _found(index, schema, parse_query("2023年")) == {4}
    assert _found(index, schema, parse_query("網信辦 -约谈")) == {2}
