"""Copy a whole archive between backends (SQLite ⇄ PostgreSQL): resumable and verified.

Rows keep their ids, so links and citations (document 42, version 2) survive the move. Tables
are copied parent before child, each in primary-key order, committing every batch; a copy
that stops part-way resumes after the last committed key. The search index is not copied:
the caller rebuilds it on the target afterwards (``Archive.copy_to`` does), since the store
sits below search. Verification compares every table's row count and every blob's sha256
(recomputed from the target's stored bytes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, select, text
from sqlalchemy.dialects import postgresql, sqlite

from cunzhao.digest import sha256_hex
from cunzhao.store.blobs import unpack
from cunzhao.store.schema import (
    blobs,
    captures,
    case_targets,
    cases,
    documents,
    link_checks,
    stats,
    versions,
)

# Parents before children, so foreign keys hold at every commit.
TABLES: tuple[Table, ...] = (
    blobs, captures, documents, versions, stats, cases, case_targets, link_checks,
)


class CopyMismatch(Exception):
    """The target does not hold what the source holds (counts or blob hashes differ)."""


@dataclass
class CopyReport:
    copied: dict[str, int] = field(default_factory=dict)  # rows sent by this run
    counts: dict[str, int] = field(default_factory=dict)  # rows in both, after the copy
    blobs_verified: int = 0
    indexed: int = 0  # documents indexed on the target afterwards, by the caller


def copy_archive(
    source: Engine, target: Engine, *, batch: int = 500,
    on_batch: Callable[[str, int], None] | None = None,
) -> CopyReport:
    """Copy every table of ``source`` into ``target`` (an archive at the same schema), then
    verify. Raises CopyMismatch on a difference. The target's search index is left as it was:
    rebuild it afterwards."""
    report = CopyReport()
    for table in TABLES:
        report.copied[table.name] = _copy_table(source, target, table, batch, on_batch)
    if target.dialect.name == "postgresql":
        _reset_sequences(target)
    report.counts, report.blobs_verified = verify_copy(source, target)
    return report


def _copy_table(
    source: Engine, target: Engine, table: Table, batch: int,
    on_batch: Callable[[str, int], None] | None,
) -> int:
    key = list(table.primary_key.columns)
    with target.connect() as conn:
        done = _last_key(conn, table, key)
    query = select(table).order_by(*key)
    if done is not None:  # resume: rows at or before the last committed key are there already
        query = query.where(key[0] >= done[0]) if len(key) > 1 else query.where(key[0] > done[0])
    written = 0
    with source.connect() as read:
        result = read.execution_options(yield_per=batch).execute(query)
        for rows in result.partitions():
            with target.begin() as write:
                written += _insert(write, table, [dict(r._mapping) for r in rows])
            if on_batch:
                on_batch(table.name, written)
    return written


def _last_key(conn: Connection, table: Table, key: list[Any]) -> tuple[Any, ...] | None:
    row = conn.execute(select(*key).order_by(*(k.desc() for k in key)).limit(1)).first()
    return tuple(row) if row is not None else None


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> int:
    """Insert rows, skipping any already there (the overlap of a resumed copy)."""
    if rows:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        conn.execute(dialect.insert(table).on_conflict_do_nothing(), rows)
    return len(rows)


def _reset_sequences(engine: Engine) -> None:
    """Ids were written explicitly; move each PostgreSQL sequence past the largest."""
    with engine.begin() as conn:
        for table in TABLES:
            if "id" in table.c and table.c.id.primary_key:
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"
                ))


def verify_copy(source: Engine, target: Engine) -> tuple[dict[str, int], int]:
    """Row counts equal in every table, and every target blob's bytes hash to its key."""
    counts: dict[str, int] = {}
    for table in TABLES:
        with source.connect() as a, target.connect() as b:
            n_source = a.execute(select(func.count()).select_from(table)).scalar_one()
            n_target = b.execute(select(func.count()).select_from(table)).scalar_one()
        if n_source != n_target:
            raise CopyMismatch(f"{table.name}: {n_source} rows in the source, {n_target} in the target")
        counts[table.name] = n_target
    verified = 0
    with target.connect() as conn:
        rows = conn.execution_options(yield_per=200).execute(
            select(blobs.c.sha256, blobs.c.compression, blobs.c.data)
        )
        for row in rows:
            if sha256_hex(unpack(row.compression, row.data)) != row.sha256:
                raise CopyMismatch(f"blob {row.sha256}: the target's bytes do not match their hash")
            verified += 1
    return counts, verified


__all__ = ["TABLES", "CopyMismatch", "CopyReport", "copy_archive", "verify_copy"]
