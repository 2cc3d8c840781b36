"""What the archive got lately: documents by when they arrived, facts by when they were stated.

Feeds and notifications read these: a document is new when the archive first got it
(``documents.first_seen``), whatever its publish date; a stat or case is new when the
capture of the latest version stating it was ingested. Only latest versions count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Connection, or_, select

from cunzhao.extract.model import Case, Stat
from cunzhao.store.facts import load_facts
from cunzhao.store.filters import Filters, where_documents
from cunzhao.store.reader import DocumentSummary, list_documents
from cunzhao.store.schema import captures, cases, documents, stats, versions

__all__ = ["RecentFact", "recent_documents", "recent_facts"]


@dataclass(frozen=True)
class RecentFact:
    """A stat or case of a document's latest version, with the document and when the archive
    ingested that version (its capture's ``ingested_at``). The evidence is ``fact.evidence``."""

    document: DocumentSummary
    version: int  # the version's number (1, 2, …)
    ingested_at: str
    fact: Stat | Case
    position: int  # among the version's stats (or cases), in evidence order, from 0

    @property
    def kind(self) -> Literal["stat", "case"]:
        return "stat" if isinstance(self.fact, Stat) else "case"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "document": self.document.to_json(),
                "version": self.version, "ingested_at": self.ingested_at,
                "fact": self.fact.to_json(), "position": self.position}


def recent_documents(
    conn: Connection, limit: int = 50, filters: Filters | None = None
) -> list[DocumentSummary]:
    """The ``limit`` documents the archive got last (``first_seen``, newest first) that pass
    ``filters``."""
    query = (
        select(documents.c.id)
        .join(versions, versions.c.document_id == documents.c.id)
        .where(versions.c.is_latest == 1)
    )
    query = where_documents(query, versions, filters or Filters())
    query = query.order_by(documents.c.first_seen.desc(), documents.c.id.desc()).limit(limit)
    ids = list(conn.execute(query).scalars())
    if not ids:
        return []
    found = {d.id: d for d in list_documents(conn, Filters(document_ids=frozenset(ids)))}
    return [found[i] for i in ids]


def recent_facts(conn: Connection, limit: int = 50) -> list[RecentFact]:
    """The ``limit`` newest stats and cases: by their version's ingest time (newest first),
    then in reading order within a version."""
    stated = or_(versions.c.id.in_(select(stats.c.version_id)),
                 versions.c.id.in_(select(cases.c.version_id)))
    # every version chosen states at least one fact, so ``limit`` versions are enough
    rows = conn.execute(
        select(versions.c.id, versions.c.document_id, versions.c.n, captures.c.ingested_at)
        .join(captures, captures.c.id == versions.c.capture_id)
        .where(versions.c.is_latest == 1, stated)
        .order_by(captures.c.ingested_at.desc(), versions.c.id.desc())
        .limit(limit)
    ).all()
    if not rows:
        return []
    facts = load_facts(conn, [r.id for r in rows])
    docs = {d.id: d for d in list_documents(
        conn, Filters(document_ids=frozenset(r.document_id for r in rows)))}
    found: list[RecentFact] = []
    for row in rows:
        own = facts[row.id]
        numbered: list[tuple[int, Stat | Case]] = [*enumerate(own.stats), *enumerate(own.cases)]
        numbered.sort(key=lambda pair: (pair[1].start, isinstance(pair[1], Case), pair[0]))
        found += [RecentFact(docs[row.document_id], row.n, row.ingested_at, fact, position)
                  for position, fact in numbered]
    return found[:limit]
