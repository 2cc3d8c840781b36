"""A real HTTP server on 127.0.0.1 for network tests: routes can be set, changed and removed
while it runs (a page that changes, a page that disappears), answers can be slow, redirected,
gzip-encoded or chunked, and every request is logged with its time and headers (and, once
answered, its status and end time). GET, HEAD and POST are answered; a POST's body is logged.
``stop()`` closes the port and every open connection (an unreachable host), ``start()`` opens
the same port again. A subclass answers dynamically by overriding ``answer``.

    with NetServer() as server:
        server.page("/a.html", b"<html>...</html>")
        url = server.url("/a.html")
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from dataclasses import dataclass, field, replace
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
    path: str  # as sent: percent-encoded, with the query
    headers: dict[str, str]
    body: bytes = b""  # what a POST sent
    status: int | None = None  # the status answered, once answered
    done: float | None = None  # time.monotonic() when the answer was sent

    def header(self, name: str) -> str | None:
        """The value of header ``name``, whatever its case in the request."""
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), None)


NOT_FOUND = b"<html><head><title>404 Not Found</title></head><body>Not Found</body></html>"


class NetServer:
    """ThreadingHTTPServer on an ephemeral 127.0.0.1 port, started on ``__enter__``."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._server = self._bind(("127.0.0.1", 0))
        self._address = self._server.server_address[:2]
        self._thread: threading.Thread | None = None

    def _bind(self, address: tuple[str | bytes | bytearray, int]) -> ThreadingHTTPServer:
        server = ThreadingHTTPServer((str(address[0]), address[1]), _handler_for(self))
        server.daemon_threads = True
        return server

    @property
    def base(self) -> str:
        host, port = self._address
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

    def answer(self, request: Request) -> Route | None:
        """What to answer ``request`` (None: 404); by default the route set for its path."""
        return self.route(request.path.split("?", 1)[0]) or self.route(request.path)

    def route(self, path: str) -> Route | None:
        """The route for ``path``; a route still failing answers 503 this time."""
        with self._lock:
            route = self.routes.get(path)
            if route is not None and route.fail_first > 0:
                route.fail_first -= 1
                return Route(503, b"busy", {"Content-Type": "text/plain", "Retry-After": "0"})
            return route

    def log(self, request: Request) -> int:
        """Append ``request`` to the log; returns its index there (for ``answered``)."""
        with self._lock:
            self.requests.append(request)
            return len(self.requests) - 1

    def answered(self, index: int, status: int) -> None:
        """Record the status and end time of logged request ``index``."""
        with self._lock:
            self.requests[index] = replace(
                self.requests[index], status=status, done=time.monotonic()
            )

    def connected(self, connection: socket.socket, open_: bool) -> None:
        with self._lock:
            (self._connections.add if open_ else self._connections.discard)(connection)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        """Listen (again, on the same port after ``stop``)."""
        if self._thread is not None:
            return
        if self._server.socket.fileno() < 0:  # closed by stop(): bind the same port again
            self._server = self._bind(self._address)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Close the port and cut every open connection: clients now get connection refused."""
        if self._thread is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._thread = None
        with self._lock:
            open_now = list(self._connections)
        for connection in open_now:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the client

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _handler_for(server: NetServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out at once: no 40 ms stalls

        def setup(self) -> None:
            super().setup()
            server.connected(self.connection, True)

        def finish(self) -> None:
            server.connected(self.connection, False)
            super().finish()

        def do_GET(self) -> None:
            self._serve("GET")

        def do_HEAD(self) -> None:
            self._serve("HEAD")

        def do_POST(self) -> None:
            self._serve("POST")

        def _serve(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            sent = self.rfile.read(length) if length else b""
            request = Request(time.monotonic(), method, self.path, dict(self.headers.items()), sent)
            index = server.log(request)
            route = server.answer(request)
            if route is None:
                route = Route(status=404, body=NOT_FOUND, headers={"Content-Type": "text/html"})
            if route.delay:
                time.sleep(route.delay)
            body = gzip.compress(route.body) if route.gzip else route.body
            if method == "HEAD":  # the GET's headers, Content-Length included; no body
                route = replace(route, chunked=False)
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
                if method == "HEAD":
                    pass
                elif route.chunked:
                    for start in range(0, len(body), 1000):
                        piece = body[start : start + 1000]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    self.wfile.write(b"0\r\n\r\n")
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)
            server.answered(index, route.status)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
