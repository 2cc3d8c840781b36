"""The user's query language: terms (AND), ``"exact phrase"``, ``-exclude``, ``A OR B``.

``parse_query`` never lets raw text through to SQL: a term becomes a tuple of
:class:`~cunzhao.search.tokenize.QueryToken` (letters, digits and CJK only), and anything
the parser cannot read raises :class:`QuerySyntaxError` with a message for the user.
Curly quotes (“…”) and full-width ``＂`` / ``－`` work like their ASCII forms; ``OR`` must be
upper case (``or`` is a word).
"""

from __future__ import annotations

from dataclasses import dataclass

from cunzhao.search.tokenize import QueryToken, query_tokens

__all__ = ["MAX_QUERY_LENGTH", "ParsedQuery", "QuerySyntaxError", "Term", "parse_query"]

MAX_QUERY_LENGTH = 200
"""Longer queries are refused (forms and the API should use this limit too); it also bounds a
phrase to fewer tokens than the PostgreSQL chunk overlap
(``cunzhao.search.postgres_index.OVERLAP``)."""

_OPEN = {'"': '"', "＂": "＂", "“": "”", "„": "”", "「": "」", "『": "』"}
_MINUS = {"-", "－"}


class QuerySyntaxError(ValueError):
    """The query cannot be read; ``str(error)`` is a one-line message for the user."""


@dataclass(frozen=True)
class Term:
    """One word or quoted phrase: what was typed and the token phrase that finds it."""

    text: str
    tokens: tuple[QueryToken, ...]
    quoted: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    """``groups`` are ANDed; the terms inside a group are ORed; ``excluded`` are ANDed NOTs."""

    groups: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()

    @property
    def positive_terms(self) -> tuple[Term, ...]:
        return tuple(t for g in self.groups for t in g)

    @property
    def is_empty(self) -> bool:
        return not self.groups and not self.excluded


@dataclass(frozen=True)
class _Item:
    term: Term | None  # None for the OR operator
    negated: bool = False


def parse_query(text: str) -> ParsedQuery:
    """Parse a query; an empty or blank query gives an empty :class:`ParsedQuery`."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(
            f"query too long ({len(text)} characters, at most {MAX_QUERY_LENGTH})"
        )
    items = _lex(text)
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    for pos, item in enumerate(items):
        if item.term is None:
            if pos == 0 or pending_or:
                raise QuerySyntaxError("OR needs a term on each side")
            prev = items[pos - 1]
            if prev.negated:
                raise QuerySyntaxError("an excluded term (-…) cannot be part of OR")
            pending_or = True
            continue
        if item.negated:
            if pending_or:
                raise QuerySyntaxError("an excluded term (-…) cannot be part of OR")
            excluded.append(item.term)
        elif pending_or:
            groups[-1].append(item.term)
        else:
            groups.append([item.term])
        pending_or = False
    if pending_or:
        raise QuerySyntaxError("OR needs a term on each side")
    return ParsedQuery(tuple(tuple(g) for g in groups), tuple(excluded))


def _lex(text: str) -> list[_Item]:
    items: list[_Item] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        negated = ch in _MINUS
        if negated:
            i += 1
            if i >= n or text[i].isspace():
                raise QuerySyntaxError("a '-' must be followed by the word or phrase to exclude")
            ch = text[i]
        if ch in _OPEN:
            close = text.find(_OPEN[ch], i + 1)
            if close < 0:
                raise QuerySyntaxError(f"unbalanced quote {ch} at character {i + 1}")
            items.append(_Item(_term(text[i + 1 : close], quoted=True), negated))
            i = close + 1
            continue
        start = i
        while i < n and not text[i].isspace() and text[i] not in _OPEN:
            i += 1
        word = text[start:i]
        if i < n and text[i] in _OPEN:
            raise QuerySyntaxError(f"a quote must start a phrase, not follow '{word}'")
        if word == "OR" and not negated:
            items.append(_Item(None))
        else:
            items.append(_Item(_term(word, quoted=False), negated))
    return items


def _term(text: str, *, quoted: bool) -> Term:
    tokens = query_tokens(text)
    if not tokens:
        what = f'"{text}"' if quoted else f"'{text}'"
        raise QuerySyntaxError(f"{what} has no letters, digits or CJK characters to search for")
    return Term(text, tokens, quoted)
