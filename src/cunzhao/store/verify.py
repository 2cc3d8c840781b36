"""The archive's fsck, store half: do the stored rows still say what their bytes say?

- every blob: decompressed, re-hashed, its size compared (``blob <sha256>``);
- every document: exactly one latest version, and the one the rule picks (latest capture
  time; one without a capture time ranks below those with one; between equals, the later
  version — ``store.writer.mark_latest``);
- every version (unless ``quick``): its capture's bytes parsed again, title, body and blocks
  compared with the stored ones, and ``body_folded`` with the folded body. A version written
  by another parser version is counted, not compared.

Each problem names what, which id and why; the caller's connection is one snapshot, so a
verify that runs beside an ingest sees the archive as it was when it began. The search
index is checked by ``cunzhao.search.verify``.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import groupby
from typing import Any

from sqlalchemy import Connection, select

from cunzhao.capture.model import Capture
from cunzhao.digest import sha256_hex
from cunzhao.fold import fold
from cunzhao.parse import PARSER_VERSION, ParseError, parse_capture
from cunzhao.store.blobs import unpack
from cunzhao.store.rowdiff import table_rows
from cunzhao.store.schema import blobs, captures, documents, versions

__all__ = ["OnProgress", "VerifyProblem", "VerifyReport", "verify_store"]

OnProgress = Callable[[str, int], None]  # (what is being checked, how many so far)


@dataclass(frozen=True)
class VerifyProblem:
    """One thing found wrong: ``what`` (blob, document, version, index), ``id``, ``why``."""

    what: str
    id: str
    why: str

    def __str__(self) -> str:
        return f"{self.what} {self.id}: {self.why}"


@dataclass
class VerifyReport:
    """Everything ``verify`` found, and how many of each thing it checked."""

    problems: list[VerifyProblem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, what: str, n: int = 1) -> None:
        self.checked[what] = self.checked.get(what, 0) + n


def verify_store(
    conn: Connection, report: VerifyReport, *, quick: bool = False,
    on_progress: OnProgress | None = None,
) -> VerifyReport:
    """Check blobs, latest flags and (unless ``quick``) every version against its blob."""
    corrupt = set()
    for problem in _blob_problems(conn, report, on_progress):
        report.problems.append(problem)
        corrupt.add(problem.id)
    report.problems.extend(_latest_problems(conn, report))
    if not quick:
        report.problems.extend(_version_problems(conn, report, corrupt, on_progress))
    return report


def _blob_problems(
    conn: Connection, report: VerifyReport, on_progress: OnProgress | None
) -> Iterator[VerifyProblem]:
    for row in table_rows(conn, blobs, batch=50):
        why = _blob_fault(row.sha256, row.size, row.compression, row.data)
        if why:
            yield VerifyProblem("blob", row.sha256, why)
        report.count("blobs")
        if on_progress:
            on_progress("blobs", report.checked["blobs"])


def _blob_fault(sha256: str, size: int, compression: str, data: bytes) -> str | None:
    try:
        original = unpack(compression, data)
    except (ValueError, zlib.error) as exc:
        return f"cannot be read back ({compression}: {exc})"
    actual = sha256_hex(original)
    if actual != sha256:
        return f"its bytes hash to {actual}: they are not the bytes it was stored with"
    if len(original) != size:
        return f"holds {len(original)} bytes, its row says {size}"
    return None


def _latest_problems(conn: Connection, report: VerifyReport) -> Iterator[VerifyProblem]:
    rows = conn.execute(
        select(documents.c.id, versions.c.id.label("version_id"), versions.c.n,
               versions.c.captured_at, versions.c.is_latest)
        .outerjoin(versions, versions.c.document_id == documents.c.id)
        .order_by(documents.c.id, versions.c.n)
    )
    for document_id, group in groupby(rows, key=lambda r: r.id):
        found = [r for r in group if r.version_id is not None]
        report.count("documents")
        if not found:
            yield VerifyProblem("document", str(document_id), "has no version")
            continue
        flagged = [r.version_id for r in found if r.is_latest == 1]
        stray = [r.version_id for r in found if r.is_latest not in (0, 1)]
        expected = max(found, key=lambda r: (r.captured_at is not None, r.captured_at or "", r.n))
        if stray:
            yield VerifyProblem("document", str(document_id),
                                f"versions {_ids(stray)} have is_latest neither 0 nor 1")
        if len(flagged) != 1:
            yield VerifyProblem("document", str(document_id),
                                f"{len(flagged)} versions are marked latest ({_ids(flagged)}), "
                                f"not one (version {expected.version_id} should be)")
        elif flagged[0] != expected.version_id:
            yield VerifyProblem("document", str(document_id),
                                f"version {flagged[0]} is marked latest, but version "
                                f"{expected.version_id} has the latest capture")


def _ids(ids: list[int]) -> str:
    return ", ".join(map(str, ids)) or "none"


_VERSIONS = select(
    versions.c.id, versions.c.title, versions.c.body, versions.c.body_folded, versions.c.blocks,
    versions.c.parser_version, captures.c.source, captures.c.source_kind,
    captures.c.target_url, captures.c.captured_at, captures.c.content_type,
    captures.c.http_headers, blobs.c.sha256, blobs.c.compression, blobs.c.data,
).join(captures, captures.c.id == versions.c.capture_id).join(
    blobs, blobs.c.sha256 == captures.c.sha256
).order_by(versions.c.id)


def _version_problems(
    conn: Connection, report: VerifyReport, corrupt: set[str], on_progress: OnProgress | None
) -> Iterator[VerifyProblem]:
    for row in conn.execution_options(yield_per=50).execute(_VERSIONS):
        report.count("versions")
        if on_progress:
            on_progress("versions", report.checked["versions"])
        if row.parser_version != PARSER_VERSION:
            report.count(f"versions of parser {row.parser_version}, not re-parsed")
            continue
        if row.sha256 in corrupt:
            yield VerifyProblem("version", str(row.id), f"its blob {row.sha256} is corrupt")
            continue
        why = _reparse_fault(row)
        if why:
            yield VerifyProblem("version", str(row.id), why)
        report.count("versions re-parsed")


def _reparse_fault(row: Any) -> str | None:
    captured = datetime.fromisoformat(row.captured_at) if row.captured_at else None
    capture = Capture(
        data=unpack(row.compression, row.data), source=row.source,
        source_kind=row.source_kind, target_url=row.target_url,
        captured_at=captured.astimezone(UTC) if captured else None,
        content_type=row.content_type,
        http_headers=bytes(row.http_headers) if row.http_headers is not None else None,
    )
    try:
        page = parse_capture(capture)
    except ParseError as error:
        return f"its blob {row.sha256} no longer parses: {error.reason}"
    blocks = [[b.kind, b.level, b.text] for b in page.blocks]
    stored = {"title": row.title, "body": row.body, "blocks": _json(row.blocks)}
    parsed = {"title": page.title, "body": page.body, "blocks": blocks}
    differ = [name for name in stored if stored[name] != parsed[name]]
    if differ:
        return (f"its stored {', '.join(differ)} differ from what its blob {row.sha256} parses "
                f"to ({_first_difference(stored[differ[0]], parsed[differ[0]])})")
    if row.body_folded != fold(row.body):
        return "its body_folded is not the folded body (search and extraction read it)"
    return None


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _first_difference(stored: Any, parsed: Any) -> str:
    a, b = (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)
            for x in (stored, parsed))
    pairs = enumerate(zip(a, b, strict=False))
    at = next((i for i, (x, y) in pairs if x != y), min(len(a), len(b)))
    return f"stored {a[max(0, at - 10) : at + 20]!r}, parsed {b[max(0, at - 10) : at + 20]!r}"
