"""Copy a whole archive between backends (SQLite ⇄ PostgreSQL): resumable, and verified by
checksums.

Rows keep their ids, so links and citations (document 42, version 2) survive the move. Every
table of the schema is copied (``TABLES``: the record, the facts, link checks, the sync
frontier and runs). A copy does not assume the target is an older copy of today's source:
each table is read on both sides in key order and only what differs is written — rows the
target lacks are inserted, rows that changed in the source are updated (a version that is no
longer the latest, a sync URL fetched again), rows the source no longer holds are removed
(facts replaced by ``reextract``). Parents are written before children, removals go children
first, and every batch is committed, so a copy that stops part-way is simply run again.

The target must be a copy of this source, or empty: when it holds a blob, capture, document
or version that the source does not (or the same id for another URL or capture), nothing is
written and ``CopyRefused`` says which — a copy never deletes preserved evidence.

Verification reads both sides once more and compares each table's row count and checksum
(:mod:`cunzhao.store.rowdiff`), naming the first rows that differ, and re-hashes every blob
of the target. The search index is not copied: the caller rebuilds it on the target
(``Archive.copy_to`` does), since the store sits below search.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    Table,
    and_,
    bindparam,
    delete,
    insert,
    text,
    update,
)

from cunzhao.digest import sha256_hex
from cunzhao.store.blobs import unpack
from cunzhao.store.rowdiff import TableSum, differing_columns, key_of, row_pairs, table_rows
from cunzhao.store.schema import blobs, metadata

# Parents before children, so foreign keys hold at every commit.
TABLES: tuple[Table, ...] = tuple(metadata.sorted_tables)

# What a copy never removes from a target, with the columns that say what a row is.
_EVIDENCE: dict[str, tuple[str, ...]] = {
    "documents": ("url",),
    "versions": ("document_id", "capture_id", "n"),
    "captures": ("sha256",),
    "blobs": (),
}
_SHOWN = 5  # differing rows named in a message
OnBatch = Callable[[str, int], None]


class CopyMismatch(Exception):
    """The target does not hold what the source holds (a table's rows, or a blob's bytes)."""


class CopyRefused(CopyMismatch):
    """The target holds evidence the source does not: it is not a copy of this source."""


@dataclass
class CopyReport:
    copied: dict[str, int] = field(default_factory=dict)  # rows inserted by this run
    updated: dict[str, int] = field(default_factory=dict)  # rows rewritten by this run
    removed: dict[str, int] = field(default_factory=dict)  # rows the source no longer holds
    counts: dict[str, int] = field(default_factory=dict)  # rows in both, after the copy
    checksums: dict[str, str] = field(default_factory=dict)  # sha256 of each table, both sides
    blobs_verified: int = 0
    indexed: int = 0  # documents indexed on the target afterwards, by the caller


@dataclass(frozen=True)
class CopyCheck:
    """What verification found equal: rows and checksum per table, blob hashes re-checked."""

    counts: dict[str, int]
    checksums: dict[str, str]
    blobs_verified: int


def copy_archive(
    source: Engine, target: Engine, *, batch: int = 500, on_batch: OnBatch | None = None,
) -> CopyReport:
    """Make ``target`` (an archive at the same schema) hold exactly the rows of ``source``,
    then verify. Raises ``CopyRefused`` before writing anything when the target holds
    evidence the source lacks, ``CopyMismatch`` when verification finds a difference. The
    target's search index is left as it was: rebuild it afterwards."""
    report = CopyReport()
    with source.connect() as read, target.connect() as mine:
        for name in _EVIDENCE:
            _refuse_foreign(read, mine, metadata.tables[name])
    for table in reversed(TABLES):
        if table.name not in _EVIDENCE:
            report.removed[table.name] = _remove_extra(source, target, table, batch)
    for table in TABLES:
        report.copied[table.name], report.updated[table.name] = _send(
            source, target, table, batch, on_batch
        )
    if target.dialect.name == "postgresql":
        _reset_sequences(target)
    check = verify_copy(source, target)
    report.counts, report.checksums = check.counts, check.checksums
    report.blobs_verified = check.blobs_verified
    return report


def _refuse_foreign(source: Connection, target: Connection, table: Table) -> None:
    columns = [*table.primary_key.columns, *(table.c[n] for n in _EVIDENCE[table.name])]
    for a, b in row_pairs(source, target, table, columns):
        if b is None:
            continue
        key = ", ".join(map(str, key_of(table, b)))
        if a is None:
            raise CopyRefused(
                f"the target holds {table.name} {key}, which the source does not: it is not "
                "a copy of this source (or was written to since); nothing was copied — copy "
                "into a new archive"
            )
        changed = differing_columns(a, b)
        if changed:
            theirs = ", ".join(f"{n}={b._mapping[n]!r}" for n in changed)
            ours = ", ".join(f"{n}={a._mapping[n]!r}" for n in changed)
            raise CopyRefused(
                f"{table.name} {key} has {theirs} in the target but {ours} in the source: the "
                "target is another archive; nothing was copied — copy into a new archive"
            )


def _remove_extra(source: Engine, target: Engine, table: Table, batch: int) -> int:
    """Delete the target's rows whose key the source no longer holds (children first)."""
    key = list(table.primary_key.columns)
    with source.connect() as read, target.connect() as mine:
        extra = [key_of(table, b) for a, b in row_pairs(read, mine, table, key)
                 if a is None and b is not None]
    condition = and_(*(c == bindparam(f"k_{c.name}") for c in key))
    for start in range(0, len(extra), batch):
        with target.begin() as write:
            write.execute(delete(table).where(condition), [
                {f"k_{c.name}": v for c, v in zip(key, k, strict=True)}
                for k in extra[start : start + batch]
            ])
    return len(extra)


def _send(
    source: Engine, target: Engine, table: Table, batch: int, on_batch: OnBatch | None,
) -> tuple[int, int]:
    """Insert the rows the target lacks and rewrite those that differ; (inserted, updated)."""
    key = list(table.primary_key.columns)
    rewrite = update(table).where(and_(*(c == bindparam(f"k_{c.name}") for c in key)))
    inserted = updated = 0
    with source.connect() as read, target.connect() as mine:
        for missing, changed in _changes(read, mine, table, batch):
            with target.begin() as write:
                if missing:
                    write.execute(insert(table), missing)
                if changed:
                    write.execute(rewrite, [
                        {**{f"k_{c.name}": row[c.name] for c in key}, **row} for row in changed
                    ])
            inserted += len(missing)
            updated += len(changed)
            if on_batch:
                on_batch(table.name, inserted + updated)
    return inserted, updated


def _changes(
    read: Connection, mine: Connection, table: Table, batch: int
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """Batches of (rows to insert, rows to rewrite), at most ``batch`` rows each."""
    missing: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for a, b in row_pairs(read, mine, table, batch=batch):
        if a is None:
            continue
        if b is None:
            missing.append(dict(a._mapping))
        elif differing_columns(a, b):
            changed.append(dict(a._mapping))
        if len(missing) + len(changed) >= batch:
            yield missing, changed
            missing, changed = [], []
    if missing or changed:
        yield missing, changed


def _reset_sequences(engine: Engine) -> None:
    """Ids were written explicitly; move each PostgreSQL sequence past the largest."""
    with engine.begin() as conn:
        for table in TABLES:
            if "id" in table.c and table.c.id.primary_key and isinstance(table.c.id.type,
                                                                          Integer):
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table.name}), false)"
                ))


def verify_copy(source: Engine, target: Engine) -> CopyCheck:
    """Every table holds the same rows on both sides (row count and checksum), and every
    target blob's bytes hash to its key; raises ``CopyMismatch`` naming what differs."""
    counts: dict[str, int] = {}
    checksums: dict[str, str] = {}
    with source.connect() as read, target.connect() as mine:
        for table in TABLES:
            left, right = TableSum(), TableSum()
            differences: list[str] = []
            for a, b in row_pairs(read, mine, table):
                if a is not None:
                    left.add(a)
                if b is not None:
                    right.add(b)
                if len(differences) < _SHOWN and (
                    a is None or b is None or differing_columns(a, b)
                ):
                    differences.append(_difference(table, a, b))
            if left.sha256 != right.sha256:
                raise CopyMismatch(
                    f"copy not verified: {table.name}: {left.rows} rows in the source, "
                    f"{right.rows} in the target, checksums differ — " + "; ".join(differences)
                )
            counts[table.name], checksums[table.name] = right.rows, right.sha256
        return CopyCheck(counts, checksums, _rehash_blobs(mine))


def _difference(table: Table, a: Any, b: Any) -> str:
    row = a if a is not None else b
    key = ", ".join(map(str, key_of(table, row)))
    if b is None:
        return f"{table.name} {key} is missing in the target"
    if a is None:
        return f"{table.name} {key} is only in the target"
    return f"{table.name} {key} differs in {', '.join(differing_columns(a, b))}"


def _rehash_blobs(conn: Connection) -> int:
    columns = [blobs.c.sha256, blobs.c.compression, blobs.c.data]
    verified = 0
    for row in table_rows(conn, blobs, columns, batch=50):
        try:
            intact = sha256_hex(unpack(row.compression, row.data)) == row.sha256
        except (ValueError, zlib.error) as exc:
            raise CopyMismatch(
                f"copy not verified: blob {row.sha256} in the target cannot be read: {exc}"
            ) from None
        if not intact:
            raise CopyMismatch(
                f"copy not verified: blob {row.sha256}: the target's bytes do not match its hash"
            )
        verified += 1
    return verified


__all__ = [
    "TABLES",
    "CopyCheck",
    "CopyMismatch",
    "CopyRefused",
    "CopyReport",
    "copy_archive",
    "verify_copy",
]
