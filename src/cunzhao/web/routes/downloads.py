"""Downloads, streamed and never capped: any search's results, and the stats and cases tables.

``/download/search.{csv|jsonl|parquet}?q=…`` takes the search page's parameters;
``/download/{consolidated_stats|stats|cases}.{fmt}`` the stats page's filters. Rows and
encodings are the export stage's (:mod:`cunzhao.export.tabular`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

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


def _response(chunks: Iterator[bytes], name: str, fmt: str) -> StreamingResponse:
    extension, media_type = FORMATS[fmt]
    return StreamingResponse(chunks, media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="cunzhao-{name}.{extension}"',
        "Cache-Control": "no-store",
    })


@router.get("/search.{fmt}", summary="Every hit of a search (same parameters as /api/search)")
def download_search(archive: ArchiveDep, fmt: Fmt,
                    state: Annotated[SearchState, Depends(search_state)]) -> StreamingResponse:
    try:
        rows = archive.search_rows(state.q, state.filters(), sort=state.sort)
    except QuerySyntaxError as problem:
        raise HTTPException(400, f"cannot read the query: {problem}") from None
    return _response(stream(rows, SEARCH_COLUMNS, fmt), "search", fmt)


@router.get("/{table}.{fmt}", summary="A facts table: consolidated_stats, stats or cases")
def download_table(
    archive: ArchiveDep, table: Table, fmt: Fmt, action: Filter = None,
    object: Filter = None,
    scope: Filter = None,
) -> StreamingResponse:
    # the facts filters narrow the counts; /download/cases takes none
    filters = Filters() if table == "cases" else Filters(action=action, object=object,
                                                         scope=scope)
    rows = archive.rows(table, filters)
    return _response(stream(rows, TABLES[table], fmt), table.replace("_", "-"), fmt)
