"""Search at scale: build synthetic archives, time 50 queries beside a plain substring scan.

For each size (default 10k and 100k documents) and backend (SQLite; PostgreSQL when
``--pg`` or ``$CUNZHAO_BENCH_PG`` gives a server), ``bench/synth.py`` builds a fresh archive
in a child process (so its peak RSS is its own), then this script reports the index size and
the p50/p95/max latency of a fixed mix of 50 queries run through ``cunzhao.search.search``
(facets on, 20 hits, snippets and facts; with the default rank/facet budgets, and again
with none — every result ranked and faceted), beside the same queries as an SQL substring scan
(``LIKE '%…%'`` over the stored folded texts, same filters) and, for SQLite, a Python ``in``
scan over the folded texts held in memory.

    python bench/search.py [--sizes 10000,100000] [--pg URL] [--pg-sizes 10000] [--out DIR]
                           [--bulk-from 50000] [--reuse]

Archives of ``--bulk-from`` documents or more are written first and indexed in one pass.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from cunzhao.fold import fold
from cunzhao.search import FACT_FACETS, Results, Sort, parse_query, search
from cunzhao.store.engine import database_url, open_engine
from cunzhao.store.filters import Filters

F = Filters
# (query, filters, sort): 10 one-character, 10 two-character, 10 phrases and longer words,
# 10 Latin / mixed / traditional / operators, 10 with filters (facets are on for all 50).
QUERIES: list[tuple[str, Filters | None, Sort]] = [
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
assert len(QUERIES) == 50


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--pg", default=os.environ.get("CUNZHAO_BENCH_PG"),
                        help="PostgreSQL server URL (a database per size is created there)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/cunzhao-bench"))
    parser.add_argument("--bulk-from", type=int, default=50_000)
    parser.add_argument("--pg-sizes", default=None, help="sizes for PostgreSQL (default: all)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure archives built by an earlier run (their .build.json "
                             "records in --out) instead of building them again")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    pg_sizes = [int(s) for s in args.pg_sizes.split(",")] if args.pg_sizes else sizes
    rows: list[dict[str, object]] = []
    for n in sizes:
        targets = [("sqlite", str(args.out / f"search-{n}.db"))]
        if args.pg and n in pg_sizes:
            targets.append(("postgresql", f"cunzhao_bench_{n}"))
        for backend, location in targets:
            record = args.out / f"search-{n}.{backend}.build.json"
            if backend == "postgresql":
                location = _pg_database(args.pg, location, fresh=not args.reuse)
            if args.reuse and record.exists():
                build = json.loads(record.read_text())
            else:
                if backend == "sqlite":
                    for suffix in ("", "-wal", "-shm"):
                        Path(location + suffix).unlink(missing_ok=True)
                build = _build(location, n, bulk=n >= args.bulk_from)
                record.write_text(json.dumps(build))
            row = _measure(backend, location, n, build)
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    _print_table(rows)


def _pg_database(server: str, name: str, *, fresh: bool) -> str:
    """The URL of database ``name`` on ``server``; ``fresh`` drops and recreates it."""
    if fresh:
        admin = create_engine(database_url(server), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    return make_url(database_url(server)).set(database=name).render_as_string(False)


def _build(location: str, n: int, *, bulk: bool) -> dict[str, object]:
    synth = Path(__file__).with_name("synth.py")
    command = [sys.executable, str(synth), location, str(n)] + (["--bulk"] if bulk else [])
    print(f"building {n} documents in {location} ({'bulk' if bulk else 'per document'})",
          file=sys.stderr, flush=True)
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _measure(backend: str, location: str, n: int, build: dict[str, object]) -> dict[str, object]:
    engine = open_engine(location)
    if backend == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    for query, filters, sort in QUERIES:  # warm caches once, as a running server would be
        _search(engine, query, filters, sort=sort)
    indexed = [_time(partial(_search, engine, q, f, sort=s)) for q, f, s in QUERIES]
    exact = [_time(partial(_search, engine, q, f, sort=s, rank_limit=None, facet_limit=None))
             for q, f, s in QUERIES]
    scanned = [_time(partial(_like_scan, engine, q, f)) for q, f, _ in QUERIES]
    row: dict[str, object] = {
        "backend": backend, "docs": n, "build": build, "index_mb": _index_mb(engine),
        "search_ms": _summary(indexed), "exact_ms": _summary(exact),
        "like_scan_ms": _summary(scanned),
        "slowest": sorted(zip(indexed, (q for q, _, _ in QUERIES), strict=True))[-3:],
    }
    if backend == "sqlite":
        texts = _load_texts(engine)
        row["python_scan_ms"] = _summary(
            [_time(partial(_python_scan, texts, q)) for q, _, _ in QUERIES])
        del texts
    engine.dispose()
    return row


def _search(engine: Engine, query: str, filters: Filters | None, **options: Any) -> Results:
    """One search as a server runs it: a pooled connection of its own."""
    with engine.connect() as conn:
        return search(conn, query, filters, **options)


def _time(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def _summary(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {"p50": round(statistics.median(ordered), 1),
            "p95": round(ordered[int(0.95 * (len(ordered) - 1) + 0.5)], 1),
            "max": round(ordered[-1], 1)}


def _like_terms(query: str) -> tuple[list[list[str]], list[str]]:
    parsed = parse_query(query)

    def pattern(term_text: str) -> str:
        escaped = fold(term_text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return "%" + "%".join(escaped.split()) + "%"

    return ([[pattern(t.text) for t in g] for g in parsed.groups],
            [pattern(t.text) for t in parsed.excluded])


def _like_scan(engine: Engine, query: str, filters: Filters | None) -> int:
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


def _load_texts(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT title, body_folded FROM versions WHERE is_latest = 1")).all()
    return [fold(title) + "\n" + body for title, body in rows]


def _python_scan(texts: list[str], query: str) -> int:
    parsed = parse_query(query)
    groups = [[fold(t.text) for t in g] for g in parsed.groups]
    excluded = [fold(t.text) for t in parsed.excluded]
    return sum(1 for s in texts
               if all(any(t in s for t in g) for g in groups)
               and not any(t in s for t in excluded))


def _index_mb(engine: Engine) -> float:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            size = conn.execute(text(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search%' "
                "OR name LIKE 'ix_search%' OR name LIKE 'sqlite_autoindex_search%'")).scalar()
        else:
            size = conn.execute(text(
                "SELECT pg_total_relation_size('search_chunks') + "
                "pg_total_relation_size('search_facets') + "
                "pg_total_relation_size('search_docs')")).scalar()
    return round(int(size or 0) / 2**20, 1)


def _print_table(rows: list[dict[str, object]]) -> None:
    print("\n| backend | docs | build (docs/s) | peak RSS | index MB | search p50 / p95 / max ms "
          "| unbudgeted p50 / p95 / max ms | LIKE scan p50 / p95 ms | Python `in` p50 / p95 ms "
          "| speed-up vs LIKE (p50, p95) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        build = row["build"]
        s, like, ex = row["search_ms"], row["like_scan_ms"], row["exact_ms"]
        py = row.get("python_scan_ms")
        assert isinstance(build, dict) and isinstance(s, dict) and isinstance(like, dict)
        assert isinstance(ex, dict)
        py_cell = f"{py['p50']} / {py['p95']}" if isinstance(py, dict) else "—"
        print(f"| {row['backend']} | {row['docs']:,} | {build['docs_per_s']}"
              f"{' (bulk)' if build['bulk'] else ''} | {build['peak_rss_mb']} MB "
              f"| {row['index_mb']} | {s['p50']} / {s['p95']} / {s['max']} "
              f"| {ex['p50']} / {ex['p95']} / {ex['max']} "
              f"| {like['p50']} / {like['p95']} | {py_cell} "
              f"| {like['p50'] / max(s['p50'], 0.01):.0f}×, "
              f"{like['p95'] / max(s['p95'], 0.01):.0f}× |")


if __name__ == "__main__":
    main()
