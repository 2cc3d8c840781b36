"""``notify``: the webhook gets the summary as UTF-8 JSON from a real server on 127.0.0.1;
every failure (refused, DNS, timeout, non-2xx, a summary that is not JSON) is one line of
reason, never an exception."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cunzhao.sync.notify import notify

SUMMARY = {
    "new": [{"document": "https://chinadigitaltimes.net/chinese/704712.html",
             "title": "【立此存照】中央网信办｜2023年约谈网站10646家"}],
    "facts": 7, "gone": [], "sources": {"cdt-lcz": {"new": 1, "failed": 0}},
}


@dataclass
class Hook:
    """A webhook on 127.0.0.1: keeps every POST, answers ``status`` after ``delay`` s."""

    server: ThreadingHTTPServer
    received: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)
    status: int = 204
    delay: float = 0.0

    def url(self, path: str = "/hook") -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}{path}"


@pytest.fixture
def hook() -> Iterator[Hook]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    found = Hook(server)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            found.received.append((self.path, dict(self.headers.items()), body))
            time.sleep(found.delay)
            try:
                self.send_response(found.status)
                if 300 <= found.status < 400:
                    self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the timeout test)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server.RequestHandlerClass = Handler
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()


def test_the_webhook_receives_the_summary(hook: Hook) -> None:
    assert notify(hook.url(), SUMMARY) is None
    [(path, headers, body)] = hook.received
    assert path == "/hook"
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body.decode("utf-8")) == SUMMARY
    assert "立此存照".encode() in body  # UTF-8, not \\u escapes
    assert headers["User-Agent"].startswith("cunzhao/")


@pytest.mark.parametrize("status", [500, 404, 302])
def test_a_non_2xx_answer_is_a_reason(hook: Hook, status: int) -> None:
    hook.status = status
    reason = notify(hook.url("/hooks/T0SECRET/B0SECRET"), SUMMARY)
    assert reason is not None and f"HTTP {status}" in reason
    assert reason.startswith(f"webhook http://127.0.0.1:{hook.server.server_address[1]}: ")
    assert "SECRET" not in reason  # the path may hold a token: never in a log line
    assert "\n" not in reason
    assert len(hook.received) == 1  # no retry, no redirect followed


def test_a_refused_connection_is_a_reason() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    reason = notify(f"http://127.0.0.1:{port}/hook", SUMMARY)
    assert reason == f"webhook http://127.0.0.1:{port}: connection refused"


def test_an_unknown_host_is_a_dns_failure() -> None:
    reason = notify("http://no-such-host.invalid/hook", SUMMARY, timeout=5)
    assert reason is not None
    assert reason.startswith("webhook http://no-such-host.invalid: DNS failure"), reason


def test_a_slow_webhook_times_out(hook: Hook) -> None:
    hook.delay = 2.0
    started = time.monotonic()
    reason = notify(hook.url(), SUMMARY, timeout=0.3)
    assert reason is not None and "timeout" in reason
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/hook", "not a url", "http://"])
def test_an_unusable_url_is_a_reason(url: str) -> None:
    reason = notify(url, SUMMARY)
    assert reason is not None and reason.startswith("webhook ")


def test_a_summary_that_is_not_json_is_a_reason(hook: Hook) -> None:
    reason = notify(hook.url(), {"when": object()})
    assert reason is not None and "cannot encode the summary as JSON" in reason
    assert hook.received == []
