"""Interface labels in Chinese and English: ``labels.tsv`` plus the extract stage's lexicons.

The language comes from ``?lang=`` (which also sets a cookie), else the ``lang`` cookie, else
Chinese. Values the records hold as ids (qualifiers, target kinds, source kinds) are shown by
their ``labels.tsv`` rows (``qualifier_exact``); messages (errors) are matched against the
English templates of the ``msg_*`` rows and given in Chinese (:func:`message`).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Literal

from starlette.requests import Request

import cunzhao

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
DEFAULT_LANG: Lang = "zh"
COOKIE = "lang"


@cache
def _table() -> dict[str, tuple[str, str]]:
    text = resources.files("cunzhao.web").joinpath("labels.tsv").read_text(encoding="utf-8")
    table: dict[str, tuple[str, str]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise ValueError(f"labels.tsv line {number}: expected key, zh, en separated by tabs")
        table[parts[0]] = (parts[1], parts[2])
    return table


def label(key: str, lang: Lang) -> str:
    """The label for ``key`` (the key itself when the table lacks it)."""
    pair = _table().get(key)
    if pair is None:
        return key
    return pair[0] if lang == "zh" else pair[1]


def term(group: str, value: str, lang: Lang) -> str:
    """The label of an id the records hold (``term("qualifier", "at_least", "zh")`` → 至少);
    the id itself when ``labels.tsv`` has no ``{group}_{value}`` row."""
    pair = _table().get(f"{group}_{value}")
    if pair is None:
        return value
    return pair[0] if lang == "zh" else pair[1]


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@cache
def _messages() -> list[tuple[re.Pattern[str], str]]:
    """The ``msg_*`` rows: a pattern of the English template and its Chinese, the most
    specific first (the most literal characters), so a general template never hides one."""
    found = []
    for key, (zh, en) in _table().items():
        if key.startswith("msg_"):
            parts = _PLACEHOLDER.split(en)  # literal, name, literal, name, …
            pattern = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)"
                              for i, part in enumerate(parts))
            literal = sum(len(part) for part in parts[::2])
            found.append((literal, re.compile(pattern, re.DOTALL), zh))
    found.sort(key=lambda row: -row[0])
    return [(pattern, zh) for _, pattern, zh in found]


def message(text: str, lang: Lang, fallback: str | None = None) -> str:
    """``text`` (an English message: an error's detail, a query's syntax error) in ``lang``.

    In Chinese: the first ``msg_*`` template it matches, its parts given in Chinese in turn;
    else the label ``fallback`` (a general message, e.g. ``status_404``) when given, else
    ``text`` itself (a value: a number, a name).
    """
    if lang == "en":
        return text
    for pattern, zh in _messages():
        matched = pattern.fullmatch(text)
        if matched:
            return zh.format(**{name: message(part, lang)
                                for name, part in matched.groupdict().items()})
    return label(fallback, lang) if fallback in _table() else text


def request_lang(request: Request) -> Lang:
    """The language a request asks for (query parameter, then cookie)."""
    for value in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if value == "zh":
            return "zh"
        if value == "en":
            return "en"
    return DEFAULT_LANG


@cache
def _lexicon_label(kind: str, value: str, lang: Lang) -> str:
    lookup = {"action": cunzhao.action_label, "object": cunzhao.object_label,
              "category": cunzhao.category_label}[kind]
    try:
        return str(lookup(value, lang))
    except KeyError:
        return value


def action_label(value: str, lang: Lang) -> str:
    return _lexicon_label("action", value, lang)


def object_label(value: str, lang: Lang) -> str:
    return _lexicon_label("object", value, lang)


def category_label(value: str, lang: Lang) -> str:
    return _lexicon_label("category", value, lang)


def facet_value_label(facet: str, value: str, lang: Lang) -> str:
    """How a facet value is shown: action and category ids get their labels."""
    if facet == "action":
        return action_label(value, lang)
    if facet == "category":
        return category_label(value, lang)
    return value
