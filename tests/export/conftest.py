"""Fixtures of the export tests: a small real archive with several versions and a card."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cunzhao.archive import Archive


def sample_files(corpus: Path) -> list[Path]:
    """The seed, a page captured three times (v1..v3), one captured twice, one with a card."""
    cdt = corpus / "cdt"
    return [corpus / "seed" / "704712.md", *sorted(cdt.glob("401269_*")),
            *sorted(cdt.glob("400010_*")), *sorted(cdt.glob("332719_*"))]


@pytest.fixture
def archive(archive_location: str, corpus: Path) -> Iterator[Archive]:
    with Archive.open(archive_location) as opened:
        summary = opened.ingest(sample_files(corpus))
        assert summary.failed == 0 and summary.counts["new_version"] == 3
        yield opened
