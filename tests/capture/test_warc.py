"""Reading WARC files written by another tool (warcio's own writer): records, digests,
revisits, non-pages, and damaged files."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from cunzhao.capture.model import Capture, CaptureError, Skipped
from cunzhao.capture.warc import iter_warc_captures, parse_warc_date
from testenv import EXAMPLES


def corpus_pages(n: int) -> list[bytes]:
    """``n`` real CDT pages, distinct bytes, from the sample in ``examples/``."""
    files = sorted(EXAMPLES.glob("cdt-*.md"))[:n]
    assert len(files) == n, f"{EXAMPLES} has fewer than {n} CDT pages"
    return [f.read_bytes() for f in files]


def response(
    writer: WARCWriter,
    url: str,
    body: bytes,
    *,
    status: str = "200 OK",
    content_type: str = "text/html; charset=utf-8",
    date: str = "2024-01-31T12:00:00Z",
    extra: list[tuple[str, str]] | None = None,
    warc_headers: dict[str, str] | None = None,
) -> None:
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    http = StatusAndHeaders(status, headers + (extra or []), protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": date, **(warc_headers or {})},
    )
    writer.write_record(record)


def write_pages(path: Path, pages: list[bytes], *, gz: bool = True) -> list[str]:
    urls = [f"https://chinadigitaltimes.net/chinese/{700000 + i}.html" for i in range(len(pages))]
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz, warc_version="1.1")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for i, (url, body) in enumerate(zip(urls, pages, strict=True)):
            response(writer, url, body, date=f"2024-01-{i + 1:02d}T08:30:00Z")
    return urls


@pytest.mark.parametrize("gz", [True, False])
def test_response_records_become_captures_with_provenance(tmp_path: Path, gz: bool) -> None:
    pages = corpus_pages(3)
    path = tmp_path / ("a.warc.gz" if gz else "a.warc")
    urls = write_pages(path, pages, gz=gz)
    found = list(iter_warc_captures(path))
    assert all(isinstance(c, Capture) for c in found), found
    captures = [c for c in found if isinstance(c, Capture)]
    assert [c.data for c in captures] == pages
    assert [c.target_url for c in captures] == urls
    assert captures[1].captured_at == datetime(2024, 1, 2, 8, 30, tzinfo=UTC)
    assert {c.source_kind for c in captures} == {"warc"}
    assert captures[0].content_type == "text/html; charset=utf-8"
    assert captures[0].http_headers is not None
    assert captures[0].http_headers.startswith(b"HTTP/1.1 200 OK\r\n")
    # the source names the file and the record's offset: seeking there finds the same record
    for capture in captures:
        name, _, offset = capture.source.rpartition("#")
        assert name == str(path)
        with open(path, "rb") as fh:
            fh.seek(int(offset))
            record = next(iter(ArchiveIterator(fh)))
            assert record.rec_headers.get_header("WARC-Target-URI") == capture.target_url


def test_payload_digest_mismatch_is_an_error_and_reading_goes_on(tmp_path: Path) -> None:
    pages = corpus_pages(3)
    path = tmp_path / "flipped.warc"
    write_pages(path, pages, gz=False)
    raw = bytearray(path.read_bytes())
    at = raw.index(pages[1]) + 200  # a byte inside the second record's payload
    raw[at] = ord("X") if raw[at] != ord("X") else ord("Y")  # same length, different bytes
    path.write_bytes(bytes(raw))
    found = list(iter_warc_captures(path))
    assert [type(c) for c in found] == [Capture, CaptureError, Capture]
    error = found[1]
    assert isinstance(error, CaptureError)
    assert "digest mismatch" in error.reason
    assert error.source.startswith(f"{path}#")


def test_sha256_digests_in_hex_are_checked(tmp_path: Path) -> None:
    body = corpus_pages(1)[0]
    good = "sha256:" + hashlib.sha256(body).hexdigest()
    bad = "sha256:" + hashlib.sha256(body + b"x").hexdigest()
    path = tmp_path / "sha256.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        response(writer, "http://a.example/1", body, warc_headers={"WARC-Payload-Digest": good})
        response(writer, "http://a.example/2", body, warc_headers={"WARC-Payload-Digest": bad})
    first, second = iter_warc_captures(path)
    assert isinstance(first, Capture) and first.data == body
    assert isinstance(second, CaptureError) and "sha256" in second.reason


def test_revisit_resolves_to_its_original(tmp_path: Path) -> None:
    body = corpus_pages(1)[0]
    path = tmp_path / "revisit.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.1")
        response(writer, "http://a.example/page", body, date="2024-01-01T00:00:00Z")
        digest = "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        revisit = writer.create_revisit_record(
            "http://a.example/page",
            digest,
            "http://a.example/page",
            "2024-01-01T00:00:00Z",
            http_headers=http,
            warc_headers_dict={"WARC-Date": "2024-03-01T00:00:00Z"},
        )
        writer.write_record(revisit)
        # a revisit by digest alone, to a URL seen under another name
        orphan = writer.create_revisit_record(
            "http://mirror.example/page", digest, "http://elsewhere.example/x", "2020-01-01T00:00Z"
        )
        writer.write_record(orphan)
        missing = writer.create_revisit_record(
            "http://b.example/", "sha1:" + "A" * 32, "http://b.example/", "2020-01-01T00:00:00Z"
        )
        writer.write_record(missing)
    original, again, by_digest, lost = iter_warc_captures(path)
    assert isinstance(original, Capture) and isinstance(again, Capture)
    assert again.data == original.data == body
    assert again.captured_at == datetime(2024, 3, 1, tzinfo=UTC)
    assert again.source != original.source
    assert isinstance(by_digest, Capture) and by_digest.data == body
    assert by_digest.target_url == "http://mirror.example/page"
    assert isinstance(lost, CaptureError) and "not found" in lost.reason


def test_non_pages_are_kept_and_error_statuses_skipped(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    path = tmp_path / "mixed.warc.gz"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        response(writer, "http://a.example/logo.png", png, content_type="image/png")
        response(writer, "http://a.example/gone", b"Not Found", status="404 Not Found")
        response(writer, "http://a.example/moved", b"", status="301 Moved Permanently")
        request = writer.create_warc_record(
            "http://a.example/logo.png",
            "request",
            payload=io.BytesIO(b"GET /logo.png HTTP/1.1\r\nHost: a.example\r\n\r\n"),
        )
        writer.write_record(request)
        resource = writer.create_warc_record(
            "file:///notes.txt",
            "resource",
            payload=io.BytesIO("笔记".encode()),
            warc_content_type="text/plain; charset=utf-8",
        )
        writer.write_record(resource)
    image, gone, moved, note = iter_warc_captures(path)
    assert isinstance(image, Capture) and image.data == png and image.content_type == "image/png"
    assert isinstance(gone, Skipped) and "404" in gone.reason
    assert isinstance(moved, Skipped) and "301" in moved.reason
    assert isinstance(note, Capture) and note.data == "笔记".encode()
    assert note.content_type == "text/plain; charset=utf-8" and note.http_headers is None


def test_chunked_and_gzip_encoded_bodies_are_decoded(tmp_path: Path) -> None:
    body = corpus_pages(1)[0]
    packed = gzip.compress(body)
    chunked = (
        b"".join(
            b"%x\r\n%s\r\n" % (len(packed[i : i + 700]), packed[i : i + 700])
            for i in range(0, len(packed), 700)
        )
        + b"0\r\n\r\n"
    )
    path = tmp_path / "encoded.warc"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        http = StatusAndHeaders(
            "200 OK",
            [
                ("Content-Type", "text/html"),
                ("Content-Encoding", "gzip"),
                ("Transfer-Encoding", "chunked"),
            ],
            protocol="HTTP/1.1",
        )
        record = writer.create_warc_record(
            "http://a.example/",
            "response",
            payload=io.BytesIO(chunked),
            length=len(chunked),
            http_headers=http,
        )
        writer.write_record(record)
    (capture,) = iter_warc_captures(path)
    assert isinstance(capture, Capture)
    assert capture.data == body
    assert capture.http_headers is not None and b"chunked" in capture.http_headers


@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("where", ["headers", "payload"])
def test_truncated_warc_yields_what_is_readable_then_an_error(
    tmp_path: Path, gz: bool, where: str
) -> None:
    pages = corpus_pages(4)
    whole = tmp_path / ("whole.warc.gz" if gz else "whole.warc")
    write_pages(whole, pages, gz=gz)
    offsets = [int(c.source.rpartition("#")[2]) for c in iter_warc_captures(whole)]
    cut = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    # cut inside the third page record: in its WARC headers, or half way through it
    end = offsets[2] + 100 if where == "headers" else (offsets[2] + offsets[3]) // 2
    cut.write_bytes(whole.read_bytes()[:end])
    found = list(iter_warc_captures(cut))
    good = [c for c in found if isinstance(c, Capture)]
    errors = [c for c in found if isinstance(c, CaptureError)]
    assert [c.data for c in good] == pages[:2]
    assert len(errors) == 1
    assert errors[0].source == f"{cut}#{offsets[2]}"
    assert str(cut) in str(errors[0])


def test_garbage_in_the_middle_keeps_the_records_before_it(tmp_path: Path) -> None:
    pages = corpus_pages(3)
    whole = tmp_path / "whole.warc.gz"
    write_pages(whole, pages)
    offsets = [int(c.source.rpartition("#")[2]) for c in iter_warc_captures(whole)]
    data = whole.read_bytes()
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(data[: offsets[1]] + b"this is not a gzip member at all\n" * 20)
    found = list(iter_warc_captures(broken))
    assert isinstance(found[0], Capture) and found[0].data == pages[0]
    assert isinstance(found[-1], CaptureError)
    assert "truncated or corrupt" in found[-1].reason


def test_not_a_warc_and_missing_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"hello, I am a text file\n" * 10)
    (error,) = iter_warc_captures(junk)
    assert isinstance(error, CaptureError) and error.source.startswith(str(junk))
    (missing,) = iter_warc_captures(tmp_path / "nope.warc.gz")
    assert isinstance(missing, CaptureError) and "cannot open" in missing.reason


def test_oversized_record_is_reported_and_the_next_is_read(tmp_path: Path) -> None:
    pages = corpus_pages(3)
    path = tmp_path / "big.warc.gz"
    write_pages(path, pages)
    limit = len(pages[1]) - 1
    small = [p for p in pages if len(p) <= limit]
    found = list(iter_warc_captures(path, max_payload=limit))
    assert [c.data for c in found if isinstance(c, Capture)] == small
    errors = [c for c in found if isinstance(c, CaptureError)]
    assert len(errors) == len(pages) - len(small) and "larger than" in errors[0].reason


def test_warc_dates() -> None:
    assert parse_warc_date("2024-01-31T12:00:00Z") == datetime(2024, 1, 31, 12, tzinfo=UTC)
    assert parse_warc_date("2024-01-31T12:00:00.123456Z") == datetime(
        2024, 1, 31, 12, 0, 0, 123456, tzinfo=UTC
    )
    assert parse_warc_date("not a date") is None
    assert parse_warc_date(None) is None


def test_revisit_of_a_record_the_index_forgot_is_found_by_rescan(tmp_path: Path) -> None:
    pages = corpus_pages(3)
    path = tmp_path / "long.warc.gz"
    urls = write_pages(path, pages)
    first_digest = "sha1:" + base64.b32encode(hashlib.sha1(pages[0]).digest()).decode()
    with open(path, "ab") as fh:
        writer = WARCWriter(fh, gzip=True)
        by_date = writer.create_revisit_record(
            "http://again.example/1", first_digest, urls[0], "2024-01-01T08:30:00Z"
        )
        by_digest = writer.create_revisit_record(
            "http://again.example/2",
            first_digest,
            "http://unknown.example/",
            "2019-01-01T00:00:00Z",
        )
        writer.write_record(by_date)
        writer.write_record(by_digest)
    found = list(iter_warc_captures(path, index_limit=1))  # remembers only the last record
    assert [c.data for c in found if isinstance(c, Capture)] == [*pages, pages[0], pages[0]]
