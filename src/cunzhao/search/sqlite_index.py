"""SQLite's full-text index: a contentless FTS5 table over the space-joined tokens.

``search_fts(title, body)``, rowid = version id, ``ascii`` tokenizer (splits on ASCII spaces
only, so the token stream arrives unchanged), prefix index of one character for
single-character queries. A query is one ``MATCH`` expression; ``bm25()`` ranks, the title
weighted :data:`TITLE_WEIGHT` times the body. Being contentless, the table forgets a row
only when given the tokens it indexed, which are recomputed from the stored version row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import (
    Connection,
    Select,
    bindparam,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    text,
)

from cunzhao.search.entries import IndexEntry
from cunzhao.search.query import ParsedQuery, Term
from cunzhao.search.tokenize import checked_token, index_text
from cunzhao.store.schema import versions

__all__ = ["TITLE_WEIGHT", "SqliteIndex"]

TITLE_WEIGHT = 5.0
_DDL = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, content='', prefix='1', tokenize='ascii')"
)
_INSERT = text("INSERT INTO search_fts(rowid, title, body) VALUES (:id, :title, :body)")
_DELETE = text(
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', :id, :title, :body)"
)
_fts = table("search_fts", column("rowid"))
_match = literal_column("search_fts").op("MATCH")


class SqliteIndex:
    """The :class:`~cunzhao.search.fulltext.FullTextTable` of a SQLite archive (FTS5)."""

    def create(self, conn: Connection, *, bulk: bool = False) -> None:
        conn.execute(text(_DDL))

    def drop(self, conn: Connection) -> None:
        conn.execute(text("DROP TABLE IF EXISTS search_fts"))

    def finish_bulk(self, conn: Connection) -> None:
        """Nothing to do: FTS5 keeps its index current as rows go in."""

    def insert(self, conn: Connection, entries: Sequence[IndexEntry]) -> None:
        conn.execute(_INSERT, [
            {"id": e.version_id, "title": title, "body": body}
            for e in entries
            for title, body in (e.index_texts(),)
        ])

    def delete(self, conn: Connection, version_ids: Sequence[int]) -> None:
        rows = conn.execute(
            select(versions.c.id, versions.c.title, versions.c.body, versions.c.body_folded)
            .where(versions.c.id.in_(version_ids))
        )
        conn.execute(_DELETE, [
            {"id": r.id, "title": index_text(r.title or ""),
             "body": index_text(r.body or "", folded=r.body_folded)}
            for r in rows
        ])

    def matching(self, query: ParsedQuery, *, ranked: bool) -> Select[tuple[int, float]]:
        expr = " AND ".join(
            "(" + " OR ".join(_phrase(t) for t in group) + ")" for group in query.groups
        )
        return (
            select(
                _fts.c.rowid.label("vid"),
                (-func.bm25(literal_column("search_fts"), TITLE_WEIGHT, 1.0)
                 if ranked else literal(0.0)).label("score"),
            )
            .select_from(_fts)
            .where(_match(bindparam("fts_q", expr)))
        )

    def excluded(self, terms: Sequence[Term]) -> Select[tuple[int]]:
        expr = " OR ".join(_phrase(t) for t in terms)
        return select(_fts.c.rowid).where(_match(bindparam("fts_not", expr)))

    @contextmanager
    def reading(self, conn: Connection) -> Iterator[None]:
        """Nothing to set: SQLite plans the ``MATCH`` well on its own."""
        yield


def _phrase(term: Term) -> str:
    return " + ".join(f'"{checked_token(t)}"' + (" *" if t.prefix else "") for t in term.tokens)
