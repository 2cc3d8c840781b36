"""The archive as tables of plain rows, and streaming CSV, JSONL and Parquet writers.

Rows come from a server-side cursor (``yield_per``) and every writer consumes them one batch
at a time, so an export of any size runs in bounded memory and is never capped. The column
lists in :data:`TABLES` are the contract: ``datapackage.json`` describes them, the web
downloads stream them. Lists (case targets, measures, categories, source documents) are one
string joined with :data:`LIST_SEPARATOR`, the same in every format.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, Literal

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Connection, Select, and_, func, select

from cunzhao.export.columns import SEARCH_COLUMNS, TABLES, Column, arrow_schema
from cunzhao.search import parse_query, search
from cunzhao.search.results import Hit, Sort
from cunzhao.store.consolidate import figures
from cunzhao.store.facts import case_from_row, load_targets
from cunzhao.store.filters import Filters, cases_naming, where_documents
from cunzhao.store.schema import blobs, captures, cases, documents, stats, versions
from cunzhao.store.urls import public_source

__all__ = [
    "FORMATS", "LIST_SEPARATOR", "SEARCH_COLUMNS", "TABLES", "Column", "Format",
    "arrow_schema", "count_rows", "iter_rows", "iter_search_rows", "stream", "stream_csv",
    "stream_jsonl", "stream_parquet", "write_parquet",
]

Format = Literal["csv", "jsonl", "parquet"]
FORMATS: dict[str, tuple[str, str]] = {  # format → (file extension, media type)
    "csv": ("csv", "text/csv; charset=utf-8"),
    "jsonl": ("jsonl", "application/jsonl; charset=utf-8"),
    "parquet": ("parquet", "application/vnd.apache.parquet"),
}
LIST_SEPARATOR = "|"
_CHUNK = 1 << 16  # bytes handed on at a time by the text streams
_BATCH = 1000  # rows fetched per round trip, and per Parquet row group by default
_SEARCH_BATCH = 2000  # hits per search page: each page re-runs the match, so pages are large
_SQL_IN_MAX = 500  # larger document-id sets are applied while streaming instead


_latest = versions.alias("latest")


def iter_rows(
    conn: Connection, table: str, filters: Filters | None = None, *, all_versions: bool = False,
    batch: int = _BATCH,
) -> Iterator[dict[str, Any]]:
    """Rows of ``table`` (a key of :data:`TABLES`) for the documents ``filters`` selects (by
    their latest version), streamed; raises ``ValueError`` at once for an unknown table.

    ``all_versions`` adds the stats and cases of earlier versions (the ``versions`` table
    always lists every version of the selected documents). ``action``/``object``/``scope``
    also narrow the rows of the two stats tables, ``target`` those of ``cases`` (the cases
    naming it). Paths of the ingesting machine are published as file names
    (:func:`~cunzhao.store.urls.public_source`). ``consolidated_stats`` ignores the document
    filters: a figure's sources and conflicts are archive-wide.
    """
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r} (one of: {', '.join(TABLES)})")
    return _rows(conn, table, _Selection(filters or Filters(), all_versions), batch)


def count_rows(
    conn: Connection, table: str, filters: Filters | None = None, *, all_versions: bool = False
) -> int | None:
    """How many rows :func:`iter_rows` will give (None when only streaming can tell)."""
    filters = filters or Filters()
    ids = filters.document_ids
    if table == "consolidated_stats" or (ids is not None and len(ids) > _SQL_IN_MAX):
        return None
    query = _QUERIES[table](_Selection(filters, all_versions)).subquery()
    return int(conn.execute(select(func.count()).select_from(query)).scalar_one())


@dataclass(frozen=True)
class _Selection:
    filters: Filters
    all_versions: bool


def _rows(
    conn: Connection, table: str, selected: _Selection, batch: int
) -> Iterator[dict[str, Any]]:
    if table == "consolidated_stats":
        return (yield from _consolidated(conn, selected.filters))
    wanted = selected.filters.document_ids
    key = "id" if table == "documents" else "document_id"
    shape = _SHAPES[table]
    result = conn.execution_options(yield_per=batch).execute(_QUERIES[table](selected))
    for part in result.partitions():
        rows = [r._mapping for r in part if wanted is None or r._mapping[key] in wanted]
        yield from shape(conn, rows)


def _documents_query(f: _Selection) -> Select[Any]:
    count = select(func.count()).where(versions.c.document_id == documents.c.id).scalar_subquery()
    query = (
        select(documents.c.id, documents.c.url, documents.c.first_seen, _latest.c.title,
               _latest.c.series_tag, _latest.c.published, _latest.c.captured_at, _latest.c.card,
               _latest.c.source_site, _latest.c.collection, captures.c.sha256,
               count.label("versions"))
        .join(_latest, and_(_latest.c.document_id == documents.c.id, _latest.c.is_latest == 1))
        .join(captures, captures.c.id == _latest.c.capture_id)
        .order_by(documents.c.id)
    )
    return _select_documents(query, f, documents.c.id)


def _versions_query(f: _Selection) -> Select[Any]:
    query = (
        select(versions.c.document_id, versions.c.n, versions.c.is_latest, versions.c.title,
               versions.c.published, versions.c.captured_at, captures.c.ingested_at,
               captures.c.sha256, blobs.c.size.label("bytes"), captures.c.source_kind,
               captures.c.source, versions.c.parser_version, captures.c.tool_version)
        .join(captures, captures.c.id == versions.c.capture_id)
        .join(blobs, blobs.c.sha256 == captures.c.sha256)
        .join(_latest, and_(_latest.c.document_id == versions.c.document_id,
                            _latest.c.is_latest == 1))
        .order_by(versions.c.document_id, versions.c.n)
    )
    return _select_documents(query, f, versions.c.document_id)


def _facts_query(table: Any, f: _Selection) -> Select[Any]:
    query = (
        select(versions.c.document_id, versions.c.n.label("version_n"), table)
        .join(versions, versions.c.id == table.c.version_id)
        .join(_latest, and_(_latest.c.document_id == versions.c.document_id,
                            _latest.c.is_latest == 1))
        .order_by(versions.c.document_id, versions.c.n, table.c.ev_start, table.c.id)
    )
    if not f.all_versions:
        query = query.where(versions.c.is_latest == 1)
    if table is stats:
        for col, value in ((stats.c.action, f.filters.action), (stats.c.object, f.filters.object),
                           (stats.c.scope, f.filters.scope)):
            if value is not None:
                query = query.where(col == value)
    else:  # a case carries its document's title, date and URL
        query = (query.add_columns(versions.c.title, versions.c.published, documents.c.url)
                 .join(documents, documents.c.id == versions.c.document_id))
        if f.filters.target is not None:
            query = query.where(cases.c.id.in_(cases_naming(f.filters.target)))
    return _select_documents(query, f, versions.c.document_id)


def _select_documents(query: Select[Any], f: _Selection, doc_id: Any) -> Select[Any]:
    """Keep the documents whose latest version (joined as ``latest``) passes the filters."""
    ids = f.filters.document_ids
    return where_documents(query, _latest, f.filters,
                           ids_in_sql=ids is None or len(ids) <= _SQL_IN_MAX)


_QUERIES: dict[str, Callable[[_Selection], Select[Any]]] = {
    "documents": _documents_query,
    "versions": _versions_query,
    "stats": lambda f: _facts_query(stats, f),
    "cases": lambda f: _facts_query(cases, f),
}


def _document_rows(_conn: Connection, rows: list[Any]) -> Iterator[dict[str, Any]]:
    for r in rows:
        card = json.loads(r["card"]) if r["card"] else {}
        yield {**{k: r[k] for k in ("id", "title", "series_tag", "published", "captured_at")},
               "url": public_source(r["url"]),
               "original_url": card.get("original_url"), "archive_url": card.get("archive_url"),
               "source_site": r["source_site"], "collection": r["collection"],
               "copyright": card.get("copyright"), "first_seen": r["first_seen"],
               "sha256": r["sha256"], "versions": r["versions"]}


def _plain_rows(table: str) -> Callable[[Connection, list[Any]], Iterator[dict[str, Any]]]:
    names = [c.name for c in TABLES[table]]

    def shape(_conn: Connection, rows: list[Any]) -> Iterator[dict[str, Any]]:
        for r in rows:
            row = {name: r[name] for name in names}
            if "is_latest" in row:  # stored as 0/1
                row["is_latest"] = bool(row["is_latest"])
            if "source" in row:
                row["source"] = public_source(row["source"])
            yield row

    return shape


def _case_rows(conn: Connection, rows: list[Any]) -> Iterator[dict[str, Any]]:
    names = load_targets(conn, [r["id"] for r in rows])
    for r in rows:
        case = case_from_row(r, names[r["id"]])
        yield {"document_id": r["document_id"], "version_n": r["version_n"],
               "title": r["title"], "published": r["published"], "url": public_source(r["url"]),
               "targets": _joined(case.targets), "target_kind": case.target_kind,
               "measures": _joined(case.measures), "regulator": case.regulator,
               "fine_cny": case.fine_cny, "categories": _joined(case.categories),
               "evidence": case.evidence, "ev_start": case.start, "ev_end": case.end,
               "extractor_version": r["extractor_version"]}


_SHAPES = {
    "documents": _document_rows,
    "versions": _plain_rows("versions"),
    "stats": _plain_rows("stats"),
    "cases": _case_rows,
}


def _consolidated(conn: Connection, f: Filters) -> Iterator[dict[str, Any]]:
    narrowed = Filters(action=f.action, object=f.object, scope=f.scope)
    for figure in figures(conn, narrowed):
        ids = [s.document_id for s in figure.sources]
        period = figure.period
        yield {"scope": figure.scope, "action": figure.action, "object": figure.object,
               "period_start": _iso(period.start if period else None),
               "period_end": _iso(period.end if period else None),
               "value": figure.value, "qualifier": figure.qualifier, "conflict": figure.conflict,
               "document_ids": _joined(str(i) for i in ids), "documents": len(ids)}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _joined(items: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(items)


# --- search results -----------------------------------------------------------------------


def iter_search_rows(
    conn: Connection, query: str, filters: Filters | None = None, *,
    sort: Sort = "relevance", batch: int = _SEARCH_BATCH,
) -> Iterator[dict[str, Any]]:
    """Every hit of a search, in result order (:data:`SEARCH_COLUMNS`), page after page.

    The query is checked before the first row is asked for: ``QuerySyntaxError`` is raised
    here, not mid-stream.
    """
    parse_query(query)
    return _search_rows(conn, query, filters, sort, batch)


def _search_rows(
    conn: Connection, query: str, filters: Filters | None, sort: Sort, batch: int
) -> Iterator[dict[str, Any]]:
    rank, page = 0, 1
    while True:
        results = search(conn, query, filters, sort=sort, page=page, per_page=batch,
                         facets=False)
        for hit in results.hits:
            rank += 1
            yield _hit_row(rank, hit)
        if not results.hits or page * batch >= results.total:
            return
        page += 1


def _hit_row(rank: int, hit: Hit) -> dict[str, Any]:
    return {
        "rank": rank, "document_id": hit.document_id, "title": hit.title,
        "published": hit.published, "series_tag": hit.series_tag, "url": hit.url,
        "source_site": hit.source_site, "collection": hit.collection, "score": hit.score,
        "snippet": hit.snippet.text,
        "stats": _joined(f"{s.action}:{s.object}={s.value}" for s in hit.stats),
        "case_targets": _joined(t for c in hit.cases for t in c.targets),
    }


# --- writers ------------------------------------------------------------------------------


def stream(rows: Iterable[dict[str, Any]], columns: tuple[Column, ...], fmt: str) -> Iterator[bytes]:
    """``rows`` encoded as ``fmt`` (a key of :data:`FORMATS`), chunk by chunk."""
    writers = {"csv": stream_csv, "jsonl": stream_jsonl, "parquet": stream_parquet}
    if fmt not in writers:
        raise ValueError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")
    return writers[fmt](rows, columns)


def stream_csv(rows: Iterable[dict[str, Any]], columns: tuple[Column, ...]) -> Iterator[bytes]:
    """UTF-8 CSV with a header line; empty cell for null, ``true``/``false`` for booleans."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    for row in rows:
        writer.writerow([_csv_cell(row[c.name]) for c in columns])
        if buffer.tell() >= _CHUNK:
            yield _take(buffer)
    yield _take(buffer)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def stream_jsonl(rows: Iterable[dict[str, Any]], columns: tuple[Column, ...]) -> Iterator[bytes]:
    """One JSON object per line (UTF-8, keys in column order, null for missing)."""
    buffer = io.StringIO()
    for row in rows:
        json.dump({c.name: row[c.name] for c in columns}, buffer, ensure_ascii=False)
        buffer.write("\n")
        if buffer.tell() >= _CHUNK:
            yield _take(buffer)
    yield _take(buffer)


def _take(buffer: io.StringIO) -> bytes:
    data = buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    return data


def write_parquet(
    rows: Iterable[dict[str, Any]], columns: tuple[Column, ...], dest: str | Path | BinaryIO,
    *, batch_rows: int = _BATCH,
) -> int:
    """Write ``rows`` to ``dest``, one row group per ``batch_rows`` rows; returns the count."""
    schema = arrow_schema(columns)
    count = 0
    with pq.ParquetWriter(dest, schema, compression="zstd") as writer:
        for batch in _record_batches(rows, columns, schema, batch_rows):
            writer.write_batch(batch)
            count += batch.num_rows
    return count


def stream_parquet(
    rows: Iterable[dict[str, Any]], columns: tuple[Column, ...], *, batch_rows: int = _BATCH
) -> Iterator[bytes]:
    """A Parquet file as chunks: each row group is handed on as soon as it is written."""
    sink = _ChunkSink()
    schema = arrow_schema(columns)
    writer = pq.ParquetWriter(sink, schema, compression="zstd")
    for batch in _record_batches(rows, columns, schema, batch_rows):
        writer.write_batch(batch)
        yield sink.take()
    writer.close()
    yield sink.take()


def _record_batches(
    rows: Iterable[dict[str, Any]], columns: tuple[Column, ...], schema: pa.Schema, size: int
) -> Iterator[pa.RecordBatch]:
    pending = iter(rows)
    while batch := list(itertools.islice(pending, size)):
        yield _record_batch(batch, columns, schema)


def _record_batch(
    rows: list[dict[str, Any]], columns: tuple[Column, ...], schema: pa.Schema
) -> pa.RecordBatch:
    arrays = []
    for column, field in zip(columns, schema, strict=True):
        values = [row[column.name] for row in rows]
        if column.type in ("date", "datetime"):  # stored as ISO strings; arrow parses them
            arrays.append(pa.array(values, pa.string()).cast(field.type))
        else:
            arrays.append(pa.array(values, field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


class _ChunkSink(io.RawIOBase):
    """A write-only file for ``ParquetWriter`` whose bytes are taken as they come."""

    def __init__(self) -> None:
        super().__init__()
        self._parts: list[bytes] = []
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._parts.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def take(self) -> bytes:
        data, self._parts = b"".join(self._parts), []
        return data
