"""The tantivy folder follows the database, the record: after every commit, after a crash
between the two commits, after the folder is lost, replaced or ahead, across processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from search_oracle import corpus_dir, search_on
from sqlalchemy import Engine, func, select, text

from cunzhao.archive import Archive
from cunzhao.search import index_version, unindex_document
from cunzhao.search.indexer import following
from cunzhao.search.state import State, read_state
from cunzhao.search.tables import search_docs
from cunzhao.search.tantivy_engine import index_root
from cunzhao.search.tantivy_folder import STAMP, Stamp, read_stamp, write_stamp

WORD = "知网"  # in the seed page only


def _state(engine: Engine) -> State:
    with engine.connect() as conn:
        return read_state(conn)


def _folder(engine: Engine) -> Path:
    with engine.connect() as conn:
        return index_root(conn) / read_state(conn).build


def _stamp(engine: Engine) -> Stamp:
    stamp = read_stamp(_folder(engine))
    assert stamp is not None
    return stamp


def _indexed_documents(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(search_docs)).scalar_one()


def _seeded(archive: Archive, seed_path: Path) -> int:
    """Ingest the seed page; its document id."""
    assert archive.ingest([seed_path]).failed == 0
    hits = search_on(archive.engine, WORD).hits
    assert len(hits) == 1
    return hits[0].document_id


def test_ingest_follows_every_batch(fresh_archive: Archive) -> None:
    files = sorted((corpus_dir() / "cdt").rglob("*.md"))[:60]
    assert fresh_archive.ingest(files, batch_size=20).failed == 0
    engine = fresh_archive.engine
    state = _state(engine)
    assert state.engine == "tantivy" and state.generation >= 3
    assert _stamp(engine).generation == state.generation  # followed: nothing left to do
    assert search_on(engine, "").total == _indexed_documents(engine)


def test_a_commit_the_index_missed_is_caught_up_by_the_next_search(
    fresh_archive: Archive, seed_path: Path
) -> None:
    """As after a crash between the database's commit and tantivy's: the journal says which
    documents changed, and the next user of the index applies them."""
    engine = fresh_archive.engine
    document_id = _seeded(fresh_archive, seed_path)
    version_id = search_on(engine, WORD).hits[0].version_id
    before = _stamp(engine)
    with engine.begin() as conn:  # no follow after this commit
        unindex_document(conn, document_id)
    assert _stamp(engine).generation == before.generation < _state(engine).generation
    assert search_on(engine, WORD).total == 0
    assert _stamp(engine).generation == _state(engine).generation
    assert _stamp(engine).instance == before.instance  # caught up, not rebuilt
    with engine.begin() as conn:
        index_version(conn, version_id)
    assert [h.version_id for h in search_on(engine, WORD).hits] == [version_id]


def test_following_a_commit_applies_what_it_changed_without_reading_back(
    fresh_archive: Archive, seed_path: Path
) -> None:
    """After its commit a transaction hands its entries to the index: the journal is for
    those who missed it (here it is emptied, so only the hand-over can index the page)."""
    engine = fresh_archive.engine
    document_id = _seeded(fresh_archive, seed_path)
    version_id = search_on(engine, WORD).hits[0].version_id
    for change, found in ((unindex_document, []), (index_version, [version_id])):
        with engine.connect() as conn, following(conn), conn.begin():
            change(conn, document_id if change is unindex_document else version_id)
            conn.execute(text("DELETE FROM search_journal"))
        assert _stamp(engine).generation == _state(engine).generation
        assert [h.version_id for h in search_on(engine, WORD).hits] == found
    with (engine.connect() as conn, pytest.raises(RuntimeError, match="rolled back"),
          following(conn), conn.begin()):
        unindex_document(conn, document_id)
        raise RuntimeError("rolled back")
    assert [h.version_id for h in search_on(engine, WORD).hits] == [version_id]


def test_a_lost_or_foreign_folder_is_built_again(fresh_archive: Archive, seed_path: Path) -> None:
    engine = fresh_archive.engine
    _seeded(fresh_archive, seed_path)
    expected = search_on(engine, WORD).hits
    folder = _folder(engine)
    shutil.rmtree(folder)
    assert search_on(engine, WORD).hits == expected
    stamp = _stamp(engine)
    write_stamp(folder, Stamp(stamp.format + 1, stamp.build, stamp.generation, "another"))
    assert search_on(engine, WORD).hits == expected
    assert _stamp(engine).format == stamp.format and _stamp(engine).instance != "another"


def test_a_folder_ahead_of_the_database_is_built_again(tmp_path: Path, seed_path: Path) -> None:
    """A database restored from a backup is older than the index: the record wins."""
    location = tmp_path / "restored.db"
    with Archive.open(location) as archive:
        assert archive.ingest([min((corpus_dir() / "cdt").rglob("*.md"))]).failed == 0
    shutil.copy(location, tmp_path / "backup.db")
    with Archive.open(location) as archive:
        _seeded(archive, seed_path)
        assert search_on(archive.engine, WORD).total == 1
    shutil.copy(tmp_path / "backup.db", location)
    with Archive.open(location) as archive:
        assert _stamp(archive.engine).generation > _state(archive.engine).generation
        assert search_on(archive.engine, WORD).total == 0
        assert search_on(archive.engine, "").total == _indexed_documents(archive.engine)
        assert _stamp(archive.engine).generation == _state(archive.engine).generation


def test_a_journal_that_no_longer_reaches_back_means_a_rebuild(
    fresh_archive: Archive, seed_path: Path
) -> None:
    engine = fresh_archive.engine
    document_id = _seeded(fresh_archive, seed_path)
    instance = _stamp(engine).instance
    with engine.begin() as conn:
        unindex_document(conn, document_id)
        conn.execute(text("UPDATE search_state SET journal_start = generation"))
    assert search_on(engine, WORD).total == 0
    assert _stamp(engine).instance != instance


def test_reindex_writes_a_new_build_and_switches_engines(
    fresh_archive: Archive, seed_path: Path
) -> None:
    engine = fresh_archive.engine
    _seeded(fresh_archive, seed_path)
    expected = [h.version_id for h in search_on(engine, WORD).hits]
    old = _folder(engine)
    assert fresh_archive.reindex() == 1
    new = _folder(engine)
    assert new != old and old.exists() and (new / STAMP).exists()
    assert [h.version_id for h in search_on(engine, WORD).hits] == expected
    past = time.time() - 3600
    os.utime(old, (past, past))
    assert fresh_archive.reindex() == 1  # then follows, and sweeps the old, unused build
    assert not old.exists() and new.exists() and _folder(engine).exists()
    assert fresh_archive.reindex(engine="sql") == 1
    assert _state(engine).engine == "sql"
    assert [h.version_id for h in search_on(engine, WORD).hits] == expected
    assert fresh_archive.reindex(engine="tantivy") == 1
    assert [h.version_id for h in search_on(engine, WORD).hits] == expected
    with pytest.raises(ValueError, match="search engine must be one of"):
        fresh_archive.reindex(engine="lucene")


def test_a_reader_in_this_process_sees_an_ingest_in_another(
    fresh_archive: Archive, seed_path: Path
) -> None:
    """The web app's situation: a long-lived read-only archive, another process ingesting."""
    with Archive.open(fresh_archive.location, read_only=True) as reader:
        assert reader.search(WORD).total == 0
        cli = Path(sys.executable).with_name("cunzhao")
        done = subprocess.run([str(cli), "ingest", "--quiet", "--db", fresh_archive.location,
                               str(seed_path)], capture_output=True, text=True, timeout=120,
                              check=False)
        assert done.returncode == 0, done.stderr
        assert reader.search(WORD).total == 1
        assert _stamp(reader.engine).generation == _state(reader.engine).generation


def test_two_ingests_at_once_leave_one_consistent_index(fresh_archive: Archive) -> None:
    files = sorted((corpus_dir() / "cdt").rglob("*.md"))[:80]
    cli = Path(sys.executable).with_name("cunzhao")
    runs = [subprocess.Popen([str(cli), "ingest", "--quiet", "--db", fresh_archive.location,
                              *map(str, part)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
            for part in (files[::2], files[1::2])]
    for run in runs:
        _, errors = run.communicate(timeout=300)
        assert run.returncode == 0, errors
    engine = fresh_archive.engine
    assert search_on(engine, "").total == _indexed_documents(engine) > 0
    assert _stamp(engine).generation == _state(engine).generation
