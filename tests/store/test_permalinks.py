"""Permalinks of facts: every stat and case is found by its id, with its version and the other
documents reporting it; ids survive ``reextract`` and ``copy`` to the other backend."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete, select

from cunzhao import Archive, DocumentView, fact_ids
from cunzhao.search import index_version
from cunzhao.store.schema import case_targets, cases, stats, versions
from pages import restated_seed

SEED_URL = "https://chinadigitaltimes.net/chinese/704712.html"
COPY_URL = "https://example.org/mirror/704712.html"


def _ids(view: DocumentView) -> tuple[tuple[str, ...], tuple[str, ...]]:
    latest = next(v.n for v in view.versions if v.is_latest)
    return fact_ids(view, latest)


def _every_fact(archive: Archive, url: str) -> dict[str, tuple[object, ...]]:
    """id → (kind, the facts it names, document id, version n) for one document."""
    view = archive.document(url)
    assert view is not None
    found = {}
    for kind, ids in zip(("stat", "case"), _ids(view), strict=True):
        for ident in ids:
            fact = archive.fact(kind, ident)  # type: ignore[arg-type]
            assert fact is not None, (kind, ident)
            found[ident] = (kind, fact.facts, fact.document.id, fact.version.n)
    return found


@pytest.fixture
def seeded(archive_location: str, seed_path: Path, tmp_path: Path) -> str:
    with Archive.open(archive_location) as archive:
        summary = archive.ingest([seed_path, restated_seed(seed_path, tmp_path / "pages", COPY_URL)])
        assert summary.counts == {"ingested": 2}
    return archive_location


def test_each_fact_has_a_permalink_naming_its_version_and_the_other_reports(seeded: str) -> None:
    with Archive.open(seeded) as archive:
        seed, copy = archive.document(SEED_URL), archive.document(COPY_URL)
        assert seed is not None and copy is not None
        stat_ids, case_ids = _ids(seed)
        assert len(stat_ids) == len(seed.stats) == 6 and len(set(stat_ids)) == 6
        assert all(i.startswith(f"{seed.id}-1-") for i in stat_ids + case_ids)
        summons = next(i for s, i in zip(seed.stats, stat_ids, strict=True) if s.value == 10646)
        found = archive.fact("stat", summons)
        assert found is not None
        assert found.facts[0].evidence == "约谈网站10646家"
        assert found.document.id == seed.id and found.version.n == 1 and found.version.is_latest
        assert found.document.body[found.facts[0].start:found.facts[0].end] == "约谈网站10646家"
        # the restated copy reports the same figure: listed, with its own permalink
        assert [o.document_id for o in found.others] == [copy.id]
        other = archive.fact("stat", found.others[0].fact_id or "")
        assert other is not None and other.document.id == copy.id
        assert other.facts == found.facts and [o.document_id for o in other.others] == [seed.id]
        baidu = archive.fact("case", case_ids[0])
        assert baidu is not None and "百度" in baidu.facts[0].targets  # type: ignore[union-attr]
        assert [o.document_id for o in baidu.others] == [copy.id]
        # the figures of /stats carry the same permalinks
        figure = next(f for f in archive.figures() if f.value == 10646)
        assert {s.fact_id for s in figure.sources} == {summons, found.others[0].fact_id}


def test_ids_that_name_nothing(seeded: str) -> None:
    with Archive.open(seeded) as archive:
        seed = archive.document(SEED_URL)
        assert seed is not None
        stat_ids, case_ids = _ids(seed)
        assert archive.fact("case", stat_ids[0]) is None  # a count's id is no case's
        assert archive.fact("stat", case_ids[0]) is None
        doc, n, digest = stat_ids[0].split("-")
        for wrong in (f"{doc}-{n}-00000000", f"{doc}-2-{digest}", f"999-{n}-{digest}",
                      "not-an-id", f"{doc}-{n}-{digest}x", ""):
            assert archive.fact("stat", wrong) is None, wrong


def test_ids_survive_reextract_and_copy(seeded: str, request: pytest.FixtureRequest,
                                        tmp_path: Path) -> None:
    with Archive.open(seeded) as archive:
        before = _every_fact(archive, SEED_URL)
        with archive.engine.begin() as conn:  # as if an older extractor had found nothing
            for table in (case_targets, cases, stats):
                conn.execute(delete(table))
            index_version(conn, conn.execute(select(versions.c.id).limit(1)).scalar_one())
        assert all(archive.fact(kind, i) is None for i, (kind, *_) in before.items())  # type: ignore[arg-type]
        archive.reextract()  # new fact rows, new row ids: the same permalinks
        assert _every_fact(archive, SEED_URL) == before
        target = (str(tmp_path / "copy.db") if "://" in seeded
                  else str(request.getfixturevalue("pg_url")))
        archive.copy_to(target)
    with Archive.open(target, create=False) as copied:
        assert _every_fact(copied, SEED_URL) == before
