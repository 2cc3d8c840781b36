"""A fresh HTTP server on 127.0.0.1 for each check test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from netserver import NetServer


@pytest.fixture
def server() -> Iterator[NetServer]:
    with NetServer() as running:
        yield running
