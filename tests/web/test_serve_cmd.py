"""``cunzhao serve`` as users run it: prints its address, answers on it, refuses no archive."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

CLI = [str(Path(sys.executable).with_name("cunzhao"))]


def test_serve_prints_its_address_and_answers(web_archive: str, tcp_port: int) -> None:
    port = tcp_port
    process = subprocess.Popen(
        [*CLI, "serve", "--db", web_archive, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in line and "read-only" in line
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/api/search?q=约谈", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "cunzhao serve did not answer"
                time.sleep(0.1)
        assert response.status_code == 200 and response.json()["total"] >= 1
        assert "server" not in response.headers
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=20)
    assert "约谈" not in errors and "GET /api" not in errors  # no access log by default


def test_serve_refuses_a_missing_archive(tmp_path: Path) -> None:
    result = subprocess.run([*CLI, "serve", "--db", str(tmp_path / "none.db")],
                            check=False, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "no archive at" in result.stderr and not (tmp_path / "none.db").exists()
