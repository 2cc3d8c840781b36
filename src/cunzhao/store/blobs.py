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
    packed = zlib.compress(data, 3)
    compression = "zlib" if len(packed) < len(data) * _MIN_GAIN else "none"
    conn.execute(
        _INSERT_BLOB[conn.dialect.name],
        {
            "sha256": digest,
            "size": len(data),
            "compression": compression,
            "data": packed if compression == "zlib" else data,
        },
    )
    return digest


_INSERT_BLOB = {
    "sqlite": sqlite.insert(blobs).on_conflict_do_nothing(index_elements=["sha256"]),
    "postgresql": postgresql.insert(blobs).on_conflict_do_nothing(index_elements=["sha256"]),
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


def get_blob(conn: Connection, sha256: str) -> bytes:
    row = conn.execute(
        select(blobs.c.compression, blobs.c.data, blobs.c.size).where(blobs.c.sha256 == sha256)
    ).one()
    data = unpack(row.compression, row.data)
    if len(data) != row.size or sha256_hex(data) != sha256:
        raise ValueError(f"blob {sha256} is corrupt: its bytes no longer match their hash")
    return data
