"""Search at scale: the tantivy index beside today's SQL path and a plain substring scan.

For each size (default 10k and 100k documents) and backend (SQLite; PostgreSQL when ``--pg``
or ``$CUNZHAO_BENCH_PG`` gives a server), ``bench/synth.py`` builds a fresh archive in a
child process (so its peak RSS is its own). Each archive is then indexed both ways — a
rebuild under the ``sql`` engine (SQLite FTS5, PostgreSQL tsvector/GIN: the path before the
tantivy index), then the tantivy folder of that build, built from the database — and a
fixed mix of 50 queries (five categories of ten) runs through ``cunzhao.search.search``
with each engine (facets on, 20 hits, snippets and facts; the default rank/facet budgets,
and again with none), beside the same questions as an SQL ``LIKE '%…%'`` scan over the
stored folded texts (same filters) and, for SQLite, a Python ``in`` scan over the texts
held in memory. Every query must find the same documents, in the same date order, with
both engines: the script stops (exit 1) naming the first query that does not.

    python bench/search.py [--sizes 10000,100000] [--pg URL] [--pg-sizes 10000] [--out DIR]
                           [--rounds 3] [--bulk-from 50000] [--reuse]

A query's latency is the median of ``--rounds`` runs (after one warm-up run of the mix);
p50/p95/max are over the queries. Archives of ``--bulk-from`` documents or more are written
first and indexed in one pass.
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
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from search_mix import CATEGORIES, QUERIES, Query, like_scan, load_texts, python_scan
from search_report import print_tables
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from cunzhao.archive import Archive
from cunzhao.search import parse_query, search
from cunzhao.search.index import engine_for
from cunzhao.search.plan import Request
from cunzhao.search.state import read_state
from cunzhao.search.tantivy_engine import index_root
from cunzhao.store.engine import database_url, open_engine
from cunzhao.store.filters import Filters

ENGINES = ("sql", "tantivy")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--pg", default=os.environ.get("CUNZHAO_BENCH_PG"),
                        help="PostgreSQL server URL (a database per size is created there)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/cunzhao-bench"))
    parser.add_argument("--bulk-from", type=int, default=50_000)
    parser.add_argument("--pg-sizes", default=None, help="sizes for PostgreSQL (default: all)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per query (median kept)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure archives built by an earlier run (their .build.json "
                             "records in --out) instead of building them again")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    pg_sizes = [int(s) for s in args.pg_sizes.split(",")] if args.pg_sizes else sizes
    print(f"{os.cpu_count()} cpus, load average {os.getloadavg()[0]:.1f} at the start "
          "(other processes share these cpus)", flush=True)
    rows: list[dict[str, Any]] = []
    for n in sizes:
        targets = [("sqlite", str(args.out / f"search-{n}.db"))]
        if args.pg and n in pg_sizes:
            targets.append(("postgresql", f"cunzhao_bench_{n}"))
        for backend, location in targets:
            record = args.out / f"search-{n}.{backend}.build.json"
            reuse = args.reuse and record.exists()
            if backend == "postgresql":
                location = _pg_database(args.pg, location, fresh=not reuse)
            if reuse:
                build = json.loads(record.read_text())
            else:
                if backend == "sqlite":
                    for suffix in ("", "-wal", "-shm"):
                        Path(location + suffix).unlink(missing_ok=True)
                build = _build(location, n, bulk=n >= args.bulk_from)
                build.update(_index_both(location))
                record.write_text(json.dumps(build))
            found = _measure(backend, location, n, build, args.rounds)
            rows.append(found)
            print(json.dumps(found, ensure_ascii=False), flush=True)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print_tables(rows)


def _pg_database(server: str, name: str, *, fresh: bool) -> str:
    """The URL of database ``name`` on ``server``; ``fresh`` drops and recreates it."""
    if fresh:
        admin = create_engine(database_url(server), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    return make_url(database_url(server)).set(database=name).render_as_string(False)


def _build(location: str, n: int, *, bulk: bool) -> dict[str, Any]:
    synth = Path(__file__).with_name("synth.py")
    command = [sys.executable, str(synth), location, str(n)] + (["--bulk"] if bulk else [])
    print(f"building {n} documents in {location} ({'bulk' if bulk else 'per document'})",
          file=sys.stderr, flush=True)
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _index_both(location: str) -> dict[str, float]:
    """Rebuild under ``sql`` (the full-text table filled), then build the tantivy folder of
    that build from the database: the two indexes side by side, each build timed."""
    with Archive.open(location) as archive:
        started = time.perf_counter()
        archive.reindex(engine="sql")
        sql_s = time.perf_counter() - started
        started = time.perf_counter()
        with archive.engine.connect() as conn:
            search(conn, "", engine="tantivy", facets=False)  # no folder yet: it is built
        tantivy_s = time.perf_counter() - started
    return {"sql_rebuild_s": round(sql_s, 1), "tantivy_build_s": round(tantivy_s, 1)}


def _measure(
    backend: str, location: str, n: int, build: dict[str, Any], rounds: int
) -> dict[str, Any]:
    engine = open_engine(location)
    if backend == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    _same_hits(engine)
    found: dict[str, Any] = {"backend": backend, "docs": n, "build": build,
                             "index_mb": _index_mb(engine, location)}
    for name in ENGINES:
        for q, f, s in QUERIES:  # warm caches once, as a running server would be
            _search(engine, q, f, sort=s, engine=name)
        found[name] = _timed(lambda q, f, s, e=name: _search(engine, q, f, sort=s, engine=e),
                             rounds)
        found[f"{name}_unbudgeted"] = _timed(
            lambda q, f, s, e=name: _search(engine, q, f, sort=s, engine=e, rank_limit=None,
                                            facet_limit=None), 1)
    found["like_scan"] = _timed(lambda q, f, s: like_scan(engine, q, f), 1)
    if backend == "sqlite":
        texts = load_texts(engine)
        found["python_scan"] = _timed(lambda q, f, s: python_scan(texts, q), 1)
        del texts
    engine.dispose()
    return found


def _same_hits(engine: Engine) -> None:
    """Every query finds the same versions in the same date order with both engines."""
    with engine.connect() as conn:
        state = read_state(conn)
        for query, filters, _ in QUERIES:
            parsed = parse_query(query)
            ids = []
            for name in ENGINES:
                index = engine_for(conn, replace(state, engine=name))
                ids.append([vid for vid, _ in index.find(
                    conn, parsed, filters or Filters(),
                    Request("date", per_page=1_000_000, facets=False)).page])
            if ids[0] != ids[1]:
                sys.exit(f"different hits for {query!r} {filters}: {len(ids[0])} with sql, "
                         f"{len(ids[1])} with tantivy")
    print(f"same hits with both engines on all {len(QUERIES)} queries", file=sys.stderr,
          flush=True)


def _search(db: Engine, query: str, filters: Filters | None, **options: Any) -> object:
    """One search as a server runs it: a pooled connection of its own."""
    with db.connect() as conn:
        return search(conn, query, filters, **options)


def _timed(run: Callable[[str, Filters | None, Any], object], rounds: int) -> dict[str, Any]:
    """Latency per query (median of ``rounds``), summarised overall and per category."""
    ms = []
    for query, filters, sort in QUERIES:
        ms.append(statistics.median(_time(partial(run, query, filters, sort))
                                    for _ in range(rounds)))
    summary = {"all": _summary(ms)}
    for start, category in enumerate(CATEGORIES):
        summary[category] = _summary(ms[10 * start : 10 * start + 10])
    summary["slowest"] = sorted(zip((round(m, 1) for m in ms), _names(QUERIES), strict=True))[-3:]
    return summary


def _names(queries: list[Query]) -> list[str]:
    return [q + (f" {f}" if f else "") for q, f, _ in queries]


def _time(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def _summary(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {"p50": round(statistics.median(ordered), 1),
            "p95": round(ordered[int(0.95 * (len(ordered) - 1) + 0.5)], 1),
            "max": round(ordered[-1], 1)}


def _index_mb(engine: Engine, location: str) -> dict[str, float]:
    """MB of the tables both engines keep (``search_docs``, ``search_facets``), of the SQL
    full-text table, and of the tantivy folder."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            def size(pattern: str) -> int:
                return int(conn.execute(text(
                    "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE :p"),
                    {"p": pattern}).scalar_one())
            tables = size("search_docs%") + size("search_facets%") + size("ix_search_%")
            fulltext = size("search_fts%")
        else:
            tables = int(conn.execute(text(
                "SELECT pg_total_relation_size('search_docs') + "
                "pg_total_relation_size('search_facets')")).scalar_one())
            fulltext = int(conn.execute(text(
                "SELECT pg_total_relation_size('search_chunks')")).scalar_one())
        folder = index_root(conn) / read_state(conn).build
    tantivy = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
    return {"tables": _mb(tables), "sql_fulltext": _mb(fulltext), "tantivy": _mb(tantivy)}


def _mb(size: int) -> float:
    return round(size / 2**20, 1)


if __name__ == "__main__":
    main()
