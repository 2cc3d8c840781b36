"""The web application: ``create_app(location)`` → a FastAPI app over one archive.

Read-only by default: the app has no route that writes, and its database connections are
set read-only (SQLite ``query_only``, PostgreSQL ``default_transaction_read_only``), so even
a bug cannot change the archive.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import event
from starlette.requests import Request

from cunzhao import __version__
from cunzhao.archive import Archive
from cunzhao.web.cache import ResponseCache, archive_fingerprint
from cunzhao.web.errors import GuardMiddleware, install_error_handlers


def _read_only(engine: Any) -> None:
    statement = (
        "PRAGMA query_only=ON" if engine.dialect.name == "sqlite"
        else "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"
    )

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        autocommit = getattr(dbapi_connection, "autocommit", None)
        if engine.dialect.name != "sqlite" and autocommit is False:
            dbapi_connection.autocommit = True  # SET must not open a transaction left idle
            cursor = dbapi_connection.cursor()
            cursor.execute(statement)
            cursor.close()
            dbapi_connection.autocommit = False
            return
        cursor = dbapi_connection.cursor()
        cursor.execute(statement)
        cursor.close()

    event.listen(engine, "connect", on_connect)
    engine.dispose()  # connections opened before the listener (schema check) are dropped


def create_app(location: str | Path, *, read_only: bool = True, cache: bool = True) -> FastAPI:
    """The app serving the archive at ``location`` (SQLite path or PostgreSQL URL).

    Raises ``FileNotFoundError`` for a SQLite file that does not exist (none is created).
    ``cache``: replay finished pages until the archive changes (:mod:`cunzhao.web.cache`).
    """
    local = "://" not in str(location) and not str(location).startswith("sqlite:")
    if local and not Path(location).expanduser().is_file():
        raise FileNotFoundError(f"no archive at {location}")
    archive = Archive.open(location, create=False)
    if read_only:
        _read_only(archive.engine)
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
        app.add_middleware(ResponseCache, fingerprint=archive_fingerprint(archive.engine))
    static = resources.files("cunzhao.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    from cunzhao.web.routes import api, document, downloads, entity, home, search, stats

    for module in (home, search, document, entity, stats, api, downloads):
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
