"""Prepared items survive the Arrow tables Dask workers hand back and the Parquet partitions
``load`` reads: every field of every record has its column, and what goes in comes out."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pytest
from inputs import corpus_slice

from cunzhao import Capture, CaptureError, Skipped
from cunzhao.extract.model import Case, Facts, Period, Stat
from cunzhao.parse.model import Block, Card, Link, Page
from cunzhao.scale.arrow import FACTS, PAGE, SCHEMA, from_table, to_table
from cunzhao.scale.parquet import MANIFEST, read_partitions, write_manifest, write_partition
from cunzhao.scale.prepare import Prepared, prepare
from cunzhao.scale.tasks import plan, run_task
from cunzhao.search.tokenize import IndexText


def _struct(kind: pa.DataType) -> pa.StructType:
    while pa.types.is_list(kind) or pa.types.is_large_list(kind):
        kind = kind.value_type
    assert isinstance(kind, pa.StructType)
    return kind


@pytest.mark.parametrize(("record", "column"), [
    (Page, PAGE), (Card, PAGE.field("card").type), (Block, PAGE.field("blocks").type),
    (Link, PAGE.field("card").type.field("sources").type), (Facts, FACTS),
    (Stat, FACTS.field("stats").type), (Case, FACTS.field("cases").type),
    (Period, FACTS.field("stats").type.value_type.field("period").type),
])
def test_every_field_of_the_records_has_its_column(record: type, column: pa.DataType) -> None:
    assert [f.name for f in fields(record)] == [f.name for f in _struct(column)]


def test_every_field_of_a_capture_and_a_prepared_item_has_its_column() -> None:
    names = set(SCHEMA.names)
    assert {f.name for f in fields(Capture)} <= names
    nested = {"capture", "page", "facts", "tokens", "error"}  # tokens: two columns; error: reason
    assert {f.name for f in fields(Prepared)} - nested <= names
    assert {"page", "facts", "title_tokens", "body_tokens", "reason"} <= names


def test_items_come_back_as_they_went_in(tmp_path: Path) -> None:
    folder = corpus_slice(tmp_path / "pages", every=12)
    items = [i for task in plan([folder]) for i in run_task(task).items]
    assert any(isinstance(i, Prepared) and i.facts and i.facts.stats for i in items)
    odd = Card(title="t", published=date(2024, 1, 31), sources=(Link("来源", None),),
               topics=(Link("主题", "https://x.example/t"),))
    page = Page("标题", None, None, datetime(2024, 1, 31, 8, 30, 15, 123456, tzinfo=UTC), None,
                (Block("h", "标题", 2), Block("p", "正文")), odd, "gb18030", "html",
                ("a warning",), 3)
    stat = Stat("summon", "website", 10646, "exact", Period(None, date(2024, 6, 30)), None,
                "约谈网站10646家", 0, 9)
    case = Case(("梦聊",), "app", ("remove_app",), None, 50_000, (), "下架“梦聊”", 0, 6)
    made = prepare(Capture(b"<html><p>x</p></html>", "mem:1", "http", "https://x.example/",
                           datetime(2024, 2, 1, tzinfo=UTC), "text/html", b"HTTP/1.1 200 OK"))
    items += [
        Prepared(made.capture, made.sha256, page, None, "https://x.example/", "标题\n正文",
                 Facts((stat,), (case,)), IndexText("标题 题", "正文 文", "标 题", "正 文"), "p1",
                 "e1", ("zlib", b"x\x9c")),
        Prepared(Capture(b"\x89PNG", "a.warc#10", "warc", "https://x.example/a.png",
                         None, "image/png"), "0" * 64),
        Prepared(Capture(b"", "empty.md"), "1" * 64, error="empty file"),
        Skipped("README.md", "not a page"),
    ]
    back = list(from_table(to_table(items)))
    assert back == items
    failure = next(from_table(to_table([CaptureError("x.warc#5", "digest mismatch")])))
    assert isinstance(failure, CaptureError)
    assert (failure.source, failure.reason) == ("x.warc#5", "digest mismatch")
    write_partition(tmp_path / "parts", 0, to_table(items[:5]))
    write_partition(tmp_path / "parts", 1, to_table(items[5:]))
    write_manifest(tmp_path / "parts", 2, {})
    assert (tmp_path / "parts" / MANIFEST).is_file()
    assert list(read_partitions(tmp_path / "parts")) == items
