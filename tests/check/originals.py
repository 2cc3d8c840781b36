"""What the check tests share: pages served on 127.0.0.1, archived over HTTP, then checked at
a chosen time (the clock is a parameter of ``check_documents``, so a day passes without a
sleep)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cunzhao.archive import Archive
from cunzhao.capture.http import FetchPolicy, capture_urls
from cunzhao.check import check_documents
from netserver import NetServer

QUICK: dict[str, Any] = {"retries": 0, "timeout": 3.0, "backoff": 0.01, "rate_per_host": 0}
T0 = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


def hours(n: float) -> datetime:
    """``n`` hours after T0."""
    return T0 + timedelta(hours=n)


def stamp(n: float) -> str:
    """``hours(n)`` as the archive writes it."""
    return hours(n).strftime("%Y-%m-%dT%H:%M:%SZ")


def html(title: str, text: str) -> bytes:
    return (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>{text}</p></body></html>"
    ).encode()


ARTICLE = html("网信办查处违法网站", "2023年，全国网信系统依法约谈网站10646家。" * 20)


def add_page(archive: Archive, server: NetServer, path: str, body: bytes, folder: Path) -> int:
    """Serve ``body`` at ``path``, capture it over HTTP and ingest it; returns the document id."""
    url = server.page(path, body)
    (outcome,) = capture_urls([url], folder, FetchPolicy(**QUICK))
    assert outcome.capture is not None, outcome
    result = archive.ingest_capture(outcome.capture)
    assert result.outcome == "ingested", result
    assert result.document_id is not None
    return result.document_id


def check_at(
    archive: Archive, folder: Path, at: float, *, recheck: bool = False, concurrency: int = 4,
    **options: Any,
) -> dict[int, str]:
    """Check every document as if at ``hours(at)``; the outcome per document id."""
    results = check_documents(
        archive.engine, folder, recheck=recheck, concurrency=concurrency,
        policy=FetchPolicy(**{**QUICK, **options}), clock=lambda: hours(at),
    )
    return {r.document_id: r.outcome for r in results}
