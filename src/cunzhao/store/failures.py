"""Database errors that are not a capture's fault: those that end a batch, those worth a retry.

A full disk (``ENOSPC``, SQLite's ``SQLITE_FULL``, PostgreSQL's ``disk_full``) or an archive
that cannot be written fails every later write the same way, so a batch stops at the first
one (:func:`stop_reason`). A deadlock or serialization failure between two concurrent writers
says nothing about the capture: its transaction is simply tried again (:func:`is_transient`).
"""

from __future__ import annotations

import errno
from collections.abc import Iterator

__all__ = ["ReadOnlyArchive", "is_read_only_error", "is_transient", "stop_reason"]

_SQLITE_READONLY = 8
_SQLITE_FULL = 13
_PG_DISK_FULL = "53100"
_PG_READ_ONLY = "25006"
_PG_RETRY = frozenset({"40P01", "40001"})  # deadlock_detected, serialization_failure
_NO_SPACE = "no space left on device"


class ReadOnlyArchive(Exception):
    """A write to an archive that is open read-only (asked for, or its file is not writable)."""


def stop_reason(error: BaseException) -> str | None:
    """Why no later write can succeed either ("disk full: …", "… read-only …"), else None."""
    for cause in _causes(error):
        if isinstance(cause, ReadOnlyArchive):
            return str(cause)
        if is_read_only_error(cause):
            return f"the archive is read-only: {_first_line(cause)}"
        if _is_full(cause):
            return f"disk full: {_first_line(cause)}"
    return None


def _is_full(error: BaseException) -> bool:
    if isinstance(error, OSError):
        return error.errno == errno.ENOSPC
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF == _SQLITE_FULL
    # PostgreSQL: disk_full, or an I/O error whose message (never the SQL's data) says so
    sqlstate = getattr(error, "sqlstate", None)
    return sqlstate == _PG_DISK_FULL or (sqlstate is not None and _NO_SPACE in str(error).lower())


def is_read_only_error(error: BaseException) -> bool:
    """Whether the driver refused a write because the database is read-only."""
    code = getattr(error, "sqlite_errorcode", None)
    return (isinstance(code, int) and code & 0xFF == _SQLITE_READONLY) or getattr(
        error, "sqlstate", None
    ) == _PG_READ_ONLY


def is_transient(error: BaseException) -> bool:
    """Whether the transaction lost a race with another writer and may simply be retried."""
    return any(getattr(cause, "sqlstate", None) in _PG_RETRY for cause in _causes(error))


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error, the driver error a SQLAlchemy error wraps, and what they were raised from."""
    seen: set[int] = set()
    todo = [error]
    while todo:
        cause = todo.pop()
        if id(cause) in seen:
            continue
        seen.add(id(cause))
        yield cause
        todo.extend(
            c for c in (getattr(cause, "orig", None), cause.__cause__, cause.__context__)
            if isinstance(c, BaseException)
        )


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
