"""Open a database engine for an archive location: a SQLite path or a PostgreSQL URL."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url

from cunzhao.store.failures import ReadOnlyArchive, is_read_only_error

SqliteMode = Literal["rw", "ro", "immutable"]


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

    ``read_only``: every connection refuses writes (SQLite ``query_only`` on a ``mode=ro``
    file, PostgreSQL read-only transactions), so even a bug cannot change the archive; a
    write raises ``ReadOnlyArchive``. A SQLite file that cannot be written (read-only media,
    a file or folder without write permission) is opened read-only whether asked or not.

    SQLite transactions begin deferred: a reader neither takes nor waits for the write lock.
    A writer that reads before it writes uses :func:`writing`.
    """
    url = database_url(location)
    if url.startswith("sqlite"):
        return _sqlite_engine(url, read_only=read_only)
    engine = create_engine(url, pool_pre_ping=True)
    if read_only:
        event.listen(engine, "connect", _postgres_read_only)
        _refuse_writes(engine, make_url(url).render_as_string(), "opened read-only")
    return engine


def writing(engine: Engine) -> Engine:
    """The same engine for transactions that write: on SQLite they begin ``IMMEDIATE``.

    A deferred transaction that reads, then writes, fails at once with "database is locked"
    when another process committed since its read (its snapshot is stale, waiting cannot
    help); one that takes the write lock first waits its turn (up to the busy timeout), so
    two writers take turns instead. On a read-only engine, or PostgreSQL, nothing changes.
    """
    return engine.execution_options(writing=True)


def sqlite_access(path: Path, *, read_only: bool = False) -> tuple[SqliteMode, str | None]:
    """How to open the SQLite file at ``path``, and why it is read-only (None when it is not).

    ``ro`` is SQLite's ``mode=ro``; ``immutable`` adds ``immutable=1`` for a file whose folder
    cannot be written, where SQLite could not create the ``-wal``/``-shm`` files that a WAL
    reader needs: it then reads the file as it is, without locks (a writer that starts later
    is not seen until the archive is opened again). A ``-wal`` file that holds data is read
    through ``mode=ro`` instead, so that its last commits are not missed.
    """
    if not path.exists():
        return ("ro", "opened read-only") if read_only else ("rw", None)
    folder_writable = _writable(path.parent)
    if read_only:
        why = "opened read-only"
    elif not _writable(path):
        why = f"{path} is not writable"
    elif not folder_writable:
        why = f"its folder {path.parent} is not writable"
    else:
        return "rw", None
    wal = path.with_name(path.name + "-wal")
    if not folder_writable and not (wal.exists() and wal.stat().st_size):
        return "immutable", why
    return "ro", why


def _writable(path: Path) -> bool:
    """Writable by this process, and not marked read-only for everyone (which root, who may
    write anyway, takes as the owner's word: read-only media, a frozen copy)."""
    return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)


def _sqlite_engine(url: str, *, read_only: bool) -> Engine:
    database = make_url(url).database
    path = Path(database) if database and database != ":memory:" and "uri=" not in url else None
    if path is not None:
        mode, why = sqlite_access(path, read_only=read_only)
    else:
        mode, why = ("ro", "opened read-only") if read_only else ("rw", None)
    engine = create_engine(url, connect_args={"timeout": 30})
    if path is not None and mode != "rw":
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        event.listen(engine, "do_connect",
                     _connect_to(uri + "&immutable=1" if mode == "immutable" else uri))
    event.listen(engine, "connect", _sqlite_pragmas if mode == "rw" else _sqlite_read_only)
    event.listen(engine, "begin", _sqlite_begin if mode == "rw" else _sqlite_begin_deferred)
    if why is not None:
        _refuse_writes(engine, str(path or url), why)
    return engine


def _connect_to(uri: str) -> Callable[..., None]:
    def do_connect(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> None:
        cargs[:] = [uri]
        cparams["uri"] = True

    return do_connect


def _refuse_writes(engine: Engine, where: str, why: str) -> None:
    """Turn the driver's refusal of a write into one clear ``ReadOnlyArchive`` error."""

    def handle_error(context: ExceptionContext) -> None:
        if is_read_only_error(context.original_exception):
            raise ReadOnlyArchive(
                f"archive {where} is read-only ({why}): nothing can be written to it"
            ) from context.original_exception

    event.listen(engine, "handle_error", handle_error)


def _sqlite_read_only(dbapi_connection: Any, _record: Any) -> None:
    # No journal_mode=WAL here: that is a write, and a WAL archive stays WAL anyway.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
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
    writes = conn.get_execution_options().get("writing", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def _sqlite_begin_deferred(conn: Connection) -> None:
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
