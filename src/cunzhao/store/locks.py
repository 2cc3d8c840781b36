"""Writers take turns per capture and per document, across processes.

On PostgreSQL two ingests run side by side, each in READ COMMITTED transactions: neither sees
the other's uncommitted rows, so both could find "these bytes are new" or "no document at this
URL" and write them twice. :func:`hold` takes a transaction-scoped advisory lock on a key (the
capture's sha256, the document's canonical URL) before that lookup; the second writer waits
for the first to commit, and its lookup then sees what the first wrote. The lock ends with the
transaction. Two batches that meet the same keys in opposite orders can deadlock: PostgreSQL
cancels one, and the ingest tries it again (``store.failures.is_transient``).

On SQLite the whole write transaction is already exclusive (``BEGIN IMMEDIATE``, see
``store.engine``), so there is nothing to take.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from sqlalchemy import BigInteger, Connection, bindparam, func, select

__all__ = ["hold", "lock_key"]

Namespace = Literal["blob", "document"]

_LOCK = select(func.pg_advisory_xact_lock(bindparam("key", type_=BigInteger)))


def lock_key(namespace: Namespace, value: str) -> int:
    """A signed 64-bit advisory lock key for ``value`` in ``namespace``."""
    digest = hashlib.sha256(f"cunzhao {namespace}\0{value}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def hold(conn: Connection, namespace: Namespace, value: str) -> None:
    """Wait for, then hold until this transaction ends, the lock on ``value`` (PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        conn.execute(_LOCK, {"key": lock_key(namespace, value)})
