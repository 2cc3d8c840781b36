"""`cunzhao copy`: a whole archive moves between backends, resumes after a stop, and verifies."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cunzhao import Filters
from cunzhao.archive import Archive
from cunzhao.cli import app
from cunzhao.store.copy import CopyMismatch, copy_archive, verify_copy
from cunzhao.store.schema import blobs

QUERIES = ("约谈", "网信办", '"关闭违法违规账号"', "百度 -必应", "知网")


class Stop(Exception):
    pass


def _snapshot(archive: Archive) -> dict[str, object]:
    docs = archive.documents()
    return {
        "documents": [(d.id, d.url, d.title, d.versions) for d in docs],
        "raw": {d.id: archive.raw(d.id) for d in docs},
        "facts": {d.id: (archive.document(d.id).stats, archive.document(d.id).cases)  # type: ignore[union-attr]
                  for d in docs},
        "search": {q: [h.document_id for h in archive.search(q, Filters(),
                                                        sort="date").hits] for q in QUERIES},
    }


def test_sqlite_to_postgresql_resumes_and_verifies(tmp_path: Path, corpus: Path, pg_url: str) -> None:
    pages = sorted((corpus / "cdt").glob("*.md"))[:40] + [corpus / "seed" / "704712.md"]
    source = Archive.open(tmp_path / "source.db")
    assert source.ingest(pages).failed == 0
    target = Archive.open(pg_url)

    def stop_early(table: str, written: int) -> None:
        if table == "captures":
            raise Stop

    with pytest.raises(Stop):
        copy_archive(source.engine, target.engine, batch=10, on_batch=stop_early)
    with pytest.raises(CopyMismatch):
        verify_copy(source.engine, target.engine)  # part-way: blobs are there, not the rest

    report = copy_archive(source.engine, target.engine, batch=10)
    assert report.copied["blobs"] == 0  # resumed after what was committed
    assert target.reindex() == source.counts()["documents"]  # the store copies no index
    assert report.counts["versions"] == source.counts()["versions"]
    assert report.blobs_verified == report.counts["blobs"] > 0
    assert _snapshot(target) == _snapshot(source)
    # the target keeps working: a new capture gets a fresh id after the copied ones
    added = target.ingest([corpus / "cdt" / sorted(p.name for p in (corpus / "cdt").glob("*.md"))[50]])
    assert added.counts == {"ingested": 1}
    assert max(d.id for d in target.documents()) == source.counts()["documents"] + 1
    source.close()
    target.close()


def test_copy_command_and_a_corrupt_blob_is_caught(tmp_path: Path, seed_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as source:
        source.ingest([seed_path])
    runner = CliRunner()
    done = runner.invoke(app, ["copy", "--from", str(tmp_path / "a.db"), "--to", str(tmp_path / "b.db")])
    assert done.exit_code == 0, done.output
    assert "copied and verified" in done.output and "1 blob hashes checked" in done.output
    with Archive.open(tmp_path / "b.db") as target:
        assert target.raw(1) == seed_path.read_bytes()
        with target.engine.begin() as conn:
            conn.execute(blobs.update().values(data=b"tampered", compression="none"))
        with Archive.open(tmp_path / "a.db") as source, pytest.raises(CopyMismatch, match="hash"):
            verify_copy(source.engine, target.engine)
