"""A full disk stops an ingest at the first capture that does not fit, keeping what is committed.

The archive is made "full" with SQLite's ``PRAGMA max_page_count``: past that size every
write fails with the same ``SQLITE_FULL`` ("database or disk is full") that a full
filesystem gives, without needing one.
"""

from __future__ import annotations

import errno
import re
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import OperationalError

from cunzhao import Archive, Capture, IngestResult
from cunzhao.store.failures import stop_reason
from testenv import EXAMPLES

_URL = re.compile(rb"\]\((https?://[^)\s]+)\)")
_PAGES = 30


def _pages(folder: Path) -> Path:
    """``_PAGES`` pages, each a new document: the examples under new URLs."""
    folder.mkdir()
    seeds = sorted(p for p in EXAMPLES.glob("*.md") if p.name != "README.md")
    for i in range(_PAGES):
        data = seeds[i % len(seeds)].read_bytes()
        data = _URL.sub(lambda m, i=i: b"](%s?n=%d)" % (m[1], i), data, count=1)
        (folder / f"{i:03d}.md").write_bytes(data)
    return folder


def _fill_at(engine: Engine, extra_pages: int) -> None:
    """Every new connection may grow the database by ``extra_pages`` pages, no more."""
    engine.dispose()
    with engine.connect() as conn:
        limit = int(conn.exec_driver_sql("PRAGMA page_count").scalar_one()) + extra_pages
    engine.dispose()

    def limit_pages(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={limit}")

    event.listen(engine, "connect", limit_pages)


def test_ingest_stops_at_the_first_capture_that_does_not_fit(tmp_path: Path) -> None:
    folder = _pages(tmp_path / "pages")
    path = tmp_path / "archive.db"
    heard: list[IngestResult] = []
    with Archive.open(path) as archive:
        _fill_at(archive.engine, extra_pages=120)
        summary = archive.ingest([folder], on_result=heard.append)
        fits = summary.counts.get("ingested", 0)
        assert 1 <= fits < _PAGES - 1, summary.counts
        assert summary.counts == {"ingested": fits, "failed": 1}
        assert len(heard) == fits + 1  # nothing after the full disk was tried
        last = heard[-1]
        assert last.fatal and last.source == str(folder / f"{fits:03d}.md")
        assert summary.stopped == last.error
        assert last.error is not None and last.error.startswith(
            "disk full: database or disk is full — ingest stopped at this capture")
        alone = archive.ingest_capture(Capture(Path(last.source).read_bytes(), "again"))
        assert alone.fatal and alone.outcome == "failed"

    with Archive.open(path) as archive:  # space again: what was committed is whole
        with archive.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar_one() == "ok"
            indexed = conn.exec_driver_sql("SELECT count(*) FROM search_docs").scalar_one()
        assert archive.count_documents() == indexed == fits
        rest = archive.ingest([folder])
        assert rest.counts == {"ingested": _PAGES - fits, "unchanged": fits}
        assert rest.stopped is None


def test_what_counts_as_a_full_disk(tmp_path: Path) -> None:
    assert stop_reason(OSError(errno.ENOSPC, "No space left on device")) == (
        "disk full: [Errno 28] No space left on device")
    assert stop_reason(psycopg.errors.DiskFull("could not extend file")) == (
        "disk full: could not extend file")
    assert stop_reason(OSError(errno.EACCES, "Permission denied")) is None
    # A failed statement whose data mentions a full disk is not one.
    archive = Archive.open(tmp_path / "archive.db")
    with pytest.raises(OperationalError) as raised, archive.engine.begin() as conn:
        conn.execute(text("INSERT INTO no_such_table VALUES (:v)"),
                     {"v": "No space left on device"})
    archive.close()
    assert "No space left on device" in str(raised.value)
    assert stop_reason(raised.value) is None
