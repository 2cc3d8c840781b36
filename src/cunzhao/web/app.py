"""The web application: ``create_app(archive)`` → a FastAPI app over one archive.

Read-only: the app has no route that writes, and the archive is opened read-only
(``Archive.open(location, read_only=True)``), so even a bug cannot change it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request

from cunzhao import Archive, __version__
from cunzhao.web.cache import ResponseCache
from cunzhao.web.errors import GuardMiddleware, install_error_handlers
from cunzhao.web.head import HeadAsGet


def create_app(archive: Archive | str | Path, *, cache: bool = True) -> FastAPI:
    """The app serving ``archive`` (an open archive, or a SQLite path or PostgreSQL URL,
    opened read-only; the app closes it when it stops).

    Raises ``FileNotFoundError`` for a SQLite file that does not exist (none is created).
    ``cache``: replay finished pages until the archive changes (:mod:`cunzhao.web.cache`).
    """
    if not isinstance(archive, Archive):
        archive = Archive.open(archive, read_only=True)
    app = FastAPI(
        title="cunzhao 立此存照",
        version=__version__,
        description="Read-only JSON API of an archive of internet-regulation enforcement "
        "records. Field names are stable; see docs/web.md.",
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN: not served
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=_closing(archive),
    )
    app.state.archive = archive
    install_error_handlers(app)
    app.add_middleware(GuardMiddleware)
    if cache:
        app.add_middleware(ResponseCache, fingerprint=archive.change_marker())
    app.add_middleware(HeadAsGet)  # outermost: HEAD is a GET to the cache and the routes
    static = resources.files("cunzhao.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    from cunzhao.web.routes import (
        api,
        apidoc,
        cases,
        document,
        downloads,
        entity,
        facts,
        feeds,
        gone,
        home,
        search,
        stats,
    )

    for module in (home, search, cases, document, facts, entity, gone, stats, apidoc, api,
                   downloads, feeds):
        app.include_router(module.router)

    return app


def _closing(archive: Archive) -> Any:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        archive.close()

    return lifespan


def archive_of(request: Request) -> Archive:
    """The app's archive (a FastAPI dependency)."""
    found: Archive = request.app.state.archive
    return found
