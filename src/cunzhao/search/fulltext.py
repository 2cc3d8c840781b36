"""The SQL full-text table behind one interface, one implementation per backend.

The ``sql`` search engine (:mod:`cunzhao.search.sql_engine`) keeps its text in the backend's
own table: everything that differs between SQLite and PostgreSQL — the table, the bulk
insert and delete, the match and ranking SQL, planner settings — lives behind
:class:`FullTextTable`, chosen per connection by :func:`table_for`. The rest of the SQL path
(``search_docs``, ``search_facets``, filters, facets, paging) is one on both backends.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from sqlalchemy import Connection, Select

from cunzhao.search.entries import IndexEntry
from cunzhao.search.postgres_index import PostgresIndex
from cunzhao.search.query import ParsedQuery, Term
from cunzhao.search.sqlite_index import SqliteIndex

__all__ = ["FullTextTable", "table_for"]


class FullTextTable(Protocol):
    """The backend's full-text table: DDL, writes, and the SQL that matches a query."""

    def create(self, conn: Connection, *, bulk: bool = False) -> None:
        """Create the (empty) full-text table; ``bulk``: defer what is cheaper to build once
        after a bulk load, until :meth:`finish_bulk`."""

    def drop(self, conn: Connection) -> None:
        """Drop the full-text table if it exists."""

    def finish_bulk(self, conn: Connection) -> None:
        """Complete a table created with ``bulk=True`` once it is loaded."""

    def insert(self, conn: Connection, entries: Sequence[IndexEntry]) -> None:
        """Add the text of each entry (none of them indexed yet), in one bulk statement."""

    def delete(self, conn: Connection, version_ids: Sequence[int]) -> None:
        """Remove the text of these indexed versions (their stored rows are unchanged)."""

    def matching(self, query: ParsedQuery, *, ranked: bool) -> Select[tuple[int, float]]:
        """``SELECT vid, score`` of the versions that match every group of ``query`` (which
        has at least one); unranked, the score is 0 and no ranking function runs."""

    def excluded(self, terms: Sequence[Term]) -> Select[tuple[int]]:
        """``SELECT vid`` of the versions that match any of ``terms``."""

    def reading(self, conn: Connection) -> AbstractContextManager[None]:
        """Run a search's statements inside this (planner settings for this transaction)."""


_SQLITE = SqliteIndex()
_POSTGRES = PostgresIndex()


def table_for(conn: Connection) -> FullTextTable:
    """The full-text table of this connection's backend."""
    name = conn.dialect.name
    if name == "sqlite":
        return _SQLITE
    if name == "postgresql":
        return _POSTGRES
    raise ValueError(f"search supports SQLite and PostgreSQL, not {name}")
