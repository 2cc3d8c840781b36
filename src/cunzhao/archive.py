"""The library facade: ``Archive.open(location)`` → ingest, list, show, raw.

The CLI and the web app call this class and nothing below it. Each capture lands whole or
not at all: captures are committed in batches, and a batch in which anything fails is rolled
back and replayed one capture per transaction.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Self

from sqlalchemy import Connection, Engine, func, select

from cunzhao import __version__
from cunzhao.capture.model import Capture, CaptureError, Skipped
from cunzhao.store.blobs import has_blob, put_blob, sha256_hex
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
from cunzhao.store.urls import canonical_url, file_url
from cunzhao.store.writer import (
    add_capture,
    add_version,
    document_for,
    mark_latest,
    replace_facts,
)

if TYPE_CHECKING:
    from cunzhao.check.status import GoneDocument

Outcome = Literal["ingested", "new_version", "unchanged", "stored", "skipped", "failed"]


@dataclass(frozen=True)
class IngestResult:
    """What happened to one source: ``stored`` is a raw capture kept but not parsed (non-HTML)."""

    source: str
    outcome: Outcome
    document_id: int | None = None
    version_n: int | None = None
    error: str | None = None


@dataclass
class IngestSummary:
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[IngestResult] = field(default_factory=list)

    def add(self, result: IngestResult) -> None:
        self.counts[result.outcome] = self.counts.get(result.outcome, 0) + 1
        if result.outcome == "failed":
            self.failures.append(result)

    @property
    def failed(self) -> int:
        return self.counts.get("failed", 0)


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
            for item in _iter_sources(paths):
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
                return [self._write_item(conn, item) for item in batch]
        except Exception:  # noqa: BLE001 — replayed one by one below, where it is reported
            return [self._write_alone(conn, item) for item in batch]

    def _write_alone(self, conn: Connection, item: Capture | Skipped | CaptureError) -> IngestResult:
        try:
            with conn.begin():
                return self._write_item(conn, item)
        except Exception as error:  # noqa: BLE001 — one bad capture must not stop the batch
            return IngestResult(item.source, "failed", error=f"{type(error).__name__}: {error}")

    def _write_item(self, conn: Connection, item: Capture | Skipped | CaptureError) -> IngestResult:
        if isinstance(item, Skipped):
            return IngestResult(item.source, "skipped", error=item.reason)
        if isinstance(item, CaptureError):
            return IngestResult(item.source, "failed", error=item.reason)
        return self._write_capture(conn, item)

    def _write_capture(self, conn: Connection, capture: Capture) -> IngestResult:
        from cunzhao.parse import PARSER_VERSION, ParseError, parse_capture

        sha = sha256_hex(capture.data)
        if has_blob(conn, sha):
            return IngestResult(capture.source, "unchanged")
        now = _now()
        if not _is_html(capture):
            put_blob(conn, capture.data, sha)
            add_capture(conn, capture, sha, ingested_at=now, tool_version=__version__,
                        captured_at=capture.captured_at)
            return IngestResult(capture.source, "stored")
        try:
            page = parse_capture(capture)
        except ParseError as error:
            return IngestResult(capture.source, "failed", error=error.reason)
        url = canonical_url(page.url) if page.url else file_url(capture.source)
        put_blob(conn, capture.data, sha)
        capture_id = add_capture(conn, capture, sha, ingested_at=now,
                                 tool_version=__version__, captured_at=page.captured_at)
        document_id, created = document_for(conn, url, now=now)
        version_id, n = add_version(conn, document_id, capture_id, page,
                                    parser_version=PARSER_VERSION, first=created)
        self._extract_into(conn, version_id, page.body, page.published)
        if created or mark_latest(conn, document_id, version_id) == version_id:
            self._index(conn, version_id)  # an older capture leaves the index as is
        return IngestResult(capture.source, "ingested" if created else "new_version",
                            document_id, n)

    @staticmethod
    def _extract_into(conn: Connection, version_id: int, body: str, published: date | None) -> None:
        from cunzhao.extract import EXTRACTOR_VERSION, extract

        replace_facts(conn, version_id, extract(body, published), EXTRACTOR_VERSION, fresh=True)

    @staticmethod
    def _index(conn: Connection, version_id: int) -> None:
        from cunzhao.search import index_version

        index_version(conn, version_id)

    def reextract(
        self, on_progress: Callable[[int], None] | None = None, batch: int = 200
    ) -> dict[str, int]:
        """Re-run extraction over every version (after a lexicon change), batch by batch."""
        from cunzhao.extract import EXTRACTOR_VERSION, extract

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
                for row in rows.all():
                    published = date.fromisoformat(row.published) if row.published else None
                    facts = extract(row.body, published)
                    replace_facts(conn, row.id, facts, EXTRACTOR_VERSION)
                    if row.is_latest:  # the index's fact facets (action, target …) follow
                        self._index(conn, row.id)
                    totals["versions"] += 1
                    totals["stats"] += len(facts.stats)
                    totals["cases"] += len(facts.cases)
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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _is_html(capture: Capture) -> bool:
    """Files are pages by construction; containers (WARC, HTTP) say so in their content type
    (``text/markdown`` is a wrapped page, as cunzhao's own WARC export labels them)."""
    if capture.source_kind == "file" or capture.content_type is None:
        return True
    kind = capture.content_type.lower()
    return "html" in kind or "markdown" in kind


def _iter_sources(paths: Iterable[Path]) -> Iterator[Capture | Skipped | CaptureError]:
    from cunzhao.capture.files import is_warc, iter_file_captures

    for item in iter_file_captures(paths):
        if isinstance(item, Skipped) and is_warc(Path(item.source)):
            from cunzhao.capture.warc import iter_warc_captures

            yield from iter_warc_captures(Path(item.source))
        else:
            yield item
