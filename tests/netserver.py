"""A real HTTP server on 127.0.0.1 for network tests: routes can be set, changed and removed
while it runs (a page that changes, a page that disappears), answers can be slow, redirected,
gzip-encoded or chunked, and every request is logged with its time and headers.

    with NetServer() as server:
        server.page("/a.html", b"<html>...</html>")
        url = server.url("/a.html")
"""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self


@dataclass
class Route:
    """What the server answers for one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    gzip: bool = False  # send the body with Content-Encoding: gzip
    chunked: bool = False  # send the body with Transfer-Encoding: chunked
    fail_first: int = 0  # answer 503 to this many requests before answering normally


@dataclass(frozen=True)
class Request:
    """One request the server received."""

    at: float  # time.monotonic()
    method: str
    path: str
    headers: dict[str, str]


NOT_FOUND = b"<html><head><title>404 Not Found</title></head><body>Not Found</body></html>"


class NetServer:
    """ThreadingHTTPServer on an ephemeral 127.0.0.1 port, started on ``__enter__``."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def page(
        self,
        path: str,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        *,
        status: int = 200,
        delay: float = 0.0,
        gzip: bool = False,
        chunked: bool = False,
        headers: dict[str, str] | None = None,
        fail_first: int = 0,
    ) -> str:
        """Serve ``body`` at ``path``; returns the full URL."""
        all_headers = {"Content-Type": content_type, **(headers or {})}
        route = Route(status, body, all_headers, delay, gzip, chunked, fail_first)
        with self._lock:
            self.routes[path] = route
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        with self._lock:
            self.routes[path] = Route(status=status, headers={"Location": location})
        return self.url(path)

    def remove(self, path: str, status: int = 404) -> None:
        """From now on ``path`` answers ``status`` (404 or 410) with a small HTML body."""
        with self._lock:
            self.routes[path] = Route(
                status=status, body=NOT_FOUND, headers={"Content-Type": "text/html"}
            )

    def requests_for(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def route(self, path: str) -> Route | None:
        """The route for ``path``; a route still failing answers 503 this time."""
        with self._lock:
            route = self.routes.get(path)
            if route is not None and route.fail_first > 0:
                route.fail_first -= 1
                return Route(503, b"busy", {"Content-Type": "text/plain", "Retry-After": "0"})
            return route

    def log(self, request: Request) -> None:
        with self._lock:
            self.requests.append(request)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()


def _handler_for(server: NetServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            server.log(Request(time.monotonic(), "GET", self.path, dict(self.headers.items())))
            route = server.route(self.path.split("?", 1)[0]) or server.route(self.path)
            if route is None:
                route = Route(status=404, body=NOT_FOUND, headers={"Content-Type": "text/html"})
            if route.delay:
                time.sleep(route.delay)
            body = gzip.compress(route.body) if route.gzip else route.body
            try:
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.gzip:
                    self.send_header("Content-Encoding", "gzip")
                if route.chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                else:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if route.chunked:
                    for start in range(0, len(body), 1000):
                        piece = body[start : start + 1000]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    self.wfile.write(b"0\r\n\r\n")
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
