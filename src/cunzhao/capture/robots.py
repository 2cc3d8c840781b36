"""robots.txt, fetched once per origin and asked before every request.

Rules as crawlers commonly apply them: 2xx → the file's rules; 401/403 → everything is
disallowed; other 4xx (no robots.txt) → everything allowed; 5xx → disallowed for now (the
site may be in trouble); no answer at all → allowed (the fetch itself will then fail and say
why).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

_DISALLOW_ALL = ["User-agent: *", "Disallow: /"]


class RobotsCache:
    """Per-origin robots.txt rules; ``get`` fetches ``/robots.txt`` for an origin."""

    def __init__(self, get: Callable[[str], httpx.Response], user_agent: str) -> None:
        self._get = get
        self._agent = user_agent.split("/", 1)[0]  # the product token, e.g. "cunzhao"
        self._rules: dict[str, RobotFileParser] = {}
        self._notes: dict[str, str] = {}
        self._lock = threading.Lock()

    def allowed(self, url: str) -> tuple[bool, str | None]:
        """Whether ``url`` may be fetched, and why not when it may not."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            rules = self._rules.get(origin)
        if rules is None:
            rules, note = self._load(origin)
            with self._lock:
                self._rules[origin] = rules
                if note:
                    self._notes[origin] = note
        if rules.can_fetch(self._agent, url):
            return True, None
        return False, self._notes.get(origin) or f"disallowed by {origin}/robots.txt"

    def _load(self, origin: str) -> tuple[RobotFileParser, str | None]:
        rules = RobotFileParser(origin + "/robots.txt")
        try:
            answer = self._get(origin + "/robots.txt")
        except httpx.HTTPError:
            rules.parse([])
            return rules, None
        status = answer.status_code
        if 200 <= status < 300:
            rules.parse(answer.text.splitlines())
            return rules, None
        if status in (401, 403) or status >= 500:
            rules.parse(_DISALLOW_ALL)
            return rules, f"{origin}/robots.txt answered HTTP {status}: treated as disallow"
        rules.parse([])  # no rules: everything allowed
        return rules, None
