"""The tables ``bench/search.py`` prints (Markdown, as docs/search.md quotes them)."""

from __future__ import annotations

from typing import Any

from search_mix import CATEGORIES

__all__ = ["print_tables"]

_PATHS = (("sql", "SQL (FTS5 / tsvector)"), ("tantivy", "tantivy"),
          ("like_scan", "`LIKE` scan"), ("python_scan", "Python `in`"))


def _cell(summary: dict[str, Any] | None) -> str:
    if not summary:
        return "—"
    return f"{summary['p50']} / {summary['p95']} / {summary['max']}"


def _build(row: dict[str, Any], path: str) -> str:
    build, n = row["build"], row["docs"]
    seconds = {"sql": build.get("sql_rebuild_s"), "tantivy": build.get("tantivy_build_s")}
    found = seconds.get(path)
    return f"{found} s ({n / max(found, 0.01):,.0f} docs/s)" if found else "—"


def _size(row: dict[str, Any], path: str) -> str:
    sizes = row["index_mb"]
    if path == "sql":
        return f"{sizes['sql_fulltext']} + {sizes['tables']}"
    if path == "tantivy":
        return f"{sizes['tantivy']} + {sizes['tables']}"
    return "—"


def print_tables(rows: list[dict[str, Any]]) -> None:
    """An overview (build, size, latency over all 50 queries) and latency by category."""
    print("\n| backend | docs | search path | build | index MB (+ shared tables) "
          "| p50 / p95 / max ms | unbudgeted p50 / p95 / max ms |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        for path, label in _PATHS:
            if path not in row:
                continue
            print(f"| {row['backend']} | {row['docs']:,} | {label} | {_build(row, path)} "
                  f"| {_size(row, path)} | {_cell(row[path]['all'])} "
                  f"| {_cell(row.get(path + '_unbudgeted', {}).get('all'))} |")
    print("\n| backend | docs | search path | " + " | ".join(CATEGORIES) + " |")
    print("|---|---|---|" + "---|" * len(CATEGORIES))
    for row in rows:
        for path, label in _PATHS:
            if path in row:
                cells = " | ".join(_cell(row[path][c]) for c in CATEGORIES)
                print(f"| {row['backend']} | {row['docs']:,} | {label} | {cells} |")
    print("\n(ms, p50 / p95 / max over the queries of each category; each query's latency "
          "is the median of its runs)")
    for row in rows:
        build = row["build"]
        print(f"{row['backend']} {row['docs']:,}: written in {build['write_s']} s, indexed "
              f"by the default engine in {build['index_s']} s (peak RSS {build['peak_rss_mb']}"
              f" MB); slowest tantivy queries: {row['tantivy']['slowest']}")
