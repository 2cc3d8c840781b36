"""Table rows and the CSV/JSONL/Parquet writers, against real archives (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import datetime as dt
import inspect
import io
import itertools
import json
import math
from collections.abc import Iterator
from typing import Any

import pyarrow.parquet as pq
import pytest

from cunzhao import Archive, Filters, public_source
from cunzhao.export.tabular import (
    SEARCH_COLUMNS,
    TABLES,
    iter_search_rows,
    stream,
    stream_csv,
    stream_jsonl,
    stream_parquet,
    write_parquet,
)
from cunzhao.search import QuerySyntaxError

SEED_STATS = {  # the six counts the seed text states (gold d000)
    ("summon", "website", 10646), ("suspend_function", "website", 453),
    ("remove_app", "app", 259), ("shut_miniprogram", "miniprogram", 119),
    ("close_website", "website", 14624), ("close_account", "account", 127878),
}
SEED_URL = "https://chinadigitaltimes.net/chinese/704712.html"


def test_documents_rows_equal_the_archive(archive: Archive) -> None:
    rows = list(archive.rows("documents"))
    assert [r["id"] for r in rows] == sorted(d.id for d in archive.documents())
    for row in rows:
        view = archive.document(row["id"])
        assert view is not None
        shown = view.to_json()
        for key in ("url", "title", "series_tag", "published", "captured_at", "original_url",
                    "archive_url", "first_seen"):
            assert row[key] == shown[key], key
        latest = [v for v in view.versions if v.is_latest]
        assert row["sha256"] == latest[0].sha256
        assert row["versions"] == len(view.versions)
        assert row["copyright"] == (view.card or {}).get("copyright")
    assert [r["versions"] for r in rows if r["url"] == SEED_URL] == [1]
    assert sorted(r["versions"] for r in rows) == [1, 1, 2, 3]


def test_versions_rows_list_every_version(archive: Archive) -> None:
    rows = list(archive.rows("versions"))
    assert len(rows) == archive.counts()["versions"] == 7
    for document_id in {r["document_id"] for r in rows}:
        view = archive.document(document_id)
        assert view is not None
        mine = [r for r in rows if r["document_id"] == document_id]
        assert [(r["n"], r["is_latest"], r["sha256"], r["ingested_at"], r["source"])
                for r in mine] == [(v.n, v.is_latest, v.sha256, v.ingested_at,
                                    public_source(v.source))  # no folder of this machine
                                   for v in view.versions]
        for r in mine:
            assert r["bytes"] == len(archive.raw(document_id, r["n"]))


def test_stats_and_cases_rows_equal_the_latest_versions_facts(archive: Archive) -> None:
    stat_rows = list(archive.rows("stats"))
    case_rows = list(archive.rows("cases"))
    expected_stats, expected_cases = [], []
    for doc in archive.documents():
        view = archive.document(doc.id)
        assert view is not None
        for s in (x.to_json() for x in view.stats):
            period = s["period"] or {}
            expected_stats.append((doc.id, doc.versions, s["action"], s["object"], s["value"],
                                   s["qualifier"], period.get("start"), period.get("end"),
                                   s["scope"], s["evidence"], s["start"], s["end"]))
        for c in (x.to_json() for x in view.cases):
            expected_cases.append((doc.id, doc.versions, "|".join(c["targets"]),
                                   c["target_kind"], "|".join(c["measures"]), c["regulator"],
                                   c["fine_cny"], "|".join(c["categories"]), c["evidence"],
                                   c["start"], c["end"]))
    assert sorted(
        (r["document_id"], r["version_n"], r["action"], r["object"], r["value"], r["qualifier"],
         r["period_start"], r["period_end"], r["scope"], r["evidence"], r["ev_start"],
         r["ev_end"]) for r in stat_rows
    ) == sorted(expected_stats)
    assert sorted(
        (r["document_id"], r["version_n"], r["targets"], r["target_kind"], r["measures"],
         r["regulator"], r["fine_cny"], r["categories"], r["evidence"], r["ev_start"],
         r["ev_end"]) for r in case_rows
    ) == sorted(expected_cases)
    seed = archive.document(SEED_URL)
    assert seed is not None
    assert {(r["action"], r["object"], r["value"]) for r in stat_rows
            if r["document_id"] == seed.id} == SEED_STATS


def test_all_versions_adds_the_facts_of_earlier_versions(archive: Archive) -> None:
    latest = list(archive.rows("stats"))
    every = list(archive.rows("stats", all_versions=True))
    with archive.engine.connect() as conn:
        from sqlalchemy import func, select

        from cunzhao.store.schema import stats

        assert len(every) == conn.execute(select(func.count()).select_from(stats)).scalar_one()
    assert all(r in every for r in latest)
    by_doc = {d.id: d.versions for d in archive.documents()}
    assert all(r["version_n"] == by_doc[r["document_id"]] for r in latest)


def test_filters_select_documents_by_their_latest_version(archive: Archive) -> None:
    seed = archive.document(SEED_URL)
    assert seed is not None and seed.series_tag == "立此存照"
    tagged = Filters(tag="立此存照")
    docs = list(archive.rows("documents", tagged))
    assert {d["id"] for d in docs} == {d.id for d in archive.documents(Filters(tag="立此存照"))}
    assert {r["document_id"] for r in archive.rows("stats", tagged)} <= {
        d["id"] for d in docs}
    since = dt.date(2024, 1, 1)
    assert {d["id"] for d in archive.rows("documents", Filters(since=since))
            } == {d.id for d in archive.documents(Filters(since=since))}
    # a small id set goes into SQL, a large one is applied while streaming: same answer
    for ids in (frozenset({seed.id}), frozenset({seed.id, *range(10_000, 11_000)})):
        rows = list(archive.rows("versions", Filters(document_ids=ids)))
        assert rows and {r["document_id"] for r in rows} == {seed.id}
    for table in TABLES:
        for filters in (Filters(), tagged):
            n = archive.count_rows(table, filters)
            assert n is None or n == sum(1 for _ in archive.rows(table, filters))


def test_consolidated_rows_match_the_consolidation(archive: Archive) -> None:
    rows = list(archive.rows("consolidated_stats"))
    facts = archive.figures()
    assert [(r["action"], r["object"], r["value"], r["conflict"]) for r in rows] == [
        (f.action, f.object, f.value, f.conflict) for f in facts]
    assert [r["document_ids"].split("|") for r in rows] == [
        [str(s.document_id) for s in f.sources] for f in facts]
    assert {(r["action"], r["object"], r["value"]) for r in rows} >= SEED_STATS


@pytest.mark.parametrize("table", list(TABLES))
def test_csv_jsonl_and_parquet_read_back_to_the_rows(archive: Archive, table: str) -> None:
    rows = list(archive.rows(table, all_versions=True))
    assert rows or table == "cases"
    columns = TABLES[table]
    names = [c.name for c in columns]

    text = b"".join(stream_csv(iter(rows), columns)).decode("utf-8")
    read = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == ",".join(names)
    assert read == [{k: _csv_text(r[k]) for k in names} for r in rows]

    lines = b"".join(stream_jsonl(iter(rows), columns)).decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == rows
    assert all(list(json.loads(line)) == names for line in lines)

    buffer = io.BytesIO()
    assert write_parquet(iter(rows), columns, buffer, batch_rows=3) == len(rows)
    parquet = pq.ParquetFile(io.BytesIO(buffer.getvalue()))
    assert parquet.schema_arrow.names == names
    assert parquet.metadata.num_row_groups == math.ceil(len(rows) / 3)
    assert [{k: _iso(v) for k, v in r.items()} for r in parquet.read().to_pylist()] == rows
    streamed = b"".join(stream(iter(rows), columns, "parquet"))
    assert pq.read_table(io.BytesIO(streamed)).to_pylist() == parquet.read().to_pylist()


def _csv_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _search_rows_in_pages(archive: Archive, query: str, batch: int) -> Iterator[dict[str, Any]]:
    with archive.engine.connect() as conn:
        yield from iter_search_rows(conn, query, batch=batch)


def test_search_rows_are_every_hit_in_result_order(archive: Archive) -> None:
    results = archive.search("网信", per_page=100, facets=False)
    assert results.total >= 3
    rows = list(_search_rows_in_pages(archive, "网信", 2))  # many pages
    assert [r["rank"] for r in rows] == list(range(1, results.total + 1))
    assert [r["document_id"] for r in rows] == [h.document_id for h in results.hits]
    seed = next(r for r in rows if r["url"] == SEED_URL)
    found = {tuple(s.replace("=", ":").split(":")) for s in seed["stats"].split("|")}
    assert found == {(a, o, str(v)) for a, o, v in SEED_STATS}
    assert list(json.loads(b"".join(stream(iter(rows), SEARCH_COLUMNS, "jsonl")).splitlines()[0])
                ) == [c.name for c in SEARCH_COLUMNS]


def test_mistakes_are_reported_before_streaming_starts(archive: Archive) -> None:
    with pytest.raises(ValueError, match="unknown table"):
        archive.rows("blobs")
    with pytest.raises(QuerySyntaxError):
        archive.search_rows('"unbalanced')
    with pytest.raises(ValueError, match="unknown format"):
        stream(iter([]), TABLES["stats"], "xlsx")


def test_rows_and_writers_are_lazy_generators(archive: Archive) -> None:
    """Each stage hands on its first output before its input ends: endless input works."""
    assert inspect.isgenerator(archive.rows("stats"))
    assert inspect.isgenerator(archive.search_rows("网信"))
    columns = TABLES["stats"]
    template = next(archive.rows("stats"))

    def endless() -> Iterator[dict[str, Any]]:
        for i in itertools.count():
            yield {**template, "value": i}

    for fmt in ("csv", "jsonl", "parquet"):
        chunks = stream(endless(), columns, fmt)
        assert inspect.isgenerator(chunks)
        first = next(chunks)
        assert first  # written although the rows never end
    parquet_chunks = stream_parquet(endless(), columns, batch_rows=100)
    assert next(parquet_chunks).startswith(b"PAR1")
    assert len(next(parquet_chunks)) > 0  # the next row group, as soon as it is full


def test_an_empty_table_is_still_a_readable_file() -> None:
    columns = TABLES["cases"]
    names = [c.name for c in columns]
    assert b"".join(stream(iter([]), columns, "csv")).decode() == ",".join(names) + "\r\n"
    assert b"".join(stream(iter([]), columns, "jsonl")) == b""
    table = pq.read_table(io.BytesIO(b"".join(stream(iter([]), columns, "parquet"))))
    assert table.num_rows == 0 and table.schema.names == names
