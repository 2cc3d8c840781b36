"""Render pages: one Jinja2 environment (autoescaped), labels and URL helpers per request.

Templates never mark archived text safe: every value is escaped, highlighted text is
rendered from (text, flag) segments.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from cunzhao import MAX_QUERY_LENGTH
from cunzhao.web.i18n import (
    COOKIE,
    LANGS,
    Lang,
    action_label,
    category_label,
    facet_value_label,
    label,
    message,
    object_label,
    request_lang,
    term,
)


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("cunzhao.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = lambda n: f"{n:,}" if isinstance(n, int) else n
    env.globals["max_query"] = MAX_QUERY_LENGTH
    return env


def query_url(path: str, params: dict[str, Any]) -> str:
    """``path?…`` with the non-empty parameters, in the given order."""
    items = [(k, str(v)) for k, v in params.items() if v is not None and v != ""]
    return path + ("?" + urlencode(items) if items else "")


class Helpers:
    """What every template gets: ``t('key')``, labels of fact ids, and URL builders."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.lang: Lang = request_lang(request)
        self.other_lang: Lang = LANGS[1 - LANGS.index(self.lang)]

    def t(self, key: str) -> str:
        return label(key, self.lang)

    def action(self, value: str) -> str:
        return action_label(value, self.lang)

    def object(self, value: str) -> str:
        return object_label(value, self.lang)

    def category(self, value: str) -> str:
        return category_label(value, self.lang)

    def facet_value(self, facet: str, value: str) -> str:
        return facet_value_label(facet, value, self.lang)

    def term(self, group: str, value: str) -> str:
        """An id the records hold, by its label: ``h.term('qualifier', s.qualifier)``."""
        return term(group, value, self.lang)

    def message(self, text: str, fallback: str | None = None) -> str:
        """An English message (an error) in this page's language."""
        return message(text, self.lang, fallback)

    def here(self, **changes: Any) -> str:
        """The current URL with some query parameters changed (None removes one)."""
        return self.at(self.request.url.path, **changes)

    @staticmethod
    def href(url: Any) -> str | None:
        """An archived link, usable as ``href`` only when it is http(s) (never ``javascript:``)."""
        if isinstance(url, str) and url.lower().startswith(("http://", "https://")):
            return url
        return None

    def at(self, path: str, **changes: Any) -> str:
        """Another path with the current query parameters, some changed."""
        params: dict[str, Any] = dict(self.request.query_params)
        params.update(changes)
        return query_url(path, params)

    def link(self, path: str, **params: Any) -> str:
        """A link to another page, keeping ``?lang=`` when this request carries it."""
        if "lang" in self.request.query_params and "lang" not in params:
            params["lang"] = self.lang
        return query_url(path, params)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    helpers = Helpers(request)
    html = environment().get_template(template).render(h=helpers, t=helpers.t, **context)
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Content-Language"] = "zh-Hans" if helpers.lang == "zh" else "en"
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(
            COOKIE, helpers.lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True
        )
    return response
