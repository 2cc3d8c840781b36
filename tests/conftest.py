"""Fixtures shared by every stage's tests: the shared corpus and real database backends.

Backends: every ``archive_location`` test runs on a fresh SQLite file and on a fresh database
of a real PostgreSQL server (``$CUNZHAO_TEST_PG``, which ``.ci/run`` sets). Without that
variable the PostgreSQL half is skipped with a visible reason — except in CI, where it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """``$CUNZHAO_SHARED``, else the ``shared`` folder beside the repository."""
    env = os.environ.get("CUNZHAO_SHARED")
    path = Path(env) if env else REPO.parent / "shared"
    if not (path / "corpus").is_dir():
        pytest.fail(f"shared corpus not found at {path} (set CUNZHAO_SHARED)")
    return path


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_dir()


@pytest.fixture(scope="session")
def corpus(shared: Path) -> Path:
    return shared / "corpus"


@pytest.fixture(scope="session")
def seed_path(corpus: Path) -> Path:
    return corpus / "seed" / "704712.md"


def pg_admin_url() -> str | None:
    url = os.environ.get("CUNZHAO_TEST_PG")
    if not url and os.environ.get("CI"):
        pytest.fail("CUNZHAO_TEST_PG is not set: CI must run the PostgreSQL half of the suite")
    return url


def _driver_url(url: str) -> str:
    from cunzhao.store.engine import database_url

    return database_url(url)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    admin = pg_admin_url()
    if not admin:
        pytest.skip("PostgreSQL half skipped: set CUNZHAO_TEST_PG to a server URL")
    name = f"cz_{uuid.uuid4().hex[:12]}"
    engine = create_engine(_driver_url(admin), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(_driver_url(admin)).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where to open a fresh archive: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "archive.db")
    return str(request.getfixturevalue("pg_url"))
