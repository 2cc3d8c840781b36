"""Tell from one fetch whether an original is alive, moved, gone, or could not be reached.

Evidence of deletion (``gone``): HTTP 404/410; a deep link redirected to the site's home page
or to an error page (path names in ``data/error_pages.txt``); a "page not found" text served
with status 200 (a soft 404: phrases in ``data/not_found.txt``, looked for in the title and
first heading, or anywhere in a short page).

No evidence either way: a DNS failure, refused or reset connection, TLS error, timeout, or a
5xx/429 answer is ``unreachable`` (the site, not the page, is in trouble — or we are offline);
robots.txt refusals, other HTTP errors and answers too large to judge are ``error``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import PurePosixPath
from typing import Literal
from urllib.parse import parse_qsl, unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser

from cunzhao.capture.http import FetchOutcome

Verdict = Literal["alive", "redirected", "gone", "unreachable", "error"]

#: A page whose visible text is shorter than this is searched whole for not-found phrases.
SHORT_PAGE = 1500
#: Statuses that say the server is busy or broken, not that the page is gone.
_BUSY = re.compile(r"^HTTP (?:5\d\d|429)\b")
_NETWORK = (
    ("DNS failure", re.compile(
        r"name or service not known|nodename nor servname|no address associated|"
        r"temporary failure in name resolution|getaddrinfo failed|\[errno -[235]\]|"
        r"name resolution",
        re.IGNORECASE,
    )),
    ("TLS error", re.compile(r"ssl|certificate|tls", re.IGNORECASE)),
    ("connection refused", re.compile(r"refused|errno 111\b|errno 61\b", re.IGNORECASE)),
)
_HOME_PATHS = re.compile(
    r"^/?(?:(?:index|default|home)\.\w+|index|home|[a-z]{2}(?:-[a-z]{2})?)?/?$", re.IGNORECASE
)


@dataclass(frozen=True)
class Classified:
    verdict: Verdict
    detail: str | None = None


@cache
def _word_list(name: str) -> tuple[str, ...]:
    text = files("cunzhao.check").joinpath(f"data/{name}").read_text(encoding="utf-8")
    lines = (line.strip().lower() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def not_found_phrases() -> tuple[str, ...]:
    return _word_list("not_found.txt")


def error_page_names() -> frozenset[str]:
    return frozenset(_word_list("error_pages.txt"))


def classify(fetch: FetchOutcome) -> Classified:
    """The verdict on one fetch of an original (before any comparison of content)."""
    if fetch.outcome == "gone":
        return Classified("gone", fetch.detail)
    if fetch.outcome in ("unreachable", "timeout"):
        return Classified("unreachable", _network_detail(fetch))
    if fetch.outcome == "http_error" and _BUSY.match(fetch.detail or ""):
        return Classified("unreachable", f"{fetch.detail}: the server is busy or failing")
    if fetch.outcome not in ("ok", "redirect", "non_html") or fetch.capture is None:
        return Classified("error", fetch.detail or fetch.outcome)
    final = fetch.final_url or fetch.url
    if fetch.redirects and is_home_page(final) and not is_home_page(fetch.url):
        return Classified("gone", f"redirected to the home page {final}")
    if fetch.redirects and is_error_page(final) and not is_error_page(fetch.url):
        return Classified("gone", f"redirected to an error page {final}")
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


def is_error_page(url: str) -> bool:
    """``/404.html``, ``/error/notfound``, ``/sorry?pagenotfound`` and the like: a path
    segment (without its extension) or a query key named in ``data/error_pages.txt``."""
    parts = urlsplit(url)
    names = error_page_names()
    segments = (PurePosixPath(unquote(s)).stem.lower() for s in parts.path.split("/") if s)
    keys = (key.lower() for key, _ in parse_qsl(parts.query, keep_blank_values=True))
    return any(name in names for name in (*segments, *keys))


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


def _network_detail(fetch: FetchOutcome) -> str:
    """What kept the answer from coming: DNS, TLS, refused, timeout, or the error text."""
    detail = fetch.detail or fetch.outcome
    if fetch.outcome == "timeout":
        return f"timeout: {detail}"
    for kind, pattern in _NETWORK:
        if pattern.search(detail):
            return f"{kind}: {detail}"
    return detail


def _normal(url: str) -> str:
    """Same page for redirect purposes: scheme, ``www.`` and a trailing slash ignored."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}?{parts.query}"
