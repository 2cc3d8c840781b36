"""Search fixtures: the whole corpus ingested once per backend (SQLite file, PostgreSQL db)
and engine (tantivy, the default; sql, the fallback).

The corpus comes from the shared folder and the PostgreSQL half needs ``$CUNZHAO_TEST_PG``:
``tests/testenv.py`` looks both up (without them the tests skip and say why, except in CI).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from search_oracle import Corpus, Doc, corpus_dir
from sqlalchemy import Engine, select

from cunzhao.archive import Archive
from cunzhao.fold import fold
from cunzhao.store.schema import documents, versions
from testenv import fresh_pg_database

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", autouse=True)
def _session_data_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Session-wide archives are set up before any test's own ``$CUNZHAO_DATA``: point it
    at a session folder meanwhile, so their index folders never land in the checkout."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CUNZHAO_DATA", str(tmp_path_factory.mktemp("cunzhao-data")))
        yield


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for the session, dropped afterwards."""
    with fresh_pg_database("cz_search") as url:
        yield url


def load_docs(engine: Engine) -> list[Doc]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(versions.c.id, documents.c.url, versions.c.title, versions.c.body_folded,
                   versions.c.published, versions.c.series_tag, versions.c.source_site,
                   versions.c.collection)
            .join(documents, documents.c.id == versions.c.document_id)
            .where(versions.c.is_latest == 1)
        ).all()
    return [Doc(r[0], r[1], fold(r[2]), r[3], r[4], r[5], r[6], r[7]) for r in rows]


def _build_corpus(backend: str, location: str, *, engine: str = "tantivy") -> Corpus:
    archive = Archive.open(location)
    summary = archive.ingest([corpus_dir()])
    assert summary.failed == 0, summary.failures
    if engine != "tantivy":
        archive.reindex(engine=engine)
    return Corpus(backend, archive, load_docs(archive.engine))


@pytest.fixture(scope="session")
def sqlite_corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    """The whole shared corpus in a SQLite file, through ``Archive.ingest`` (read-only)."""
    corpus = _build_corpus("sqlite", str(tmp_path_factory.mktemp("search") / "search.db"))
    yield corpus
    corpus.archive.close()


@pytest.fixture(scope="session")
def postgresql_corpus(pg_database: str) -> Iterator[Corpus]:
    """The whole shared corpus in a PostgreSQL database (read-only)."""
    corpus = _build_corpus("postgresql", pg_database)
    yield corpus
    corpus.archive.close()


@pytest.fixture(scope="session")
def sqlite_sql_corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    """The corpus in a SQLite file searched by the ``sql`` engine (FTS5), the fallback."""
    corpus = _build_corpus("sqlite", str(tmp_path_factory.mktemp("search") / "sql.db"),
                           engine="sql")
    yield corpus
    corpus.archive.close()


@pytest.fixture(scope="session")
def postgresql_sql_corpus() -> Iterator[Corpus]:
    """The corpus in PostgreSQL searched by the ``sql`` engine (tsvector/GIN)."""
    with fresh_pg_database("cz_search_sql") as url:
        corpus = _build_corpus("postgresql", url, engine="sql")
        yield corpus
        corpus.archive.close()


@pytest.fixture(params=BACKENDS + [f"{b}_sql" for b in BACKENDS])
def corpus_archive(request: pytest.FixtureRequest) -> Corpus:
    """The corpus archive on each backend in turn, under each engine (tantivy, then sql)."""
    corpus: Corpus = request.getfixturevalue(f"{request.param}_corpus")
    return corpus


@pytest.fixture(params=BACKENDS)
def fresh_archive(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Archive]:
    """An empty archive per test, for tests that write."""
    if request.param == "sqlite":
        location = str(tmp_path / "fresh.db")
        archive = Archive.open(location)
        yield archive
        archive.close()
        return
    with fresh_pg_database("cz_search") as url:
        archive = Archive.open(url)
        try:
            yield archive
        finally:
            archive.close()
