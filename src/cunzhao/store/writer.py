"""Writes of one ingest: capture row, document, version, facts — all on one connection.

The caller owns the transaction; every function here only adds rows to it.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Connection, CursorResult, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from cunzhao.capture.model import Capture
from cunzhao.clock import utc_iso
from cunzhao.fold import fold
from cunzhao.parse.model import Page
from cunzhao.store.entities.resolve import resolve_facts
from cunzhao.store.entities.sync import ensure_seeded
from cunzhao.store.schema import captures, case_targets, cases, documents, stats, versions
from cunzhao.store.urls import site_of

if TYPE_CHECKING:
    from cunzhao.extract.model import Facts


_INSERT_CAPTURE = insert(captures)
_INSERT_VERSION = insert(versions)
# A writer holds its document's row until it commits (PostgreSQL ``FOR NO KEY UPDATE``,
# which foreign-key checks do not wait for): a concurrent writer of the same URL waits, then
# numbers its version after this one's. SQLite has no row locks and needs none: its writers
# take turns (``BEGIN IMMEDIATE``).
_SELECT_DOCUMENT = (
    select(documents.c.id).where(documents.c.url == bindparam("url"))
    .with_for_update(key_share=True)
)
_INSERT_DOCUMENT = {
    "sqlite": sqlite.insert(documents).on_conflict_do_nothing(index_elements=["url"])
    .returning(documents.c.id),
    "postgresql": postgresql.insert(documents).on_conflict_do_nothing(index_elements=["url"])
    .returning(documents.c.id),
}
_SELECT_LAST_N = select(func.max(versions.c.n)).where(
    versions.c.document_id == bindparam("document_id")
)
_SELECT_LATEST_CANDIDATES = select(
    versions.c.id, versions.c.captured_at, versions.c.n, versions.c.is_latest
).where(
    (versions.c.document_id == bindparam("document_id"))
    & ((versions.c.is_latest == 1) | (versions.c.id == bindparam("version_id")))
)
_SET_LATEST = (
    update(versions).where(versions.c.id == bindparam("vid")).values(is_latest=bindparam("flag"))
)


def add_capture(
    conn: Connection, capture: Capture, sha256: str, *, ingested_at: str, tool_version: str,
    captured_at: datetime | None,
) -> int:
    result = conn.execute(
        _INSERT_CAPTURE,
        {
            "sha256": sha256,
            "source_kind": capture.source_kind,
            "source": capture.source,
            "target_url": capture.target_url,
            "captured_at": utc_iso(captured_at) if captured_at else None,
            "ingested_at": ingested_at,
            "tool_version": tool_version,
            "content_type": capture.content_type,
            "http_headers": capture.http_headers,
        },
    )
    return _new_id(result)


def document_for(conn: Connection, url: str, *, now: str) -> tuple[int, bool]:
    """The id of the document at ``url``, creating it if new; and whether it was created.

    The row stays locked until the transaction ends. Two writers creating the same document
    at once: the second's insert waits for the first to commit, does nothing, and the second
    then finds (and locks) the first's row — one document per URL, and no failure.
    """
    found = conn.execute(_SELECT_DOCUMENT, {"url": url}).scalar()
    if found is None:
        created = conn.execute(
            _INSERT_DOCUMENT[conn.dialect.name], {"url": url, "first_seen": now}
        ).scalar()
        if created is not None:
            return int(created), True
        found = conn.execute(_SELECT_DOCUMENT, {"url": url}).scalar_one()
    return int(found), False


class AddedVersion(NamedTuple):
    """A version just written: its id, its number and the column values it was given."""

    id: int
    n: int
    values: dict[str, Any]


def add_version(
    conn: Connection, document_id: int, capture_id: int, page: Page, *, parser_version: str,
    first: bool, body_folded: str | None = None,
) -> AddedVersion:
    """Add the next version of a document.

    The ``first`` version of a new document is its latest; later ones go through
    ``mark_latest``. ``body_folded`` is ``fold(page.body)`` when the caller has it (ingest
    folds each body once, for this row and for extraction); else it is folded here.
    """
    last = None if first else conn.execute(_SELECT_LAST_N, {"document_id": document_id}).scalar()
    n = int(last or 0) + 1
    card = page.card
    body = page.body
    original = card.original_url if card and card.original_url else page.url
    values: dict[str, Any] = {
        "document_id": document_id,
        "capture_id": capture_id,
        "n": n,
        "is_latest": int(first),
        "title": page.title,
        "series_tag": page.series_tag,
        "url": page.url,
        "captured_at": utc_iso(page.captured_at) if page.captured_at else None,
        "published": page.published.isoformat() if page.published else None,
        "body": body,
        "body_folded": fold(body) if body_folded is None else body_folded,
        "blocks": json.dumps(
            [[b.kind, b.level, b.text] for b in page.blocks], ensure_ascii=False
        ),
        "card": json.dumps(asdict(card), ensure_ascii=False, default=str) if card else None,
        "source_site": site_of(original),
        "collection": card.collection if card and card.collection else None,
        "encoding": page.encoding,
        "header_format": page.header_format,
        "parser_version": parser_version,
        "decode_errors": page.decode_errors,
    }
    return AddedVersion(_new_id(conn.execute(_INSERT_VERSION, values)), n, values)


def mark_latest(conn: Connection, document_id: int, version_id: int) -> int:
    """Flag the newest capture of a document as its latest version; returns that version's id.

    Newest means the latest capture time; versions without one rank below those with one,
    and ties go to the later version number (the one just added).
    """
    rows = conn.execute(
        _SELECT_LATEST_CANDIDATES, {"document_id": document_id, "version_id": version_id}
    ).all()
    latest = max(rows, key=lambda r: (r.captured_at is not None, r.captured_at or "", r.n))
    changed = [
        {"vid": row.id, "flag": int(row.id == latest.id)}
        for row in rows
        if row.is_latest != int(row.id == latest.id)
    ]
    if changed:
        conn.execute(_SET_LATEST, changed)
    return int(latest.id)


def replace_facts(
    conn: Connection, version_id: int, facts: Facts, extractor_version: str, *, fresh: bool = False
) -> dict[str, str]:
    """Store the facts extracted from one version, replacing any earlier extraction
    (``fresh``: the version was just added and has none). Each name is stored as written
    beside the id of its entity (``store.entities``); returns each target's canonical name."""
    ensure_seeded(conn)
    named = resolve_facts(conn, facts)
    if not fresh:
        old_cases = select(cases.c.id).where(cases.c.version_id == version_id)
        conn.execute(delete(case_targets).where(case_targets.c.case_id.in_(old_cases)))
        conn.execute(delete(cases).where(cases.c.version_id == version_id))
        conn.execute(delete(stats).where(stats.c.version_id == version_id))
    if facts.stats:
        conn.execute(
            insert(stats),
            [
                {
                    "version_id": version_id,
                    "action": s.action,
                    "object": s.object,
                    "value": s.value,
                    "qualifier": s.qualifier,
                    "period_start": _date(s.period.start) if s.period else None,
                    "period_end": _date(s.period.end) if s.period else None,
                    "scope": s.scope,
                    "scope_entity_id": named[s.scope].id if s.scope in named else None,
                    "evidence": s.evidence,
                    "ev_start": s.start,
                    "ev_end": s.end,
                    "extractor_version": extractor_version,
                }
                for s in facts.stats
            ],
        )
    for found in facts.cases:
        case_id = _new_id(
            conn.execute(
                insert(cases).values(
                    version_id=version_id,
                    target_kind=found.target_kind,
                    measures=json.dumps(list(found.measures)),
                    regulator=found.regulator,
                    regulator_entity_id=(named[found.regulator].id
                                         if found.regulator in named else None),
                    fine_cny=found.fine_cny,
                    categories=json.dumps(list(found.categories)),
                    evidence=found.evidence,
                    ev_start=found.start,
                    ev_end=found.end,
                    extractor_version=extractor_version,
                )
            )
        )
        if found.targets:
            conn.execute(
                insert(case_targets),
                [
                    {"case_id": case_id, "position": i, "name": name,
                     "entity_id": named[name].id if name in named else None}
                    for i, name in enumerate(found.targets)
                ],
            )
    return {t: named[t].zh for c in facts.cases for t in c.targets if t in named}


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _new_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
