"""Read models of the archive: document lists, one document with its versions and facts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from cunzhao.store.blobs import get_blob
from cunzhao.store.schema import blobs, captures, case_targets, cases, documents, stats, versions


@dataclass(frozen=True)
class DocumentSummary:
    id: int
    url: str
    published: str | None
    series_tag: str | None
    title: str
    versions: int


@dataclass(frozen=True)
class VersionInfo:
    n: int
    version_id: int
    is_latest: bool
    sha256: str
    size: int | None
    source_kind: str
    source: str
    captured_at: str | None
    ingested_at: str
    tool_version: str
    title: str


@dataclass(frozen=True)
class DocumentView:
    """One document as ``show`` and the web page present it (its latest version's content)."""

    id: int
    url: str
    first_seen: str
    title: str
    series_tag: str | None
    published: str | None
    captured_at: str | None
    card: dict[str, Any] | None
    blocks: list[tuple[str, int, str]]
    body: str
    encoding: str
    header_format: str
    parser_version: str
    versions: list[VersionInfo]
    stats: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    source_status: dict[str, Any] | None = None  # the latest check of the original, if any

    def to_json(self) -> dict[str, Any]:
        """The stable JSON object of ``cunzhao show --json`` (documented in README)."""
        card = self.card
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "series_tag": self.series_tag,
            "published": self.published,
            "captured_at": self.captured_at,
            "first_seen": self.first_seen,
            "card": card,
            "original_url": card.get("original_url") if card else None,
            "archive_url": card.get("archive_url") if card else None,
            "encoding": self.encoding,
            "header_format": self.header_format,
            "parser_version": self.parser_version,
            "versions": [v.__dict__ for v in self.versions],
            "blocks": [{"kind": k, "level": lv, "text": t} for k, lv, t in self.blocks],
            "body": self.body,
            "stats": self.stats,
            "cases": self.cases,
            "source_status": self.source_status,
        }


def find_document_id(conn: Connection, ref: str | int) -> int | None:
    """A document id from an id (``12``) or a URL as stored."""
    if isinstance(ref, int) or str(ref).isdigit():
        found = conn.execute(select(documents.c.id).where(documents.c.id == int(ref))).scalar()
    else:
        found = conn.execute(select(documents.c.id).where(documents.c.url == str(ref))).scalar()
    return int(found) if found is not None else None


def version_infos(conn: Connection, document_id: int) -> list[VersionInfo]:
    rows = conn.execute(
        select(
            versions.c.n, versions.c.id.label("version_id"), versions.c.is_latest,
            versions.c.title, captures.c.sha256, captures.c.source_kind, captures.c.source,
            captures.c.captured_at, captures.c.ingested_at, captures.c.tool_version, blobs.c.size,
        )
        .join(captures, captures.c.id == versions.c.capture_id)
        .join(blobs, blobs.c.sha256 == captures.c.sha256)
        .where(versions.c.document_id == document_id)
        .order_by(versions.c.n)
    ).all()
    return [
        VersionInfo(
            n=r.n, version_id=r.version_id, is_latest=bool(r.is_latest), sha256=r.sha256,
            size=r.size,
            source_kind=r.source_kind, source=r.source, captured_at=r.captured_at,
            ingested_at=r.ingested_at, tool_version=r.tool_version, title=r.title,
        )
        for r in rows
    ]


def facts_of(conn: Connection, version_id: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The stats and cases extracted from one version, as JSON-ready dicts."""
    stat_rows = conn.execute(
        select(stats).where(stats.c.version_id == version_id).order_by(stats.c.ev_start)
    ).all()
    case_rows = conn.execute(
        select(cases).where(cases.c.version_id == version_id).order_by(cases.c.ev_start)
    ).all()
    names: dict[int, list[str]] = {}
    if case_rows:
        for t in conn.execute(
            select(case_targets)
            .where(case_targets.c.case_id.in_([c.id for c in case_rows]))
            .order_by(case_targets.c.case_id, case_targets.c.position)
        ):
            names.setdefault(t.case_id, []).append(t.name)
    stat_list = [
        {
            "action": s.action, "object": s.object, "value": s.value, "qualifier": s.qualifier,
            "period": {"start": s.period_start, "end": s.period_end}
            if s.period_start or s.period_end else None,
            "scope": s.scope, "evidence": s.evidence, "start": s.ev_start, "end": s.ev_end,
        }
        for s in stat_rows
    ]
    case_list = [
        {
            "targets": names.get(c.id, []), "target_kind": c.target_kind,
            "measures": json.loads(c.measures), "regulator": c.regulator, "fine_cny": c.fine_cny,
            "categories": json.loads(c.categories), "evidence": c.evidence,
            "start": c.ev_start, "end": c.ev_end,
        }
        for c in case_rows
    ]
    return stat_list, case_list


def document_view(conn: Connection, document_id: int, version_n: int | None = None) -> DocumentView:
    """The document with the content of version ``version_n`` (default: the latest)."""
    doc = conn.execute(select(documents).where(documents.c.id == document_id)).one()
    query = select(versions).where(versions.c.document_id == document_id)
    query = query.where(versions.c.n == version_n) if version_n else query.where(versions.c.is_latest == 1)
    v = conn.execute(query).one()
    stat_list, case_list = facts_of(conn, v.id)
    return DocumentView(
        id=doc.id, url=doc.url, first_seen=doc.first_seen, title=v.title,
        series_tag=v.series_tag, published=v.published, captured_at=v.captured_at,
        card=json.loads(v.card) if v.card else None,
        blocks=[(k, lv, t) for k, lv, t in json.loads(v.blocks)], body=v.body,
        encoding=v.encoding, header_format=v.header_format, parser_version=v.parser_version,
        versions=version_infos(conn, document_id), stats=stat_list, cases=case_list,
    )


def raw_bytes(conn: Connection, document_id: int, version_n: int | None = None) -> bytes:
    """The preserved bytes of a version (default: the latest), exactly as captured."""
    query = (
        select(captures.c.sha256)
        .join(versions, versions.c.capture_id == captures.c.id)
        .where(versions.c.document_id == document_id)
    )
    query = query.where(versions.c.n == version_n) if version_n else query.where(versions.c.is_latest == 1)
    sha = conn.execute(query).scalar()
    if sha is None:
        raise LookupError(f"document {document_id} has no version {version_n}")
    return get_blob(conn, sha)
