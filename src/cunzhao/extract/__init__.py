"""Stage 3 — extract: enforcement counts, named cases, fines and violation categories.

``extract(text, published)`` is pure and fast: it reads packaged lexicons once and works on
``cunzhao.fold.fold`` output, so traditional-script text gives the same facts.

The extractor loads on first use (PEP 562 for the lexicon helpers): the record types alone
(``extract.model``, which the store reads facts into) do not pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cunzhao.extract.model import EXTRACTOR_VERSION, Case, Category, Facts, Period, Stat
from cunzhao.lazy_exports import lazy_exports
from cunzhao.parse.limits import NO_DEADLINE, Deadline, Limits

if TYPE_CHECKING:
    from datetime import date

    from cunzhao.extract.categories import all_categories
    from cunzhao.extract.lexicon import action_label, category_label, object_label

__all__ = [
    "EXTRACTOR_VERSION",
    "Case",
    "Category",
    "Facts",
    "Period",
    "Stat",
    "action_label",
    "all_categories",
    "category_label",
    "extract",
    "object_label",
]


def extract(
    text: str,
    published: date | None = None,
    *,
    folded: str | None = None,
    limits: Limits | None = None,
    deadline: Deadline = NO_DEADLINE,
) -> Facts:
    """Extract the facts stated in ``text``; ``published`` resolves 今年上半年 and the like.

    ``folded``: ``cunzhao.fold.fold(text)``, when the caller has computed it already.
    ``limits``: the clause and sentence bounds (default ``Limits()``). ``deadline``: checked
    sentence by sentence; ``OverBudget`` (a ``ParseError``) once it has passed.
    """
    from cunzhao.extract.cases import find_cases
    from cunzhao.extract.document import prepare
    from cunzhao.extract.lexicon import lexicon
    from cunzhao.extract.stats import find_stats

    lex = lexicon()
    doc = prepare(text, published, lex, folded, limits)
    deadline.check("preparing the text")
    if doc is None:
        return Facts()
    stats = tuple(find_stats(doc, lex, deadline))
    return Facts(stats=stats, cases=tuple(find_cases(doc, lex, deadline)))


__getattr__ = lazy_exports(__name__, {
    "all_categories": "cunzhao.extract.categories",
    "action_label": "cunzhao.extract.lexicon",
    "category_label": "cunzhao.extract.lexicon",
    "object_label": "cunzhao.extract.lexicon",
})
