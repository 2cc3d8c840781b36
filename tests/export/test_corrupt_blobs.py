"""A damaged blob costs its own capture only (issue 15, item 9): WARC and WACZ exports write
every other capture and name the bad blob; ``cunzhao export`` and ``cunzhao raw`` end with a
one-line error and exit 1, never a traceback. On SQLite and PostgreSQL."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from cunzhao import Archive, CorruptBlob
from cunzhao.cli import app
from cunzhao.store.schema import blobs, captures, versions
from testenv import EXAMPLES

runner = CliRunner()


@pytest.fixture
def damaged(archive_location: str) -> Iterator[tuple[Archive, dict[str, str]]]:
    """The examples, with one blob's bytes swapped (hash mismatch) and one blob's bytes no
    longer zlib (cannot decompress); yields the archive and {sha256: what is wrong}."""
    with Archive.open(archive_location) as archive:
        assert archive.ingest([EXAMPLES]).failed == 0
        with archive.engine.begin() as conn:
            first, second = conn.execute(
                select(captures.c.sha256)
                .join(versions, versions.c.capture_id == captures.c.id)
                .order_by(captures.c.id)
                .limit(2)
            ).scalars()
            conn.execute(
                update(blobs).where(blobs.c.sha256 == first)
                .values(compression="zlib", data=zlib.compress(b"<p>other bytes</p>"))
            )
            conn.execute(
                update(blobs).where(blobs.c.sha256 == second)
                .values(compression="zlib", data=b"no longer zlib data")
            )
        yield archive, {first: "hash mismatch", second: "cannot decompress"}


def _captures(archive: Archive) -> int:
    with archive.engine.connect() as conn:
        return len(conn.execute(select(captures.c.id)).all())


def test_warc_and_wacz_exports_leave_out_only_the_bad_blobs(
    damaged: tuple[Archive, dict[str, str]], tmp_path: Path
) -> None:
    archive, bad = damaged
    total = _captures(archive)
    warc = archive.export_warc(tmp_path / "out.warc.gz")
    assert warc.records == total - 2
    assert {b.sha256: b.reason.split(" (")[0] for b in warc.corrupt} == bad
    with open(warc.path, "rb") as fh:
        kinds = [r.rec_type for r in ArchiveIterator(fh)]
    assert kinds.count("response") + kinds.count("resource") == total - 2
    wacz = archive.export_wacz(tmp_path / "out.wacz")
    assert wacz.records == total - 2 and wacz.pages == total - 2
    assert {b.sha256 for b in wacz.corrupt} == set(bad)
    with pytest.raises(CorruptBlob, match="hash mismatch"):
        archive.raw(1)


@pytest.mark.parametrize("flag", ["--warc", "--wacz"])
def test_cli_export_names_the_bad_blobs_and_exits_1(
    damaged: tuple[Archive, dict[str, str]], tmp_path: Path, flag: str
) -> None:
    archive, bad = damaged
    target = tmp_path / ("out.warc.gz" if flag == "--warc" else "out.wacz")
    result = runner.invoke(app, ["export", str(target), flag, "--db", archive.location, "-q"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert all(sha in errors[0] for sha in bad) and "hash mismatch" in errors[0]
    assert "2 capture(s) left out" in errors[0]
    assert target.exists()  # every other capture is written


def test_cli_raw_on_a_bad_blob_is_one_line_and_exit_1(
    damaged: tuple[Archive, dict[str, str]],
) -> None:
    archive, bad = damaged
    for document in (1, 2):
        result = runner.invoke(app, ["raw", str(document), "--db", archive.location])
        assert result.exit_code == 1
        assert "Traceback" not in result.output
        (line,) = result.output.strip().splitlines()
        assert line.startswith("error: blob ") and any(sha in line for sha in bad)
    good = runner.invoke(app, ["raw", "3", "--db", archive.location])
    assert good.exit_code == 0 and good.stdout_bytes
