"""Re-request every document's original URL and record what came back (``cunzhao check``).

The URL is the unwrapped 来源 link of the document's latest version (``card.original_url``),
else the document's own URL. Each result is a new ``link_checks`` row, written by the store.
When the page's text differs from what was seen before (the previous check, or for a
document's own URL its latest version), the answer goes through the ingest stage as a capture:
a new version of that page.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine, select

from cunzhao.capture.http import Fetcher, FetchOutcome, FetchPolicy
from cunzhao.capture.model import Capture
from cunzhao.check.classify import classify
from cunzhao.check.status import documents_to_recheck
from cunzhao.clock import utc_iso
from cunzhao.digest import sha256_hex, sha256_text
from cunzhao.ingest import IngestResult, ingest_capture
from cunzhao.store.link_checks import LinkCheck, add_link_check, last_content_hash
from cunzhao.store.schema import documents, versions

__all__ = [
    "CHECK_POLICY",
    "Clock",
    "LinkCheck",
    "Target",
    "check_documents",
    "iter_targets",
    "text_hash",
]

Clock = Callable[[], datetime]
"""Gives the time a check is recorded at (tests and replays set it; else the fetch's time)."""


@dataclass(frozen=True)
class Target:
    document_id: int
    url: str
    document_url: str
    own_body: str | None  # the latest version's text, when ``url`` is the document's own URL


CHECK_POLICY = FetchPolicy(retries=1)
"""A check retries less than a capture: the next check will ask again."""


def check_documents(
    engine: Engine,
    warc_dir: str | Path,
    *,
    since: date | None = None,
    document_ids: Iterable[int] | None = None,
    recheck: bool = False,
    concurrency: int = 4,
    policy: FetchPolicy = CHECK_POLICY,
    clock: Clock | None = None,
) -> list[LinkCheck]:
    """Check the documents (published on or after ``since``, or the given ids); one row each.

    ``recheck``: only those whose original is currently gone or unreachable
    (:func:`~cunzhao.check.status.documents_to_recheck`). Fetches run on ``concurrency``
    threads, politely per host; answers are kept in a WARC in ``warc_dir``; rows are written
    as results come in, each in its own transaction (at ``clock()`` when given), and a changed
    page is ingested in its own.
    """
    if recheck:
        doubtful = documents_to_recheck(engine)
        wanted = set(document_ids) if document_ids is not None else None
        document_ids = [d for d in doubtful if wanted is None or d in wanted]
    targets = list(iter_targets(engine, since=since, document_ids=document_ids))
    results: list[LinkCheck] = []
    with (
        Fetcher(Path(warc_dir), policy, prefix="check") as fetcher,
        ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool,
    ):
        fetched = pool.map(lambda t: (t, fetcher.fetch(t.url, memento=False)), targets)
        for target, fetch in fetched:
            results.append(_record(engine, target, fetch, clock))
    return results


def iter_targets(
    engine: Engine, *, since: date | None = None, document_ids: Iterable[int] | None = None
) -> Iterator[Target]:
    """Each document's URL to check, from its latest version."""
    query = (
        select(
            documents.c.id,
            documents.c.url,
            versions.c.card,
            versions.c.url.label("page_url"),
            versions.c.body,
        )
        .join(versions, versions.c.document_id == documents.c.id)
        .where(versions.c.is_latest == 1)
        .order_by(documents.c.id)
    )
    if since is not None:
        query = query.where(versions.c.published >= since.isoformat())
    if document_ids is not None:
        query = query.where(documents.c.id.in_(list(document_ids)))
    with engine.connect() as conn:
        for row in conn.execute(query):
            card = json.loads(row.card) if row.card else {}
            original = card.get("original_url") if isinstance(card, dict) else None
            url = original or row.url
            if not str(url).startswith(("http://", "https://")):
                continue
            own = url in (row.url, row.page_url)
            yield Target(row.id, url, row.url, row.body if own else None)


def _record(
    engine: Engine, target: Target, fetch: FetchOutcome, clock: Clock | None
) -> LinkCheck:
    verdict = classify(fetch)
    outcome: str = verdict.verdict
    detail = verdict.detail
    content_hash = capture_id = None
    if verdict.verdict in ("alive", "redirected") and fetch.capture is not None:
        content_hash = text_hash(fetch.capture)
        baseline = _baseline(engine, target)
        if baseline is not None and baseline != content_hash:
            result = ingest_capture(engine, fetch.capture)
            outcome = "changed"
            capture_id = result.capture_id
            if capture_id is not None:
                detail = _changed_detail(result, detail)
            else:  # the same bytes were captured before: the page went back to an old state
                detail = f"{result.outcome}: the same bytes as an earlier capture"
    check = LinkCheck(
        document_id=target.document_id,
        url=target.url,
        checked_at=utc_iso(clock() if clock is not None else fetch.fetched_at),
        outcome=outcome,
        http_status=fetch.status,
        final_url=fetch.final_url,
        detail=detail,
        content_hash=content_hash,
        capture_id=capture_id,
    )
    with engine.begin() as conn:
        add_link_check(conn, check)
    return check


def text_hash(capture: Capture) -> str:
    """sha256 of the page's text as cunzhao parses it (of the bytes for what is not a page),
    so a new ad or timestamp in the markup does not count as a change."""
    from cunzhao.parse import ParseError, parse_capture

    if capture.is_page:
        try:
            return sha256_text(parse_capture(capture).body)
        except ParseError:
            pass
    return sha256_hex(capture.data)


def _baseline(engine: Engine, target: Target) -> str | None:
    """The text hash last seen for this URL, else (own URL) that of the latest version."""
    with engine.connect() as conn:
        seen = last_content_hash(conn, target.document_id, target.url)
    if seen is not None:
        return seen
    return sha256_text(target.own_body) if target.own_body is not None else None


def _changed_detail(result: IngestResult, before: str | None) -> str:
    what = (
        f"captured as version {result.version_n} of document {result.document_id}"
        if (result.version_n is not None)
        else "captured (kept raw, not a page)"
    )
    return f"{before}; {what}" if before else what
