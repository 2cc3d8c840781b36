"""What the index holds for one version: its text, filter columns and facet values.

Ingest builds an :class:`IndexEntry` from what it has just written (no reads back);
reindexing builds entries from the stored rows with :func:`entries_for_versions`, a few
queries per batch of versions. Both give the same entry for the same version.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from cunzhao.store.schema import case_targets, cases, stats, versions

if TYPE_CHECKING:
    from cunzhao.extract.model import Facts

__all__ = ["IndexEntry", "entries_for_versions", "fact_facets"]

Facet = tuple[str, str]

_COLUMNS = (
    versions.c.id,
    versions.c.document_id,
    versions.c.title,
    versions.c.body,
    versions.c.body_folded,
    versions.c.published,
    versions.c.series_tag,
    versions.c.source_site,
    versions.c.collection,
)


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One version as the index sees it; ``fact_facets`` are its action/target/category values."""

    version_id: int
    document_id: int
    title: str
    body: str
    body_folded: str | None
    published: str | None
    series_tag: str | None
    source_site: str | None
    collection: str | None
    fact_facets: frozenset[Facet]

    @classmethod
    def from_values(
        cls, version_id: int, values: Mapping[str, Any], fact_facets: Iterable[Facet]
    ) -> IndexEntry:
        """From a ``versions`` row (or the values just inserted as one)."""
        return cls(
            version_id, values["document_id"], values["title"] or "", values["body"] or "",
            values["body_folded"], values["published"], values["series_tag"],
            values["source_site"], values["collection"], frozenset(fact_facets),
        )

    def facets(self) -> list[Facet]:
        """Every (facet, value) of this version, sorted: year, tag, source, collection, facts."""
        values = set(self.fact_facets)
        if self.published:
            values.add(("year", self.published[:4]))
        for facet, value in (
            ("tag", self.series_tag),
            ("source", self.source_site),
            ("collection", self.collection),
        ):
            if value:
                values.add((facet, value))
        return sorted(values)


def fact_facets(facts: Facts) -> set[Facet]:
    """The facet values that extracted facts give: actions, targets, categories."""
    values = {("action", s.action) for s in facts.stats}
    for case in facts.cases:
        values.update(("action", m) for m in case.measures)
        values.update(("category", c) for c in case.categories)
        values.update(("target", t) for t in case.targets)
    return values


def entries_for_versions(conn: Connection, version_ids: Sequence[int]) -> list[IndexEntry]:
    """Entries for stored versions (in the order given), their facets read from stored facts."""
    ids = list(version_ids)
    facets: dict[int, set[Facet]] = defaultdict(set)
    for vid, action in conn.execute(
        select(stats.c.version_id, stats.c.action).where(stats.c.version_id.in_(ids))
    ):
        facets[vid].add(("action", action))
    for vid, measures, categories in conn.execute(
        select(cases.c.version_id, cases.c.measures, cases.c.categories)
        .where(cases.c.version_id.in_(ids))
    ):
        facets[vid].update(("action", str(m)) for m in json.loads(measures or "[]"))
        facets[vid].update(("category", str(c)) for c in json.loads(categories or "[]"))
    for vid, name in conn.execute(
        select(cases.c.version_id, case_targets.c.name)
        .join(cases, cases.c.id == case_targets.c.case_id)
        .where(cases.c.version_id.in_(ids))
    ):
        facets[vid].add(("target", name))
    rows = {
        row.id: dict(row._mapping)
        for row in conn.execute(select(*_COLUMNS).where(versions.c.id.in_(ids)))
    }
    return [IndexEntry.from_values(vid, rows[vid], facets[vid]) for vid in ids if vid in rows]
