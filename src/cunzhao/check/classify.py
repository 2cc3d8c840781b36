"""Tell from one fetch whether an original is alive, moved, or gone.

Gone: HTTP 404/410, a name that no longer resolves (DNS), a redirect from a deep link to the
site's home page, or a "page not found" text served with status 200 (a soft 404: phrases in
``data/not_found.txt``, looked for in the title and first heading, or anywhere in a short page).
Timeouts, refused connections, 5xx and robots.txt refusals are errors: they say nothing yet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from cunzhao.capture.http import FetchOutcome

Verdict = Literal["alive", "redirected", "gone", "error"]

#: A page whose visible text is shorter than this is searched whole for not-found phrases.
SHORT_PAGE = 1500
_DNS_FAILURE = re.compile(
    r"name or service not known|nodename nor servname|no address associated|"
    r"temporary failure in name resolution|getaddrinfo failed|\[errno -[235]\]|name resolution",
    re.IGNORECASE,
)
_HOME_PATHS = re.compile(
    r"^/?(?:(?:index|default|home)\.\w+|index|home|[a-z]{2}(?:-[a-z]{2})?)?/?$", re.IGNORECASE
)


@dataclass(frozen=True)
class Classified:
    verdict: Verdict
    detail: str | None = None


@cache
def not_found_phrases() -> tuple[str, ...]:
    text = files("cunzhao.check").joinpath("data/not_found.txt").read_text(encoding="utf-8")
    lines = (line.strip().lower() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def classify(fetch: FetchOutcome) -> Classified:
    """The verdict on one fetch of an original (before any comparison of content)."""
    if fetch.outcome == "gone":
        return Classified("gone", fetch.detail)
    if fetch.outcome == "unreachable":
        if _DNS_FAILURE.search(fetch.detail or ""):
            return Classified("gone", f"DNS failure: {fetch.detail}")
        return Classified("error", fetch.detail)
    if fetch.outcome not in ("ok", "redirect", "non_html") or fetch.capture is None:
        return Classified("error", fetch.detail or fetch.outcome)
    final = fetch.final_url or fetch.url
    if fetch.redirects and is_home_page(final) and not is_home_page(fetch.url):
        return Classified("gone", f"redirected to the home page {final}")
    if fetch.outcome != "non_html":
        phrase = soft_not_found(fetch.capture.data)
        if phrase:
            return Classified("gone", f"HTTP {fetch.status} but the page says {phrase!r}")
    if fetch.redirects and _normal(final) != _normal(fetch.url):
        return Classified("redirected", f"now at {final}")
    return Classified("alive")


def is_home_page(url: str) -> bool:
    """``/``, ``/index.html``, ``/en/`` and the like: a site's front door."""
    parts = urlsplit(url)
    return not parts.query and bool(_HOME_PATHS.match(parts.path or "/"))


def soft_not_found(html: bytes) -> str | None:
    """The not-found phrase a 200 page shows in its title, first heading or short text."""
    tree = LexborHTMLParser(html.decode("utf-8", "replace"))
    for node in tree.css("script, style, noscript"):
        node.decompose()
    title = tree.css_first("title")
    heading = tree.css_first("h1")
    prominent = " ".join(n.text(strip=True) for n in (title, heading) if n is not None).lower()
    body = tree.body.text(separator=" ", strip=True) if tree.body is not None else ""
    short = body.lower() if len(body) < SHORT_PAGE else ""
    for phrase in not_found_phrases():
        if phrase in prominent or phrase in short:
            return phrase
    return None


def _normal(url: str) -> str:
    """Same page for redirect purposes: scheme, ``www.`` and a trailing slash ignored."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}?{parts.query}"
