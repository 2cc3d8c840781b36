"""The same archive on SQLite and on PostgreSQL answers a fixed query set identically."""

from __future__ import annotations

from datetime import date

import pytest
from search_oracle import Corpus, search_on

from cunzhao.search import Results
from cunzhao.store.filters import Filters

QUERIES: list[tuple[str, Filters | str | None]] = [
    ("知网", None), ("网", None), ("约谈", None), ("历史虚无主义", None), ("小红书 罚款", None),
    ('"网信办 依法"', None), ("CNKI", None), ("app", None), ("網信辦", None), ("抖音 OR 快手", None),
    ("约谈 -百度", None), ("-的", None), ("的", None), ("AI写作", None), ("2023年", None),
    ("", Filters(tag="立此存照")), ("网信", Filters(since=date(2024, 1, 1))),
    ("", Filters(action="summon")), ("", Filters(collection="公民馆")),
    ("", Filters(category="vulgarity")), ("", "the most common target"), ("", Filters(source="cac.gov.cn")),
]


def by_url(corpus: Corpus, results: Results) -> list[tuple[str, str | None, str]]:
    urls = {d.version_id: d.url for d in corpus.docs}
    return [(urls[h.version_id], h.published, h.snippet.html) for h in results.hits]


@pytest.mark.parametrize(("query", "filters"), QUERIES)
def test_same_hits_order_facets_and_snippets(
    sqlite_corpus: Corpus, postgresql_corpus: Corpus, query: str,
    filters: Filters | str | None,
) -> None:
    filters = resolve(sqlite_corpus, filters)
    lite = search_on(sqlite_corpus.engine, query, filters, sort="date", per_page=1000)
    pg = search_on(postgresql_corpus.engine, query, filters, sort="date", per_page=1000)
    assert lite.total == pg.total
    assert by_url(sqlite_corpus, lite) == by_url(postgresql_corpus, pg)
    assert lite.facets == pg.facets
    # relevance scores differ (BM25 vs ts_rank_cd); the hits ranked are the same set
    lite_ranked = search_on(sqlite_corpus.engine, query, filters, per_page=1000)
    pg_ranked = search_on(postgresql_corpus.engine, query, filters, per_page=1000)
    assert sorted(by_url(sqlite_corpus, lite_ranked)) == sorted(by_url(postgresql_corpus, pg_ranked))


def resolve(corpus: Corpus, filters: Filters | str | None) -> Filters | None:
    """Targets depend on the extractor's lexicons: take the most common one found."""
    if not isinstance(filters, str):
        return filters
    targets = search_on(corpus.engine, "").facets["target"]
    return Filters(target=targets[0][0])


def test_query_set_is_not_trivial(sqlite_corpus: Corpus) -> None:
    totals = [search_on(sqlite_corpus.engine, q, resolve(sqlite_corpus, f), facets=False).total
              for q, f in QUERIES]
    assert sum(1 for t in totals if t > 0) == len(QUERIES)
