"""Search over the real corpus on both backends, checked against a plain substring scan."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_oracle import Corpus, search_on
from sqlalchemy import select

from cunzhao.fold import fold
from cunzhao.search import QuerySyntaxError
from cunzhao.store.filters import Filters
from cunzhao.store.schema import cases, stats

ALL = 10_000


def hit_ids(corpus: Corpus, query: str, **kw: object) -> set[int]:
    results = search_on(corpus.engine, query, per_page=ALL, facets=False, **kw)  # type: ignore[arg-type]
    assert results.total == len(results.hits)
    return {h.version_id for h in results.hits}


@pytest.mark.parametrize(
    "query", ["知网", "网", "约谈", "历史虚无主义", "小红书", "網信辦", "抖音", "罚款", "的",
              "国家网信办依法", "删帖", "微博"],
)
def test_cjk_query_finds_exactly_the_documents_containing_it(corpus_archive: Corpus, query: str) -> None:
    corpus = corpus_archive
    expected = corpus.having(query)
    assert expected, f"the corpus should contain {query}"
    assert hit_ids(corpus, query) == expected


def test_scattered_characters_do_not_match(corpus_archive: Corpus) -> None:
    corpus = corpus_archive
    pairs = [a + b for a in "谈网罚约知" for b in "网谈知罚约" if a != b]
    scattered = [p for p in pairs
                 if corpus.having(p[0]) & corpus.having(p[1]) and not corpus.having(p)]
    assert scattered, "the corpus should have two characters never written together"
    for pair in scattered:
        assert hit_ids(corpus, pair) == set()


def test_traditional_and_simplified_find_the_same(corpus_archive: Corpus) -> None:
    corpus = corpus_archive
    assert hit_ids(corpus, "網信辦") == hit_ids(corpus, "网信办") != set()


def test_latin_words_any_case_and_width(corpus_archive: Corpus) -> None:
    corpus = corpus_archive
    found = hit_ids(corpus, "CNKI")
    assert found and hit_ids(corpus, "cnki") == found == hit_ids(corpus, "ＣＮＫＩ")
    word = re.compile(r"(?<![a-z0-9])cnki(?![a-z0-9])")
    assert found == {d.version_id for d in corpus.docs if word.search(d.title + "\n" + d.body)}


def test_and_or_not(corpus_archive: Corpus) -> None:
    corpus = corpus_archive
    assert hit_ids(corpus, "小红书 罚款") == corpus.having("小红书") & corpus.having("罚款")
    assert hit_ids(corpus, "抖音 OR 快手") == corpus.having("抖音") | corpus.having("快手")
    assert hit_ids(corpus, "约谈 -百度") == corpus.having("约谈") - corpus.having("百度")
    assert hit_ids(corpus, "-的") == {d.version_id for d in corpus.docs} - corpus.having("的")


def test_quoted_phrase_across_a_space(corpus_archive: Corpus) -> None:
    corpus = corpus_archive
    assert hit_ids(corpus, '"网信办 依法"') >= corpus.having("网信办依法")
    assert hit_ids(corpus, '"网信办依法"') == corpus.having("网信办依法")


def test_filters(corpus_archive: Corpus) -> None:
    corpus = corpus_archive
    having = corpus.having("网信")
    by_id = {d.version_id: d for d in corpus.docs}
    tagged = hit_ids(corpus, "网信", filters=Filters(tag="立此存照"))
    assert tagged and tagged == {v for v in having if by_id[v].series_tag == "立此存照"}
    dated = hit_ids(corpus, "网信", filters=Filters(since=date(2022, 1, 1),
                                                         until=date(2023, 12, 31)))
    assert dated == {v for v in having
                     if "2022-01-01" <= (by_id[v].published or "") <= "2023-12-31"}
    assert dated
    site = hit_ids(corpus, "", filters=Filters(source="cac.gov.cn"))
    assert site and site == {d.version_id for d in corpus.docs if d.source_site == "cac.gov.cn"}
    hall = hit_ids(corpus, "", filters=Filters(collection="公民馆"))
    assert hall and hall == {d.version_id for d in corpus.docs if d.collection == "公民馆"}


def test_fact_filters_and_facts_per_hit(corpus_archive: Corpus) -> None:
    corpus = corpus_archive
    with corpus.engine.connect() as conn:
        stat_versions = set(conn.execute(
            select(stats.c.version_id).where(stats.c.action == "summon")).scalars())
        case_rows = conn.execute(select(cases.c.version_id, cases.c.measures)).all()
    case_versions = {v for v, m in case_rows if '"summon"' in m}
    latest = {d.version_id for d in corpus.docs}
    expected = (stat_versions | case_versions) & latest
    assert expected
    results = search_on(corpus.engine, "", Filters(action="summon"), per_page=ALL)
    assert {h.version_id for h in results.hits} == expected
    for hit in results.hits:
        assert any(s.action == "summon" for s in hit.stats) or any(
            "summon" in c.measures for c in hit.cases)
    target = next(n for h in results.hits for c in h.cases for n in c.targets)
    with_target = search_on(corpus.engine, "", Filters(target=target), per_page=ALL)
    assert with_target.hits and all(
        any(target in c.targets for c in h.cases) for h in with_target.hits)


def test_date_sort_and_relevance_tie_order(corpus_archive: Corpus) -> None:
    corpus = corpus_archive
    results = search_on(corpus.engine, "约谈", sort="date", per_page=ALL)
    key = [(h.published is None, h.published or "", h.version_id) for h in results.hits]
    expected = sorted(key, key=lambda k: (k[0], "".join(chr(0x10FFFF - ord(c)) for c in k[1]),
                                          -k[2]))
    assert key == expected
    ranked = search_on(corpus.engine, "约谈", per_page=ALL)
    scores = [h.score for h in ranked.hits]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) > 1


def test_pages_split_the_ordered_hits(corpus_archive: Corpus) -> None:
    corpus = corpus_archive
    whole = search_on(corpus.engine, "网信", per_page=10).hits
    first = search_on(corpus.engine, "网信", per_page=5, page=1).hits
    second = search_on(corpus.engine, "网信", per_page=5, page=2).hits
    assert [h.version_id for h in first + second] == [h.version_id for h in whole]


def test_facets_count_the_whole_result(corpus_archive: Corpus) -> None:
    corpus = corpus_archive
    results = search_on(corpus.engine, "网信")
    by_id = {d.version_id: d for d in corpus.docs}
    matched = [by_id[v] for v in corpus.having("网信")]
    years = Counter(d.published[:4] for d in matched if d.published)
    assert dict(results.facets["year"]) == dict(years)
    tags = Counter(d.series_tag for d in matched if d.series_tag)
    assert dict(results.facets["tag"]) == dict(tags.most_common(20)) or len(tags) > 20
    assert results.facets["action"], "facts of matching documents give action facets"


def test_snippets_mark_the_match_in_the_original_text(corpus_archive: Corpus) -> None:
    corpus = corpus_archive
    results = search_on(corpus.engine, "網信辦", per_page=20)
    assert results.hits
    for hit in results.hits:
        marked = [t for t, m in hit.snippet.segments if m]
        if marked:  # the match may be in the title only
            assert all(fold(t) == "网信办" for t in marked)
            assert "<mark>" in hit.snippet.html
        assert "<script" not in hit.snippet.html


def test_empty_query_lists_by_date(corpus_archive: Corpus) -> None:
    corpus = corpus_archive
    results = search_on(corpus.engine, "", per_page=5)
    assert results.total == len(corpus.docs)
    dates = [h.published for h in results.hits]
    assert dates == sorted(dates, reverse=True)  # type: ignore[type-var]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(alphabet=st.sampled_from(list('网信办 依法"-OR()*:\'\\&|!<>^~ＡＢ')),
                     max_size=30))
def test_arbitrary_queries_never_reach_sql_raw(corpus_archive: Corpus, query: str) -> None:
    corpus = corpus_archive
    try:
        results = search_on(corpus.engine, query, per_page=3)
    except QuerySyntaxError:
        return
    assert results.total >= len(results.hits)


def test_budgets_fall_back_to_date_order_and_say_so(corpus_archive: Corpus) -> None:
    corpus = corpus_archive
    total = len(corpus.having("网"))
    assert total > 5
    capped = search_on(corpus.engine, "网", rank_limit=5, facet_limit=5, per_page=50)
    by_date = search_on(corpus.engine, "网", sort="date", per_page=50)
    assert capped.sort == "date" and capped.facets == {}
    assert capped.note and f"{total:,} matches" in capped.note
    assert [h.version_id for h in capped.hits] == [h.version_id for h in by_date.hits]
    exact = search_on(corpus.engine, "网", rank_limit=None, facet_limit=None)
    assert exact.sort == "relevance" and exact.note is None and exact.facets
