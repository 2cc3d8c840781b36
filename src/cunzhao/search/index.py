"""The search index behind one interface, one implementation per engine.

``search_state.engine`` (:mod:`cunzhao.search.state`) names the engine of an archive:

- ``tantivy`` (the default where the package imports): a tantivy folder derived from the
  database, written after each commit (:mod:`cunzhao.search.tantivy_engine`);
- ``sql``: the database's own full-text table, FTS5 or tsvector, written inside each
  transaction (:mod:`cunzhao.search.sql_engine`) — the fallback.

Both keep ``search_docs`` and ``search_facets`` (the indexer writes them), use the same
tokens, and answer every query with the same hits, order and facets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from functools import cache
from importlib.util import find_spec
from typing import Protocol

from sqlalchemy import Connection

from cunzhao.search.entries import IndexEntry
from cunzhao.search.plan import Found, Request
from cunzhao.search.query import ParsedQuery
from cunzhao.search.sql_engine import SqlEngine
from cunzhao.search.state import Pending, State, read_state
from cunzhao.store.filters import Filters

__all__ = ["SearchIndex", "SearchUnavailable", "engine_for", "index_for"]


class SearchUnavailable(RuntimeError):
    """The archive's search engine cannot run here; the message says what to do."""


class SearchIndex(Protocol):
    """One engine: text written with the record, followed after commits, rebuilt, queried."""

    name: str

    def insert(self, conn: Connection, entries: Sequence[IndexEntry]) -> None:
        """Inside the transaction that makes these entries indexed (none of them yet)."""

    def delete(self, conn: Connection, version_ids: Sequence[int]) -> None:
        """Inside the transaction that unindexes these versions."""

    def follow(self, conn: Connection, pending: Pending | None = None) -> None:
        """After such a transaction committed: bring an index kept outside the database up
        to date (``conn``: a connection of its own, outside any transaction; ``pending``:
        what that transaction changed, when known)."""

    def rebuilding(
        self, conn: Connection, state: State
    ) -> AbstractContextManager[Callable[[Sequence[IndexEntry]], None]]:
        """A rebuild to ``state`` (a new build): add every entry through the function
        given, in batches; complete when the block ends without error."""

    def find(
        self, conn: Connection, parsed: ParsedQuery, filters: Filters, request: Request
    ) -> Found:
        """The page, total and facets of a query (filters applied, budgets as requested)."""


_SQL = SqlEngine()


@cache
def _tantivy_installed() -> bool:
    return find_spec("tantivy") is not None


def index_for(conn: Connection) -> SearchIndex:
    """The search index of this connection's archive, as ``search_state`` says now."""
    return engine_for(conn, read_state(conn))


def engine_for(conn: Connection, state: State) -> SearchIndex:
    """The engine that ``state`` names, for this connection's archive at that state."""
    if state.engine == "sql":
        return _SQL
    if state.engine != "tantivy":
        raise ValueError(f"unknown search engine {state.engine!r}")
    if not _tantivy_installed():
        raise SearchUnavailable(
            "this archive is searched with tantivy, which is not installed here: install "
            "tantivy==0.27.0, or run `cunzhao reindex --engine sql` to search with the "
            "database's own full-text index"
        )
    from cunzhao.search.tantivy_engine import TantivyEngine, index_root

    return TantivyEngine(index_root(conn), state)
