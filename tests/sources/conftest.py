"""Fixtures for the sources tests: the hand-written pages in ``data/`` (see its README)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cunzhao.sources import FetchedPage

DATA = Path(__file__).parent / "data"
Read = Callable[[str], bytes]
MakePage = Callable[..., FetchedPage]


@pytest.fixture
def data() -> Read:
    """The bytes of a fixture file; ``listing-*.html`` come encoded in GBK, as served."""

    def read(name: str) -> bytes:
        if name.startswith("listing-"):
            return (DATA / name).read_text(encoding="utf-8").encode("gbk")
        return (DATA / name).read_bytes()

    return read


@pytest.fixture
def page(data: Read) -> MakePage:
    """A ``FetchedPage`` of fixture ``name`` as if fetched from ``url`` (status 200)."""

    def make(name: str, url: str, content_type: str | None = None) -> FetchedPage:
        headers = {"content-type": content_type} if content_type else {}
        return FetchedPage(url, 200, headers, data(name))

    return make
