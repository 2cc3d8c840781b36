"""What the scale-out tests ingest: a slice of the shared corpus as files, and WARC files
made from it (pages, revisits of earlier records, a non-page, an error response), and the
comparison of two archives by natural keys (``tests/store/crashes.py``)."""

from __future__ import annotations

import hashlib
import io
import shutil
from base64 import b32encode
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from store.crashes import differences, natural_contents
from testenv import shared_location, unavailable

__all__ = ["corpus_slice", "differences", "natural_contents", "same_archive", "slice_warc"]


def corpus_slice(folder: Path, every: int = 3, offset: int = 0) -> Path:
    """One corpus page in ``every`` (the ``offset``-th of each ``every``, and the seed page),
    copied into ``folder``: enough files for several tasks of 32, few enough to ingest in
    seconds."""
    source = shared_location() / "corpus"
    if not source.is_dir():
        unavailable(f"shared corpus not found at {source}")
    pages = sorted(p for p in source.rglob("*.md") if p.name != "README.md")
    for i, path in enumerate(pages):
        if i % every == offset or "704712" in path.name:
            target = folder / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return folder


def slice_warc(path: Path, pages: Path, *, gz: bool = True) -> int:
    """A WARC of every page under ``pages`` (as ``text/markdown`` responses, one URL each),
    a revisit of every fourth record two records later, a PNG and a 404; returns how many
    records it holds."""
    files = sorted(pages.rglob("*.md"))
    written = 0
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz, warc_version="1.1")
        earlier: list[tuple[str, str, bytes]] = []
        for i, page in enumerate(files):
            url = f"https://archive.example/{page.stem}"
            date = f"2024-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}T08:00:00Z"
            body = page.read_bytes()
            _response(writer, url, body, "text/markdown; charset=utf-8", date)
            earlier.append((url, date, body))
            written += 1
            if i % 4 == 2:
                _revisit(writer, *earlier[i - 2], f"2025-01-{1 + i % 28:02d}T09:00:00Z")
                written += 1
        _response(writer, "https://archive.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64),
                  "image/png", "2024-02-01T00:00:00Z")
        _response(writer, "https://archive.example/gone", b"not here", "text/html",
                  "2024-02-01T00:00:00Z", status="404 Not Found")
    return written + 2


def same_archive(a: str, b: str) -> None:
    """Fail naming each table where the archives at ``a`` and ``b`` differ."""
    found = differences(natural_contents(a), natural_contents(b))
    assert not found, "\n".join(found)


def _digest(body: bytes) -> str:
    return "sha1:" + b32encode(hashlib.sha1(body).digest()).decode("ascii")


def _response(writer: WARCWriter, url: str, body: bytes, content_type: str, date: str, *,
              status: str = "200 OK") -> None:
    http = StatusAndHeaders(status, [("Content-Type", content_type),
                                     ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http,
        warc_headers_dict={"WARC-Date": date, "WARC-Payload-Digest": _digest(body)},
    ))


def _revisit(writer: WARCWriter, url: str, date: str, body: bytes, when: str) -> None:
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/markdown; charset=utf-8")],
                            protocol="HTTP/1.1")
    record = writer.create_revisit_record(url, _digest(body), url, date, http_headers=http)
    record.rec_headers.replace_header("WARC-Date", when)
    writer.write_record(record)
