"""Prepared items as Arrow tables: what Dask workers hand back and Parquet partitions hold.

One row per item, in order. ``kind`` says what the row is: ``prepared`` (a capture and, for a
page, its parse, facts and tokens), ``skipped`` or ``error`` (``reason`` says why). The page
and the facts are nested columns typed field by field after ``parse.model`` and
``extract.model`` (:data:`SCHEMA`), so a partition reads back into the very records that went
in — ``tests/parallel`` checks every field of those records has its column.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

import pyarrow as pa

from cunzhao.capture.model import Capture, CaptureError, Skipped
from cunzhao.extract.model import Case, Facts, Period, Stat
from cunzhao.parse.model import Block, Card, Link, Page
from cunzhao.scale.prepare import Prepared
from cunzhao.scale.tasks import Ready
from cunzhao.search.tokenize import IndexText

__all__ = ["SCHEMA", "from_table", "to_table"]

_TEXT = pa.large_string()
_TIME = pa.timestamp("us", tz="UTC")
_LINK = pa.struct([("text", _TEXT), ("url", _TEXT)])
_CARD = pa.struct([
    ("title", _TEXT), ("author", _TEXT), ("author_url", _TEXT), ("published_text", _TEXT),
    ("published", pa.date32()), ("sources", pa.list_(_LINK)), ("archive_url", _TEXT),
    ("original_url", _TEXT), ("topics", pa.list_(_LINK)), ("collection", _TEXT),
    ("collection_url", _TEXT), ("copyright", _TEXT),
])
_BLOCK = pa.struct([("kind", _TEXT), ("text", _TEXT), ("level", pa.int32())])
PAGE = pa.struct([
    ("title", _TEXT), ("series_tag", _TEXT), ("url", _TEXT), ("captured_at", _TIME),
    ("published", pa.date32()), ("blocks", pa.list_(_BLOCK)), ("card", _CARD),
    ("encoding", _TEXT), ("header_format", _TEXT), ("warnings", pa.list_(_TEXT)),
    ("decode_errors", pa.int64()),
])
_PERIOD = pa.struct([("start", pa.date32()), ("end", pa.date32())])
_STAT = pa.struct([
    ("action", _TEXT), ("object", _TEXT), ("value", pa.int64()), ("qualifier", _TEXT),
    ("period", _PERIOD), ("scope", _TEXT), ("evidence", _TEXT), ("start", pa.int64()),
    ("end", pa.int64()),
])
_CASE = pa.struct([
    ("targets", pa.list_(_TEXT)), ("target_kind", _TEXT), ("measures", pa.list_(_TEXT)),
    ("regulator", _TEXT), ("fine_cny", pa.int64()), ("categories", pa.list_(_TEXT)),
    ("evidence", _TEXT), ("start", pa.int64()), ("end", pa.int64()),
])
FACTS = pa.struct([("stats", pa.list_(_STAT)), ("cases", pa.list_(_CASE))])
SCHEMA = pa.schema([
    ("kind", pa.string()), ("source", _TEXT), ("reason", _TEXT),
    ("data", pa.large_binary()), ("source_kind", pa.string()), ("target_url", _TEXT),
    ("captured_at", _TIME), ("content_type", _TEXT), ("http_headers", pa.large_binary()),
    ("sha256", pa.string()), ("page", PAGE), ("url", _TEXT), ("folded", _TEXT),
    ("facts", FACTS), ("title_tokens", _TEXT), ("body_tokens", _TEXT),
    ("title_chars", _TEXT), ("body_chars", _TEXT),
    ("parser_version", pa.string()), ("extractor_version", pa.string()),
    ("blob_compression", pa.string()), ("blob", pa.large_binary()),
])
"""One row per item; the nested columns follow the records field by field."""
_TOKEN_COLUMNS = ("title_tokens", "body_tokens", "title_chars", "body_chars")


def to_table(items: Iterable[Ready]) -> pa.Table:
    """The items as one table, in order."""
    return pa.Table.from_pylist([_row(item) for item in items], schema=SCHEMA)


def from_table(table: pa.Table | pa.RecordBatch) -> Iterator[Ready]:
    """The items of a table (or one batch of it), in order."""
    for row in table.to_pylist():
        yield _item(row)


def _row(item: Ready) -> dict[str, Any]:
    if isinstance(item, Skipped):
        return {"kind": "skipped", "source": item.source, "reason": item.reason}
    if isinstance(item, CaptureError):
        return {"kind": "error", "source": item.source, "reason": item.reason}
    capture = item.capture
    return {
        "kind": "prepared", "source": capture.source, "reason": item.error,
        "data": capture.data, "source_kind": capture.source_kind,
        "target_url": capture.target_url, "captured_at": capture.captured_at,
        "content_type": capture.content_type, "http_headers": capture.http_headers,
        "sha256": item.sha256, "page": asdict(item.page) if item.page else None,
        "url": item.url, "folded": item.folded,
        "facts": asdict(item.facts) if item.facts is not None else None,
        **_tokens(item.tokens),
        "parser_version": item.parser_version, "extractor_version": item.extractor_version,
        **_blob(item),
    }


def _tokens(tokens: IndexText | None) -> dict[str, Any]:
    return dict(zip(_TOKEN_COLUMNS, tokens, strict=True)) if tokens else {}


def _blob(item: Prepared) -> dict[str, Any]:
    """The stored form of the bytes; left out where it is the bytes themselves."""
    if item.blob is None:
        return {}
    compression, stored = item.blob
    return {"blob_compression": compression, "blob": None if compression == "none" else stored}


def _item(row: dict[str, Any]) -> Ready:
    if row["kind"] == "skipped":
        return Skipped(row["source"], row["reason"])
    if row["kind"] == "error":
        return CaptureError(row["source"], row["reason"])
    capture = Capture(
        row["data"], row["source"], row["source_kind"], row["target_url"], row["captured_at"],
        row["content_type"], row["http_headers"],
    )
    tokens = [row[c] for c in _TOKEN_COLUMNS]
    compression = row["blob_compression"]
    return Prepared(
        capture, row["sha256"], _page(row["page"]) if row["page"] else None, row["reason"],
        row["url"], row["folded"], _facts(row["facts"]) if row["facts"] else None,
        IndexText(*tokens) if None not in tokens else None, row["parser_version"],
        row["extractor_version"],
        None if compression is None else (compression, row["blob"] or row["data"]),
    )


def _page(p: dict[str, Any]) -> Page:
    card = p["card"]
    return Page(
        **{**p, "blocks": tuple(Block(**b) for b in p["blocks"]),
           "card": _card(card) if card else None, "warnings": tuple(p["warnings"])},
    )


def _card(c: dict[str, Any]) -> Card:
    return Card(**{**c, "sources": tuple(Link(**x) for x in c["sources"]),
                   "topics": tuple(Link(**x) for x in c["topics"])})


def _facts(f: dict[str, Any]) -> Facts:
    return Facts(
        tuple(Stat(**{**s, "period": Period(**s["period"]) if s["period"] else None})
              for s in f["stats"]),
        tuple(Case(**{**c, "targets": tuple(c["targets"]), "measures": tuple(c["measures"]),
                      "categories": tuple(c["categories"])}) for c in f["cases"]),
    )
