"""Open a database engine for an archive location: a SQLite path or a PostgreSQL URL."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url


def database_url(location: str | Path) -> str:
    """A SQLAlchemy URL for ``location``: ``postgresql://…`` URLs use psycopg 3; anything else
    is a SQLite file path."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
        url = make_url(text.replace("postgres://", "postgresql://", 1))
        return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if text.startswith("sqlite:"):
        return text
    return f"sqlite:///{Path(text).expanduser()}"


def is_local_file(location: str | Path) -> bool:
    """Whether ``location`` names a SQLite file by path (not a URL)."""
    text = str(location)
    return "://" not in text and not text.startswith("sqlite:")


def open_engine(location: str | Path, *, read_only: bool = False) -> Engine:
    """Create the engine; SQLite files get WAL mode, foreign keys and a busy timeout.

    ``read_only``: every connection refuses writes (SQLite ``query_only``, PostgreSQL
    read-only transactions), so even a bug cannot change the archive.
    """
    url = database_url(location)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        if read_only:
            event.listen(engine, "connect", _sqlite_read_only)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    if read_only:
        event.listen(engine, "connect", _postgres_read_only)
    return engine


def _sqlite_read_only(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def _postgres_read_only(dbapi_connection: Any, _record: Any) -> None:
    # SET must not leave a transaction open: run it in autocommit, then restore the mode.
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    cursor = dbapi_connection.cursor()
    cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    cursor.close()
    dbapi_connection.autocommit = autocommit


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The sqlite3 module's own transaction handling defers BEGIN and breaks SAVEPOINT; turn it
    # off and let SQLAlchemy emit BEGIN itself (SQLAlchemy's documented pysqlite recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN")


def change_marker(engine: Engine, ttl: float = 5.0) -> Callable[[], object]:
    """A function whose value changes whenever the archive may have changed.

    SQLite: ``PRAGMA data_version`` on one dedicated connection, which changes whenever
    another connection commits (an ingest in another process included). PostgreSQL: a clock
    that ticks every ``ttl`` seconds.
    """
    if engine.dialect.name != "sqlite":
        return lambda: int(time.monotonic() // ttl)
    conn = engine.connect()
    lock = threading.Lock()

    def data_version() -> object:
        with lock:
            value = conn.exec_driver_sql("PRAGMA data_version").scalar()
            conn.rollback()  # hold no read transaction (and no WAL snapshot) between calls
            return value

    return data_version
