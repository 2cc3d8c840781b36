"""Open a database engine for an archive location: a SQLite path or a PostgreSQL URL."""

from __future__ import annotations

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


def open_engine(location: str | Path) -> Engine:
    """Create the engine; SQLite files get WAL mode, foreign keys and a busy timeout."""
    url = database_url(location)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


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
