"""Read the check history: which documents are gone at their source, and since when.

One "gone" answer is a sighting, not a verdict. A document is *called* gone only when the
current run of sightings — the "gone" answers since the last alive one, ``unreachable`` and
``error`` answers in between neither confirming nor breaking it — holds at least ``sightings``
of them, the first and the latest at least ``after`` apart (defaults: 2 sightings, 24 h).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

from sqlalchemy import Engine, Row, select

from cunzhao.store.link_checks import ALIVE, GONE
from cunzhao.store.schema import documents, link_checks, versions

GONE_SIGHTINGS = 2
"""How many "gone" answers it takes to call a page gone."""
GONE_AFTER = timedelta(hours=24)
"""How far apart the first and the latest of those answers must be."""


@dataclass(frozen=True)
class CheckRow:
    checked_at: str
    url: str
    outcome: str
    http_status: int | None
    final_url: str | None
    detail: str | None


@dataclass(frozen=True)
class LinkStatus:
    """Where a document's original stands: the latest check, and the dates researchers cite.

    ``last_alive`` is the last check that found it alive (None if never); ``first_gone`` is
    the first sighting of the current run of "gone" answers (None when there is no such run),
    ``sightings`` how many that run holds, and ``gone`` whether they confirm the deletion.
    """

    document_id: int
    url: str
    outcome: str
    checked_at: str
    http_status: int | None
    final_url: str | None
    detail: str | None
    last_alive: str | None
    first_gone: str | None
    sightings: int
    gone: bool
    history: tuple[CheckRow, ...]


@dataclass(frozen=True)
class GoneDocument:
    """A document whose original is confirmed gone."""

    document_id: int
    document_url: str
    url: str  # the original that is gone
    title: str | None
    first_gone: str  # the first sighting of the current run
    last_gone: str  # the latest sighting
    sightings: int
    last_alive: str | None
    detail: str | None


def check_rule(sightings: int, after: timedelta) -> None:
    """Raise ``ValueError`` for thresholds that cannot confirm anything."""
    if sightings < 1:
        raise ValueError(f"gone sightings must be at least 1, not {sightings}")
    if after < timedelta(0):
        raise ValueError(f"gone-after must not be negative, not {after}")


def link_status(
    engine: Engine,
    document_id: int,
    *,
    sightings: int = GONE_SIGHTINGS,
    after: timedelta = GONE_AFTER,
) -> LinkStatus | None:
    """The check history of one document, or None if it was never checked."""
    check_rule(sightings, after)
    with engine.connect() as conn:
        rows = conn.execute(
            select(link_checks)
            .where(link_checks.c.document_id == document_id)
            .order_by(link_checks.c.checked_at, link_checks.c.id)
        ).all()
    if not rows:
        return None
    return _status(document_id, [_row(r) for r in rows], sightings, after)


def gone_documents(
    engine: Engine, *, sightings: int = GONE_SIGHTINGS, after: timedelta = GONE_AFTER
) -> list[GoneDocument]:
    """Documents whose original is confirmed gone (see the module), first gone first."""
    check_rule(sightings, after)
    seen_gone = select(link_checks.c.document_id).where(link_checks.c.outcome == GONE)
    titles = (
        select(documents.c.id, documents.c.url, versions.c.title)
        .join(versions, versions.c.document_id == documents.c.id)
        .where(versions.c.is_latest == 1, documents.c.id.in_(seen_gone))
    )
    history = (
        select(link_checks)
        .where(link_checks.c.document_id.in_(seen_gone))
        .order_by(link_checks.c.document_id, link_checks.c.checked_at, link_checks.c.id)
    )
    with engine.connect() as conn:
        about = {r.id: (r.url, r.title) for r in conn.execute(titles)}
        checks = conn.execute(history).all()
    found = []
    for document_id, group in groupby(checks, key=lambda r: int(r.document_id)):
        status = _status(document_id, [_row(r) for r in group], sightings, after)
        if not status.gone or document_id not in about or status.first_gone is None:
            continue
        last = next(r for r in reversed(status.history) if r.outcome == GONE)
        document_url, title = about[document_id]
        found.append(GoneDocument(
            document_id=document_id, document_url=document_url, url=last.url, title=title,
            first_gone=status.first_gone, last_gone=last.checked_at,
            sightings=status.sightings, last_alive=status.last_alive, detail=last.detail,
        ))
    return sorted(found, key=lambda g: (g.first_gone, g.document_id))


def gone_run(history: Iterable[CheckRow]) -> list[CheckRow]:
    """The "gone" answers since the last alive one, oldest first (empty when alive since)."""
    run: list[CheckRow] = []
    for row in reversed(list(history)):
        if row.outcome in ALIVE:
            break
        if row.outcome == GONE:
            run.append(row)
    return run[::-1]


def confirmed(run: Sequence[CheckRow], sightings: int, after: timedelta) -> bool:
    """Whether a run of sightings is enough to call the page gone."""
    if len(run) < sightings or not run:
        return False
    return _parse(run[-1].checked_at) - _parse(run[0].checked_at) >= after


def _status(
    document_id: int, history: list[CheckRow], sightings: int, after: timedelta
) -> LinkStatus:
    latest = history[-1]
    alive = [r.checked_at for r in history if r.outcome in ALIVE]
    run = gone_run(history)
    return LinkStatus(
        document_id=document_id,
        url=latest.url,
        outcome=latest.outcome,
        checked_at=latest.checked_at,
        http_status=latest.http_status,
        final_url=latest.final_url,
        detail=latest.detail,
        last_alive=alive[-1] if alive else None,
        first_gone=run[0].checked_at if run else None,
        sightings=len(run),
        gone=confirmed(run, sightings, after),
        history=tuple(history),
    )


def _row(r: Row[Any]) -> CheckRow:
    return CheckRow(r.checked_at, r.url, r.outcome, r.http_status, r.final_url, r.detail)


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def documents_to_recheck(engine: Engine) -> list[int]:
    """Documents whose original is currently gone (one sighting or more since it was last
    alive) or unreachable at the latest check: what ``check --recheck`` asks again."""
    doubtful = select(link_checks.c.document_id).where(
        link_checks.c.outcome.in_((GONE, "unreachable"))
    )
    history = (
        select(link_checks)
        .where(link_checks.c.document_id.in_(doubtful))
        .order_by(link_checks.c.document_id, link_checks.c.checked_at, link_checks.c.id)
    )
    with engine.connect() as conn:
        checks = conn.execute(history).all()
    found = []
    for document_id, group in groupby(checks, key=lambda r: int(r.document_id)):
        rows = [_row(r) for r in group]
        if rows[-1].outcome == "unreachable" or gone_run(rows):
            found.append(document_id)
    return found
