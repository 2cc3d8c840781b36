"""Export to WARC and WACZ: the files pass warcio's, pywb's and py-wacz's own checks, and
re-ingesting the WARC into an empty archive gives back the same documents, versions, bytes."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import func, select
from warcio.archiveiterator import ArchiveIterator

from cunzhao import Archive, Filters
from cunzhao.capture.model import Capture
from cunzhao.capture.warc import iter_warc_captures
from cunzhao.export.wacz import surt_key
from cunzhao.export.warc import ExportRecord, write_warc
from cunzhao.store.schema import blobs, cases, documents, stats, versions

BIN = Path(sys.executable).parent
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def _pages(corpus: Path) -> list[Path]:
    """A dozen pages, plus both captures of a page that changed (``.v2`` is the earlier)."""
    pages = sorted((corpus / "cdt").glob("*.md"))
    singles = [p for p in pages if ".v" not in p.name][:12]
    earlier = next(p for p in pages if p.name.startswith("399605_") and ".v2." in p.name)
    later = next(p for p in pages if p.name.startswith("399605_") and ".v" not in p.name)
    return [corpus / "seed" / "704712.md", *singles, earlier, later]


def _fill(archive: Archive, corpus: Path) -> None:
    """Captures as an HTTP fetch would record them, one of them not a page."""
    for i, page in enumerate(_pages(corpus)):
        headers = (
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Content-Encoding: gzip\r\nServer: test\r\n\r\n"
        )
        capture = Capture(
            data=page.read_bytes(),
            source=f"http://127.0.0.1:9/{page.name}",
            source_kind="http",
            target_url=None,
            captured_at=datetime(2024, 1, 1 + i, 12, tzinfo=UTC),
            content_type="text/html; charset=utf-8",
            http_headers=headers if i % 2 else None,
        )
        result = archive.ingest_capture(capture)
        assert result.outcome in ("ingested", "new_version"), result
    image = Capture(
        PNG,
        "http://127.0.0.1:9/logo.png",
        "http",
        "http://127.0.0.1:9/logo.png",
        datetime(2024, 2, 1, tzinfo=UTC),
        "image/png",
    )
    assert archive.ingest_capture(image).outcome == "stored"


def _snapshot(archive: Archive) -> tuple[list[tuple[object, ...]], set[str]]:
    with archive.engine.connect() as conn:
        rows = conn.execute(
            select(
                documents.c.url,
                versions.c.n,
                versions.c.title,
                versions.c.published,
                versions.c.body,
            )
            .join(versions, versions.c.document_id == documents.c.id)
            .order_by(documents.c.url, versions.c.n)
        ).all()
        hashes = set(conn.execute(select(blobs.c.sha256)).scalars())
    return [tuple(r) for r in rows], hashes


def test_export_passes_warcio_check_and_round_trips(
    archive_location: str, corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.warc.gz"
    with Archive.open(archive_location) as archive:
        _fill(archive, corpus)
        summary = archive.export_warc(out)
        before = _snapshot(archive)
        with archive.engine.connect() as conn:
            n_captures = conn.execute(select(func.count()).select_from(blobs)).scalar_one()
    assert summary.records == n_captures == len(_pages(corpus)) + 1
    check = subprocess.run(
        [BIN / "warcio", "check", "-v", str(out)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("digest pass") == 2 * summary.records + 1  # + warcinfo

    read_back = [c for c in iter_warc_captures(out) if isinstance(c, Capture)]
    assert PNG in [c.data for c in read_back]
    # stored bytes are decoded, so the original encoding header is kept renamed
    headers = [c.http_headers or b"" for c in read_back]
    assert all(h.startswith(b"HTTP/1.1 200") for h in headers)
    assert not any(b"\r\nContent-Encoding:" in h for h in headers)
    assert sum(b"\r\nX-Archive-Orig-Content-Encoding: gzip" in h for h in headers) == 7

    empty = tmp_path / "again.db"
    with Archive.open(empty) as again:
        result = again.ingest([out])
        assert result.failed == 0, result.failures
        assert result.counts.get("stored") == 1
        assert _snapshot(again) == before
        assert len(before[0]) == len(_pages(corpus))  # two versions of one document


def test_metadata_records_carry_provenance(tmp_path: Path, corpus: Path) -> None:
    out = tmp_path / "meta.warc.gz"
    with Archive.open(tmp_path / "a.db") as archive:
        _fill(archive, corpus)
        archive.export_warc(out)
    with open(out, "rb") as fh:
        kinds = []
        metadata = []
        for record in ArchiveIterator(fh):
            kinds.append(record.rec_type)
            if record.rec_type == "metadata":
                metadata.append(record.content_stream().read().decode())
    assert kinds[0] == "warcinfo"
    assert kinds[1:] == ["response", "metadata"] * (len(kinds) // 2)
    first = dict(line.split(": ", 1) for line in metadata[0].strip().splitlines())
    assert first["cunzhao-source-kind"] == "http"
    assert first["cunzhao-version"] == "1"
    assert len(first["cunzhao-sha256"]) == 64
    assert first["cunzhao-document-url"].startswith("https://chinadigitaltimes.net/")


def test_filters_select_documents(tmp_path: Path, corpus: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        _fill(archive, corpus)
        with archive.engine.connect() as conn:
            tag, n_tagged = conn.execute(
                select(versions.c.series_tag, func.count())
                .where(versions.c.series_tag.is_not(None))
                .group_by(versions.c.series_tag)
                .order_by(func.count().desc())
            ).first()  # type: ignore[misc]
        summary = archive.export_warc(tmp_path / "tag.warc.gz", Filters(tag=tag))
        one = archive.export_warc(tmp_path / "one.warc.gz", Filters(document_ids=frozenset({1})))
    assert summary.records == n_tagged
    assert {e.document_id for e in one.entries} == {1}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_pywb_replays_an_exported_page(tmp_path: Path, corpus: Path) -> None:
    out = tmp_path / "replay.warc.gz"
    with Archive.open(tmp_path / "a.db") as archive:
        _fill(archive, corpus)
        summary = archive.export_warc(out)
        entry = summary.entries[0]
        raw = archive.raw(entry.document_id or 0, version=entry.version_n)
    site = tmp_path / "pywb"
    site.mkdir()
    for args in (["init", "cz"], ["add", "cz", str(out)]):
        done = subprocess.run(
            [BIN / "wb-manager", *args], cwd=site, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
    port = _free_port()
    server = subprocess.Popen(
        [BIN / "wayback", "-p", str(port), "-b", "127.0.0.1"],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        stamp = "".join(ch for ch in entry.warc_date if ch.isdigit())
        url = f"http://127.0.0.1:{port}/cz/{stamp}id_/{entry.url}"
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(url, timeout=10)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "pywb did not start within 60 s"
                time.sleep(0.3)
        assert answer.status_code == 200
        assert answer.content == raw
        assert answer.headers["memento-datetime"]
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_wacz_passes_wacz_validate(tmp_path: Path, corpus: Path) -> None:
    out = tmp_path / "archive.wacz"
    with Archive.open(tmp_path / "a.db") as archive:
        _fill(archive, corpus)
        result = archive.export_wacz(out)
        with archive.engine.connect() as conn:
            n_facts = sum(
                conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (stats, cases)
            )
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    done = subprocess.run(
        [BIN / "wacz", "validate", "-f", str(out)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0 and "Validation succeeded" in done.stdout, done.stdout
    with zipfile.ZipFile(out) as package:
        names = set(package.namelist())
        assert {
            "archive/data.warc.gz",
            "indexes/index.cdx",
            "pages/pages.jsonl",
            "facts/facts.jsonl",
            "datapackage.json",
        } <= names
        assert package.getinfo("archive/data.warc.gz").compress_type == zipfile.ZIP_STORED
        index = package.read("indexes/index.cdx").decode().splitlines()
        pages = package.read("pages/pages.jsonl").decode().splitlines()
        facts = package.read("facts/facts.jsonl").decode().splitlines()
        warc = package.read("archive/data.warc.gz")
    assert len(index) == result.records and index == sorted(index)
    assert json.loads(pages[0])["format"] == "json-pages-1.0"
    assert len(pages) - 1 == result.pages == len(_pages(corpus))
    assert json.loads(facts[0])["format"] == "cunzhao-facts-1"
    assert len(facts) - 1 == result.facts == n_facts > 0
    kinds = {json.loads(line)["type"] for line in facts[1:]}
    assert "stat" in kinds
    seed_facts = [json.loads(f) for f in facts[1:] if "704712" in f]
    assert any(f.get("value") == 10646 for f in seed_facts)
    # every index line points at the record it names
    for line in index:
        key, _stamp, fields = line.split(" ", 2)
        entry = json.loads(fields)
        assert key == surt_key(entry["url"])
        offset, length = int(entry["offset"]), int(entry["length"])
        member = warc[offset : offset + length]
        record = next(iter(ArchiveIterator(io.BytesIO(member))))
        assert record.rec_headers.get_header("WARC-Target-URI") == entry["url"]


def test_surt_keys() -> None:
    assert surt_key("https://www.cac.gov.cn/2024-01/31/c_1.htm") == "cn,gov,cac)/2024-01/31/c_1.htm"
    assert surt_key("https://chinadigitaltimes.net/chinese/704712.html") == (
        "net,chinadigitaltimes)/chinese/704712.html"
    )


def test_wacz_validate_rejects_a_tampered_package(tmp_path: Path, corpus: Path) -> None:
    """The check above can fail: change one byte of the page list and validation fails."""
    out = tmp_path / "archive.wacz"
    with Archive.open(tmp_path / "a.db") as archive:
        _fill(archive, corpus)
        archive.export_wacz(out)
    tampered = tmp_path / "tampered.wacz"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "pages/pages.jsonl":
                data = data.replace(b"All Pages", b"All Pagez")
            dst.writestr(info, data)
    done = subprocess.run(
        [BIN / "wacz", "validate", "-f", str(tampered)], capture_output=True, text=True, check=False
    )
    assert done.returncode != 0 or "Validation succeeded" not in done.stdout
    assert shutil.which("wacz") or (BIN / "wacz").exists()


def test_wrapped_page_files_round_trip(corpus: Path, tmp_path: Path) -> None:
    files = _pages(corpus)
    out = tmp_path / "files.warc.gz"
    with Archive.open(tmp_path / "a.db") as archive:
        assert archive.ingest(files).failed == 0
        archive.export_warc(out)
        before = _snapshot(archive)
    with Archive.open(tmp_path / "b.db") as again:
        assert again.ingest([out]).failed == 0
        assert _snapshot(again) == before


def test_duplicate_bytes_are_written_as_a_revisit_and_read_back(
    corpus: Path, tmp_path: Path
) -> None:
    body = (corpus / "seed" / "704712.md").read_bytes()
    sha = hashlib.sha256(body).hexdigest()

    def record(capture_id: int, url: str, when: str) -> ExportRecord:
        return ExportRecord(
            capture_id=capture_id,
            data=body,
            sha256=sha,
            source=f"http://x/{capture_id}",
            source_kind="http",
            target_url=url,
            captured_at=when,
            ingested_at="2026-01-01T00:00:00Z",
            tool_version="0.1.0",
            content_type="text/html; charset=utf-8",
            http_headers=None,
        )

    out = tmp_path / "dup.warc.gz"
    written = write_warc(
        [
            record(1, "http://a.example/p", "2024-01-01T00:00:00Z"),
            record(2, "http://b.example/q", "2024-02-01T00:00:00Z"),
        ],
        out,
    )
    assert (written.records, written.revisits) == (2, 1)
    assert [e.record_type for e in written.entries] == ["response", "revisit"]
    check = subprocess.run([BIN / "warcio", "check", str(out)], capture_output=True, check=False)
    assert check.returncode == 0
    first, second = (c for c in iter_warc_captures(out) if isinstance(c, Capture))
    assert first.data == second.data == body
    assert second.target_url == "http://b.example/q"
    assert second.captured_at == datetime(2024, 2, 1, tzinfo=UTC)
