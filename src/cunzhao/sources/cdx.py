"""A ``wayback`` source: the CDX query that lists a URL prefix's captures, and its answer.

``cdx_query_url`` asks a Wayback-style CDX server (the Internet Archive's, or any compatible
one) for every capture under ``source.url`` (``matchType=prefix``) between ``date_from`` and
``date_to``, with an allowed status (``filter=statuscode:…``), one row per distinct content
(``collapse=digest``), as JSON, in pages of ``CDX_PAGE_SIZE`` rows with a resume key.

``parse_cdx`` reads the answer in the forms CDX servers give: the Internet Archive's JSON
(a header row naming the fields, then rows; ``[]`` then ``["KEY"]`` at the end carries the
resume key), one JSON object a line (pywb), or plain text (``urlkey timestamp original
mimetype statuscode digest length`` a line, or CDXJ ``urlkey timestamp {json}``; a blank
line then the resume key). Each capture becomes an ``Entry`` whose ``url`` is its raw
Memento, ``{memento_base}/{timestamp}id_/{original}`` (the bytes as archived, without the
archive's banner), ``original_url`` the page it preserves and ``updated`` the timestamp in
ISO form. Rows whose status the source does not allow are dropped even if the server ignored
the filter.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import unquote_plus, urlencode

from cunzhao.clock import utc_iso
from cunzhao.sources.model import Entry, FetchedPage, Listing, PageError, Source

__all__ = ["CDX_PAGE_SIZE", "cdx_query_url", "parse_cdx"]

CDX_PAGE_SIZE: Final = 10000
_ORIGINAL = ("original", "url")  # field names: the Internet Archive's, pywb's
_STATUS = ("statuscode", "status")


def cdx_query_url(source: Source, resume_key: str | None = None) -> str:
    """The CDX query for ``source``'s captures, resumed after ``resume_key`` when given."""
    statuses = source.statuses
    status = statuses[0] if len(statuses) == 1 else f"({'|'.join(statuses)})"
    params = [("url", source.url or ""), ("matchType", "prefix")]
    params += [(k, v) for k, v in (("from", source.date_from), ("to", source.date_to)) if v]
    params += [
        ("filter", f"statuscode:{status}"),
        ("collapse", "digest"),
        ("output", "json"),
        ("limit", str(CDX_PAGE_SIZE)),
        ("showResumeKey", "true"),
    ]
    if resume_key:
        params.append(("resumeKey", unquote_plus(resume_key)))  # servers print it encoded
    return f"{source.cdx_server}?{urlencode(params)}"


def parse_cdx(page: FetchedPage, source: Source) -> Listing:
    """The captures one CDX answer lists, and the query for the next page (resume key)."""
    try:
        text = page.body.decode("utf-8").strip()
    except UnicodeDecodeError as error:
        raise PageError(page.url, f"CDX answer not UTF-8: {error}") from error
    try:
        if text.startswith("["):
            rows, resume_key = _json_rows(text)
        else:
            rows, resume_key = _line_rows(text)
        found = [_entry(row, source) for row in rows]
    except (ValueError, TypeError, IndexError, AttributeError) as error:
        raise PageError(page.url, f"not a CDX answer: {error}") from error
    entries = [entry for entry in found if entry is not None]
    next_url = cdx_query_url(source, resume_key) if resume_key else None
    return Listing(entries, next_url)


def _json_rows(text: str) -> tuple[list[dict[str, Any]], str | None]:
    """The Internet Archive's JSON: ``[[fields…], [values…]…, [], [resume key]]``."""
    table = json.loads(text)
    if not table:
        return [], None
    header, *body = table
    rows, resume_key = [], None
    for at, row in enumerate(body):
        if not row:  # the resume key follows
            resume_key = str(body[at + 1][0]) if at + 1 < len(body) else None
            break
        if len(row) != len(header):
            raise ValueError(f"a row of {len(row)} fields under a header of {len(header)}")
        rows.append(dict(zip(header, row, strict=True)))
    return rows, resume_key


def _line_rows(text: str) -> tuple[list[dict[str, Any]], str | None]:
    """One capture a line: JSON objects, CDXJ, or space-separated CDX fields."""
    rows: list[dict[str, Any]] = []
    lines = text.splitlines()
    for at, line in enumerate(lines):
        if not line.strip():  # the resume key follows
            rest = [rest for rest in lines[at + 1 :] if rest.strip()]
            return rows, rest[0].strip() if rest else None
        if line.startswith("{"):
            rows.append(json.loads(line))
            continue
        fields = line.split(None, 2)
        if len(fields) == 3 and fields[2].startswith("{"):
            rows.append({"timestamp": fields[1], **json.loads(fields[2])})
            continue
        fields = line.split()
        if len(fields) < 5:
            raise ValueError(f"a line of {len(fields)} fields: {line[:80]!r}")
        rows.append({"timestamp": fields[1], "original": fields[2], "statuscode": fields[4]})
    return rows, None


def _entry(row: dict[str, Any], source: Source) -> Entry | None:
    stamp = str(row.get("timestamp", ""))
    original = next((str(row[k]) for k in _ORIGINAL if row.get(k)), None)
    status = next((str(row[k]) for k in _STATUS if row.get(k)), None)
    if not (len(stamp) == 14 and stamp.isdigit()) or original is None:
        raise ValueError(f"a row without a 14-digit timestamp or an original URL: {row}")
    if status is not None and status not in source.statuses:
        return None
    moment = datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    memento = f"{source.memento_base.rstrip('/')}/{stamp}id_/{original}"
    return Entry(memento, original, None, utc_iso(moment))
