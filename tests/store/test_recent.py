"""``Archive.recent_documents`` and ``recent_facts``: what the archive got last, on both
backends — by arrival in the archive, not by publish date."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select, update

from cunzhao import Archive, Case, Filters, RecentFact, Stat
from cunzhao.store.schema import captures, documents, versions
from testenv import EXAMPLES


@pytest.fixture
def archive(archive_location: str) -> Iterator[Archive]:
    """The examples, with arrival times set so that the oldest publication arrived last."""
    with Archive.open(archive_location) as opened:
        assert opened.ingest([EXAMPLES]).failed == 0
        with opened.engine.begin() as conn:
            for day, doc in enumerate(opened.documents(), 10):  # newest published first
                conn.execute(update(documents).where(documents.c.id == doc.id)
                             .values(first_seen=f"2025-01-{day}T08:00:00Z"))
            ids = conn.execute(select(versions.c.id, versions.c.capture_id)
                               .order_by(versions.c.id)).all()
            for hour, (_, capture_id) in enumerate(reversed(ids)):  # first version newest
                conn.execute(update(captures).where(captures.c.id == capture_id)
                             .values(ingested_at=f"2025-02-01T{hour:02d}:00:00Z"))
        yield opened


def test_documents_come_newest_in_the_archive_first(archive: Archive) -> None:
    by_publish = archive.documents()
    recent = archive.recent_documents()
    assert [d.id for d in recent] == [d.id for d in reversed(by_publish)]
    assert [d.first_seen for d in recent] == sorted((d.first_seen for d in recent), reverse=True)
    assert {d.id: d for d in by_publish} == {d.id: d for d in recent}  # the same records
    assert [d.id for d in archive.recent_documents(3)] == [d.id for d in recent[:3]]


def test_document_filters_apply(archive: Archive) -> None:
    tagged = archive.recent_documents(filters=Filters(tag="立此存照"))
    assert tagged and all(d.series_tag == "立此存照" for d in tagged)
    assert [d.id for d in tagged] == [d.id for d in archive.recent_documents()
                                      if d.series_tag == "立此存照"]
    assert archive.recent_documents(filters=Filters(tag="no such tag")) == []


def _expected(archive: Archive) -> list[tuple[int, str, int]]:
    """(document, kind, position) of every fact of a latest version: versions by ingest time,
    newest first; facts in reading order, a stat before a case at the same offset."""
    with archive.engine.connect() as conn:
        order = conn.execute(
            select(versions.c.document_id).join(captures, captures.c.id == versions.c.capture_id)
            .where(versions.c.is_latest == 1).order_by(captures.c.ingested_at.desc())
        ).scalars().all()
    expected = []
    for doc_id in order:
        view = archive.document(doc_id)
        assert view is not None
        numbered = [(s.start, 0, "stat", i) for i, s in enumerate(view.stats)] + \
                   [(c.start, 1, "case", i) for i, c in enumerate(view.cases)]
        expected += [(doc_id, kind, i) for _, _, kind, i in sorted(numbered)]
    return expected


def test_facts_come_by_ingest_time_of_their_latest_version(archive: Archive) -> None:
    found = archive.recent_facts(limit=1000)
    assert [(f.document.id, f.kind, f.position) for f in found] == _expected(archive)
    assert len(found) >= 10
    assert [f.ingested_at for f in found] == sorted((f.ingested_at for f in found), reverse=True)
    for fact in found:
        view = archive.document(fact.document.id)
        assert view is not None
        assert fact.version == next(v.n for v in view.versions if v.is_latest)
        stated = view.stats if fact.kind == "stat" else view.cases
        assert stated[fact.position] == fact.fact
        assert isinstance(fact.fact, Stat if fact.kind == "stat" else Case)
        assert view.body[fact.fact.start:fact.fact.end] == fact.fact.evidence
        assert fact.document.title == view.title and fact.document.url == view.url
    assert archive.recent_facts(limit=5) == found[:5]


def test_a_superseded_version_states_nothing_new(archive: Archive) -> None:
    multi = [d for d in archive.documents() if d.versions > 1]
    assert multi, "examples/ holds a document with two versions"
    found = archive.recent_facts(limit=1000)
    for doc in multi:
        assert {f.version for f in found if f.document.id == doc.id} <= {doc.versions}


def test_record_json(archive: Archive) -> None:
    fact: RecentFact = archive.recent_facts(limit=1)[0]
    out = fact.to_json()
    assert out["kind"] == fact.kind and out["fact"] == fact.fact.to_json()
    assert out["document"]["first_seen"] == fact.document.first_seen


def test_an_empty_archive_has_nothing_recent(archive_location: str) -> None:
    with Archive.open(archive_location) as empty:
        assert empty.recent_documents() == [] and empty.recent_facts() == []
