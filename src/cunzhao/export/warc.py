"""Write the archive's captures as a WARC 1.1 file (gzip, one member per record).

Per capture: a ``response`` record (the original HTTP headers where known, else a synthesised
``HTTP/1.1 200 OK``; a ``resource`` record when the URI is not http(s)), or a ``revisit`` when
the same bytes were already written; then a ``metadata`` record with cunzhao's provenance.

``WARC-Date`` must be given, so a capture whose time was never known is dated by its ingest;
``WARC-Cunzhao-Captured-At`` on the same record keeps the difference (the capture time, or
``unknown``), and cunzhao reads it back on ingest, so the same version stays the latest.

A blob whose stored bytes no longer match their sha256, or cannot be decompressed, is left
out and named in :attr:`WarcExport.corrupt`; every other capture is written.

Stored bytes are the decoded entity (no chunking, no content encoding), so original
``Transfer-Encoding``/``Content-Encoding`` headers are kept renamed ``X-Archive-Orig-…`` and
``Content-Length`` is set to the stored length: the record then replays byte-exact.
"""

from __future__ import annotations

import base64
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser
from warcio.warcwriter import WARCWriter

from cunzhao import __version__
from cunzhao.capture.warc import CAPTURED_AT_HEADER, UNKNOWN_TIME
from cunzhao.store.blobs import CorruptBlob, checked_unpack
from cunzhao.store.filters import Filters, where_documents
from cunzhao.store.schema import blobs, captures, documents, versions
from cunzhao.store.urls import public_source

_RENAMED = ("transfer-encoding", "content-encoding", "content-length")
_DEFAULT_TYPE = "text/html; charset=utf-8"  # cunzhao treats a capture without a type as a page


@dataclass(frozen=True)
class ExportRecord:
    """One stored capture with what is known about it, ready to be written out."""

    capture_id: int
    data: bytes
    sha256: str
    source: str
    source_kind: str
    target_url: str | None
    captured_at: str | None  # ISO-8601 UTC
    ingested_at: str
    tool_version: str
    content_type: str | None
    http_headers: bytes | None
    document_id: int | None = None
    document_url: str | None = None
    version_n: int | None = None
    title: str | None = None


@dataclass(frozen=True)
class IndexEntry:
    """Where one response/revisit/resource record sits in the written WARC (for CDXJ)."""

    url: str
    warc_date: str
    record_type: str
    mime: str
    status: str | None
    digest: str  # sha1:BASE32 of the payload
    offset: int
    length: int
    title: str | None
    document_id: int | None
    version_n: int | None

    @property
    def is_page(self) -> bool:
        return self.document_id is not None


@dataclass
class WarcExport:
    path: Path
    records: int = 0  # captures written (response, resource or revisit)
    revisits: int = 0
    entries: list[IndexEntry] = field(default_factory=list)
    corrupt: list[CorruptBlob] = field(default_factory=list)  # captures left out, and why


def iter_export_records(
    conn: Connection, filters: Filters | None = None
) -> Iterator[ExportRecord | CorruptBlob]:
    """Captures in ingest order, joined to their document version when they have one; a
    :class:`CorruptBlob` instead of a capture whose stored bytes fail their check.

    With no filter every capture is exported (non-page captures too); a filter keeps only
    captures whose version matches (``since``/``until`` compare the publish date).
    """
    query = (
        select(
            captures,
            blobs.c.compression,
            blobs.c.data,
            versions.c.document_id,
            versions.c.n,
            versions.c.title,
            documents.c.url.label("document_url"),
        )
        .join(blobs, blobs.c.sha256 == captures.c.sha256)
        .outerjoin(versions, versions.c.capture_id == captures.c.id)
        .outerjoin(documents, documents.c.id == versions.c.document_id)
        .order_by(captures.c.id)
    )
    query = where_documents(query, versions, filters or Filters())
    for row in conn.execution_options(yield_per=100).execute(query):
        try:
            data = checked_unpack(row.sha256, row.compression, row.data)
        except CorruptBlob as bad:
            yield bad
            continue
        yield ExportRecord(
            capture_id=row.id,
            data=data,
            sha256=row.sha256,
            source=row.source,
            source_kind=row.source_kind,
            target_url=row.target_url,
            captured_at=row.captured_at,
            ingested_at=row.ingested_at,
            tool_version=row.tool_version,
            content_type=row.content_type,
            http_headers=bytes(row.http_headers) if row.http_headers is not None else None,
            document_id=row.document_id,
            document_url=row.document_url,
            version_n=row.n,
            title=row.title,
        )


def export_warc(
    conn: Connection, out_path: str | Path, filters: Filters | None = None
) -> WarcExport:
    """Export the captures ``filters`` selects (as :func:`iter_export_records`) to a WARC."""
    return write_warc(iter_export_records(conn, filters), out_path)


def write_warc(
    records: Iterable[ExportRecord | CorruptBlob], out_path: str | Path
) -> WarcExport:
    """Write ``records`` to ``out_path`` (gzip WARC 1.1); returns counts, an index, and the
    corrupt blobs met (left out)."""
    path = Path(out_path)
    summary = WarcExport(path)
    first_seen: dict[str, tuple[str, str]] = {}  # sha256 → (uri, WARC-Date) of its response
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, _warcinfo()))
        for record in records:
            if isinstance(record, CorruptBlob):
                summary.corrupt.append(record)
                continue
            uri = (
                record.target_url
                or record.document_url
                or f"urn:cunzhao:capture:{record.capture_id}"
            )
            when = _warc_date(record.captured_at or record.ingested_at)
            dates = {"WARC-Date": when, CAPTURED_AT_HEADER: record.captured_at or UNKNOWN_TIME}
            http = _http_headers(record) if uri.startswith(("http://", "https://")) else None
            mime = (record.content_type or _DEFAULT_TYPE).split(";")[0].strip()
            digest = "sha1:" + base64.b32encode(hashlib.sha1(record.data).digest()).decode()
            earlier = first_seen.get(record.sha256)
            if earlier is not None and http is not None:
                main = writer.create_revisit_record(
                    uri,
                    digest,
                    earlier[0],
                    earlier[1],
                    http_headers=http,
                    warc_headers_dict=dates,
                )
                summary.revisits += 1
            else:
                main = _content_record(writer, uri, dates, record, http)
                first_seen.setdefault(record.sha256, (uri, when))
            offset = out.tell()
            writer.write_record(main)
            summary.entries.append(
                IndexEntry(
                    url=uri,
                    warc_date=when,
                    record_type=main.rec_type,
                    mime=mime,
                    status=http.get_statuscode() if http is not None else None,
                    digest=digest,
                    offset=offset,
                    length=out.tell() - offset,
                    title=record.title,
                    document_id=record.document_id,
                    version_n=record.version_n,
                )
            )
            summary.records += 1
            writer.write_record(_metadata_record(writer, uri, when, record, main))
    return summary


def _content_record(
    writer: WARCWriter, uri: str, headers: dict[str, str], record: ExportRecord, http: Any
) -> Any:
    if http is None:
        return writer.create_warc_record(
            uri,
            "resource",
            payload=io.BytesIO(record.data),
            length=len(record.data),
            warc_content_type=record.content_type or _DEFAULT_TYPE,
            warc_headers_dict=headers,
        )
    return writer.create_warc_record(
        uri,
        "response",
        payload=io.BytesIO(record.data),
        length=len(record.data),
        http_headers=http,
        warc_headers_dict=headers,
    )


def _metadata_record(
    writer: WARCWriter, uri: str, when: str, record: ExportRecord, main: Any
) -> Any:
    fields = {
        "cunzhao-capture-id": record.capture_id,
        "cunzhao-source": public_source(record.source),  # no folder of the ingesting machine
        "cunzhao-source-kind": record.source_kind,
        "cunzhao-captured-at": record.captured_at,
        "cunzhao-ingested-at": record.ingested_at,
        "cunzhao-sha256": record.sha256,
        "cunzhao-tool-version": record.tool_version,
        "cunzhao-exported-by": f"cunzhao/{__version__}",
        "cunzhao-document-url": record.document_url,
        "cunzhao-document-id": record.document_id,
        "cunzhao-version": record.version_n,
    }
    body = "".join(
        f"{name}: {_one_line(value)}\r\n" for name, value in fields.items() if value is not None
    ).encode("utf-8")
    main_id = main.rec_headers.get_header("WARC-Record-ID")
    return writer.create_warc_record(
        uri,
        "metadata",
        payload=io.BytesIO(body),
        length=len(body),
        warc_content_type="application/warc-fields",
        warc_headers_dict={
            "WARC-Date": when,
            "WARC-Refers-To": main_id,
            "WARC-Concurrent-To": main_id,
        },
    )


def _http_headers(record: ExportRecord) -> StatusAndHeaders:
    """The original response headers, made to describe the stored (decoded) bytes."""
    parsed = None
    if record.http_headers:
        try:
            parsed = StatusAndHeadersParser(["HTTP/1.0", "HTTP/1.1"], verify=False).parse(
                io.BytesIO(record.http_headers)
            )
        except (ValueError, EOFError):
            parsed = None
    if parsed is None or not parsed.statusline:
        content_type = record.content_type or _DEFAULT_TYPE
        parsed = StatusAndHeaders("200 OK", [("Content-Type", content_type)], "HTTP/1.1")
    headers = []
    for name, value in parsed.headers:
        if name.lower() in _RENAMED:
            if name.lower() != "content-length":
                headers.append(("X-Archive-Orig-" + name, value))
        else:
            headers.append((name, value))
    headers.append(("Content-Length", str(len(record.data))))
    return StatusAndHeaders(parsed.statusline, headers, parsed.protocol or "HTTP/1.1")


def _warcinfo() -> dict[str, str]:
    return {
        "software": f"cunzhao/{__version__} (+archive of enforcement records)",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
        "warc-format/warc-1.1/",
        "description": "Captures exported from a cunzhao archive, each followed by a "
        "metadata record with its provenance (cunzhao-* fields).",
    }


def _warc_date(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _one_line(value: object) -> str:
    return " ".join(str(value).split())
