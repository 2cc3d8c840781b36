"""Back up a live archive into one file, consistent while other processes write to it.

- SQLite: the online backup API (``sqlite3.Connection.backup``) in one step, which reads the
  whole database inside one read transaction — a snapshot, in WAL mode without holding up
  writers. The copy is switched to a plain rollback journal (one self-contained file) and
  checked with ``PRAGMA quick_check``. It is itself an archive: open it with ``--db``.
- PostgreSQL: ``pg_dump --format=custom`` (one snapshot too), whose major version must be
  the server's; the dump is then listed with ``pg_restore --list`` to prove it reads back.
  Restore it with ``pg_restore --dbname URL FILE`` into a new, empty database.

The file is written beside ``dest`` under a temporary name and renamed when complete, so a
backup that fails leaves nothing behind; an existing ``dest`` is never overwritten.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text

__all__ = ["BackupError", "BackupReport", "backup_archive"]

_VERSION = re.compile(r"\(PostgreSQL\) ((\d+)[.\d]*)")


class BackupError(Exception):
    """The backup could not be made (the message says why); nothing was written."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int  # bytes
    method: str  # "SQLite online backup" or "pg_dump 15.18, custom format"


def backup_archive(engine: Engine, dest: Path) -> BackupReport:
    """Write a consistent backup of the archive behind ``engine`` to the new file ``dest``."""
    dest = dest.expanduser()
    if dest.exists():
        raise BackupError(f"{dest} already exists: a backup never overwrites a file")
    if not dest.parent.is_dir():
        raise BackupError(f"{dest.parent} is not a folder")
    part = dest.with_name(f".{dest.name}.{os.getpid()}.part")
    try:
        if engine.dialect.name == "sqlite":
            method = _sqlite_backup(engine, part)
        elif engine.dialect.name == "postgresql":
            method = _pg_dump(engine, part)
        else:
            raise BackupError(f"cannot back up a {engine.dialect.name} archive")
        part.replace(dest)
    finally:
        part.unlink(missing_ok=True)
    return BackupReport(dest, dest.stat().st_size, method)


def _sqlite_backup(engine: Engine, part: Path) -> str:
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        with closing(sqlite3.connect(part)) as copy:
            source.backup(copy)  # all pages in one step: one snapshot
            copy.execute("PRAGMA journal_mode=DELETE")
            verdict = copy.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as exc:
        raise BackupError(f"the SQLite online backup failed: {exc}") from None
    finally:
        raw.close()
    if verdict != [("ok",)]:
        raise BackupError(f"the backup does not pass quick_check: {verdict[:5]}")
    return "SQLite online backup"


def _pg_dump(engine: Engine, part: Path) -> str:
    with engine.connect() as conn:
        server = int(conn.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    pg_dump = _client("pg_dump", server)
    version = _run([pg_dump, "--version"]).strip()
    match = _VERSION.search(version)
    if match is None or int(match.group(2)) != server:
        raise BackupError(
            f"{pg_dump} is {version!r}, the server is PostgreSQL {server}: a backup needs the "
            f"pg_dump of the server's major version ({server}) — install it, or put it first "
            "on PATH"
        )
    url = engine.url.set(drivername="postgresql", password=None)
    env = dict(os.environ)
    if engine.url.password is not None:
        env["PGPASSWORD"] = str(engine.url.password)
    _run([pg_dump, "--format=custom", f"--file={part}",
          f"--dbname={url.render_as_string(hide_password=False)}"], env=env)
    _run([_client("pg_restore", server), "--list", str(part)])  # it reads back
    return f"pg_dump {match.group(1)}, custom format"


def _client(name: str, server: int) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} not found on PATH: backing up a PostgreSQL archive needs the PostgreSQL "
            f"client tools of the server's major version ({server})"
        )
    return found


def _run(command: list[str], env: dict[str, str] | None = None) -> str:
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        reason = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "no message"
        raise BackupError(f"{Path(command[0]).name} failed (exit {done.returncode}): {reason}")
    return done.stdout
