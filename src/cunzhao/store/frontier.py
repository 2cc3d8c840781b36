"""Each source's frontier — the article URLs it listed and what fetching them gave — and the
history of sync runs (migration 0005).

A URL is written ``pending`` as soon as the source lists it, in its own committed batch, so a
sync killed at any moment resumes with what it had found; fetching then settles each URL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, func, insert, select, update

from cunzhao.clock import utc_now_iso
from cunzhao.store.schema import sync_runs, sync_urls

__all__ = [
    "SYNC_STATES",
    "FrontierURL",
    "RunCounts",
    "add_listed",
    "finish_run",
    "frontier_size",
    "known_urls",
    "settle",
    "start_run",
    "to_fetch",
    "walked_before",
]

SYNC_STATES = ("pending", "fetched", "unchanged", "filtered", "failed")
"""``pending``: listed, not fetched yet (or listed as updated since); ``fetched``: ingested;
``unchanged``: the answer was 304 or the bytes were already in the archive; ``filtered``: the
source's keyword filter left it out; ``failed``: see ``detail``."""


@dataclass(frozen=True)
class FrontierURL:
    url: str
    state: str
    etag: str | None
    last_modified: str | None
    lastmod: str | None


@dataclass
class RunCounts:
    """What one sync of one source did."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0
    filtered: int = 0
    failed: int = 0
    requests: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)


def known_urls(conn: Connection, source: str) -> dict[str, str | None]:
    """Every URL the source has listed before, with the ``lastmod`` it was listed with."""
    rows = conn.execute(
        select(sync_urls.c.url, sync_urls.c.lastmod).where(sync_urls.c.source == source)
    )
    return {url: lastmod for url, lastmod in rows}


def walked_before(conn: Connection, source: str) -> bool:
    """Whether a sync of ``source`` ran to its end before (else the next walks every page)."""
    return conn.execute(
        select(sync_runs.c.id)
        .where(sync_runs.c.source == source, sync_runs.c.finished_at.is_not(None)).limit(1)
    ).first() is not None


def frontier_size(conn: Connection, source: str) -> int:
    return int(conn.execute(
        select(func.count()).select_from(sync_urls).where(sync_urls.c.source == source)
    ).scalar_one())


def add_listed(conn: Connection, source: str, listed: Iterable[tuple[str, str | None]]) -> int:
    """Record (url, lastmod) pairs a listing gave: new URLs become ``pending``; a known URL
    listed with another ``lastmod`` is ``pending`` again. Returns how many are pending now."""
    known = known_urls(conn, source)
    now = utc_now_iso()
    fresh, moved = [], []
    for url, lastmod in listed:
        if url not in known:
            fresh.append({"source": source, "url": url, "first_seen": now, "state": "pending",
                          "lastmod": lastmod})
            known[url] = lastmod
        elif lastmod is not None and lastmod != known[url]:
            moved.append((url, lastmod))
            known[url] = lastmod
    if fresh:
        conn.execute(insert(sync_urls), fresh)
    for url, lastmod in moved:
        conn.execute(update(sync_urls)
                     .where(sync_urls.c.source == source, sync_urls.c.url == url)
                     .values(state="pending", lastmod=lastmod))
    return len(fresh) + len(moved)


def to_fetch(conn: Connection, source: str, *, everything: bool = False) -> list[FrontierURL]:
    """The URLs to fetch: ``pending`` ones (and failed ones, to retry), or all with
    ``everything`` (a refresh: conditional requests make unchanged pages cheap)."""
    query = select(sync_urls.c.url, sync_urls.c.state, sync_urls.c.etag,
                   sync_urls.c.last_modified, sync_urls.c.lastmod).where(
        sync_urls.c.source == source)
    if not everything:
        query = query.where(sync_urls.c.state.in_(("pending", "failed")))
    return [FrontierURL(*row) for row in conn.execute(query.order_by(sync_urls.c.id))]


def settle(
    conn: Connection, source: str, url: str, state: str, *, http_status: int | None = None,
    etag: str | None = None, last_modified: str | None = None,
    content_sha256: str | None = None, capture_id: int | None = None, detail: str | None = None,
) -> None:
    """Record what fetching ``url`` gave; validators and hash are kept when not given anew."""
    assert state in SYNC_STATES, state
    values: dict[str, object] = {"state": state, "fetched_at": utc_now_iso(),
                                 "http_status": http_status, "detail": detail}
    for name, value in (("etag", etag), ("last_modified", last_modified),
                        ("content_sha256", content_sha256), ("capture_id", capture_id)):
        if value is not None:
            values[name] = value
    conn.execute(update(sync_urls)
                 .where(sync_urls.c.source == source, sync_urls.c.url == url).values(**values))


def start_run(conn: Connection, source: str) -> int:
    """A new ``running`` row for this sync of ``source``; its id."""
    result = conn.execute(insert(sync_runs).values(source=source, started_at=utc_now_iso(),
                                                   outcome="running"))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def finish_run(conn: Connection, run_id: int, counts: RunCounts, error: str | None) -> None:
    conn.execute(update(sync_runs).where(sync_runs.c.id == run_id).values(
        finished_at=utc_now_iso(), outcome="failed" if error or counts.failed else "ok",
        new=counts.new, changed=counts.changed, unchanged=counts.unchanged,
        filtered=counts.filtered, failed=counts.failed, requests=counts.requests,
        detail=error or "; ".join(f"{u}: {r}" for u, r in counts.failures[:20]) or None,
    ))
