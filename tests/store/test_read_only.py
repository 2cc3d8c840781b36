"""Archives that cannot be written: read-only media, files without write permission, and
archives opened read-only on purpose. They open and read; a write fails with one clear error.

"Read-only media" is a folder and file with no write permission for anyone. Root may write
there anyway, so these tests also hold under root (as in CI): cunzhao takes the permission
bits as the owner's word and opens the file ``immutable``, and the tests check that no
``-wal``/``-shm`` file appears beside it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from cunzhao import Archive
from cunzhao.store.engine import sqlite_access
from cunzhao.store.failures import ReadOnlyArchive
from testenv import EXAMPLES


@contextmanager
def _frozen(*paths: Path) -> Iterator[None]:
    """No write permission for anyone on ``paths`` (folders and files), restored on exit."""
    modes = {path: path.stat().st_mode for path in paths}
    try:
        for path in paths:
            path.chmod(0o555 if path.is_dir() else 0o444)
        yield
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


@pytest.fixture
def closed_archive(tmp_path: Path, seed_path: Path) -> Path:
    """A SQLite archive holding the seed page, closed: no -wal or -shm beside it."""
    path = tmp_path / "media" / "archive.db"
    path.parent.mkdir()
    with Archive.open(path) as archive:
        assert archive.ingest([seed_path]).counts == {"ingested": 1}
    assert _beside(path) == []
    return path


def _beside(path: Path) -> list[str]:
    """The SQLite files beside the archive's own (``-wal``, ``-shm``, ``-journal``)."""
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-"))


@pytest.mark.parametrize("asked", [True, False])
def test_an_archive_on_read_only_media_opens_and_reads_without_writing_a_file(
    closed_archive: Path, asked: bool
) -> None:
    folder = closed_archive.parent
    with _frozen(folder, closed_archive):
        assert sqlite_access(closed_archive, read_only=asked)[0] == "immutable"
        with Archive.open(closed_archive, read_only=asked) as archive:
            assert archive.count_documents() == 1
            doc = archive.document(1)
            assert doc is not None and doc.series_tag == "立此存照"
            assert archive.search("约谈").total >= 1
            assert archive.change_marker()() == archive.change_marker()()
        assert _beside(closed_archive) == []


def test_the_web_app_serves_an_archive_on_read_only_media(closed_archive: Path) -> None:
    from fastapi.testclient import TestClient

    from cunzhao.web import create_app

    with _frozen(closed_archive.parent, closed_archive), \
            TestClient(create_app(closed_archive)) as client:
        assert client.get("/").status_code == 200
        assert client.get("/doc/1").status_code == 200
        assert client.get("/api/documents/1").json()["id"] == 1
    assert _beside(closed_archive) == []


def test_a_write_to_read_only_media_fails_once_and_clearly(
    closed_archive: Path, tmp_path: Path
) -> None:
    page = tmp_path / "changed.md"
    page.write_bytes((EXAMPLES / "seed-704712.md").read_bytes().replace(b"2023", b"2022"))
    with _frozen(closed_archive.parent, closed_archive):
        with Archive.open(closed_archive) as archive:  # not asked: the file says so
            summary = archive.ingest([page, EXAMPLES])
            assert summary.counts == {"failed": 1}
            assert summary.stopped is not None and summary.failures[0].fatal
            assert "read-only" in summary.stopped and "not writable" in summary.stopped
            with pytest.raises(ReadOnlyArchive, match=r"archive .*archive\.db is read-only"):
                archive.reindex()
        run = subprocess.run(
            [sys.executable, "-m", "cunzhao", "ingest", "--quiet", "--db", str(closed_archive),
             str(page), str(EXAMPLES)],
            check=False, capture_output=True, text=True, timeout=120,
        )
    assert run.returncode == 1
    assert run.stderr.count("read-only") == 1 and "Traceback" not in run.stderr
    assert run.stdout.strip().endswith("1 failed")
    with Archive.open(closed_archive) as archive:
        assert archive.counts()["versions"] == 1


def test_uncheckpointed_commits_are_read_from_a_read_only_folder(
    tmp_path: Path, seed_path: Path
) -> None:
    path = tmp_path / "archive.db"
    with Archive.open(path) as writer:  # stays open: its commits wait in the -wal file
        writer.ingest([seed_path])
        assert path.with_name("archive.db-wal").stat().st_size > 0
        with _frozen(tmp_path):
            assert sqlite_access(path)[0] == "ro"  # immutable would miss the -wal's pages
            with Archive.open(path, create=False) as reader:
                assert reader.count_documents() == 1
                with pytest.raises(ReadOnlyArchive, match="is not writable"):
                    reader.reindex()


def test_an_archive_opened_read_only_refuses_writes(archive_location: str) -> None:
    Archive.open(archive_location).close()
    with Archive.open(archive_location, read_only=True) as archive:
        with pytest.raises(ReadOnlyArchive, match="opened read-only"):
            archive.reindex()
        summary = archive.ingest([EXAMPLES])
        assert summary.counts == {"skipped": 1, "failed": 1}  # README.md, then the first page
        assert summary.stopped is not None and "read-only" in summary.stopped
    with Archive.open(archive_location) as archive:
        assert archive.count_documents() == 0


def test_writable_archives_open_read_write(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    assert sqlite_access(path) == ("rw", None)  # not there yet: created
    Archive.open(path).close()
    assert sqlite_access(path) == ("rw", None)
    assert sqlite_access(path, read_only=True) == ("ro", "opened read-only")
