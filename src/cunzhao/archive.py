"""The library facade: ``Archive.open(location)`` → ingest, list, show, raw.

The CLI and the web app call this class and nothing below it. Each capture lands whole or
not at all: captures are committed in batches, and a batch in which anything fails is rolled
back and replayed one capture per transaction.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Self

from sqlalchemy import Connection, Engine, func, select

from cunzhao.capture.model import Capture, CaptureError, Skipped
from cunzhao.ingest import IngestResult, IngestSummary, iter_sources, write_items
from cunzhao.store.consolidate import ConsolidatedStat, consolidated_stats
from cunzhao.store.engine import open_engine
from cunzhao.store.filters import where_published
from cunzhao.store.migrate import ensure_current, upgrade
from cunzhao.store.reader import (
    DocumentSummary,
    DocumentView,
    document_view,
    find_document_id,
    raw_bytes,
)
from cunzhao.store.schema import captures, documents, versions
from cunzhao.store.urls import canonical_url
from cunzhao.store.writer import replace_facts

if TYPE_CHECKING:
    from cunzhao.check.status import GoneDocument

__all__ = ["Archive", "IngestResult", "IngestSummary"]


class Archive:
    """An archive of captures, documents and facts in SQLite (default) or PostgreSQL."""

    def __init__(self, engine: Engine, location: str) -> None:
        self.engine = engine
        self.location = location

    @classmethod
    def open(cls, location: str | Path, *, create: bool = True) -> Archive:
        """Open (and, for a new file, create) the archive at a SQLite path or PostgreSQL URL.

        Raises ``NeedsMigration`` when the archive was written by an older schema.
        """
        engine = open_engine(location)
        ensure_current(engine, create=create)
        return cls(engine, str(location))

    @staticmethod
    def migrate(location: str | Path) -> tuple[str | None, str]:
        """Upgrade an archive's schema in place; returns (revision before, revision after)."""
        engine = open_engine(location)
        try:
            return upgrade(engine)
        finally:
            engine.dispose()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def data_dir(self) -> Path:
        """Folder for files kept beside the database (WARCs written by ``capture``)."""
        if self.engine.dialect.name == "sqlite" and self.engine.url.database:
            path = Path(self.engine.url.database)
            return path.with_name(path.name + ".data")
        return Path(os.environ.get("CUNZHAO_DATA", "cunzhao-data"))

    # --- ingest -----------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[Path],
        on_result: Callable[[IngestResult], None] | None = None,
        *,
        batch_size: int = 200,
        batch_bytes: int = 32 << 20,
    ) -> IngestSummary:
        """Ingest files and folders (recursively): pages, and WARC files record by record.

        Captures are written in batches of ``batch_size`` (or ``batch_bytes``) per transaction:
        one commit per page would spend most of the time committing. If anything in a batch
        fails, the batch is rolled back and each of its captures is written again in its own
        transaction, so a bad capture fails alone and nothing half-written remains.
        ``on_result`` hears of each capture once its batch is committed.
        """
        summary = IngestSummary()
        batch: list[Capture | Skipped | CaptureError] = []
        size = 0
        with self.engine.connect() as conn:
            for item in iter_sources(paths):
                batch.append(item)
                size += len(item.data) if isinstance(item, Capture) else 0
                if len(batch) >= batch_size or size >= batch_bytes:
                    _settle(self._write_batch(conn, batch), summary, on_result)
                    batch, size = [], 0
            _settle(self._write_batch(conn, batch), summary, on_result)
        return summary

    def ingest_capture(self, capture: Capture) -> IngestResult:
        """Preserve, parse, extract and store one capture in its own transaction."""
        with self.engine.connect() as conn:
            return self._write_alone(conn, capture)

    def _write_batch(
        self, conn: Connection, batch: list[Capture | Skipped | CaptureError]
    ) -> list[IngestResult]:
        try:
            with conn.begin():
                return write_items(conn, batch)
        except Exception:  # noqa: BLE001 — replayed one by one below, where it is reported
            return [self._write_alone(conn, item) for item in batch]

    def _write_alone(self, conn: Connection, item: Capture | Skipped | CaptureError) -> IngestResult:
        try:
            with conn.begin():
                return write_items(conn, [item])[0]
        except Exception as error:  # noqa: BLE001 — one bad capture must not stop the batch
            return IngestResult(item.source, "failed", error=f"{type(error).__name__}: {error}")

    def reextract(
        self, on_progress: Callable[[int], None] | None = None, batch: int = 200
    ) -> dict[str, int]:
        """Re-run extraction over every version (after a lexicon change), batch by batch."""
        from cunzhao.extract import EXTRACTOR_VERSION, extract
        from cunzhao.search.entries import entries_for_versions
        from cunzhao.search.indexer import index_entries

        with self.engine.connect() as conn:
            ids = list(conn.execute(select(versions.c.id).order_by(versions.c.id)).scalars())
        totals = {"versions": 0, "stats": 0, "cases": 0}
        for i in range(0, len(ids), batch):
            with self.engine.begin() as conn:
                rows = conn.execute(
                    select(versions.c.id, versions.c.body,
                           versions.c.published, versions.c.is_latest)
                    .where(versions.c.id.in_(ids[i : i + batch]))
                )
                latest = []
                for row in rows.all():
                    published = date.fromisoformat(row.published) if row.published else None
                    facts = extract(row.body, published)
                    replace_facts(conn, row.id, facts, EXTRACTOR_VERSION)
                    if row.is_latest:
                        latest.append(row.id)
                    totals["versions"] += 1
                    totals["stats"] += len(facts.stats)
                    totals["cases"] += len(facts.cases)
                # the index's fact facets (action, target …) follow
                index_entries(conn, entries_for_versions(conn, latest))
            if on_progress:
                on_progress(min(i + batch, len(ids)))
        return totals

    def consolidated_stats(
        self, *, action: str | None = None, object_: str | None = None, scope: str | None = None
    ) -> list[ConsolidatedStat]:
        """Counts reported across documents, one row per (scope, action, object, period, value)."""
        with self.engine.connect() as conn:
            return consolidated_stats(conn, action=action, object_=object_, scope=scope)

    # --- read -------------------------------------------------------------------------

    def documents(
        self, *, tag: str | None = None, since: date | None = None, until: date | None = None,
        limit: int | None = None,
    ) -> list[DocumentSummary]:
        """Documents, newest publish date (else capture date) first, with their latest title."""
        others = versions.alias("others")
        count = (
            select(func.count())
            .select_from(others)
            .where(others.c.document_id == documents.c.id)
            .correlate(documents)
            .scalar_subquery()
        )
        query = (
            select(documents.c.id, documents.c.url, versions.c.published, versions.c.series_tag,
                   versions.c.title, count.label("n"))
            .join(versions, versions.c.document_id == documents.c.id)
            .where(versions.c.is_latest == 1)
        )
        query = where_published(query, versions, tag=tag, since=since, until=until)
        # Undated pages sort by their capture day; the listing still shows no publish date.
        day = func.coalesce(versions.c.published, func.substr(versions.c.captured_at, 1, 10))
        query = query.order_by(day.desc().nulls_last(), documents.c.id.desc())
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [
                DocumentSummary(r.id, r.url, r.published, r.series_tag, r.title, r.n)
                for r in conn.execute(query)
            ]

    def document(self, ref: str | int, version: int | None = None) -> DocumentView | None:
        """A document by id or URL (its latest version unless ``version`` is given)."""
        from cunzhao.check import link_status

        with self.engine.connect() as conn:
            document_id = self._resolve(conn, ref)
            if document_id is None:
                return None
            view = document_view(conn, document_id, version)
        status = link_status(self.engine, document_id)
        if status is None:
            return view
        return replace(view, source_status={
            "url": status.url, "outcome": status.outcome, "checked_at": status.checked_at,
            "gone": status.gone, "first_gone": status.first_gone,
            "last_alive": status.last_alive, "detail": status.detail,
        })

    def gone_documents(self) -> list[GoneDocument]:
        """Documents whose original is gone at its source, with when it was last seen alive."""
        from cunzhao.check import gone_documents

        return gone_documents(self.engine)

    def raw(self, ref: str | int, version: int | None = None) -> bytes:
        """The preserved bytes of a document's version, exactly as captured."""
        with self.engine.connect() as conn:
            document_id = self._resolve(conn, ref)
            if document_id is None:
                raise LookupError(f"no document {ref!r} in this archive")
            return raw_bytes(conn, document_id, version)

    def counts(self) -> dict[str, int]:
        """How many documents, versions, captures the archive holds."""
        with self.engine.connect() as conn:
            return {
                "documents": conn.execute(select(func.count()).select_from(documents)).scalar_one(),
                "versions": conn.execute(select(func.count()).select_from(versions)).scalar_one(),
                "captures": conn.execute(select(func.count()).select_from(captures)).scalar_one(),
            }

    @staticmethod
    def _resolve(conn: Connection, ref: str | int) -> int | None:
        found = find_document_id(conn, ref)
        if found is None and isinstance(ref, str) and "://" in ref:
            found = find_document_id(conn, canonical_url(ref))
        return found


def _settle(
    results: list[IngestResult], summary: IngestSummary,
    on_result: Callable[[IngestResult], None] | None,
) -> None:
    for result in results:
        summary.add(result)
        if on_result:
            on_result(result)
