"""`cunzhao copy`: a whole archive moves between backends, resumes after a stop, catches up
with a source that changed since, and is verified by per-table checksums."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from cunzhao import Filters
from cunzhao.archive import Archive
from cunzhao.cli import app
from cunzhao.store.copy import TABLES, CopyMismatch, CopyRefused, copy_archive, verify_copy
from cunzhao.store.frontier import RunCounts, add_listed, finish_run, settle, start_run
from cunzhao.store.link_checks import LinkCheck, add_link_check
from cunzhao.store.schema import blobs, versions

QUERIES = ("约谈", "网信办", '"关闭违法违规账号"', "百度 -必应", "知网")
SEED_URL = "https://chinadigitaltimes.net/chinese/704712.html"


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


def newer_capture(seed_path: Path, folder: Path) -> Path:
    """The seed page captured again a day later, with its title edited by its publisher."""
    data = seed_path.read_bytes()
    assert data.startswith(b"<!--1706843942000-->")
    edited = data.replace(b"<!--1706843942000-->", b"<!--1706930342000-->", 1)
    edited = edited.replace("约谈".encode(), "约见".encode(), 1)
    assert edited != data
    path = folder / "704712-later.md"
    path.write_bytes(edited)
    return path


def change_source(archive: Archive, seed_path: Path, folder: Path) -> None:
    """What happens to an archive between two copies: a newer capture of a document (its old
    version stops being the latest), link checks, a sync frontier updated in place, and a
    re-extraction that replaces every fact row."""
    assert archive.ingest([newer_capture(seed_path, folder)]).counts == {"new_version": 1}
    document = archive.document(SEED_URL)
    assert document is not None
    with archive.engine.begin() as conn:
        for when, outcome in (("2024-03-01T00:00:00Z", "alive"), ("2024-03-02T00:00:00Z", "gone")):
            add_link_check(conn, LinkCheck(document.id, SEED_URL, when, outcome,
                                           200 if outcome == "alive" else 404, None, None))
        add_listed(conn, "cdt", [(SEED_URL, "2024-02-03"), ("https://example.org/a", None)])
        run = start_run(conn, "cdt")
        settle(conn, "cdt", SEED_URL, "fetched", http_status=200, etag='"abc"')
        finish_run(conn, run, RunCounts(changed=1, requests=2), None)
    archive.reextract()


@pytest.fixture(params=["sqlite-to-postgresql", "postgresql-to-sqlite"])
def ends(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str]:
    """(source, target) locations, one on each backend."""
    pg = str(request.getfixturevalue("pg_url"))
    sqlite = str(tmp_path / "archive.db")
    return (sqlite, pg) if request.param.startswith("sqlite") else (pg, sqlite)


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
    with pytest.raises(CopyMismatch, match="captures: .* rows in the source"):
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


def test_copy_again_after_the_source_changed(
    ends: tuple[str, str], tmp_path: Path, corpus: Path, seed_path: Path
) -> None:
    pages = sorted((corpus / "cdt").glob("*.md"))[:12] + [seed_path]
    with Archive.open(ends[0]) as source:
        assert source.ingest(pages).failed == 0
        first = source.copy_to(ends[1])
        assert first.copied["versions"] == 13 and sum(first.updated.values()) == 0

        change_source(source, seed_path, tmp_path)
        again = source.copy_to(ends[1])
        assert again.copied["versions"] == 1 and again.updated["versions"] == 1  # is_latest
        assert again.copied["link_checks"] == 2 and again.copied["sync_runs"] == 1
        assert again.copied["sync_urls"] == 2
        assert again.removed["stats"] + again.updated["stats"] > 0  # re-extracted facts
        assert again.copied["blobs"] == 1 and again.blobs_verified == 14
        assert {t.name for t in TABLES} <= set(again.checksums)
        with Archive.open(ends[1]) as target:
            check = verify_copy(source.engine, target.engine)
            assert check.checksums == again.checksums and check.counts == again.counts
            assert _snapshot(target) == _snapshot(source)
            shown = target.document(SEED_URL)
            assert shown is not None and [v.is_latest for v in shown.versions] == [False, True]
            assert "约见" in shown.title
            with target.engine.connect() as conn:
                latest = conn.execute(select(func.count()).select_from(versions)
                                      .where(versions.c.is_latest == 1)).scalar_one()
            assert latest == target.counts()["documents"]
        third = source.copy_to(ends[1])  # nothing left to send
        assert sum(third.copied.values()) + sum(third.updated.values()) == 0


def test_a_tampered_row_is_named_and_the_next_copy_repairs_it(ends: tuple[str, str],
                                                               seed_path: Path) -> None:
    with Archive.open(ends[0]) as source:
        source.ingest([seed_path])
        source.copy_to(ends[1])
        with Archive.open(ends[1]) as target:
            with target.engine.begin() as conn:
                conn.execute(update(versions).where(versions.c.id == 1).values(title="改过"))
            with pytest.raises(CopyMismatch,
                               match=r"versions: 1 rows .* versions 1 differs in title"):
                verify_copy(source.engine, target.engine)
            report = source.copy_to(ends[1])
            assert report.updated == {**report.updated, "versions": 1}
            assert target.document(1).title.startswith("【立此存照】")  # type: ignore[union-attr]


def test_a_target_that_is_not_a_copy_is_refused(ends: tuple[str, str], corpus: Path,
                                                 seed_path: Path) -> None:
    other = min((corpus / "cdt").glob("*.md"))
    with Archive.open(ends[0]) as source, Archive.open(ends[1]) as target:
        source.ingest([seed_path])
        target.ingest([other])
        with pytest.raises(CopyRefused, match="documents 1 has url=.* in the target but url="):
            source.copy_to(ends[1])
        assert target.documents()[0].url != SEED_URL  # nothing was written
        source.ingest([other])  # now the source holds the target's page too, as document 2
        with pytest.raises(CopyRefused, match="nothing was copied"):
            source.copy_to(ends[1])


def test_copy_command_twice_and_a_corrupt_blob_is_caught(tmp_path: Path, seed_path: Path) -> None:
    a, b = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    with Archive.open(a) as source:
        source.ingest([seed_path])
    runner = CliRunner()
    done = runner.invoke(app, ["copy", "--from", a, "--to", b])
    assert done.exit_code == 0, done.output
    assert "copied and verified" in done.output and "1 blob hashes checked" in done.output
    with Archive.open(a) as source:
        change_source(source, seed_path, tmp_path)
    again = runner.invoke(app, ["copy", "--from", a, "--to", b])
    assert again.exit_code == 0, again.output
    assert re.search(r"this run: \d+ rows inserted, [1-9]\d* updated", again.output)
    shown = runner.invoke(app, ["show", "--db", b, SEED_URL])
    assert shown.exit_code == 0 and "约见" in shown.output, shown.output
    with Archive.open(b) as target:
        assert target.raw(1, 1) == seed_path.read_bytes()
        with target.engine.begin() as conn:
            sha = conn.execute(select(blobs.c.sha256).limit(1)).scalar_one()
            conn.execute(blobs.update().where(blobs.c.sha256 == sha)
                         .values(data=b"tampered", compression="none"))
        with Archive.open(a) as source, pytest.raises(
                CopyMismatch, match=f"blobs {sha} differs in compression, data"):
            verify_copy(source.engine, target.engine)
    broken = runner.invoke(app, ["copy", "--from", b, "--to", str(tmp_path / "c.db")])
    assert broken.exit_code == 1
    assert "copy not verified: blob" in broken.output and "do not match its hash" in broken.output
