"""One batch of captures through every stage: preserve, parse, extract, store, index.

:func:`write_items` runs inside a transaction the caller owns (see ``Archive.ingest``). Each
capture's rows are written as it comes; the search index is brought up to date once, at the
end of the batch, for the documents whose latest version changed — in bulk statements, and
never for a version that a later capture in the same batch already replaced.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqlalchemy import Connection

from cunzhao import __version__
from cunzhao.capture.model import Capture, CaptureError, Skipped
from cunzhao.store.blobs import has_blob, put_blob, sha256_hex
from cunzhao.store.urls import canonical_url, file_url
from cunzhao.store.writer import add_capture, add_version, document_for, mark_latest, replace_facts

if TYPE_CHECKING:
    from cunzhao.search.entries import IndexEntry

__all__ = ["IngestResult", "IngestSummary", "Outcome", "iter_sources", "write_items"]

Outcome = Literal["ingested", "new_version", "unchanged", "stored", "skipped", "failed"]
Item = Capture | Skipped | CaptureError


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
    conn: Connection, capture: Capture, to_index: dict[int, IndexEntry]
) -> IngestResult:
    from cunzhao.extract import EXTRACTOR_VERSION, extract
    from cunzhao.parse import PARSER_VERSION, ParseError, parse_capture
    from cunzhao.search.entries import IndexEntry, fact_facets

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
    version = add_version(conn, document_id, capture_id, page,
                          parser_version=PARSER_VERSION, first=created)
    facts = extract(page.body, page.published)
    replace_facts(conn, version.id, facts, EXTRACTOR_VERSION, fresh=True)
    # an older capture than the document's latest leaves the index as it is
    if created or mark_latest(conn, document_id, version.id) == version.id:
        to_index[document_id] = IndexEntry.from_values(version.id, version.values,
                                                       fact_facets(facts))
    return IngestResult(capture.source, "ingested" if created else "new_version",
                        document_id, version.n)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _is_html(capture: Capture) -> bool:
    """Files are pages by construction; containers (WARC, HTTP) say so in their content type
    (``text/markdown`` is a wrapped page, as cunzhao's own WARC export labels them)."""
    if capture.source_kind == "file" or capture.content_type is None:
        return True
    kind = capture.content_type.lower()
    return "html" in kind or "markdown" in kind


def iter_sources(paths: Iterable[Path]) -> Iterator[Item]:
    """Every capture under ``paths``: files as pages, WARC files record by record."""
    from cunzhao.capture.files import is_warc, iter_file_captures

    for item in iter_file_captures(paths):
        if isinstance(item, Skipped) and is_warc(Path(item.source)):
            from cunzhao.capture.warc import iter_warc_captures

            yield from iter_warc_captures(Path(item.source))
        else:
            yield item
