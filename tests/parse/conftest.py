"""Fixtures for the parse tests: corpus files by manifest row or by duty-machine id."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from cunzhao.capture.model import Capture
from cunzhao.parse import Page, parse_capture


@pytest.fixture(scope="session")
def manifest_paths(corpus: Path) -> list[Path]:
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t"))
    return [corpus / row[0] for row in rows if row and not row[0].startswith("#")]


@pytest.fixture(scope="session")
def newest(corpus: Path) -> Callable[[str], Path]:
    """The newest CDT file of a duty-machine id (the one without a ``.vN`` suffix)."""

    def find(page_id: str) -> Path:
        found = [
            p
            for p in (corpus / "cdt").glob(f"{page_id}_*.md")
            if not any(s.startswith(".v") and s[2:].isdigit() for s in p.suffixes)
        ]
        if len(found) != 1:
            pytest.fail(f"expected one newest file for id {page_id}, found {found}")
        return found[0]

    return find


@pytest.fixture(scope="session")
def parse_id(newest: Callable[[str], Path]) -> Callable[[str], Page]:
    def parse(page_id: str) -> Page:
        path = newest(page_id)
        return parse_capture(Capture(path.read_bytes(), str(path)))

    return parse


def parse_path(path: Path) -> Page:
    return parse_capture(Capture(path.read_bytes(), str(path)))
