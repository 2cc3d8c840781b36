"""`cunzhao backup`: a consistent copy of a live archive, restored and verified — SQLite's
online backup API, and pg_dump / pg_restore for PostgreSQL — taken while another process
ingests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from cunzhao import Archive, BackupError
from cunzhao.cli import app
from testenv import fresh_pg_database

# Another process: ingest the first N of the corpus's CDT pages, four per transaction.
WRITER = """
import sys
from pathlib import Path
from cunzhao import Archive
with Archive.open(sys.argv[1]) as archive:
    summary = archive.ingest(sorted(Path(sys.argv[2]).glob("*.md"))[:int(sys.argv[3])],
                             batch_size=4)
sys.exit(1 if summary.failed else 0)
"""


Taken = tuple[Path, int, int]  # a backup; documents in the archive just before, just after


def _backups_during_ingest(
    archive: Archive, location: str, pages: Path, count: int, dest: Callable[[int], Path]
) -> list[Taken]:
    """Back the archive up again and again while another process ingests ``count`` of
    ``pages`` into it; only the backups certainly taken mid-ingest (the other process had
    committed some pages before, and had not finished after)."""
    writer = subprocess.Popen([sys.executable, "-c", WRITER, location, str(pages), str(count)])
    taken: list[Taken] = []
    try:
        while writer.poll() is None:
            before = archive.count_documents()
            made = archive.backup(dest(len(taken)))
            taken.append((made.path, before, archive.count_documents()))
            time.sleep(0.05)
    finally:
        assert writer.wait(timeout=600) == 0
    final = archive.count_documents()
    during = [t for t in taken if t[1] > 1 and t[2] < final]
    assert during, (taken, final)
    return during


def _restore(stack: ExitStack, dump: Path) -> str:
    """The URL of a fresh database (dropped with ``stack``) holding ``dump``, by pg_restore."""
    url = stack.enter_context(fresh_pg_database("restore"))
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    done = subprocess.run(["pg_restore", "--no-owner", f"--dbname={libpq}", str(dump)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return url


def _verified_documents(location: str | Path) -> int:
    with Archive.open(location, read_only=True) as copy:
        report = copy.verify(quick=True)
        assert report.ok, [str(p) for p in report.problems]
        return copy.count_documents()


def test_sqlite_backup_while_another_process_ingests(
    tmp_path: Path, corpus: Path, seed_path: Path
) -> None:
    live = tmp_path / "live.db"
    with Archive.open(live) as archive:
        archive.ingest([seed_path])
        during = _backups_during_ingest(archive, str(live), corpus / "cdt", 160,
                                        lambda i: tmp_path / f"backup-{i}.db")
        final = archive.count_documents()
        last = archive.backup(tmp_path / "final.db")
        assert last.method == "SQLite online backup" and last.size == last.path.stat().st_size
    assert not list(tmp_path.glob(".*.part"))  # nothing half-written left behind
    for path, before, after in during[:: max(1, len(during) // 4)]:
        assert before <= _verified_documents(path) <= after  # one snapshot, consistent
    with Archive.open(last.path, read_only=True) as restored:
        assert restored.verify().ok  # the full check, every version parsed again
        assert restored.count_documents() == final


def test_postgresql_backup_while_another_process_ingests(
    pg_url: str, tmp_path: Path, corpus: Path, seed_path: Path
) -> None:
    with Archive.open(pg_url) as archive:
        archive.ingest([seed_path])
        during = _backups_during_ingest(archive, pg_url, corpus / "cdt", 60,
                                        lambda i: tmp_path / f"backup-{i}.dump")
        final = archive.counts()
        last = archive.backup(tmp_path / "final.dump")
        assert last.method.startswith("pg_dump 15.") and last.method.endswith("custom format")
    with ExitStack() as stack:
        path, before, after = during[0]
        assert before <= _verified_documents(_restore(stack, path)) <= after
        with Archive.open(_restore(stack, last.path), read_only=True) as copy:
            assert copy.verify().ok  # the full check, every version parsed again
            assert copy.counts() == final


def test_backup_refuses_an_existing_file(archive_location: str, tmp_path: Path,
                                         seed_path: Path) -> None:
    there = tmp_path / "there.bak"
    there.write_bytes(b"keep me")
    with Archive.open(archive_location) as archive:
        archive.ingest([seed_path])
        with pytest.raises(BackupError, match="already exists: a backup never overwrites"):
            archive.backup(there)
        with pytest.raises(BackupError, match="is not a folder"):
            archive.backup(tmp_path / "no-such-folder" / "x.bak")
    assert there.read_bytes() == b"keep me"


def test_pg_dump_missing_or_of_another_major_version(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    with Archive.open(pg_url) as archive:
        monkeypatch.setenv("PATH", str(tools))
        with pytest.raises(BackupError,
                           match=r"pg_dump not found on PATH: .* major version \(15\)"):
            archive.backup(tmp_path / "a.dump")
        old = tools / "pg_dump"  # a pg_dump of another major version, as an old package has
        old.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 14.9'\n")
        old.chmod(0o755)
        with pytest.raises(BackupError, match=r"is 'pg_dump \(PostgreSQL\) 14.9', the server is "
                                              r"PostgreSQL 15: a backup needs the pg_dump of"):
            archive.backup(tmp_path / "a.dump")
    assert not list(tmp_path.glob("*.dump")) and not list(tmp_path.glob(".*.part"))


def test_backup_command(tmp_path: Path, seed_path: Path) -> None:
    db = str(tmp_path / "a.db")
    with Archive.open(db) as archive:
        archive.ingest([seed_path])
    os.chmod(db, 0o444)  # a backup only reads: an archive on read-only media is backed up too
    runner = CliRunner()
    done = runner.invoke(app, ["backup", str(tmp_path / "b.db"), "--db", db])
    assert done.exit_code == 0, done.output
    assert "backed up to" in done.output and "(SQLite online backup)" in done.output
    again = runner.invoke(app, ["backup", str(tmp_path / "b.db"), "--db", db])
    assert again.exit_code == 1 and "already exists" in again.output
    checked = runner.invoke(app, ["verify", "--db", str(tmp_path / "b.db")])
    assert checked.exit_code == 0, checked.output
