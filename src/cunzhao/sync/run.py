"""``sync``: keep the archive current from its sources — list, fetch what is new, ingest.

For each source: walk its listing (feed, index pages, sitemap, CDX query) and record every
article URL in the frontier (committed as found, so a killed sync resumes); then fetch the
pending URLs a few at a time through one polite ``Fetcher`` (robots.txt, per-host rate and
concurrency, every exchange in the WARC log), conditionally when validators are known, and
ingest each answer — a new document, a new version, or nothing when the bytes are known.
A source that fails (DNS, TLS, HTTP status, a listing that does not parse) is reported with
its reason and the others go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from cunzhao.capture.http import Fetcher, FetchOutcome, FetchPolicy
from cunzhao.capture.model import Capture
from cunzhao.capture.sources import iter_captures
from cunzhao.digest import sha256_hex
from cunzhao.ingest import IngestResult, ingest_capture
from cunzhao.parse import ParseError, parse_capture
from cunzhao.sources import FetchedPage, Source, SourceError, walk
from cunzhao.store.frontier import (
    FrontierURL,
    RunCounts,
    add_listed,
    finish_run,
    known_urls,
    settle,
    start_run,
    to_fetch,
    walked_before,
)

__all__ = ["SyncReport", "sync_sources"]

_LISTED_BATCH = 100  # listed URLs committed together while walking


@dataclass(frozen=True)
class SyncReport:
    """One source's sync: counts, and ``error`` when the source itself could not be read."""

    source: str
    counts: RunCounts
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None or self.counts.failed > 0

    def to_json(self) -> dict[str, object]:
        c = self.counts
        return {"source": self.source, "new": c.new, "changed": c.changed,
                "unchanged": c.unchanged, "filtered": c.filtered, "failed": c.failed,
                "requests": c.requests, "error": self.error,
                "failures": [{"url": u, "reason": r} for u, r in c.failures]}


OnURL = Callable[[str, str], None]  # (url, what happened), for progress


def sync_sources(
    engine: Engine, sources: list[Source], warc_dir: Path, policy: FetchPolicy, *,
    refresh: bool = False, on_url: OnURL | None = None,
) -> list[SyncReport]:
    """Sync each source in turn; one report each. ``refresh`` re-requests every known URL
    (conditionally), not only the new or updated ones."""
    reports = []
    with Fetcher(warc_dir, policy, prefix="sync") as fetcher:
        for source in sources:
            reports.append(_sync_one(engine, source, fetcher, policy, refresh, on_url))
    return reports


def _sync_one(
    engine: Engine, source: Source, fetcher: Fetcher, policy: FetchPolicy, refresh: bool,
    on_url: OnURL | None,
) -> SyncReport:
    with engine.begin() as conn:
        run_id = start_run(conn, source.name)
    counts, error = RunCounts(), None
    before = fetcher.requests
    try:
        if source.kind == "folder":
            _sync_folder(engine, source, counts, on_url)
        else:
            _list(engine, source, fetcher)
            _fetch_pending(engine, source, fetcher, policy, refresh, counts, on_url)
    except SourceError as problem:
        error = str(problem)
    counts.requests = fetcher.requests - before
    with engine.begin() as conn:
        finish_run(conn, run_id, counts, error)
    return SyncReport(source.name, counts, error)


def _list(engine: Engine, source: Source, fetcher: Fetcher) -> None:
    """Walk the source's listing, recording the URLs it gives (batch by batch)."""
    with engine.connect() as conn:
        first_sync = not walked_before(conn, source.name)  # a killed first sync walks again
        known = known_urls(conn, source.name)

    def fetch(url: str) -> FetchedPage:
        return _fetched_page(source, url, fetcher.fetch(url, memento=False))

    batch: list[tuple[str, str | None]] = []
    for entry in walk(source, fetch, lambda url: url in known, first_sync=first_sync):
        batch.append((entry.url, entry.updated))
        if len(batch) >= _LISTED_BATCH:
            _record_listed(engine, source, batch)
            batch = []
    _record_listed(engine, source, batch)


def _record_listed(engine: Engine, source: Source, batch: list[tuple[str, str | None]]) -> None:
    if batch:
        with engine.begin() as conn:
            add_listed(conn, source.name, batch)


def _fetched_page(source: Source, url: str, outcome: FetchOutcome) -> FetchedPage:
    """A listing page as the walker reads it: any HTTP answer (the walker judges 404 or 304);
    no answer at all (DNS, refused, timeout, robots.txt) is a SourceError with the reason."""
    if outcome.status is None:
        raise SourceError(source.name, f"{outcome.outcome}: {outcome.detail}", url)
    body = outcome.capture.data if outcome.capture is not None else b""
    return FetchedPage(outcome.final_url or url, outcome.status, outcome.headers, body)


def _fetch_pending(
    engine: Engine, source: Source, fetcher: Fetcher, policy: FetchPolicy, refresh: bool,
    counts: RunCounts, on_url: OnURL | None,
) -> None:
    with engine.connect() as conn:
        wanted = to_fetch(conn, source.name, everything=refresh)
    entries = {item.url: item for item in wanted}

    def get(item: FrontierURL) -> tuple[FrontierURL, FetchOutcome]:
        headers = {}
        if item.etag:
            headers["If-None-Match"] = item.etag
        if item.last_modified:
            headers["If-Modified-Since"] = item.last_modified
        return item, fetcher.fetch(item.url, memento=False, headers=headers)

    workers = max(1, policy.per_host or 4)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for item, outcome in pool.map(get, entries.values()):
            state = _settle_one(engine, source, item, outcome, counts)
            if on_url:
                on_url(item.url, state)


def _settle_one(
    engine: Engine, source: Source, item: FrontierURL, outcome: FetchOutcome, counts: RunCounts
) -> str:
    etag, modified = outcome.headers.get("etag"), outcome.headers.get("last-modified")
    if outcome.outcome == "not_modified":
        counts.unchanged += 1
        _settle(engine, source, item.url, "unchanged", outcome.status, etag=etag,
                last_modified=modified)
        return "unchanged"
    if outcome.capture is None:
        reason = f"{outcome.outcome}: {outcome.detail or outcome.status}"
        counts.failed += 1
        counts.failures.append((item.url, reason))
        _settle(engine, source, item.url, "failed", outcome.status, detail=reason)
        return "failed"
    capture = _as_archived(source, item, outcome.capture)
    sha = sha256_hex(capture.data)
    why_not = _filtered_out(source, capture)
    if why_not:
        counts.filtered += 1
        _settle(engine, source, item.url, "filtered", outcome.status, etag=etag,
                last_modified=modified, content_sha256=sha, detail=why_not)
        return "filtered"
    result = ingest_capture(engine, capture)
    state = _count(result, counts, item.url)
    _settle(engine, source, item.url, state, outcome.status, etag=etag,
            last_modified=modified, content_sha256=sha, capture_id=result.capture_id,
            detail=result.error)
    return result.outcome


def _settle(
    engine: Engine, source: Source, url: str, state: str, status: int | None, *,
    etag: str | None = None, last_modified: str | None = None,
    content_sha256: str | None = None, capture_id: int | None = None, detail: str | None = None,
) -> None:
    with engine.begin() as conn:
        settle(conn, source.name, url, state, http_status=status, etag=etag,
               last_modified=last_modified, content_sha256=content_sha256,
               capture_id=capture_id, detail=detail)


def _count(result: IngestResult, counts: RunCounts, url: str) -> str:
    if result.outcome in ("ingested", "stored"):
        counts.new += 1
        return "fetched"
    if result.outcome == "new_version":
        counts.changed += 1
        return "fetched"
    if result.outcome == "unchanged":
        counts.unchanged += 1
        return "unchanged"
    counts.failed += 1
    counts.failures.append((url, result.error or result.outcome))
    return "failed"


def _as_archived(source: Source, item: FrontierURL, capture: Capture) -> Capture:
    """A Wayback capture stands for its original URL, at the time it was archived."""
    if source.kind != "wayback":
        return capture
    original, stamp = _memento_parts(item.url)
    return replace(capture, source_kind="memento", target_url=original or capture.target_url,
                   captured_at=stamp or capture.captured_at)


def _memento_parts(url: str) -> tuple[str | None, datetime | None]:
    """The original URL and archive time of a ``…/{14 digits}id_/{original}`` Memento URL."""
    head, sep, original = url.partition("id_/")
    stamp = head.rstrip("/").rsplit("/", 1)[-1]
    if not sep or not (stamp.isdigit() and len(stamp) == 14):
        return None, None
    return original, datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def _filtered_out(source: Source, capture: Capture) -> str | None:
    """Why the keyword filter leaves this page out (None: kept, or not a page to judge)."""
    if not (source.keywords or source.keyword_regex) or not capture.is_page:
        return None
    try:
        page = parse_capture(capture)
    except ParseError:
        return None  # ingest reports why
    if source.keeps(page.title + "\n" + page.body):
        return None
    return "no keyword of the source's filter"


def _sync_folder(engine: Engine, source: Source, counts: RunCounts, on_url: OnURL | None) -> None:
    """A folder source: every page file, new or changed since the last sync, is ingested."""
    assert source.path is not None
    captures = {c.source: c for c in _folder_pages(Path(source.path))}
    _record_listed(engine, source, [(path, sha256_hex(c.data)) for path, c in captures.items()])
    with engine.connect() as conn:
        wanted = to_fetch(conn, source.name)
    for item in wanted:
        capture = captures.get(item.url)
        if capture is None:
            counts.failed += 1
            counts.failures.append((item.url, "no longer in the folder"))
            _settle(engine, source, item.url, "failed", None, detail="no longer in the folder")
            continue
        why_not = _filtered_out(source, capture)
        if why_not:
            counts.filtered += 1
            _settle(engine, source, item.url, "filtered", None, detail=why_not)
            state = "filtered"
        else:
            result = ingest_capture(engine, capture)
            state = _count(result, counts, item.url)
            _settle(engine, source, item.url, state, None, capture_id=result.capture_id,
                    detail=result.error)
        if on_url:
            on_url(item.url, state)


def _folder_pages(folder: Path) -> Iterator[Capture]:
    if not folder.is_dir():
        raise SourceError(str(folder), "not a folder")
    for item in iter_captures([folder]):
        if isinstance(item, Capture):
            yield item
