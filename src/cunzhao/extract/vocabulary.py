"""Filter values as people type them: an action, object or category by its id or either label.

``resolve_value("action", "关闭账号")`` is ``close_account``, and so are ``關閉賬號`` (folded),
``Close_Account`` and the English label. A value the lexicons do not know raises
:class:`UnknownValue`, which names the valid ids and the closest match, so a mistyped filter
is an error, never an empty result.
"""

from __future__ import annotations

import difflib
from typing import Literal, get_args

from cunzhao.extract.lexicon import lexicon
from cunzhao.fold import fold

__all__ = ["VOCABULARIES", "UnknownValue", "Vocabulary", "resolve_value", "vocabulary"]

Vocabulary = Literal["action", "object", "category"]
VOCABULARIES: tuple[Vocabulary, ...] = get_args(Vocabulary)


class UnknownValue(ValueError):
    """A filter value no lexicon entry has: ``valid`` ids, ``closest`` id (or None)."""

    def __init__(self, kind: Vocabulary, value: str, valid: tuple[str, ...],
                 closest: str | None) -> None:
        hint = f"; closest: {closest} ({vocabulary(kind)[closest][0]})" if closest else ""
        super().__init__(f"unknown {kind} {value!r}{hint}; valid: {', '.join(valid)}")
        self.kind, self.value, self.valid, self.closest = kind, value, valid, closest


def vocabulary(kind: Vocabulary) -> dict[str, tuple[str, str]]:
    """Each id of ``kind`` with its (Chinese, English) labels, in lexicon order."""
    lex = lexicon()
    if kind == "category":
        return {c.id: (c.zh, c.en) for c in lex.categories.values()}
    return dict(lex.actions if kind == "action" else lex.objects)


def resolve_value(kind: Vocabulary, value: str) -> str:
    """The id that ``value`` (an id or a label, any case, traditional or simplified) names."""
    if kind not in VOCABULARIES:
        raise ValueError(f"no vocabulary {kind!r} (one of: {', '.join(VOCABULARIES)})")
    names = _names(kind)
    key = _key(value)
    if key in names:
        return names[key]
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.5)
    raise UnknownValue(kind, value, tuple(vocabulary(kind)), names[close[0]] if close else None)


def _names(kind: Vocabulary) -> dict[str, str]:
    """Every way of writing an id (folded) → the id."""
    found: dict[str, str] = {}
    for ident, labels in vocabulary(kind).items():
        for name in (ident, *labels):
            found.setdefault(_key(name), ident)
    return found


def _key(text: str) -> str:
    return fold(" ".join(text.split()))
