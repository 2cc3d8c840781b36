"""Ingest into real archives (SQLite file and PostgreSQL database): preserve, version, recover."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cunzhao.archive import Archive
from cunzhao.store.schema import blobs, captures, documents, versions


def _counts(archive: Archive) -> tuple[int, int, int, int]:
    with archive.engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (blobs, captures, documents, versions)
        )


def test_seed_is_preserved_parsed_and_round_trips(archive_location: str, seed_path: Path) -> None:
    with Archive.open(archive_location) as archive:
        summary = archive.ingest([seed_path])
        assert summary.counts == {"ingested": 1}
        doc = archive.document("https://chinadigitaltimes.net/chinese/704712.html")
        assert doc is not None
        assert doc.title.startswith("【立此存照】中央网信办")
        assert doc.series_tag == "立此存照"
        assert doc.published == "2024-01-31"
        assert doc.captured_at == "2024-02-02T03:19:02Z"
        assert doc.body.startswith("2023年，全国网信系统严格执行法律法规")
        assert [b.text for b in doc.blocks if b.kind == "h"][:1] == ["大力查处网上违法违规行为"]
        assert doc.card is not None
        assert doc.card["original_url"] == "http://www.cac.gov.cn/2024-01/31/c_1708373600499439.htm"
        assert doc.card["archive_url"].startswith("https://web.archive.org/web/")
        assert archive.raw(doc.id) == seed_path.read_bytes()
        assert doc.versions[0].sha256 == hashlib.sha256(seed_path.read_bytes()).hexdigest()


def test_reingest_adds_nothing_and_a_changed_copy_is_version_2(
    archive_location: str, seed_path: Path, tmp_path: Path
) -> None:
    changed = tmp_path / "changed.md"
    changed.write_bytes(seed_path.read_bytes().replace("严格执行".encode(), "认真执行".encode()))
    with Archive.open(archive_location) as archive:
        archive.ingest([seed_path])
        before = _counts(archive)
        again = archive.ingest([seed_path])
        assert again.counts == {"unchanged": 1}
        assert _counts(archive) == before
        second = archive.ingest([changed])
        assert second.counts == {"new_version": 1}
        doc = archive.document(1)
        assert doc is not None
        assert [v.n for v in doc.versions] == [1, 2]
        assert archive.raw(1, version=1) == seed_path.read_bytes()
        assert archive.raw(1, version=2) == changed.read_bytes()
        assert "认真执行" in doc.body  # same capture time: the later ingest is the latest


def test_bad_inputs_are_reported_and_the_batch_goes_on(
    archive_location: str, seed_path: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.html").write_bytes(b"")
    (bad / "binary.html").write_bytes(bytes(range(256)) * 8)
    good = bad / "seed.md"
    shutil.copy(seed_path, good)
    missing = tmp_path / "does-not-exist.md"
    with Archive.open(archive_location) as archive:
        summary = archive.ingest([bad, missing])
        assert summary.counts.get("ingested") == 1
        failed = {Path(f.source).name: f.error for f in summary.failures}
        assert set(failed) == {"empty.html", "binary.html", "does-not-exist.md"}
        assert all(failed.values())
        assert _counts(archive) == (1, 1, 1, 1)  # nothing half-written for the failures


def test_a_failure_inside_the_transaction_leaves_nothing_behind(
    archive_location: str, seed_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    with Archive.open(archive_location) as archive:
        # the search index is written last, after every other row of the batch
        monkeypatch.setattr("cunzhao.search.indexer.index_entries", broken)
        summary = archive.ingest([seed_path])
        assert summary.counts == {"failed": 1}
        assert "disk full" in (summary.failures[0].error or "")
        assert _counts(archive) == (0, 0, 0, 0)
