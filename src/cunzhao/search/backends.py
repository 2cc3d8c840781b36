"""Turn a parsed query into the matching versions' ids and scores, per backend.

SQLite: one FTS5 ``MATCH`` expression, BM25 score (title weighted above body).
PostgreSQL: tsquery phrases (``<->``) over ``search_chunks``, score = summed ``ts_rank_cd``;
a group of ORed terms is matched per document, so AND works across title and body chunks
exactly as FTS5 does across columns. Every token is checked to hold only letters, digits or
CJK characters and is passed as a bound parameter, never spliced into SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Cast,
    Select,
    bindparam,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.dialects.postgresql import TSQUERY

from cunzhao.search.query import ParsedQuery, Term
from cunzhao.search.tokenize import QueryToken

__all__ = ["excluded_ids", "matching_ids"]

TITLE_WEIGHT = 5.0
_fts = table("search_fts", column("rowid"))
_chunks = table("search_chunks", column("version_id"), column("tsv"))


def matching_ids(
    dialect: str, query: ParsedQuery, *, ranked: bool = True
) -> Select[tuple[int, float]]:
    """``SELECT vid, score`` of the versions that match every group of ``query``.

    Unranked (date order), the score is 0 and no ranking function runs.
    """
    if dialect == "sqlite":
        expr = " AND ".join(
            "(" + " OR ".join(_fts_phrase(t) for t in group) + ")" for group in query.groups
        )
        return (
            select(
                _fts.c.rowid.label("vid"),
                (-func.bm25(literal_column("search_fts"), TITLE_WEIGHT, 1.0)
                 if ranked else literal(0.0)).label("score"),
            )
            .select_from(_fts)
            .where(literal_column("search_fts").op("MATCH")(bindparam("fts_q", expr)))
        )
    any_term = _pg_any(query.positive_terms, "pg_any")
    score = func.sum(func.ts_rank_cd(_chunks.c.tsv, any_term)) if ranked else literal(0.0)
    stmt = (
        select(_chunks.c.version_id.label("vid"), score.label("score"))
        .where(_chunks.c.tsv.op("@@")(any_term))
        .group_by(_chunks.c.version_id)
    )
    if len(query.groups) > 1:
        for i, group in enumerate(query.groups):
            inner = select(_chunks.c.version_id).where(
                _chunks.c.tsv.op("@@")(_pg_any(group, f"pg_g{i}"))
            )
            stmt = stmt.where(_chunks.c.version_id.in_(inner))
    return stmt


def excluded_ids(dialect: str, terms: Sequence[Term]) -> Select[tuple[int]]:
    """``SELECT vid`` of the versions that match any of ``terms``."""
    if dialect == "sqlite":
        expr = " OR ".join(_fts_phrase(t) for t in terms)
        return select(_fts.c.rowid).where(
            literal_column("search_fts").op("MATCH")(bindparam("fts_not", expr))
        )
    return select(_chunks.c.version_id).where(_chunks.c.tsv.op("@@")(_pg_any(terms, "pg_not")))


def _checked(token: QueryToken) -> str:
    if not token.text or not all(c.isalnum() or not c.isascii() for c in token.text):
        raise ValueError(f"not a search token: {token.text!r}")
    return token.text


def _fts_phrase(term: Term) -> str:
    return " + ".join(f'"{_checked(t)}"' + (" *" if t.prefix else "") for t in term.tokens)


def _pg_phrase(term: Term) -> str:
    # a prefix token is always one CJK character, which the tsvector holds as a lexeme of its
    # own at every position (see indexer.tsvector_literal): match it exactly
    return " <-> ".join(f"'{_checked(t)}'" for t in term.tokens)


def _pg_any(terms: Sequence[Term], name: str) -> Cast[Any]:
    expr = " | ".join(f"({_pg_phrase(t)})" for t in terms)
    return cast(bindparam(name, expr), TSQUERY)
