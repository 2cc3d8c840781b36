"""A response cache for read-only pages, valid until the archive changes.

Search, document, facets, statistics and entity pages are pure functions of the URL, the language
and the archive's content, so a finished 200 response is kept (LRU, bounded in entries and
bytes) and replayed for the same request. Every request first reads the archive's change
marker (``Archive.change_marker``: SQLite's data version, else a clock ticking every few
seconds); any change empties the cache.

Nothing about who asked is kept: entries are keyed by path, query string and language, and
by the address asked for (scheme and ``Host``) and the UTC day, which citations on document
and permalink pages state (the archived copy's URL, the access date).
The language is the ``lang`` cookie's value as the app reads it (Starlette's cookie parser
over every ``Cookie`` header, the last one winning), so a cookie merely containing ``lang=en`` cannot share an entry
with English readers.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CACHED_PREFIXES = ("/search", "/api/search", "/api/facets", "/api/stats", "/api/entities",
                   "/api/documents", "/stats", "/entity/", "/entities", "/about", "/doc/",
                   "/fact/", "/case/")
MAX_ENTRY = 2 << 20
Key = tuple[str, bytes, bytes, bytes, str]  # path, query, language, scheme://host, UTC day


def _cookie_lang(scope: Scope) -> bytes:
    """The ``lang`` cookie when it names a language (``i18n.request_lang`` reads the same)."""
    cookies: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            cookies.update(cookie_parser(value.decode("latin-1")))
    lang = cookies.get("lang")
    return lang.encode() if lang in ("zh", "en") else b""


@dataclass(frozen=True)
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache:
    """ASGI middleware replaying stored 200 responses of GET requests to cached paths."""

    def __init__(self, app: ASGIApp, fingerprint: Callable[[], object],
                 max_entries: int = 1024, max_bytes: int = 64 << 20) -> None:
        self.app = app
        self.fingerprint = fingerprint
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.entries: OrderedDict[Key, Entry] = OrderedDict()
        self.size = 0
        self.version: object = None
        self.lock = threading.Lock()

    def _key(self, scope: Scope) -> Key | None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        path: str = scope["path"]
        if not (path.startswith(CACHED_PREFIXES) or path == "/"):
            return None
        host = next((v for k, v in scope.get("headers", []) if k == b"host"), b"")
        return (path, scope.get("query_string", b""), _cookie_lang(scope),
                scope.get("scheme", "http").encode() + b"://" + host,
                datetime.now(UTC).date().isoformat())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        version = self.fingerprint()
        with self.lock:
            if version != self.version:
                self.entries.clear()
                self.size = 0
                self.version = version
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
        if entry is not None:
            await send({"type": "http.response.start", "status": entry.status,
                        "headers": entry.headers})
            await send({"type": "http.response.body", "body": entry.body})
            return
        start: Message = {}
        parts: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        body = b"".join(parts)
        if start.get("status") == 200 and len(body) <= MAX_ENTRY:
            self._store(key, version, Entry(200, list(start.get("headers", [])), body))

    def _store(self, key: Key, version: object, entry: Entry) -> None:
        with self.lock:
            if version != self.version or key in self.entries:
                return
            self.entries[key] = entry
            self.size += len(entry.body)
            while len(self.entries) > self.max_entries or self.size > self.max_bytes:
                _, old = self.entries.popitem(last=False)
                self.size -= len(old.body)
