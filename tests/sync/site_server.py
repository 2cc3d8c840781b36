"""The base of every fixture site: a NetServer that answers dynamically, with the switches the
sync tests need and summaries of its request log.

Switches: ``stop()``/``start()`` (unreachable: the port refuses connections, then the same
URL works again; ``offline()`` as a context manager), ``fail(path, times, status)`` (the next
``times`` requests to a path answer ``status``, 503 by default), ``slow(seconds, path)`` (delay
every answer, or one path's), ``robots(text)`` (robots.txt; None: 404).

Log: ``requests`` (every request, in arrival order: ``at``, ``method``, ``path``, ``headers``,
then ``status`` and ``done``), ``count(path)``, ``per_path()``, ``intervals()``,
``max_in_flight()``, ``clear_log()``; ``requests_by_host(*sites)`` and ``intervals_by_host`` for
several sites at once.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from itertools import pairwise
from urllib.parse import parse_qs, unquote, urlsplit

from netserver import NOT_FOUND, NetServer, Request, Route

Query = dict[str, list[str]]


def local_path(raw: str) -> str:
    """A request path without its query, percent-decoded (``/chinese/tag/立此存照/feed/``)."""
    return unquote(urlsplit(raw).path)


def http_date(moment: datetime) -> str:
    """``moment`` as an HTTP date (``Wed, 31 Jan 2024 08:00:00 GMT``)."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def not_found() -> Route:
    return Route(404, NOT_FOUND, {"Content-Type": "text/html"})


class Site(NetServer):
    """A NetServer whose answers come from ``respond``; routes set with ``page`` win."""

    def __init__(self) -> None:
        super().__init__()
        self.robots_txt: str | None = None
        self._failing: dict[str, tuple[int, int]] = {}  # path -> (requests left, status)
        self._delays: dict[str | None, float] = {}  # path (None: every path) -> seconds

    # --- what subclasses provide -------------------------------------------------------------

    def respond(self, path: str, query: Query, request: Request) -> Route | None:
        """The answer for decoded ``path`` and ``query``; None: 404."""
        return None

    # --- switches ------------------------------------------------------------------------------

    def fail(self, path: str, times: int = 1, status: int = 503) -> None:
        """The next ``times`` requests to ``path`` (decoded, no query) answer ``status``."""
        with self._lock:
            self._failing[path] = (times, status)

    def slow(self, seconds: float, path: str | None = None) -> None:
        """Wait ``seconds`` before each answer to ``path`` (every path when None); 0: off."""
        with self._lock:
            self._delays[path] = seconds

    def robots(self, text: str | None) -> None:
        """Serve ``text`` as /robots.txt from now on (None: 404, as if there were none)."""
        self.robots_txt = text

    @contextmanager
    def offline(self) -> Iterator[None]:
        """Unreachable inside the block (connection refused), back on the same port after."""
        self.stop()
        try:
            yield
        finally:
            self.start()

    # --- answering -----------------------------------------------------------------------------

    def answer(self, request: Request) -> Route | None:
        path = local_path(request.path)
        route = self._failure(path) or super().answer(request)
        if route is None and path == "/robots.txt":
            route = None if self.robots_txt is None else text_route(self.robots_txt)
        elif route is None:
            query = parse_qs(urlsplit(request.path).query, keep_blank_values=True)
            route = self.respond(path, query, request)
        delay = self._delays.get(path, self._delays.get(None, 0.0))
        return replace(route or not_found(), delay=delay) if delay else route

    def _failure(self, path: str) -> Route | None:
        with self._lock:
            left, status = self._failing.get(path, (0, 0))
            if left <= 0:
                return None
            self._failing[path] = (left - 1, status)
        return Route(status, b"busy", {"Content-Type": "text/plain", "Retry-After": "0"})

    def conditional(
        self,
        request: Request,
        body: bytes,
        content_type: str,
        modified: datetime,
        extra: dict[str, str] | None = None,
    ) -> Route:
        """200 with ``body``, its ETag and Last-Modified; 304 when the request's If-None-Match
        names that ETag, or (without If-None-Match) If-Modified-Since is not older."""
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        headers = {"ETag": etag, "Last-Modified": http_date(modified), **(extra or {})}
        if fresh(request, etag, modified):
            return Route(304, b"", headers)
        return Route(200, body, {"Content-Type": content_type, **headers})

    # --- the log -------------------------------------------------------------------------------

    def clear_log(self) -> None:
        """Forget the requests so far (count a second sync's requests alone)."""
        with self._lock:
            self.requests.clear()

    def logged(self) -> list[Request]:
        with self._lock:
            return list(self.requests)

    def count(self, path: str | None = None) -> int:
        """Requests so far: all, or to ``path`` — decoded, compared with the query when it has
        one (``/feed/?paged=2``), else without (``/feed/`` counts every page)."""
        if path is None:
            return len(self.logged())
        with_query = "?" in path
        return sum(1 for r in self.logged() if _key(r, with_query) == path)

    def per_path(self) -> Counter[str]:
        """Requests per decoded path with its query, e.g. ``{"/feed/?paged=2": 1}``."""
        return Counter(_key(r, True) for r in self.logged())

    def statuses(self) -> Counter[int]:
        """Requests per answered status (304s, 404s, 503s …)."""
        return Counter(r.status for r in self.logged() if r.status is not None)

    def intervals(self) -> list[float]:
        """Seconds between consecutive request arrivals at this site."""
        return _gaps(self.logged())

    def max_in_flight(self) -> int:
        """The most requests this site was answering at the same moment."""
        events = []
        for r in self.logged():
            events += [(r.at, 1), (r.done if r.done is not None else float("inf"), -1)]
        most = now = 0
        for _, step in sorted(events, key=lambda e: (e[0], e[1])):
            now += step
            most = max(most, now)
        return most


def fresh(request: Request, etag: str, modified: datetime) -> bool:
    """Whether a conditional request already holds this version (RFC 9110 13.1)."""
    match = request.header("If-None-Match")
    if match is not None:
        return any(tag.strip().removeprefix("W/") == etag for tag in match.split(","))
    since = request.header("If-Modified-Since")
    if since is None:
        return False
    try:
        return modified.replace(microsecond=0) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def text_route(text: str, status: int = 200) -> Route:
    return Route(status, text.encode(), {"Content-Type": "text/plain; charset=utf-8"})


def requests_by_host(*sites: NetServer) -> dict[str, list[Request]]:
    """Every request these servers received, grouped by the Host header, in arrival order."""
    hosts: dict[str, list[Request]] = {}
    for site in sites:
        for request in list(site.requests):
            hosts.setdefault(request.header("Host") or "", []).append(request)
    return {host: sorted(found, key=lambda r: r.at) for host, found in hosts.items()}


def intervals_by_host(*sites: NetServer) -> dict[str, list[float]]:
    """Seconds between consecutive request arrivals, per Host header."""
    return {host: _gaps(found) for host, found in requests_by_host(*sites).items()}


def _gaps(requests: list[Request]) -> list[float]:
    times = sorted(r.at for r in requests)
    return [later - earlier for earlier, later in pairwise(times)]


def _key(request: Request, with_query: bool) -> str:
    parts = urlsplit(request.path)
    path = unquote(parts.path)
    return f"{path}?{unquote(parts.query)}" if with_query and parts.query else path
