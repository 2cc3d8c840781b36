"""Interface labels in Chinese and English: ``labels.tsv`` plus the extract stage's lexicons.

The language comes from ``?lang=`` (which also sets a cookie), else the ``lang`` cookie, else
Chinese.
"""

from __future__ import annotations

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
