"""Fixtures of the scale-out tests: a second archive beside ``archive_location``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from testenv import fresh_pg_database


@pytest.fixture
def other_location(archive_location: str, tmp_path: Path) -> Iterator[str]:
    """A second fresh archive on the same backend as ``archive_location``."""
    if "://" in archive_location:
        with fresh_pg_database("other") as url:
            yield url
    else:
        yield str(tmp_path / "other.db")
