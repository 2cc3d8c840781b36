"""One stream of captures from files and WARC files, and one rule for "is this a page?"."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cunzhao.capture import Capture, Skipped, iter_captures
from testenv import SEED


def _warc(path: Path, records: list[tuple[str, bytes, str]]) -> None:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.1")
        for url, body, content_type in records:
            http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], "HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body), http_headers=http,
                warc_headers_dict={"WARC-Date": "2024-01-31T12:00:00Z"},
            ))


def test_files_and_warc_records_in_one_stream(tmp_path: Path) -> None:
    (tmp_path / "a-seed.md").write_bytes(SEED.read_bytes())
    (tmp_path / "README.md").write_bytes(b"# notes\n")
    _warc(tmp_path / "b.warc.gz", [
        ("https://example.org/p.html", b"<html><title>t</title><p>x</p></html>", "text/html"),
        ("https://example.org/i.png", b"\x89PNG\r\n", "image/png"),
    ])
    items = list(iter_captures([tmp_path]))
    kinds = [(type(i).__name__, Path(i.source.split("#")[0]).name) for i in items]
    assert kinds == [
        ("Skipped", "README.md"),
        ("Capture", "a-seed.md"),
        ("Capture", "b.warc.gz"),
        ("Capture", "b.warc.gz"),
    ]
    captures = [i for i in items if isinstance(i, Capture)]
    assert [c.source_kind for c in captures] == ["file", "warc", "warc"]
    assert [c.is_page for c in captures] == [True, True, False]
    assert not any(isinstance(i, Skipped) and "WARC" in i.reason for i in items)


def test_is_page_is_one_rule() -> None:
    assert Capture(b"", "a.md").is_page  # a file is a page by construction
    assert Capture(b"", "x", "http").is_page  # no content type: read as a page
    assert Capture(b"", "x", "warc", content_type="text/markdown; charset=utf-8").is_page
    assert Capture(b"", "x", "http", content_type="application/XHTML+xml").is_page
    assert not Capture(b"", "x", "http", content_type="application/pdf").is_page
