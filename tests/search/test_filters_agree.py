"""Search and the record tables select the same documents for every ``Filters`` field.

``search`` filters through its own index tables (``search_docs``, ``search_facets``);
``store.filters.where_documents`` filters the archive's own rows. Over the examples (and the
shared corpus when present), each field alone and a few combinations must select the same
set of documents both ways, on both backends, so the two implementations cannot drift.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import fields, replace
from datetime import date
from typing import Any

import pytest
from search_oracle import search_on
from sqlalchemy import Connection, select

from cunzhao.archive import Archive
from cunzhao.store.filters import Filters, where_documents
from cunzhao.store.schema import case_targets, cases, stats, versions
from testenv import EXAMPLES, fresh_pg_database, missing_shared, shared_location

ALL = 100_000
COMBINATIONS = [
    ("action", "since"),
    ("object", "scope"),
    ("tag", "target", "until"),
    ("document_ids", "category", "source"),
    ("collection", "since", "until"),
    ("has_facts", "tag", "object"),
]
FIELDS = [f.name for f in fields(Filters)]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def archive(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Archive]:
    """The examples and, when present, the shared corpus, ingested on each backend."""
    paths = [EXAMPLES] + ([] if missing_shared() else [shared_location() / "corpus"])
    with ExitStack() as stack:
        if request.param == "sqlite":
            location = str(tmp_path_factory.mktemp("filters") / "filters.db")
        else:
            location = stack.enter_context(fresh_pg_database("cz_filters"))
        found = stack.enter_context(Archive.open(location))
        assert found.ingest(paths).failed == 0
        yield found


def _most_common(values: list[Any], fallback: str = "absent") -> Any:
    counted = Counter(v for v in values if v is not None)
    return counted.most_common(1)[0][0] if counted else fallback


@pytest.fixture(scope="module")
def values(archive: Archive) -> Filters:
    """A value for every field, taken from the archive where it has one."""
    with archive.engine.connect() as conn:
        latest = conn.execute(
            select(versions.c.id, versions.c.document_id, versions.c.published,
                   versions.c.series_tag, versions.c.source_site, versions.c.collection)
            .where(versions.c.is_latest == 1).order_by(versions.c.document_id)
        ).all()
        stat_rows = conn.execute(select(stats.c.action, stats.c.object, stats.c.scope)).all()
        case_rows = conn.execute(select(cases.c.measures, cases.c.categories)).all()
        targets = list(conn.execute(select(case_targets.c.name)).scalars())
    dates = sorted(r.published for r in latest if r.published)
    middle = date.fromisoformat(dates[len(dates) // 2]) if dates else date(2020, 1, 1)
    measures = [m for r in case_rows for m in json.loads(r.measures)]
    stat_actions = {r.action for r in stat_rows}
    # an action that only a case's measures name checks the union with the stats' actions
    only_measure = [m for m in measures if m not in stat_actions]
    return Filters(
        tag=_most_common([r.series_tag for r in latest]),
        since=middle,
        until=middle,
        source=_most_common([r.source_site for r in latest]),
        collection=_most_common([r.collection for r in latest]),
        document_ids=frozenset([r.document_id for r in latest][::2] + [10**9]),
        action=_most_common(only_measure or [r.action for r in stat_rows]),
        target=_most_common(targets),
        category=_most_common([c for r in case_rows for c in json.loads(r.categories)]),
        object=_most_common([r.object for r in stat_rows]),
        scope=_most_common([r.scope for r in stat_rows]),
        has_facts=True,
    )


def by_records(conn: Connection, filters: Filters) -> set[int]:
    """The documents whose latest version ``where_documents`` selects."""
    query = select(versions.c.document_id).where(versions.c.is_latest == 1)
    return set(conn.execute(where_documents(query, versions, filters)).scalars())


def by_search(archive: Archive, filters: Filters) -> set[int]:
    results = search_on(archive.engine, "", filters, per_page=ALL, facets=False)
    assert results.total == len(results.hits)
    return {h.document_id for h in results.hits}


def only(values: Filters, *names: str) -> Filters:
    return replace(Filters(), **{n: getattr(values, n) for n in names})


@pytest.mark.parametrize("name", FIELDS)
def test_each_field_selects_what_the_record_tables_select(
    archive: Archive, values: Filters, name: str
) -> None:
    filters = only(values, name)
    with archive.engine.connect() as conn:
        expected = by_records(conn, filters)
        everything = by_records(conn, Filters())
    assert by_search(archive, filters) == expected
    if getattr(values, name) != "absent":
        assert expected, f"{name}={getattr(values, name)!r} should select some document"
    assert by_search(archive, Filters()) == everything


@pytest.mark.parametrize("names", COMBINATIONS, ids="+".join)
def test_combined_fields_select_what_the_record_tables_select(
    archive: Archive, values: Filters, names: tuple[str, ...]
) -> None:
    filters = only(values, *names)
    with archive.engine.connect() as conn:
        assert by_search(archive, filters) == by_records(conn, filters)

