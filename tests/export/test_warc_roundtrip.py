"""Export → WARC → ingest into a fresh archive keeps which version is latest and every
capture time, "never known" included (issue 15, item 7), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from cunzhao import Archive
from cunzhao.store.schema import captures, documents, versions
from testenv import EXAMPLES, fresh_pg_database, missing_shared, shared_location

Versions = dict[tuple[str, str], tuple[str | None, bool]]


def _source() -> Path:
    """The shared corpus when present, else the sample in ``examples/``."""
    return EXAMPLES if missing_shared() else shared_location() / "corpus"


def _versions(archive: Archive) -> Versions:
    """(document URL, sha256 of the version's bytes) → (capture time, is it the latest)."""
    with archive.engine.connect() as conn:
        rows = conn.execute(
            select(documents.c.url, captures.c.sha256, versions.c.captured_at,
                   versions.c.is_latest)
            .join(versions, versions.c.document_id == documents.c.id)
            .join(captures, captures.c.id == versions.c.capture_id)
        ).all()
    return {(r.url, r.sha256): (r.captured_at, bool(r.is_latest)) for r in rows}


@contextmanager
def _second(location: str, tmp_path: Path) -> Iterator[str]:
    """A second fresh archive on the same backend as ``location``."""
    if location.startswith("postgresql"):
        with fresh_pg_database() as url:
            yield url
    else:
        yield str(tmp_path / "again.db")


def test_round_trip_keeps_latest_versions_and_capture_times(
    archive_location: str, tmp_path: Path
) -> None:
    out = tmp_path / "all.warc.gz"
    with Archive.open(archive_location) as archive:
        assert archive.ingest([_source()]).failed == 0
        before = _versions(archive)
        written = archive.export_warc(out)
    unknown = [key for key, (when, _) in before.items() if when is None]
    assert unknown, "the sample must hold versions whose capture time is not known"
    assert len({url for url, _ in before}) < len(before), "and documents with several versions"
    assert written.records == len(before) and not written.corrupt

    with open(out, "rb") as fh:
        marks = [r.rec_headers.get_header("WARC-Cunzhao-Captured-At")
                 for r in ArchiveIterator(fh) if r.rec_type in ("response", "resource")]
    assert marks.count("unknown") == len(unknown)

    with _second(archive_location, tmp_path) as location, Archive.open(location) as again:
        summary = again.ingest([out])
        assert summary.failed == 0, summary.failures
        after = _versions(again)
    assert after == before
