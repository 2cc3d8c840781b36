"""Tell a webhook what a sync brought: POST a JSON summary, report failure as one line.

``notify`` never raises: a DNS failure, a refused connection, a timeout or a non-2xx answer
comes back as a reason for the caller to log; nothing in the archive depends on it. The
reason names the webhook by scheme and host only, since its path or query often holds a
secret token.
"""

from __future__ import annotations

import json
import socket
import ssl
from typing import Any
from urllib.parse import urlsplit

import httpx

from cunzhao import __version__

__all__ = ["notify"]

USER_AGENT = f"cunzhao/{__version__} (sync webhook)"


def notify(url: str, summary: dict[str, Any], *, timeout: float = 10.0) -> str | None:
    """POST ``summary`` as UTF-8 JSON to ``url``; None when it answered 2xx, else why not.

    Redirects are not followed (a webhook that moved answers 3xx: a failure to report).
    """
    where = _where(url)
    try:
        body = json.dumps(summary, ensure_ascii=False).encode("utf-8")
    except (TypeError, ValueError) as problem:
        return f"webhook {where}: cannot encode the summary as JSON ({problem})"
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT}
    try:
        with httpx.stream("POST", url, content=body, headers=headers, timeout=timeout) as answer:
            status, phrase = answer.status_code, answer.reason_phrase
    except httpx.TimeoutException:
        return f"webhook {where}: timeout (no answer within {timeout:g} s)"
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as problem:
        return f"webhook {where}: not a usable http(s) URL ({problem})"
    except httpx.HTTPError as problem:
        return f"webhook {where}: {_network_reason(problem)}"
    if 200 <= status < 300:
        return None
    return f"webhook {where}: HTTP {status} {phrase}".rstrip()


def _network_reason(problem: BaseException) -> str:
    """DNS failure, connection refused or TLS error, from the exception's chain; else its
    type and text."""
    seen: BaseException | None = problem
    for _ in range(8):  # a chain is short; a cycle must not loop forever
        if seen is None:
            break
        if isinstance(seen, socket.gaierror):
            return f"DNS failure ({seen})"
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, ssl.SSLError):
            return f"TLS error ({seen})"
        seen = seen.__cause__ or seen.__context__
    return f"{type(problem).__name__}: {problem}".rstrip(": ")


def _where(url: str) -> str:
    """``scheme://host[:port]`` of ``url``, without credentials, path or query."""
    try:
        parts = urlsplit(url)
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(unreadable URL)"
    return f"{parts.scheme}://{parts.hostname}{port}" if parts.hostname else "(a URL without a host)"
