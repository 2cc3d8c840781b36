"""sha256 as cunzhao names content: the lowercase hex digest.

Blobs are stored under it, a copy is verified by it, a check compares page texts by it, and
exports list it beside each file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["sha256_file", "sha256_hex", "sha256_text"]

_BLOCK = 1 << 20


def sha256_hex(data: bytes) -> str:
    """The sha256 of ``data``, as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()


def sha256_text(text: str) -> str:
    """The sha256 of ``text`` encoded as UTF-8."""
    return sha256_hex(text.encode("utf-8"))


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes, read a block at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()
