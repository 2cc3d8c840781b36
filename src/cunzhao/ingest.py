"""One batch of captures through every stage: preserve, parse, extract, store, index.

:func:`ingest_paths` reads files and folders (pages, and WARC files record by record) and
writes them in batches, one transaction each: one commit per page would spend most of the time
committing. If anything in a batch fails, the batch is rolled back and each of its captures is
written again in its own transaction, so a bad capture fails alone and nothing half-written
remains. :func:`ingest_capture` writes one capture (a fetch, a changed original found by
``cunzhao check``) in its own transaction.

:func:`write_items` runs inside a transaction the caller owns. Each capture's rows are written
as it comes; the search index is brought up to date once, at the end of the batch, for the
documents whose latest version changed — in bulk statements, and never for a version that a
later capture in the same batch already replaced.

Two ingests may run at once: on SQLite they take turns batch by batch (``BEGIN IMMEDIATE``,
see ``store.engine.writing``); on PostgreSQL side by side: a capture's bytes count as new only
for the writer whose insert of the blob succeeds (``store.blobs.store_blob``), each document
row is locked by its writer until commit (``store.writer.document_for``), and a transaction
that a deadlock cancels is tried again. A full disk or an archive that cannot be written
stops the ingest at the first capture it fails: that result says so (``IngestResult.fatal``),
everything committed before it stays, and nothing after it is tried
(``IngestSummary.stopped``).

:func:`ingest_items` writes any stream of items: captures, which the writer prepares itself,
or captures already prepared elsewhere (``cunzhao.scale``: worker processes, a Dask
cluster, Parquet partitions) — the same rows either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqlalchemy import Connection, Engine, func, select

from cunzhao import __version__
from cunzhao.capture.model import Capture, CaptureError, Skipped
from cunzhao.capture.sources import iter_captures
from cunzhao.clock import utc_now_iso
from cunzhao.digest import sha256_hex
from cunzhao.scale.prepare import Prepared, prepare
from cunzhao.search.indexer import following
from cunzhao.store.blobs import has_blob, store_blob
from cunzhao.store.engine import writing
from cunzhao.store.failures import is_transient, stop_reason
from cunzhao.store.schema import versions
from cunzhao.store.writer import add_capture, add_version, document_for, mark_latest, replace_facts

if TYPE_CHECKING:
    from cunzhao.parse.model import Page
    from cunzhao.search.entries import IndexEntry

__all__ = [
    "IngestResult",
    "IngestSummary",
    "Outcome",
    "complete_index",
    "ingest_capture",
    "ingest_items",
    "ingest_paths",
    "write_items",
]

Outcome = Literal["ingested", "new_version", "unchanged", "stored", "skipped", "failed"]
Item = Capture | Prepared | Skipped | CaptureError


@dataclass(frozen=True)
class IngestResult:
    """What happened to one source: ``stored`` is a raw capture kept but not parsed (not a
    page). ``capture_id`` is set when a capture row was written, ``version_id`` (with
    ``document_id`` and ``version_n``) when a version was. ``fatal``: it failed because the
    archive can take no more writes (disk full, read-only), so later captures would too."""

    source: str
    outcome: Outcome
    document_id: int | None = None
    version_n: int | None = None
    error: str | None = None
    capture_id: int | None = None
    version_id: int | None = None
    fatal: bool = False


@dataclass
class IngestSummary:
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[IngestResult] = field(default_factory=list)
    stopped: str | None = None  # why the ingest ended early (a fatal result's error)

    def add(self, result: IngestResult) -> None:
        self.counts[result.outcome] = self.counts.get(result.outcome, 0) + 1
        if result.outcome == "failed":
            self.failures.append(result)
        if result.fatal:
            self.stopped = result.error

    @property
    def failed(self) -> int:
        return self.counts.get("failed", 0)


def ingest_paths(
    engine: Engine,
    paths: Iterable[Path],
    on_result: Callable[[IngestResult], None] | None = None,
    *,
    batch_size: int = 200,
    batch_bytes: int = 32 << 20,
) -> IngestSummary:
    """Ingest files and folders (recursively), ``batch_size`` captures (or ``batch_bytes``)
    per transaction. ``on_result`` hears of each capture once its batch is committed.
    Stops at the first fatal failure (disk full, read-only archive): ``summary.stopped``."""
    return ingest_items(engine, iter_captures(paths), on_result,
                        batch_size=batch_size, batch_bytes=batch_bytes)


def ingest_items(
    engine: Engine,
    items: Iterable[Item],
    on_result: Callable[[IngestResult], None] | None = None,
    *,
    batch_size: int = 200,
    batch_bytes: int = 32 << 20,
) -> IngestSummary:
    """Write ``items`` in order, in batches as :func:`ingest_paths` does (which calls this)."""
    summary = IngestSummary()
    batch: list[Item] = []
    size = 0
    with writing(engine).connect() as conn:
        for item in items:
            batch.append(item)
            size += _size(item)
            if len(batch) >= batch_size or size >= batch_bytes:
                _settle(_write_batch(conn, batch), summary, on_result)
                if summary.stopped:
                    return summary
                batch, size = [], 0
        _settle(_write_batch(conn, batch), summary, on_result)
    return summary


def _size(item: Item) -> int:
    if isinstance(item, Prepared):
        return len(item.capture.data) + 3 * len(item.folded or "")  # body, folded, tokens
    return len(item.data) if isinstance(item, Capture) else 0


def ingest_capture(engine: Engine, capture: Capture) -> IngestResult:
    """Preserve, parse, extract, store and index one capture in its own transaction."""
    with writing(engine).connect() as conn:
        return _write_alone(conn, capture)


_TRIES = 3  # a transaction cancelled by a deadlock with another writer is tried again


def _write_batch(conn: Connection, batch: list[Item]) -> list[IngestResult]:
    try:
        return _transaction(conn, batch)
    except Exception:  # noqa: BLE001 — replayed one by one, where each failure is reported
        return _write_each(conn, batch)


def _write_each(conn: Connection, batch: list[Item]) -> list[IngestResult]:
    results: list[IngestResult] = []
    for item in batch:
        results.append(_write_alone(conn, item))
        if results[-1].fatal:
            break  # the rest would fail the same way: not tried
    return results


def _write_alone(conn: Connection, item: Item) -> IngestResult:
    try:
        return _transaction(conn, [item])[0]
    except Exception as error:  # noqa: BLE001 — one bad capture must not stop the batch
        return _failure(item.source, error)


def _transaction(conn: Connection, items: list[Item]) -> list[IngestResult]:
    """``write_items`` in a transaction of its own, tried again if a deadlock cancels it."""
    for attempt in range(1, _TRIES + 1):
        try:
            with following(conn), conn.begin():  # the search index follows the commit
                return write_items(conn, items)
        except Exception as error:
            if attempt == _TRIES or not is_transient(error):
                raise
    raise AssertionError("unreachable")


def _failure(source: str, error: Exception) -> IngestResult:
    reason = stop_reason(error)
    if reason is None:
        return IngestResult(source, "failed", error=f"{type(error).__name__}: {error}")
    return IngestResult(
        source, "failed", fatal=True,
        error=f"{reason} — ingest stopped at this capture; everything before it is committed, "
              "nothing after it was tried",
    )


def _settle(
    results: list[IngestResult], summary: IngestSummary,
    on_result: Callable[[IngestResult], None] | None,
) -> None:
    for result in results:
        summary.add(result)
        if on_result:
            on_result(result)


def write_items(conn: Connection, items: Iterable[Item]) -> list[IngestResult]:
    """Write each item, then index the batch's new latest versions; one result per item."""
    from cunzhao.search.indexer import index_entries

    to_index: dict[int, IndexEntry] = {}  # by document: the latest version seen in this batch
    results = [_write_item(conn, item, to_index) for item in items]
    index_entries(conn, to_index.values())
    return results


def _write_item(conn: Connection, item: Item, to_index: dict[int, IndexEntry]) -> IngestResult:
    if isinstance(item, Skipped):
        return IngestResult(item.source, "skipped", error=item.reason)
    if isinstance(item, CaptureError):
        return IngestResult(item.source, "failed", error=item.reason)
    return _write_capture(conn, item, to_index)


def _write_capture(
    conn: Connection, item: Capture | Prepared, to_index: dict[int, IndexEntry]
) -> IngestResult:
    sha = item.sha256 if isinstance(item, Prepared) else sha256_hex(item.data)
    if has_blob(conn, sha):  # before preparing: bytes already kept need no parse
        return IngestResult(item.source, "unchanged")
    ready = item if isinstance(item, Prepared) else prepare(item, sha)
    if ready.error is not None:
        return IngestResult(ready.source, "failed", error=ready.error)
    capture, page = ready.capture, ready.page
    if not store_blob(conn, capture.data, sha, ready.blob):
        return IngestResult(capture.source, "unchanged")  # a concurrent writer's, just now
    now = utc_now_iso()
    capture_id = add_capture(conn, capture, sha, ingested_at=now, tool_version=__version__,
                             captured_at=page.captured_at if page else capture.captured_at)
    if page is None:  # not a page: kept raw
        return IngestResult(capture.source, "stored", capture_id=capture_id)
    return _write_version(conn, ready, page, capture_id, now, to_index)


def _write_version(
    conn: Connection, ready: Prepared, page: Page, capture_id: int, now: str,
    to_index: dict[int, IndexEntry],
) -> IngestResult:
    from cunzhao.search.entries import IndexEntry, fact_facets

    url, facts = ready.url, ready.facts
    assert url is not None and facts is not None  # a parsed page has both (see prepare)
    document_id, created = document_for(conn, url, now=now)
    version = add_version(conn, document_id, capture_id, page, body_folded=ready.folded,
                          parser_version=ready.parser_version, first=created)
    canonical = replace_facts(conn, version.id, facts, ready.extractor_version, fresh=True)
    # an older capture than the document's latest leaves the index as it is
    if created or mark_latest(conn, document_id, version.id) == version.id:
        to_index[document_id] = IndexEntry.from_values(
            version.id, version.values, fact_facets(facts, canonical), ready.tokens
        )
    return IngestResult(ready.source, "ingested" if created else "new_version",
                        document_id, version.n, capture_id=capture_id, version_id=version.id)


def complete_index(conn: Connection) -> int:
    """Rebuild the search index if it misses a document; returns how many were indexed.

    Ingest keeps one indexed version per document, in the transaction that writes it, so a
    shortfall means the archive was written without the index: migration ``0003_search``
    creates the index empty on an archive that already holds documents, and leaves the
    indexing to today's code, here (``Archive.migrate`` calls this after upgrading).
    """
    from cunzhao.search import rebuild_index
    from cunzhao.search.tables import search_docs

    latest = conn.execute(
        select(func.count()).select_from(versions).where(versions.c.is_latest == 1)
    ).scalar_one()
    indexed = conn.execute(select(func.count()).select_from(search_docs)).scalar_one()
    return rebuild_index(conn) if indexed != latest else 0
