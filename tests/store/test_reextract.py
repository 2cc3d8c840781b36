"""`reextract` replaces every version's facts and keeps the search facets in step."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, func, select

from cunzhao import Filters
from cunzhao.archive import Archive
from cunzhao.search import index_version
from cunzhao.store.schema import case_targets, cases, stats, versions


def test_reextract_restores_facts_and_their_facets(archive_location: str, seed_path: Path) -> None:
    with Archive.open(archive_location) as archive:
        archive.ingest([seed_path])
        before = archive.document(1)
        assert before is not None and len(before.stats) == 6
        with archive.engine.begin() as conn:  # as if an older extractor had found nothing
            conn.execute(delete(case_targets))
            conn.execute(delete(cases))
            conn.execute(delete(stats))
            index_version(conn, conn.execute(select(versions.c.id)).scalar_one())
        baidu = Filters(target="百度")
        assert archive.search("", baidu).total == 0

        totals = archive.reextract()
        assert totals == {"versions": 1, "stats": 6, "cases": len(before.cases)}
        after = archive.document(1)
        assert after is not None and (after.stats, after.cases) == (before.stats, before.cases)
        assert archive.search("", baidu).total == 1
        assert archive.search("约谈", Filters(action="summon")).total == 1
        again = archive.reextract()  # idempotent: facts replaced, not added
        assert again == totals
        with archive.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(stats)).scalar_one() == 6
