"""The query mix of ``bench/search.py``, and the two index-free baselines it is timed beside.

50 queries in five categories of ten: one character, two characters, phrases and longer
words, Latin / traditional / operators, and filters (facets on for all). The baselines
answer the same questions without an index: an SQL ``LIKE '%…%'`` scan over the stored
folded texts (same filters) and a Python ``in`` scan over the texts held in memory.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, text

from cunzhao.fold import fold
from cunzhao.search import FACT_FACETS, Sort, parse_query
from cunzhao.store.filters import Filters

__all__ = ["CATEGORIES", "QUERIES", "Query", "like_scan", "load_texts", "python_scan"]

Query = tuple[str, Filters | None, Sort]
F = Filters
CATEGORIES = ("1 character", "2 characters", "phrases, long words",
              "Latin, traditional, operators", "filters")
QUERIES: list[Query] = [
    *((q, None, "relevance") for q in "网的罚抖墙删警赌鹿诗"),
    *((q, None, "relevance") for q in
      ["知网", "约谈", "抖音", "百度", "微博", "罚款", "网信", "删帖", "封号", "举报"]),
    *((q, None, "relevance") for q in
      ["历史虚无主义", "网信办依法", '"网信办 依法"', "小红书 罚款", "中国数字时代", "言论自由",
       "新冠肺炎", "李文亮", "敏感词", '"关闭 账号"']),
    *((q, None, "relevance") for q in
      ["CNKI", "APP", "AI写作", "網信辦", "微博 OR 微信", "约谈 -百度", "ＣＮＫＩ", "2023年",
       "covid", "抖音 快手"]),
    ("", F(tag="立此存照"), "date"),
    ("网信", F(since=date(2024, 1, 1)), "relevance"),
    ("", F(action="summon"), "date"),
    ("约谈", F(target="百度"), "relevance"),
    ("", F(source="cac.gov.cn"), "date"),
    ("网", F(collection="公民馆"), "relevance"),
    ("罚款", None, "date"),
    ("的", None, "date"),
    ("", F(category="vulgarity"), "date"),
    ("中国", F(tag="CDT报告汇"), "relevance"),
]
assert len(QUERIES) == 10 * len(CATEGORIES)


def _like_terms(query: str) -> tuple[list[list[str]], list[str]]:
    parsed = parse_query(query)

    def pattern(term_text: str) -> str:
        escaped = fold(term_text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return "%" + "%".join(escaped.split()) + "%"

    return ([[pattern(t.text) for t in g] for g in parsed.groups],
            [pattern(t.text) for t in parsed.excluded])


def like_scan(engine: Engine, query: str, filters: Filters | None) -> int:
    """The same question without an index: substring scan of folded title and body."""
    groups, excluded = _like_terms(query)
    where, params = ["v.is_latest = 1"], {}
    k = 0
    for group in groups:
        ors = []
        for pat in group:
            params[f"p{k}"] = pat
            ors.append(f"(v.body_folded LIKE :p{k} ESCAPE '\\' OR lower(v.title) LIKE :p{k} "
                       "ESCAPE '\\')")
            k += 1
        where.append("(" + " OR ".join(ors) + ")")
    for pat in excluded:
        params[f"p{k}"] = pat
        where.append(f"NOT (v.body_folded LIKE :p{k} ESCAPE '\\')")
        k += 1
    f = filters or Filters()
    for column, value in (("series_tag", f.tag), ("source_site", f.source),
                          ("collection", f.collection)):
        if value is not None:
            params[column] = value
            where.append(f"v.{column} = :{column}")
    if f.since:
        params["since"] = f.since.isoformat()
        where.append("v.published >= :since")
    for facet in FACT_FACETS:  # each is also the name of its Filters field
        value = getattr(f, facet)
        if value is not None:
            params[facet] = value
            where.append("v.id IN (SELECT version_id FROM search_facets "
                         f"WHERE facet = '{facet}' AND value = :{facet})")
    sql = (f"SELECT v.id FROM versions v WHERE {' AND '.join(where)} "
           "ORDER BY v.published DESC, v.id DESC")
    with engine.connect() as conn:
        return len(conn.execute(text(sql), params).all())


def load_texts(engine: Engine) -> list[str]:
    """Folded title and body of every latest version, for :func:`python_scan`."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT title, body_folded FROM versions WHERE is_latest = 1")).all()
    return [fold(title) + "\n" + body for title, body in rows]


def python_scan(texts: list[str], query: str) -> int:
    """The same question over texts in memory, with ``in``."""
    parsed = parse_query(query)
    groups = [[fold(t.text) for t in g] for g in parsed.groups]
    excluded = [fold(t.text) for t in parsed.excluded]
    return sum(1 for s in texts
               if all(any(t in s for t in g) for g in groups)
               and not any(t in s for t in excluded))
