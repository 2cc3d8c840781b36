"""Violation categories stated in a case's own words (网络暴力, 淫秽色情, 网络赌博 …)."""

from __future__ import annotations

from cunzhao.extract.document import Document
from cunzhao.extract.lexicon import Lexicon

__all__ = ["categories_in"]


def categories_in(doc: Document, lex: Lexicon, start: int, end: int) -> list[str]:
    """Category ids whose wording occurs in ``folded[start:end]``, in lexicon order."""
    return [cid for cid, pattern in lex.category_patterns if pattern.search(doc.folded, start, end)]
