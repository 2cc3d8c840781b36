"""Fetch URLs politely and keep exactly what came back in a WARC.

Every answer (redirect hops and error pages too) is written to a WARC in the archive's data
folder as a ``request`` + ``response`` pair, with the body as sent (content encoding kept,
chunking undone). Pages that came back are then read back from that WARC, so what is
ingested is byte for byte what is preserved. Failures are outcomes, never exceptions.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Literal, Self
from urllib.parse import urljoin, urlsplit

import httpx

from cunzhao import __version__
from cunzhao.capture.memento import Memento, find_memento
from cunzhao.capture.model import Capture
from cunzhao.capture.robots import RobotsCache
from cunzhao.capture.warc import MAX_PAYLOAD, read_capture_at
from cunzhao.capture.warclog import WarcLog

USER_AGENT = f"cunzhao/{__version__} (+archive of enforcement records)"
MAX_REDIRECTS = 10

Outcome = Literal[
    "ok",  # 2xx page at the URL asked for
    "redirect",  # 2xx after one or more redirects to another URL
    "non_html",  # 2xx, but not HTML: kept raw
    "gone",  # 404 or 410
    "http_error",  # any other 4xx/5xx, after retries
    "timeout",
    "unreachable",  # DNS failure, connection refused or reset
    "blocked",  # robots.txt says no
    "too_large",
    "invalid",  # not an http(s) URL
    "memento",  # the original failed; an archived copy was captured instead
    "not_modified",  # 304 to a conditional request: what we have is current
]
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class FetchOutcome:
    """What happened to one URL. ``capture`` is set when bytes worth ingesting came back."""

    url: str
    outcome: Outcome
    status: int | None = None
    final_url: str | None = None
    content_type: str | None = None
    capture: Capture | None = None
    detail: str | None = None
    redirects: tuple[str, ...] = ()  # the URLs redirected through, in order
    memento_url: str | None = None
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    headers: dict[str, str] = field(default_factory=dict)  # of the last answer, names lower-case


class _Failure(Exception):
    def __init__(self, outcome: Outcome, detail: str) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail


class RateLimiter:
    """At most ``per_second`` requests to one host, across threads."""

    def __init__(self, per_second: float) -> None:
        self._gap = 1.0 / per_second if per_second > 0 else 0.0
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self._gap
        if start > now:
            time.sleep(start - now)


class HostSlots:
    """At most ``per_host`` requests in flight to one host, across threads (0: no limit)."""

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._slots: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()

    def slot(self, url: str) -> threading.Semaphore | contextlib.nullcontext[None]:
        if self._per_host <= 0:
            return contextlib.nullcontext()
        host = urlsplit(url).netloc.lower()
        with self._lock:
            return self._slots.setdefault(host, threading.Semaphore(self._per_host))


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and how persistently to fetch: shared by ``capture`` and ``check``."""

    user_agent: str = USER_AGENT
    rate_per_host: float = 1.0  # requests per second to one host; 0: no limit
    retries: int = 2
    timeout: float = 30.0  # seconds
    backoff: float = 1.0  # seconds before the first retry, doubled after each
    respect_robots: bool = True
    per_host: int = 2  # requests in flight to one host at once; 0: no limit


class Fetcher:
    """An HTTP client with robots.txt, per-host rate limit, retries and a WARC log."""

    def __init__(
        self,
        warc_dir: str | Path,
        policy: FetchPolicy = FetchPolicy(),
        *,
        memento_base: str | None = None,
        max_bytes: int = MAX_PAYLOAD,
        prefix: str = "capture",
    ) -> None:
        self.warc = WarcLog(Path(warc_dir), prefix)
        self.retries = policy.retries
        self.backoff = policy.backoff
        self.memento_base = memento_base
        self.max_bytes = max_bytes
        self._limiter = RateLimiter(policy.rate_per_host)
        self._slots = HostSlots(policy.per_host)
        self._count_lock = threading.Lock()
        self.requests = 0  # requests sent (retries, redirects, robots.txt and lookups included)
        self._client = httpx.Client(
            headers={"User-Agent": policy.user_agent}, timeout=policy.timeout,
            follow_redirects=False,
        )
        self._robots = (
            RobotsCache(self._plain_get, policy.user_agent) if policy.respect_robots else None
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()
        self.warc.close()

    def fetch(
        self, url: str, *, memento: bool = True, headers: dict[str, str] | None = None
    ) -> FetchOutcome:
        """GET ``url`` following redirects; fall back to a memento when it cannot be had.

        ``headers`` are sent with the first request (e.g. ``If-None-Match``); a 304 answer is
        the outcome ``not_modified``.
        """
        try:
            parts = urlsplit(url)
            valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:
            valid = False
        if not valid:
            return FetchOutcome(url, "invalid", detail="not an http(s) URL")
        result = self._fetch_live(url, headers or {})
        if memento and self.memento_base and result.outcome in ("gone", "timeout", "unreachable"):
            archived = self._fetch_memento(url, result)
            if archived is not None:
                return archived
        return result

    def _fetch_live(self, url: str, headers: dict[str, str] | None = None) -> FetchOutcome:
        hops: list[str] = []
        current = url
        try:
            for _ in range(MAX_REDIRECTS + 1):
                if self._robots is not None:
                    allowed, why = self._robots.allowed(current)
                    if not allowed:
                        return FetchOutcome(
                            url, "blocked", final_url=current, detail=why, redirects=tuple(hops)
                        )
                response, offset = self._get_logged(current, {} if hops else headers or {})
                location = response.headers.get("location")
                if response.is_redirect and location:
                    hops.append(current)
                    current = urljoin(current, location)
                    continue
                return self._outcome(url, current, response, offset, tuple(hops))
        except _Failure as failure:
            return FetchOutcome(
                url,
                failure.outcome,
                final_url=current,
                detail=failure.detail,
                redirects=tuple(hops),
            )
        return FetchOutcome(
            url,
            "http_error",
            final_url=current,
            redirects=tuple(hops),
            detail=f"more than {MAX_REDIRECTS} redirects",
        )

    def _outcome(
        self, url: str, final: str, response: httpx.Response, offset: int, hops: tuple[str, ...]
    ) -> FetchOutcome:
        status = response.status_code
        content_type = response.headers.get("content-type")
        base = FetchOutcome(url, "ok", status, final, content_type, redirects=hops,
                            headers={k.lower(): v for k, v in response.headers.items()})
        if status == 304:
            return replace(base, outcome="not_modified", detail="HTTP 304")
        if status in (404, 410):
            return replace(base, outcome="gone", detail=f"HTTP {status}")
        if not 200 <= status < 300:
            return replace(base, outcome="http_error", detail=f"HTTP {status}")
        read = read_capture_at(self.warc.path, offset)
        if not isinstance(read, Capture):
            return replace(base, outcome="http_error", detail=read.reason)
        is_html = content_type is None or "html" in content_type.lower()
        outcome: Outcome = ("redirect" if hops else "ok") if is_html else "non_html"
        return replace(base, outcome=outcome, capture=replace(read, source_kind="http"))

    def _fetch_memento(self, url: str, original: FetchOutcome) -> FetchOutcome | None:
        assert self.memento_base is not None
        found: Memento | None = find_memento(self._plain_get, self.memento_base, url)
        if found is None:
            return None
        via = self._fetch_live(found.url)
        if via.capture is None:
            return None
        archived_at = _memento_datetime(via) or found.datetime or via.capture.captured_at
        capture = replace(
            via.capture, source_kind="memento", target_url=url, captured_at=archived_at
        )
        detail = (
            f"original {original.outcome} ({original.detail}); archived copy of "
            f"{archived_at.isoformat() if archived_at else 'unknown date'} via {found.via}"
        )
        return FetchOutcome(
            url,
            "memento",
            status=via.status,
            final_url=via.final_url,
            content_type=via.content_type,
            capture=capture,
            detail=detail,
            memento_url=found.url,
        )

    def _get_logged(
        self, url: str, headers: dict[str, str] | None = None
    ) -> tuple[httpx.Response, int]:
        """One GET with retries; the answer is written to the WARC. Raises _Failure."""
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            self._limiter.wait(url)
            self._count()
            try:
                with self._slots.slot(url), \
                        self._client.stream("GET", url, headers=headers) as response:
                    body = self._read_body(response)
            except httpx.TimeoutException as error:
                if last:
                    raise _Failure("timeout", f"no answer in time: {type(error).__name__}")
            except httpx.TransportError as error:
                if last:
                    raise _Failure("unreachable", f"{type(error).__name__}: {error}") from None
            except (httpx.InvalidURL, httpx.HTTPError, ValueError) as error:
                raise _Failure("invalid", f"{type(error).__name__}: {error}") from None
            else:
                offset = self.warc.write_exchange(response, body)
                if response.status_code not in _RETRY_STATUS or last:
                    return response, offset
                time.sleep(_retry_after(response) or 0.0)
            time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _read_body(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            raise _Failure("too_large", f"{declared} bytes declared, limit {self.max_bytes}")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_raw():
            size += len(chunk)
            if size > self.max_bytes:
                raise _Failure("too_large", f"more than {self.max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    def _count(self) -> None:
        with self._count_lock:
            self.requests += 1

    def _plain_get(self, url: str) -> httpx.Response:
        """A rate-limited GET that is not logged (robots.txt, memento lookups)."""
        self._limiter.wait(url)
        self._count()
        return self._client.get(url, follow_redirects=True)


def capture_urls(
    urls: Iterable[str],
    warc_dir: str | Path,
    policy: FetchPolicy = FetchPolicy(),
    *,
    memento_base: str | None = None,
) -> list[FetchOutcome]:
    """Fetch each URL once (in order) into a new WARC under ``warc_dir``; one outcome each."""
    with Fetcher(warc_dir, policy, memento_base=memento_base) as fetcher:
        return [fetcher.fetch(url) for url in urls]


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    return min(float(value), 30.0) if value.isdigit() else None


def _memento_datetime(outcome: FetchOutcome) -> datetime | None:
    capture = outcome.capture
    if capture is None or not capture.http_headers:
        return None
    for line in capture.http_headers.decode("latin-1").split("\r\n"):
        name, _, value = line.partition(":")
        if name.strip().lower() == "memento-datetime":
            try:
                return parsedate_to_datetime(value.strip()).astimezone(UTC)
            except (TypeError, ValueError):
                return None
    return None
