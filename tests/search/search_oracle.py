"""The oracle the search tests compare against: every latest version, folded, in memory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from cunzhao.archive import Archive
from cunzhao.fold import fold
from cunzhao.search import Results, search
from cunzhao.store.filters import Filters
from testenv import shared_dir


@dataclass(frozen=True)
class Doc:
    """A latest version as the oracle sees it: folded title and body, and filter columns."""

    version_id: int
    url: str
    title: str
    body: str
    published: str | None
    series_tag: str | None
    source_site: str | None
    collection: str | None


@dataclass
class Corpus:
    backend: str
    archive: Archive
    docs: list[Doc]

    @property
    def engine(self) -> Engine:
        return self.archive.engine

    def having(self, needle: str) -> set[int]:
        """Version ids whose folded title or body contains ``needle`` (folded): the oracle."""
        needle = fold(needle)
        return {d.version_id for d in self.docs if needle in d.title or needle in d.body}


def search_on(engine: Engine, query: str, filters: Filters | None = None,
              **options: Any) -> Results:
    """``search`` over a connection of its own (``search`` takes a ``Connection``)."""
    with engine.connect() as conn:
        return search(conn, query, filters, **options)


def corpus_dir() -> Path:
    """The shared corpus (``tests/testenv.py`` finds it; the test skips without it)."""
    return shared_dir() / "corpus"
