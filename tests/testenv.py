"""What the tests need from outside the repository, looked up in one place.

- The shared corpus and gold set: ``$CUNZHAO_SHARED``, else the ``shared`` folder beside the
  repository, holding ``corpus/`` and ``gold/``.
- A PostgreSQL server: ``$CUNZHAO_TEST_PG`` (``.ci/run`` sets it), on which each caller gets a
  fresh database of its own.

A test that needs either skips when it is absent, with one reason that says how to provide it
— except under ``CI=true``, where the absence fails the run: CI skips nothing. Tests that only
need the seed page read the byte-identical copy in ``examples/``, so they run on a fresh clone.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
# The seed page, byte for byte the shared corpus's seed/704712.md (tests/test_testenv.py).
SEED = EXAMPLES / "seed-704712.md"


def in_ci() -> bool:
    """``$CI`` is set to true (1, yes): every test must run."""
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def unavailable(reason: str) -> NoReturn:
    """Skip the calling test for ``reason``; under ``CI=true``, fail it instead."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: nothing may be skipped)", pytrace=False)
    pytest.skip(reason)


def shared_location() -> Path:
    """Where the shared folder should be: ``$CUNZHAO_SHARED``, else ``../shared``."""
    env = os.environ.get("CUNZHAO_SHARED")
    return Path(env) if env else REPO.parent / "shared"


def missing_shared() -> str | None:
    """Why the shared folder cannot be used, or None when it holds ``corpus/`` and ``gold/``."""
    path = shared_location()
    if (path / "corpus").is_dir() and (path / "gold").is_dir():
        return None
    return (
        f"shared corpus not found at {path}: "
        "set CUNZHAO_SHARED to the folder holding corpus/ and gold/"
    )


def missing_pg() -> str | None:
    """Why the PostgreSQL half cannot run, or None when ``$CUNZHAO_TEST_PG`` is set."""
    if os.environ.get("CUNZHAO_TEST_PG"):
        return None
    return "no PostgreSQL server: set CUNZHAO_TEST_PG to a server URL to run the PostgreSQL half"


def shared_dir() -> Path:
    """The shared folder; the calling test skips (fails under CI) when it is absent."""
    reason = missing_shared()
    if reason:
        unavailable(reason)
    return shared_location()


@contextmanager
def fresh_pg_database(prefix: str = "cz") -> Iterator[str]:
    """The URL of a new, empty database on the ``$CUNZHAO_TEST_PG`` server, dropped on exit;
    the calling test skips (fails under CI) when the variable is not set."""
    from cunzhao.store.engine import database_url

    reason = missing_pg()
    if reason:
        unavailable(reason)
    server = database_url(os.environ["CUNZHAO_TEST_PG"])
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
