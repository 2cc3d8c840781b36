"""Content-addressed raw bytes: written once, compressed, returned byte-exact."""

from __future__ import annotations

import zlib

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from cunzhao.digest import sha256_hex
from cunzhao.store.schema import blobs

_MIN_GAIN = 0.95  # keep data uncompressed unless zlib saves at least 5 %


def put_blob(conn: Connection, data: bytes, sha256: str | None = None) -> str:
    """Store ``data`` under its sha256 unless already present; returns the hash."""
    digest = sha256 or sha256_hex(data)
    store_blob(conn, data, digest)
    return digest


def pack(data: bytes) -> tuple[str, bytes]:
    """How ``data`` is kept: ``("zlib", compressed)`` when that saves 5 %, else as it is."""
    packed = zlib.compress(data, 3)
    return ("zlib", packed) if len(packed) < len(data) * _MIN_GAIN else ("none", data)


def store_blob(
    conn: Connection, data: bytes, sha256: str, packed: tuple[str, bytes] | None = None
) -> bool:
    """Store ``data`` under ``sha256``; False when the blob was there already. ``packed`` is
    ``pack(data)`` when the caller made it already (a parallel ingest's worker did).

    Also False when a concurrent writer stored the same bytes first (on PostgreSQL the insert
    waits for that writer's transaction and does nothing if it commits): so exactly one writer
    of the same new bytes is told they are new.
    """
    compression, stored_bytes = packed or pack(data)
    stored = conn.execute(
        _INSERT_BLOB[conn.dialect.name],
        {"sha256": sha256, "size": len(data), "compression": compression, "data": stored_bytes},
    )
    return stored.first() is not None


_INSERT_BLOB = {
    "sqlite": sqlite.insert(blobs).on_conflict_do_nothing(index_elements=["sha256"])
    .returning(blobs.c.sha256),
    "postgresql": postgresql.insert(blobs).on_conflict_do_nothing(index_elements=["sha256"])
    .returning(blobs.c.sha256),
}


_SELECT_SHA = select(blobs.c.sha256).where(blobs.c.sha256 == bindparam("sha256"))


def has_blob(conn: Connection, sha256: str) -> bool:
    return conn.execute(_SELECT_SHA, {"sha256": sha256}).first() is not None


def unpack(compression: str, data: bytes) -> bytes:
    """The original bytes of a stored blob row."""
    if compression == "zlib":
        return zlib.decompress(data)
    if compression == "none":
        return bytes(data)
    raise ValueError(f"unknown blob compression {compression!r}")


class CorruptBlob(ValueError):
    """A stored blob that no longer gives back the bytes it was stored with."""

    def __init__(self, sha256: str, reason: str) -> None:
        super().__init__(f"blob {sha256} is corrupt: {reason}")
        self.sha256 = sha256
        self.reason = reason


def checked_unpack(sha256: str, compression: str, data: bytes) -> bytes:
    """The original bytes of a blob row, checked against its hash (else CorruptBlob)."""
    try:
        original = unpack(compression, data)
    except (zlib.error, ValueError) as exc:
        raise CorruptBlob(sha256, f"cannot decompress ({exc})") from None
    if sha256_hex(original) != sha256:
        raise CorruptBlob(sha256, "hash mismatch (its bytes no longer match their sha256)")
    return original


def get_blob(conn: Connection, sha256: str) -> bytes:
    row = conn.execute(
        select(blobs.c.compression, blobs.c.data, blobs.c.size).where(blobs.c.sha256 == sha256)
    ).one()
    data = checked_unpack(sha256, row.compression, row.data)
    if len(data) != row.size:
        raise CorruptBlob(sha256, f"size mismatch (stored as {row.size} bytes, holds {len(data)})")
    return data
