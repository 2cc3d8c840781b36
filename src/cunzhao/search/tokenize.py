"""Index and query tokens: folded text, one token per CJK character, one per Latin/digit word.

A CJK character emits the bigram it starts (``网信``) when the next character belongs to the
same CJK run, else itself alone (``办``). Every CJK character therefore holds exactly one
position, so a query of n ≥ 2 CJK characters is the phrase of its n − 1 consecutive bigrams
(exact: scattered characters never match), and a single character is the prefix ``网*``
(it starts the token of its own position). Latin and digit runs are whole words (``cnki``,
``app``, ``2024``); ``AI写作导师`` gives ``ai 写作 作导 导师 师``.

Tokens hold only letters, digits and non-ASCII characters, so a space-joined token stream
survives SQLite's ``ascii`` tokenizer unchanged and needs no quoting in a tsvector literal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from operator import add
from typing import NamedTuple

from cunzhao.fold import fold

__all__ = [
    "CJK_RANGES",
    "MAX_WORD",
    "IndexText",
    "QueryToken",
    "checked_token",
    "first_chars",
    "index_text",
    "index_texts",
    "index_tokens",
    "is_cjk",
    "query_tokens",
    "token_runs",
]

CJK_RANGES = (
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han, extension A, compatibility
    "\uac00-\ud7af"  # Hangul syllables
    "\U00020000-\U0003134f"  # Han extensions B–G
)
"""Character ranges indexed as CJK (a regex class body)."""
_RUN = re.compile(f"([{CJK_RANGES}]+)|([^\\W_{CJK_RANGES}]+)")
_CJK_CHAR = re.compile(f"[{CJK_RANGES}]")

MAX_WORD = 60
"""Latin/digit words are cut to this many characters (a tsvector lexeme must stay small)."""


def is_cjk(ch: str) -> bool:
    """True for a character indexed as CJK (Han, kana, Hangul)."""
    return _CJK_CHAR.fullmatch(ch) is not None


def token_runs(folded: str) -> Iterator[tuple[bool, int, int]]:
    """``(is_cjk, start, end)`` of each CJK run and each Latin/digit word in folded text."""
    for m in _RUN.finditer(folded):
        yield m.group(1) is not None, m.start(), m.end()


def index_tokens(text: str, *, folded: str | None = None) -> list[str]:
    """The token stream of a title or body, in order.

    The text is folded here unless ``folded`` (``fold(text)``, e.g. as stored) is given.
    """
    out: list[str] = []
    for run, word in _RUN.findall(_folded(text, folded)):
        if run:
            out += map(add, run, run[1:])
            out.append(run[-1])
        else:
            out.append(word[:MAX_WORD])
    return out


def index_text(text: str, *, folded: str | None = None) -> str:
    """:func:`index_tokens` joined by spaces (runs of spaces may occur), built in one pass.

    This is what SQLite's FTS5 table receives; its ``ascii`` tokenizer splits on spaces.
    """
    # map(add, run, run[1:] + " ") gives every bigram and then the last character (plus a space)
    return " ".join(
        [
            " ".join(map(add, run, run[1:] + " ")) if run else word[:MAX_WORD]
            for run, word in _RUN.findall(_folded(text, folded))
        ]
    )


def first_chars(text: str, *, folded: str | None = None) -> str:
    """One word per position of :func:`index_text`, joined by spaces: a CJK token's first
    character, a Latin/digit word whole (``AI写作`` → ``ai 写 作``).

    A token starts with a CJK character exactly when this holds that character at its
    position, so a one-character query (the prefix ``网*``) is a term here, and a phrase of
    Latin words and prefixes (``2023年`` → ``2023 年*``) an exact phrase of words here.
    """
    return " ".join(
        [" ".join(run) if run else word[:MAX_WORD]
         for run, word in _RUN.findall(_folded(text, folded))]
    )


class IndexText(NamedTuple):
    """A version's text as the engines index it: the token text of its title and body
    (:func:`index_text`) and their tokens' first characters (:func:`first_chars`)."""

    title: str
    body: str
    title_chars: str
    body_chars: str


def index_texts(title: str, body: str, *, folded: str | None = None) -> IndexText:
    """The :class:`IndexText` of a title and a body (``folded``: ``fold(body)``)."""
    return IndexText(index_text(title), index_text(body, folded=folded), first_chars(title),
                     first_chars(body, folded=folded))


def _folded(text: str, folded: str | None) -> str:
    return fold(text) if folded is None or len(folded) != len(text) else folded


@dataclass(frozen=True)
class QueryToken:
    """One position of a query phrase; ``prefix`` matches any token starting with ``text``."""

    text: str
    prefix: bool = False


def checked_token(token: QueryToken) -> str:
    """The token's text, after checking it holds only letters, digits or non-ASCII characters.

    Backends splice this text into a full-text query string (always a bound parameter)."""
    if not token.text or not all(c.isalnum() or not c.isascii() for c in token.text):
        raise ValueError(f"not a search token: {token.text!r}")
    return token.text


def query_tokens(text: str) -> tuple[QueryToken, ...]:
    """The phrase that finds ``text`` as a substring (CJK) or word sequence (Latin), exactly.

    A CJK run of n ≥ 2 characters gives its n − 1 bigrams; its last character needs a token
    of its own only when more tokens follow (then as a prefix, since the document may have
    it as a bigram or alone). A one-character run is always a prefix token.
    """
    folded = fold(text)
    runs = list(token_runs(folded))
    out: list[QueryToken] = []
    for i, (cjk, start, end) in enumerate(runs):
        run = folded[start:end]
        if not cjk:
            out.append(QueryToken(run[:MAX_WORD]))
            continue
        out.extend(QueryToken(run[j : j + 2]) for j in range(len(run) - 1))
        if len(run) == 1 or i < len(runs) - 1:
            out.append(QueryToken(run[-1], prefix=True))
    return tuple(out)
