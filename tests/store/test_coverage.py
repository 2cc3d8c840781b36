"""What the archive holds (``Archive.coverage``) and the has-facts filter, on both backends
and both search engines."""

from __future__ import annotations

from pathlib import Path

import pytest

from cunzhao import Archive, Filters

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def examples(archive_location: str) -> str:
    with Archive.open(archive_location) as archive:
        assert archive.ingest([EXAMPLES]).failed == 0
    return archive_location


def test_coverage_counts_the_latest_versions(examples: str) -> None:
    with Archive.open(examples) as archive:
        cov = archive.coverage()
        listed = archive.documents()
        assert cov.documents == len(listed) == 6
        dates = sorted(d.published for d in listed if d.published)
        assert (cov.first_published, cov.last_published) == (dates[0], dates[-1])
        assert sum(n for _, n in cov.by_year) == 6
        assert dict(cov.by_year).get(None) == sum(1 for d in listed if not d.published)
        assert dict(cov.by_year)["2020"] == sum(1 for d in dates if d.startswith("2020"))
        sites = dict(cov.sources)
        assert sum(sites.values()) == 6 and sites["chinadigitaltimes.net"] >= 1
        assert [n for _, n in cov.sources] == sorted((n for _, n in cov.sources), reverse=True)
        with_facts = [d for d in listed if (v := archive.document(d.id)) and (v.stats or v.cases)]
        assert cov.with_facts == len(with_facts) >= 1
        assert cov.last_ingest is not None and cov.last_sync is None and cov.gone == 0
        assert cov.to_json()["by_year"][0] == list(cov.by_year[0])


@pytest.mark.parametrize("engine", ["tantivy", "sql"])
def test_has_facts_selects_the_enforcement_documents(examples: str, engine: str) -> None:
    with Archive.open(examples) as archive:
        if engine == "sql":
            archive.reindex(engine="sql")
        stating = {d.id for d in archive.documents()
                   if (v := archive.document(d.id)) and (v.stats or v.cases)}
        silent = {d.id for d in archive.documents()} - stating
        assert stating and silent
        for wanted, ids in ((True, stating), (False, silent)):
            only = Filters(has_facts=wanted)
            assert {d.id for d in archive.documents(only)} == ids
            assert archive.count_documents(only) == len(ids)
            found = archive.search("", only, per_page=50)
            assert {h.document_id for h in found.hits} == ids and found.total == len(ids)
        assert {h.document_id for h in archive.search("网信", Filters(has_facts=True)).hits} \
            <= stating
        summons = Filters(has_facts=True, action="summon")  # with another filter: both hold
        assert {h.document_id for h in archive.search("", summons).hits} <= stating
        assert archive.search("", Filters(has_facts=False, action="summon")).total == 0
