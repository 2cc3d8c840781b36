"""One table on two archives, read side by side in key order: checksums and differing rows.

Rows are read through SQLAlchemy on either backend and serialised canonically in Python —
``None``, integers (``bool`` as 0/1), text as UTF-8, bytes as they are, floats by their hex
form, each tagged with its type and length — so one table holds the same checksum on SQLite
and on PostgreSQL exactly when it holds the same rows. Keys are ordered bytewise on both
(PostgreSQL's text keys under ``COLLATE "C"``, SQLite's default is already bytewise), which
is also Python's order of the key tuples, so the two streams merge in one pass.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Connection, Row, String, Table, select

__all__ = [
    "Pair",
    "TableSum",
    "canonical_row",
    "differing_columns",
    "key_of",
    "row_pairs",
    "table_rows",
]

Pair = tuple[Row[Any] | None, Row[Any] | None]  # (source row, target row); one may be missing


@dataclass
class TableSum:
    """How many rows, and the sha256 over their canonical forms in key order."""

    rows: int = 0
    _hash: Any = field(default_factory=hashlib.sha256, repr=False)

    def add(self, row: Sequence[Any]) -> None:
        self.rows += 1
        self._hash.update(canonical_row(row))

    @property
    def sha256(self) -> str:
        return str(self._hash.hexdigest())


def canonical_row(row: Sequence[Any]) -> bytes:
    """The bytes that stand for one row, the same on either backend."""
    return b"".join(_value(v) for v in row) + b"\n"


def _value(value: Any) -> bytes:
    if value is None:
        return b"n;"
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int):
        return b"i%d;" % value
    if isinstance(value, str):
        text = value.encode("utf-8", "surrogatepass")
        return b"s%d:" % len(text) + text
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return b"b%d:" % len(data) + data
    if isinstance(value, float):
        return b"f" + value.hex().encode() + b";"
    raise TypeError(f"no canonical form for a {type(value).__name__} value")


def _key_columns(table: Table, conn: Connection) -> list[Any]:
    columns: list[Column[Any]] = list(table.primary_key.columns)
    if conn.dialect.name != "postgresql":
        return columns
    return [c.collate("C") if isinstance(c.type, String) else c for c in columns]


def key_of(table: Table, row: Row[Any]) -> tuple[Any, ...]:
    """The primary key of a row read with all its table's columns, or its key columns first."""
    mapping = row._mapping
    return tuple(mapping[c.name] for c in table.primary_key.columns)


def table_rows(
    conn: Connection, table: Table, columns: Sequence[Any] | None = None, *, batch: int = 200
) -> Iterator[Row[Any]]:
    """Every row of ``table`` in key order (``columns``: only these, the key's among them),
    streamed ``batch`` rows at a time."""
    query = select(*(columns if columns is not None else table.columns))
    result = conn.execution_options(yield_per=batch).execute(
        query.order_by(*_key_columns(table, conn))
    )
    yield from result


def row_pairs(
    source: Connection, target: Connection, table: Table,
    columns: Sequence[Any] | None = None, *, batch: int = 200,
) -> Iterator[Pair]:
    """Both archives' rows of ``table`` matched by key, in key order: (row, row) for a key
    both hold, (row, None) for one only the source holds, (None, row) for the target's own."""
    left = table_rows(source, table, columns, batch=batch)
    right = table_rows(target, table, columns, batch=batch)
    a, b = next(left, None), next(right, None)
    while a is not None or b is not None:
        ka = key_of(table, a) if a is not None else None
        kb = key_of(table, b) if b is not None else None
        if kb is None or (ka is not None and ka < kb):
            yield a, None
            a = next(left, None)
        elif ka is None or kb < ka:
            yield None, b
            b = next(right, None)
        else:
            yield a, b
            a, b = next(left, None), next(right, None)


def differing_columns(a: Row[Any], b: Row[Any]) -> list[str]:
    """The names of the columns in which two rows of one table differ (canonically)."""
    return [name for name, x, y in zip(a._fields, a, b, strict=True) if _value(x) != _value(y)]
