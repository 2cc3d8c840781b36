"""A real archive of the shared corpus (plus one hostile page) and a real server over it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from cunzhao.archive import Archive
from cunzhao.web import create_app

HOSTILE = Path(__file__).parent / "data" / "hostile"
HOSTILE_URL = "https://chinadigitaltimes.net/chinese/999001.html"
SEED_URL = "https://chinadigitaltimes.net/chinese/704712.html"


@pytest.fixture(scope="session")
def web_archive(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> str:
    """The corpus and the hostile page, ingested once for the whole session."""
    location = str(tmp_path_factory.mktemp("web") / "archive.db")
    with Archive.open(location) as archive:
        summary = archive.ingest([corpus, HOSTILE])
        assert summary.failed == 0, summary.failures[:3]
    return location


@pytest.fixture(scope="session")
def client(web_archive: str) -> Iterator[TestClient]:
    with TestClient(create_app(web_archive), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def doc_ids(web_archive: str) -> dict[str, int]:
    with Archive.open(web_archive, create=False) as archive:
        ids = {}
        for name, url in (("seed", SEED_URL), ("hostile", HOSTILE_URL)):
            view = archive.document(url)
            assert view is not None, url
            ids[name] = view.id
        return ids


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def tcp_port() -> int:
    """A free TCP port on 127.0.0.1."""
    return free_port()


@pytest.fixture(scope="session")
def server(web_archive: str) -> Iterator[str]:
    """The app under uvicorn on 127.0.0.1 (a free port), in a thread; yields its base URL."""
    with serving(web_archive) as url:
        yield url


@pytest.fixture(scope="session")
def serve() -> Callable[[str], AbstractContextManager[str]]:
    """``serve(location)``: a context serving another archive as ``server`` does."""
    return serving


@contextmanager
def serving(location: str) -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(create_app(location), host="127.0.0.1", port=port,
                            access_log=False, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start within 20 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(timeout=10)
