"""An append-only WARC of HTTP exchanges, written as they happen (one per capture run)."""

from __future__ import annotations

import io
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import httpx
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cunzhao import __version__

# chunking is undone when the body is read, so this header no longer describes it
_RENAMED = frozenset({"transfer-encoding"})


class WarcLog:
    """``<folder>/<prefix>-<UTC time>-<pid>.warc.gz``, created on the first write."""

    def __init__(self, folder: Path, prefix: str = "capture") -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.path = folder / f"{prefix}-{stamp}-{os.getpid()}.warc.gz"
        self.exchanges = 0
        self._out: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self._lock = threading.Lock()

    def write_exchange(self, response: httpx.Response, body: bytes) -> int:
        """Write the response (then its request); returns the response record's offset."""
        with self._lock:
            out, writer = self._open()
            url = str(response.request.url)
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=_response_headers(response, len(body)),
            )
            request = writer.create_warc_record(
                url,
                "request",
                http_headers=_request_headers(response.request),
                warc_headers_dict={
                    "WARC-Date": record.rec_headers.get_header("WARC-Date"),
                    "WARC-Concurrent-To": record.rec_headers.get_header("WARC-Record-ID"),
                },
            )
            offset = out.tell()
            writer.write_record(record)
            writer.write_record(request)
            out.flush()
            self.exchanges += 1
            return offset

    def close(self) -> None:
        with self._lock:
            if self._out is not None:
                self._out.close()
                self._out = None

    def _open(self) -> tuple[BinaryIO, WARCWriter]:
        if self._out is None or self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._out = open(self.path, "ab")  # noqa: SIM115 — held open across exchanges
            self._writer = WARCWriter(self._out, gzip=True, warc_version="1.1")
            info = {"software": f"cunzhao/{__version__}", "format": "WARC File Format 1.1"}
            self._writer.write_record(self._writer.create_warcinfo_record(self.path.name, info))
        return self._out, self._writer


def _response_headers(response: httpx.Response, size: int) -> StatusAndHeaders:
    headers = []
    for raw_name, raw_value in response.headers.raw:
        name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
        lower = name.lower()
        if lower == "content-length":
            continue
        headers.append(("X-Archive-Orig-" + name if lower in _RENAMED else name, value))
    headers.append(("Content-Length", str(size)))
    status = f"{response.status_code} {response.reason_phrase}".strip()
    return StatusAndHeaders(status, headers, protocol=response.http_version or "HTTP/1.1")


def _request_headers(request: httpx.Request) -> StatusAndHeaders:
    target = request.url.raw_path.decode("ascii", "replace")
    headers = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in request.headers.raw]
    return StatusAndHeaders(f"{request.method} {target} HTTP/1.1", headers, is_http_request=True)
