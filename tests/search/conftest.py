"""Search fixtures: the whole corpus ingested once per backend (SQLite file, PostgreSQL db).

The PostgreSQL half needs ``$CUNZHAO_TEST_PG`` (``.ci/run`` sets it); without it those tests
are skipped with a visible reason, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from search_oracle import Corpus, Doc, corpus_dir
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url

from cunzhao.archive import Archive
from cunzhao.fold import fold
from cunzhao.store.engine import database_url
from cunzhao.store.schema import documents, versions

BACKENDS = ["sqlite", "postgresql"]


def pg_admin_url() -> str:
    url = os.environ.get("CUNZHAO_TEST_PG")
    if url:
        return database_url(url)
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("CUNZHAO_TEST_PG is not set: CI must run the PostgreSQL half of the search tests")
    pytest.skip("PostgreSQL half of the search tests skipped: set CUNZHAO_TEST_PG to a server URL")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for the session, dropped afterwards."""
    admin = create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"cz_search_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_admin_url()).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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


def _build_corpus(backend: str, location: str) -> Corpus:
    archive = Archive.open(location)
    summary = archive.ingest([corpus_dir()])
    assert summary.failed == 0, summary.failures
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


@pytest.fixture(params=BACKENDS)
def corpus_archive(request: pytest.FixtureRequest) -> Corpus:
    """The corpus archive on each backend in turn."""
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
    admin = create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"cz_search_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    archive = Archive.open(make_url(pg_admin_url()).set(database=name).render_as_string(False))
    try:
        yield archive
    finally:
        archive.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
