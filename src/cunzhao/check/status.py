"""Read the check history: which documents are gone at their source, and since when."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from cunzhao.store.link_checks import ALIVE
from cunzhao.store.schema import documents, link_checks, versions


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
    the first check of the current run of "gone" answers (errors in between do not break a
    run; None unless gone now).
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
    history: tuple[CheckRow, ...]

    @property
    def gone(self) -> bool:
        """Gone at the latest check that could tell (a later error does not revive it)."""
        return self.first_gone is not None


@dataclass(frozen=True)
class GoneDocument:
    document_id: int
    document_url: str
    url: str  # the original that is gone
    title: str | None
    first_gone: str
    last_alive: str | None
    detail: str | None


def link_status(engine: Engine, document_id: int) -> LinkStatus | None:
    """The check history of one document, or None if it was never checked."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(link_checks)
            .where(link_checks.c.document_id == document_id)
            .order_by(link_checks.c.checked_at, link_checks.c.id)
        ).all()
    if not rows:
        return None
    history = tuple(
        CheckRow(r.checked_at, r.url, r.outcome, r.http_status, r.final_url, r.detail) for r in rows
    )
    latest = history[-1]
    alive = [r.checked_at for r in history if r.outcome in ALIVE]
    decisive = [r for r in history if r.outcome != "error"]  # an error says nothing either way
    first_gone = _first_gone(decisive) if decisive and decisive[-1].outcome == "gone" else None
    return LinkStatus(
        document_id=document_id,
        url=latest.url,
        outcome=latest.outcome,
        checked_at=latest.checked_at,
        http_status=latest.http_status,
        final_url=latest.final_url,
        detail=latest.detail,
        last_alive=alive[-1] if alive else None,
        first_gone=first_gone,
        history=history,
    )


def gone_documents(engine: Engine) -> list[GoneDocument]:
    """Documents whose original answered "gone" at the latest check (errors skipped over),
    first gone first."""
    gone_ever = select(link_checks.c.document_id).where(link_checks.c.outcome == "gone")
    query = (
        select(documents.c.id, documents.c.url, versions.c.title)
        .join(versions, versions.c.document_id == documents.c.id)
        .where(versions.c.is_latest == 1, documents.c.id.in_(gone_ever))
        .order_by(documents.c.id)
    )
    with engine.connect() as conn:
        candidates = conn.execute(query).all()
    found = []
    for document_id, document_url, title in candidates:
        status = link_status(engine, document_id)
        if status is None or status.first_gone is None:
            continue
        last = next(r for r in reversed(status.history) if r.outcome == "gone")
        found.append(
            GoneDocument(
                document_id=document_id,
                document_url=document_url,
                url=last.url,
                title=title,
                first_gone=status.first_gone,
                last_alive=status.last_alive,
                detail=last.detail,
            )
        )
    return sorted(found, key=lambda g: (g.first_gone, g.document_id))


def _first_gone(decisive: list[CheckRow]) -> str:
    first = decisive[-1].checked_at
    for row in reversed(decisive):
        if row.outcome != "gone":
            break
        first = row.checked_at
    return first
