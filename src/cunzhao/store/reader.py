"""Read models of the archive: document lists, one document with its versions and facts."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from typing import Any

from sqlalchemy import Connection, func, select

from cunzhao.extract.model import Case, Stat
from cunzhao.parse.model import Block
from cunzhao.store.blobs import get_blob
from cunzhao.store.facts import load_facts
from cunzhao.store.filters import Filters, where_documents
from cunzhao.store.schema import blobs, captures, documents, versions
from cunzhao.store.urls import public_source


@dataclass(frozen=True)
class DocumentSummary:
    """A document in a listing: its latest version's title, dates and where it came from."""

    id: int
    url: str
    title: str
    published: str | None
    series_tag: str | None
    source_site: str | None
    collection: str | None
    versions: int
    first_seen: str  # when the archive first got the document (ISO-8601 UTC)

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def public(self) -> DocumentSummary:
        """As published: a ``file:`` URL reduced to the file name (``DocumentView.public``)."""
        return replace(self, url=public_source(self.url))


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
    """One document as ``show`` and the web present it: the content of one version (the
    latest unless asked), its provenance, every version, and the facts extracted from it."""

    id: int
    url: str
    title: str
    series_tag: str | None
    published: str | None
    captured_at: str | None
    first_seen: str
    card: dict[str, Any] | None
    original_url: str | None  # from the card
    archive_url: str | None
    encoding: str
    header_format: str
    parser_version: str
    versions: list[VersionInfo]
    blocks: list[Block]
    body: str
    stats: tuple[Stat, ...] = ()
    cases: tuple[Case, ...] = ()
    source_status: dict[str, Any] | None = None  # the latest check of the original, if any
    decode_errors: int = 0  # undecodable byte sequences the text holds as U+FFFD

    def to_json(self) -> dict[str, Any]:
        """The stable JSON object of ``cunzhao show --json`` (documented in README)."""
        return {
            **{f.name: getattr(self, f.name) for f in fields(self)},
            "versions": [v.__dict__ for v in self.versions],
            "blocks": [{"kind": b.kind, "level": b.level, "text": b.text} for b in self.blocks],
            "stats": [s.to_json() for s in self.stats],
            "cases": [c.to_json() for c in self.cases],
        }

    def public(self) -> DocumentView:
        """This view as published (web, API): each version's ``source`` and a ``file:``
        document URL reduced to the file name (:func:`~cunzhao.store.urls.public_source`);
        the operator's ``show`` prints the full paths."""
        return replace(self, url=public_source(self.url), versions=[
            replace(v, source=public_source(v.source)) for v in self.versions])


def list_documents(
    conn: Connection, filters: Filters | None = None, *, limit: int | None = None,
    offset: int = 0,
) -> list[DocumentSummary]:
    """Documents newest first (publish date, else capture day), with their latest version."""
    others = versions.alias("others")
    count = (
        select(func.count()).select_from(others)
        .where(others.c.document_id == documents.c.id).correlate(documents).scalar_subquery()
    )
    query = (
        select(documents.c.id, documents.c.url, versions.c.title, versions.c.published,
               versions.c.series_tag, versions.c.source_site, versions.c.collection,
               count.label("n"), documents.c.first_seen)
        .join(versions, versions.c.document_id == documents.c.id)
        .where(versions.c.is_latest == 1)
    )
    query = where_documents(query, versions, filters or Filters())
    # Undated pages sort by their capture day; the listing still shows no publish date.
    day = func.coalesce(versions.c.published, func.substr(versions.c.captured_at, 1, 10))
    query = query.order_by(day.desc().nulls_last(), documents.c.id.desc()).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    return [DocumentSummary(r.id, r.url, r.title, r.published, r.series_tag, r.source_site,
                            r.collection, r.n, r.first_seen) for r in conn.execute(query)]


def count_documents(conn: Connection, filters: Filters | None = None) -> int:
    """How many documents ``filters`` selects."""
    query = select(versions.c.document_id).where(versions.c.is_latest == 1)
    query = where_documents(query, versions, filters or Filters())
    return int(conn.execute(select(func.count()).select_from(query.subquery())).scalar_one())


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


def document_view(conn: Connection, document_id: int, version_n: int | None = None) -> DocumentView:
    """The document with the content of version ``version_n`` (default: the latest)."""
    doc = conn.execute(select(documents).where(documents.c.id == document_id)).one()
    query = select(versions).where(versions.c.document_id == document_id)
    query = query.where(versions.c.n == version_n) if version_n else query.where(versions.c.is_latest == 1)
    v = conn.execute(query).one_or_none()
    if v is None:
        raise LookupError(f"document {document_id} has no version {version_n}")
    facts = load_facts(conn, [v.id])[v.id]
    card = json.loads(v.card) if v.card else None
    return DocumentView(
        id=doc.id, url=doc.url, title=v.title, series_tag=v.series_tag, published=v.published,
        captured_at=v.captured_at, first_seen=doc.first_seen, card=card,
        original_url=card.get("original_url") if card else None,
        archive_url=card.get("archive_url") if card else None,
        encoding=v.encoding, header_format=v.header_format, parser_version=v.parser_version,
        versions=version_infos(conn, document_id),
        blocks=[Block(kind, text, level) for kind, level, text in json.loads(v.blocks)],
        body=v.body, stats=facts.stats, cases=facts.cases, decode_errors=v.decode_errors,
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
