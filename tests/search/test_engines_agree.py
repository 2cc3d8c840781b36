"""The tantivy engine and the SQL fallback answer every query alike, on each backend.

The same corpus, ingested the same way (so with the same ids), searched once through the
tantivy folder and once through the database's own full-text table: the same totals,
the same documents ranked (scores differ: tantivy's BM25, FTS5's, ``ts_rank_cd``), the same
date order, page by page, the same facets and snippets and the same budget notes.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_oracle import Corpus, search_on
from test_backends_agree import QUERIES, resolve

from cunzhao.search import QuerySyntaxError, Results
from cunzhao.store.filters import Filters

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def engines(request: pytest.FixtureRequest) -> tuple[Corpus, Corpus]:
    """(tantivy, sql) corpora of one backend."""
    return (request.getfixturevalue(f"{request.param}_corpus"),
            request.getfixturevalue(f"{request.param}_sql_corpus"))


def _shown(results: Results) -> list[tuple[int, str | None, str]]:
    return [(h.version_id, h.published, h.snippet.html) for h in results.hits]


def _same(engines: tuple[Corpus, Corpus], query: str, filters: Filters | None,
          **options: object) -> None:
    tantivy, sql = (search_on(c.engine, query, filters, **options)
                    for c in engines)
    assert (tantivy.total, tantivy.sort, tantivy.note) == (sql.total, sql.sort, sql.note)
    assert tantivy.facets == sql.facets
    if tantivy.sort == "date":
        assert _shown(tantivy) == _shown(sql)
    else:
        assert sorted(_shown(tantivy)) == sorted(_shown(sql)) or tantivy.total > len(tantivy.hits)


@pytest.mark.parametrize(("query", "filters"), QUERIES)
def test_same_hits_order_facets_and_snippets(
    engines: tuple[Corpus, Corpus], query: str, filters: Filters | str | None
) -> None:
    resolved = resolve(engines[1], filters)
    _same(engines, query, resolved, sort="date", per_page=1000)
    _same(engines, query, resolved, per_page=1000)
    _same(engines, query, resolved, sort="date", per_page=7, page=3)


def test_same_budget_notes(engines: tuple[Corpus, Corpus]) -> None:
    _same(engines, "网", None, rank_limit=5, facet_limit=5, per_page=50)
    _same(engines, "的", None, rank_limit=None, facet_limit=None, per_page=1000)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.lists(st.sampled_from(["网信", "网", "约谈", "-百度", "OR", '"网信办 依法"',
                                       "CNKI", "罚款", "2023年", "微博", "-的", "ＡＰＰ", "年"]),
                      min_size=1, max_size=3).map(" ".join))
def test_any_query_mix_finds_the_same(engines: tuple[Corpus, Corpus], query: str) -> None:
    try:
        _same(engines, query, None, sort="date", per_page=1000)
    except QuerySyntaxError:
        return
