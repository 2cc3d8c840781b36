"""Re-request every document's original URL and record what came back (``cunzhao check``).

The URL is the unwrapped 来源 link of the document's latest version (``card.original_url``),
else the document's own URL. Each result is a new ``link_checks`` row. When the page's text
differs from what was seen before (the previous check, or for a document's own URL its latest
version), the answer is ingested as a capture: a new version of that page.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, insert, select

from cunzhao.capture.http import Fetcher, FetchOutcome, FetchPolicy
from cunzhao.capture.model import Capture
from cunzhao.check.classify import classify
from cunzhao.check.schema import link_checks
from cunzhao.store.schema import documents, versions


class _Archive(Protocol):
    """What checking needs of ``cunzhao.archive.Archive``."""

    engine: Engine

    @property
    def data_dir(self) -> Path: ...

    def ingest_capture(self, capture: Capture) -> Any: ...


@dataclass(frozen=True)
class Target:
    document_id: int
    url: str
    document_url: str
    own_body: str | None  # the latest version's text, when ``url`` is the document's own URL


@dataclass(frozen=True)
class LinkCheck:
    """One recorded check (a ``link_checks`` row)."""

    document_id: int
    url: str
    checked_at: str
    outcome: str  # alive | changed | redirected | gone | error
    http_status: int | None
    final_url: str | None
    detail: str | None
    content_hash: str | None = None
    capture_id: int | None = None


CHECK_POLICY = FetchPolicy(retries=1)
"""A check retries less than a capture: the next check will ask again."""


def check_documents(
    archive: _Archive,
    *,
    since: date | None = None,
    document_ids: Iterable[int] | None = None,
    concurrency: int = 4,
    policy: FetchPolicy = CHECK_POLICY,
    warc_dir: str | Path | None = None,
) -> list[LinkCheck]:
    """Check the documents (published on or after ``since``, or the given ids); one row each.

    Fetches run on ``concurrency`` threads, politely per host; answers are kept in a WARC under
    the archive's data folder; rows are written as results come in.
    """
    targets = list(iter_targets(archive.engine, since=since, document_ids=document_ids))
    folder = Path(warc_dir) if warc_dir is not None else archive.data_dir / "warc"
    results: list[LinkCheck] = []
    with (
        Fetcher(folder, policy, prefix="check") as fetcher,
        ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool,
    ):
        fetched = pool.map(lambda t: (t, fetcher.fetch(t.url, memento=False)), targets)
        for target, fetch in fetched:
            results.append(_record(archive, target, fetch))
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


def _record(archive: _Archive, target: Target, fetch: FetchOutcome) -> LinkCheck:
    verdict = classify(fetch)
    outcome: str = verdict.verdict
    detail = verdict.detail
    content_hash = capture_id = None
    if verdict.verdict in ("alive", "redirected") and fetch.capture is not None:
        content_hash = text_hash(fetch.capture)
        baseline = _baseline(archive.engine, target)
        if baseline is not None and baseline != content_hash:
            result = archive.ingest_capture(fetch.capture)
            outcome = "changed"
            if result.outcome in ("ingested", "new_version", "stored"):
                capture_id = _capture_id(archive.engine, fetch.capture)
                detail = _changed_detail(result, detail)
            else:  # the same bytes were captured before: the page went back to an old state
                detail = f"{result.outcome}: the same bytes as an earlier capture"
    check = LinkCheck(
        document_id=target.document_id,
        url=target.url,
        checked_at=fetch.fetched_at.astimezone(UTC)
        .isoformat(timespec="seconds")
        .replace("+00:00", "Z"),
        outcome=outcome,
        http_status=fetch.status,
        final_url=fetch.final_url,
        detail=detail,
        content_hash=content_hash,
        capture_id=capture_id,
    )
    with archive.engine.begin() as conn:
        conn.execute(insert(link_checks).values(**check.__dict__))
    return check


def text_hash(capture: Capture) -> str:
    """sha256 of the page's text as cunzhao parses it (bytes for what is not a page), so
    a new ad or timestamp in the markup does not count as a change."""
    from cunzhao.parse import ParseError, parse_capture

    try:
        return _sha(parse_capture(capture).body)
    except ParseError:
        return hashlib.sha256(capture.data).hexdigest()


def _baseline(engine: Engine, target: Target) -> str | None:
    """The text hash last seen for this URL, else (own URL) that of the latest version."""
    with engine.connect() as conn:
        seen = conn.execute(
            select(link_checks.c.content_hash)
            .where(
                link_checks.c.document_id == target.document_id,
                link_checks.c.url == target.url,
                link_checks.c.content_hash.is_not(None),
            )
            .order_by(link_checks.c.checked_at.desc(), link_checks.c.id.desc())
            .limit(1)
        ).scalar()
    if seen is not None:
        return str(seen)
    return _sha(target.own_body) if target.own_body is not None else None


def _capture_id(engine: Engine, capture: Capture) -> int | None:
    from cunzhao.store.schema import captures

    with engine.connect() as conn:
        found = conn.execute(
            select(captures.c.id)
            .where(captures.c.source == capture.source)
            .order_by(captures.c.id.desc())
            .limit(1)
        ).scalar()
    return int(found) if found is not None else None


def _changed_detail(result: Any, before: str | None) -> str:
    what = (
        f"captured as version {result.version_n} of document {result.document_id}"
        if (result.version_n is not None)
        else "captured (kept raw, not a page)"
    )
    return f"{before}; {what}" if before else what


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
