"""The search index's bookkeeping in the database: engine, build, generation, journal.

The database is the record; a search index outside it (tantivy's folder) is derived, and
these rows say what it must hold (migration ``0007_search_state``):

- ``search_state`` (one row): ``engine`` (``tantivy`` or ``sql``: which index answers
  searches), ``build`` (a random id, new at every rebuild: the folder of that build is the
  current index), ``generation`` (raised by every transaction that changes the indexed
  entries), ``journal_start`` (the journal holds every change after this generation).
- ``search_journal(generation, document_id)``: the documents each generation changed, so
  that an index at generation g catches up by re-reading just those documents.

A transaction raises the generation before it writes index entries, so on PostgreSQL two
writers take turns from there to their commit: generations commit in order, and an index
that has applied generation g has applied every earlier one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    insert,
    select,
    update,
)

if TYPE_CHECKING:
    from cunzhao.search.entries import IndexEntry

__all__ = [
    "ENGINES",
    "JOURNAL_KEEP",
    "Pending",
    "State",
    "bump",
    "changed_documents",
    "read_state",
    "restart",
    "search_journal",
    "search_state",
]

ENGINES = ("tantivy", "sql")
JOURNAL_KEEP = 2_000
"""Generations kept in the journal; an index further behind is rebuilt, not caught up."""

state_metadata = MetaData()

search_state = Table(
    "search_state",
    state_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("engine", String(16), nullable=False),
    Column("build", String(32), nullable=False),
    Column("generation", Integer, nullable=False),
    Column("journal_start", Integer, nullable=False),
)

search_journal = Table(
    "search_journal",
    state_metadata,
    Column("generation", Integer, nullable=False),
    Column("document_id", Integer, nullable=False),
    Index("ix_search_journal_generation", "generation"),
)


@dataclass
class Pending:
    """What one transaction changed in the index: the generations it raised (``first`` to
    ``last``, consecutive: the state row is locked until its commit), the entries it made
    current (by document) and the documents it unindexed. After its commit, an index at
    generation ``first - 1`` catches up with these alone, reading nothing back."""

    first: int
    last: int
    entries: dict[int, IndexEntry] = field(default_factory=dict)
    removed: set[int] = field(default_factory=set)
    transaction: object = None  # whose changes these are (a later one starts afresh)

    def add(self, generation: int, entries: Iterable[IndexEntry] = (),
            removed: Iterable[int] = ()) -> None:
        self.last = generation
        for entry in entries:
            self.entries[entry.document_id] = entry
            self.removed.discard(entry.document_id)
        for document_id in removed:
            self.entries.pop(document_id, None)
            self.removed.add(document_id)


@dataclass(frozen=True)
class State:
    """The ``search_state`` row."""

    engine: str
    build: str
    generation: int
    journal_start: int


def read_state(conn: Connection) -> State:
    """The archive's search state (one small row)."""
    row = conn.execute(
        select(search_state.c.engine, search_state.c.build, search_state.c.generation,
               search_state.c.journal_start).where(search_state.c.id == 1)
    ).one()
    return State(row.engine, row.build, row.generation, row.journal_start)


def bump(conn: Connection, document_ids: Iterable[int]) -> int:
    """Record that these documents' index entries change in this transaction; returns the
    new generation. Journal rows older than :data:`JOURNAL_KEEP` generations are dropped."""
    conn.execute(update(search_state).where(search_state.c.id == 1)
                 .values(generation=search_state.c.generation + 1))
    state = read_state(conn)
    rows = [{"generation": state.generation, "document_id": d} for d in sorted(set(document_ids))]
    if rows:
        conn.execute(insert(search_journal), rows)
    horizon = state.generation - JOURNAL_KEEP
    if horizon > state.journal_start:
        conn.execute(delete(search_journal).where(search_journal.c.generation <= horizon))
        conn.execute(update(search_state).where(search_state.c.id == 1)
                     .values(journal_start=horizon))
    return state.generation


def changed_documents(conn: Connection, since: int, until: int) -> set[int] | None:
    """The documents changed after generation ``since`` up to ``until``; None when the
    journal no longer reaches back that far (the index must be rebuilt)."""
    if since < read_state(conn).journal_start:
        return None
    return set(conn.execute(
        select(search_journal.c.document_id).distinct()
        .where(search_journal.c.generation > since, search_journal.c.generation <= until)
    ).scalars())


def restart(conn: Connection, engine: str | None = None) -> State:
    """A rebuild begins: a new build id and generation, an empty journal, and the engine
    (unchanged when None). Returns the new state."""
    if engine is not None and engine not in ENGINES:
        raise ValueError(f"search engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    old = read_state(conn)
    generation = old.generation + 1
    conn.execute(delete(search_journal))
    conn.execute(update(search_state).where(search_state.c.id == 1).values(
        engine=engine or old.engine, build=uuid.uuid4().hex, generation=generation,
        journal_start=generation,
    ))
    return read_state(conn)
