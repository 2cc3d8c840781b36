"""Violation categories: the lexicon's list, and those stated in a case's own words.

A category is named by its wording in ``data/categories.tsv`` (网络暴力, 淫秽色情, 网络赌博 …);
a case gets every category whose wording occurs in its evidence span — the clause that
says what the targets did (…等为网络赌博引流的网站) or the problem stated with 针对.
Labels for display: ``cunzhao.extract.category_label(id, lang)``.
"""

from __future__ import annotations

from cunzhao.extract.document import Document
from cunzhao.extract.lexicon import Lexicon, lexicon
from cunzhao.extract.model import Category

__all__ = ["all_categories", "categories_in"]


def all_categories() -> list[Category]:
    """Every category of the lexicon, in its order (for filters and legends)."""
    return list(lexicon().categories.values())


def categories_in(doc: Document, lex: Lexicon, start: int, end: int) -> list[str]:
    """Category ids whose wording occurs in ``folded[start:end]``, in lexicon order."""
    return [cid for cid, pattern in lex.category_patterns if pattern.search(doc.folded, start, end)]
