"""Fixtures shared by every stage's tests: the shared corpus and real database backends.

What lives outside the repository (the shared corpus and gold, a PostgreSQL server) is looked
up once, in ``testenv.py``: without it the tests that need it skip with one stated reason,
and under ``CI=true`` the run fails at once instead. The seed page comes from ``examples/``.

Backends: every ``archive_location`` test runs on a fresh SQLite file and on a fresh database
of a real PostgreSQL server (``$CUNZHAO_TEST_PG``, which ``.ci/run`` sets).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from testenv import SEED, fresh_pg_database, in_ci, missing_pg, missing_shared, shared_dir


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under ``CI=true`` a missing shared folder or PostgreSQL server fails the run up front."""
    missing = [reason for reason in (missing_shared(), missing_pg()) if reason]
    if in_ci() and missing:
        pytest.exit("CI=true, but " + "; ".join(missing), returncode=pytest.ExitCode.USAGE_ERROR)


@pytest.fixture(scope="session")
def shared() -> Path:
    return shared_dir()


@pytest.fixture(scope="session")
def corpus(shared: Path) -> Path:
    return shared / "corpus"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The seed page (CDT 704712), from ``examples/``: no shared folder needed."""
    return SEED


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    with fresh_pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def archive_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where to open a fresh archive: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "archive.db")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(autouse=True)
def _data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PostgreSQL archive keeps its files (WARCs, the search index) in ``$CUNZHAO_DATA``
    (default ``./cunzhao-data``): a fresh folder for each test, outside the checkout and outside
    the test's own ``tmp_path`` (child processes inherit it)."""
    monkeypatch.setenv("CUNZHAO_DATA", str(tmp_path_factory.mktemp("cunzhao-data")))
