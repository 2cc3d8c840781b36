"""Downloads, streamed and never capped: any search's results, and the stats and cases tables.

``/download/search.{csv|jsonl|parquet}?q=…`` takes the search page's parameters;
``/download/{consolidated_stats|stats|cases}.{fmt}`` the stats page's filters (``cases``:
``target``, the cases naming it). Rows and encodings are the export stage's
(:mod:`cunzhao.export.tabular`). The file name says what the file holds and when it was made
(``cunzhao-cases-百度-2024-12-06.csv``; RFC 6266 ``filename*`` for non-ASCII names, an ASCII
``filename`` beside it); ``?bom=1`` starts a CSV with a UTF-8 byte order mark, so that Excel
reads it as UTF-8 (the pages' CSV links carry it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query
from starlette.responses import StreamingResponse

from cunzhao import FORMATS, SEARCH_COLUMNS, TABLES, Archive, Filters, QuerySyntaxError, stream
from cunzhao.web.app import archive_of
from cunzhao.web.params import MAX_VALUE, SearchState, search_state

router = APIRouter(prefix="/download", tags=["downloads"])
ArchiveDep = Annotated[Archive, Depends(archive_of)]
Fmt = Literal["csv", "jsonl", "parquet"]
Table = Literal["consolidated_stats", "stats", "cases"]
Filter = Annotated[str | None, Query(max_length=MAX_VALUE)]
Bom = Annotated[bool, Query(description="CSV only: start with a UTF-8 byte order mark (for "
                                        "Excel)")]
BOM = b"\xef\xbb\xbf"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|\s]+')


def file_name(what: str, parts: Sequence[str | None], extension: str) -> str:
    """``cunzhao-{what}-{parts…}-{UTC date}.{extension}``, each part made safe for a file name
    (no path separators, quotes or spaces; at most 40 characters)."""
    named = [_UNSAFE.sub("_", p).strip("._")[:40] for p in parts if p]
    day = datetime.now(UTC).date().isoformat()
    return "-".join(["cunzhao", what, *[n for n in named if n], day]) + f".{extension}"


def disposition(name: str) -> str:
    """``attachment`` with an ASCII ``filename`` and, for other names, ``filename*`` (RFC 6266,
    RFC 8187 UTF-8 percent-encoding)."""
    ascii_name = re.sub(r"-{2,}", "-", "".join(c if c.isascii() else "-" for c in name))
    if ascii_name == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def _response(chunks: Iterator[bytes], name: str, fmt: str, bom: bool) -> StreamingResponse:
    _, media_type = FORMATS[fmt]
    body = _with_bom(chunks) if bom and fmt == "csv" else chunks
    return StreamingResponse(body, media_type=media_type, headers={
        "Content-Disposition": disposition(name), "Cache-Control": "no-store"})


def _with_bom(chunks: Iterator[bytes]) -> Iterator[bytes]:
    yield BOM
    yield from chunks


@router.get("/search.{fmt}", summary="Every hit of a search (same parameters as /api/search)")
def download_search(archive: ArchiveDep, fmt: Fmt,
                    state: Annotated[SearchState, Depends(search_state)],
                    bom: Bom = False) -> StreamingResponse:
    try:
        rows = archive.search_rows(state.q, state.filters(), sort=state.sort)
    except QuerySyntaxError as problem:
        raise HTTPException(400, f"cannot read the query: {problem}") from None
    parts = [state.q, *(value for _, value in state.active_filters())]
    return _response(stream(rows, SEARCH_COLUMNS, fmt),
                     file_name("search", parts, FORMATS[fmt][0]), fmt, bom)


@router.get("/{table}.{fmt}", summary="A facts table: consolidated_stats, stats or cases")
def download_table(
    archive: ArchiveDep, table: Table, fmt: Fmt, action: Filter = None,
    object: Filter = None, scope: Filter = None, target: Filter = None, bom: Bom = False,
) -> StreamingResponse:
    # the facts filters narrow the counts; /download/cases takes a target
    if table == "cases":
        filters, parts = Filters(target=target), [target]
    else:
        filters, parts = Filters(action=action, object=object, scope=scope), [
            action, object, scope]
    rows = archive.rows(table, filters)
    return _response(stream(rows, TABLES[table], fmt),
                     file_name(table.replace("_", "-"), parts, FORMATS[fmt][0]), fmt, bom)
