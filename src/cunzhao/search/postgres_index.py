"""PostgreSQL's full-text index: tsvectors with explicit positions in ``search_chunks``.

``search_chunks(version_id, part, tsv)`` with a GIN index. tsvector literals are built from
the same tokens as SQLite's (no text-search parser involved). Part 0 is the title; the body
is cut into windows of :data:`CHUNK` tokens overlapping by :data:`OVERLAP` (a tsvector keeps
positions only up to 16,383), so every phrase of up to ``OVERLAP`` tokens lies whole in one
window. Queries are tsquery phrases (``<->``), score = summed ``ts_rank_cd``; a group of
ORed terms is matched per document, so AND works across title and body chunks exactly as
FTS5 does across columns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Cast,
    Connection,
    Select,
    bindparam,
    cast,
    column,
    func,
    literal,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import TSQUERY

from cunzhao.search.entries import IndexEntry
from cunzhao.search.query import ParsedQuery, Term
from cunzhao.search.tokenize import checked_token, index_tokens, is_cjk

__all__ = ["CHUNK", "OVERLAP", "PostgresIndex", "tsvector_literal"]

CHUNK = 2048
OVERLAP = 256

_DDL = (
    "CREATE TABLE search_chunks (version_id INTEGER NOT NULL, part INTEGER NOT NULL, "
    "tsv TSVECTOR NOT NULL, PRIMARY KEY (version_id, part))"
)
_GIN = "CREATE INDEX ix_search_chunks_tsv ON search_chunks USING GIN (tsv)"
_INSERT = text(
    "INSERT INTO search_chunks (version_id, part, tsv) VALUES (:id, :part, CAST(:tsv AS tsvector))"
)
_DELETE = text("DELETE FROM search_chunks WHERE version_id = :id")
_chunks = table("search_chunks", column("version_id"), column("tsv"))


class PostgresIndex:
    """The :class:`~cunzhao.search.fulltext.FullTextTable` of a PostgreSQL archive (tsvector/GIN)."""

    def create(self, conn: Connection, *, bulk: bool = False) -> None:
        """``bulk`` leaves out the GIN index until :meth:`finish_bulk` (one index build is far
        cheaper than a million inserts)."""
        conn.execute(text(_DDL))
        if not bulk:
            conn.execute(text(_GIN))

    def drop(self, conn: Connection) -> None:
        conn.execute(text("DROP TABLE IF EXISTS search_chunks"))

    def finish_bulk(self, conn: Connection) -> None:
        """Build the GIN index left out by ``create(bulk=True)`` and analyse the tables."""
        conn.execute(text(_GIN))
        conn.execute(text("ANALYZE search_chunks"))
        conn.execute(text("ANALYZE search_facets"))

    def insert(self, conn: Connection, entries: Sequence[IndexEntry]) -> None:
        conn.execute(_INSERT, [
            row for e in entries
            for row in _token_rows(e.version_id, *(text.split() for text in e.index_texts()))
        ])

    def delete(self, conn: Connection, version_ids: Sequence[int]) -> None:
        conn.execute(_DELETE, [{"id": vid} for vid in version_ids])

    def matching(self, query: ParsedQuery, *, ranked: bool) -> Select[tuple[int, float]]:
        any_term = _any(query.positive_terms, "pg_any")
        score = func.sum(func.ts_rank_cd(_chunks.c.tsv, any_term)) if ranked else literal(0.0)
        stmt = (
            select(_chunks.c.version_id.label("vid"), score.label("score"))
            .where(_chunks.c.tsv.op("@@")(any_term))
            .group_by(_chunks.c.version_id)
        )
        if len(query.groups) > 1:
            for i, group in enumerate(query.groups):
                inner = select(_chunks.c.version_id).where(
                    _chunks.c.tsv.op("@@")(_any(group, f"pg_g{i}"))
                )
                stmt = stmt.where(_chunks.c.version_id.in_(inner))
        return stmt

    def excluded(self, terms: Sequence[Term]) -> Select[tuple[int]]:
        return select(_chunks.c.version_id).where(_chunks.c.tsv.op("@@")(_any(terms, "pg_not")))

    @contextmanager
    def reading(self, conn: Connection) -> Iterator[None]:
        """Turn sequential scans off for the statements run inside (this transaction only).

        The chunks' tsvectors live in TOAST, so the heap looks small and the planner prefers a
        sequential scan that detoasts every row (20× slower than the GIN index at 10k docs).
        """
        previous = conn.execute(text("SELECT current_setting('enable_seqscan')")).scalar_one()
        conn.execute(text("SELECT set_config('enable_seqscan', 'off', true)"))
        try:
            yield
        finally:
            conn.execute(text("SELECT set_config('enable_seqscan', :v, true)"), {"v": previous})


def tsvector_literal(tokens: Iterable[str]) -> str:
    """A tsvector literal with 1-based positions (tokens never need quoting, see tokenize).

    A CJK bigram also puts its first character on the same position (a tsvector may stack
    lexemes), so a single character is an exact lexeme, not a slow GIN prefix scan.
    """
    positions: dict[str, list[int]] = defaultdict(list)
    for pos, token in enumerate(tokens, start=1):
        positions[token].append(pos)
        if len(token) == 2 and is_cjk(token[0]):
            positions[token[0]].append(pos)
    return " ".join(f"'{tok}':{','.join(map(str, pos))}" for tok, pos in positions.items())


def _chunk_rows(
    version_id: int, title: str, body: str, folded: str | None
) -> list[dict[str, object]]:
    return _token_rows(version_id, index_tokens(title), index_tokens(body, folded=folded))


def _token_rows(
    version_id: int, title: list[str], tokens: list[str]
) -> list[dict[str, object]]:
    """The rows of one version, from the tokens of its title and of its body."""
    rows: list[dict[str, object]] = [
        {"id": version_id, "part": 0, "tsv": tsvector_literal(title)}
    ]
    start, part = 0, 1
    while True:
        window = tokens[start : start + CHUNK + OVERLAP]
        rows.append({"id": version_id, "part": part, "tsv": tsvector_literal(window)})
        if start + CHUNK + OVERLAP >= len(tokens):
            return rows
        start += CHUNK
        part += 1


def _phrase(term: Term) -> str:
    # a prefix token is always one CJK character, which the tsvector holds as a lexeme of its
    # own at every position (see tsvector_literal): match it exactly
    return " <-> ".join(f"'{checked_token(t)}'" for t in term.tokens)


def _any(terms: Sequence[Term], name: str) -> Cast[Any]:
    expr = " | ".join(f"({_phrase(t)})" for t in terms)
    return cast(bindparam(name, expr), TSQUERY)
