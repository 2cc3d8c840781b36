"""What the index holds for one version: its text, filter columns and facet values.

Ingest builds an :class:`IndexEntry` from what it has just written (no reads back);
reindexing builds entries from the stored rows with :func:`entries_for_versions`, a few
queries per batch of versions. Both give the same entry for the same version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from cunzhao.search.results import Facet
from cunzhao.search.tokenize import IndexText, first_chars, index_text
from cunzhao.store.entities.read import canonical_targets
from cunzhao.store.facts import load_facts
from cunzhao.store.schema import versions

if TYPE_CHECKING:
    from cunzhao.extract.model import Facts

__all__ = ["FacetValue", "IndexEntry", "entries_for_versions", "fact_facets"]

FacetValue = tuple[Facet, str]

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
    """One version as the index sees it; ``fact_facets`` are its action/target/category values.
    ``tokens``: its text as the engines index it when already made (a parallel ingest's
    workers tokenise), else made on demand by :meth:`index_texts` and :meth:`index_chars`."""

    version_id: int
    document_id: int
    title: str
    body: str
    body_folded: str | None
    published: str | None
    series_tag: str | None
    source_site: str | None
    collection: str | None
    fact_facets: frozenset[FacetValue]
    tokens: IndexText | None = field(default=None, compare=False)

    @classmethod
    def from_values(
        cls, version_id: int, values: Mapping[str, Any], fact_facets: Iterable[FacetValue],
        tokens: IndexText | None = None,
    ) -> IndexEntry:
        """From a ``versions`` row (or the values just inserted as one)."""
        return cls(
            version_id, values["document_id"], values["title"] or "", values["body"] or "",
            values["body_folded"], values["published"], values["series_tag"],
            values["source_site"], values["collection"], frozenset(fact_facets), tokens,
        )

    def index_texts(self) -> tuple[str, str]:
        """The title's and the body's ``index_text`` (space-joined tokens)."""
        if self.tokens is not None:
            return self.tokens.title, self.tokens.body
        return index_text(self.title), index_text(self.body, folded=self.body_folded)

    def index_chars(self) -> tuple[str, str]:
        """The title's and the body's ``first_chars``."""
        if self.tokens is not None:
            return self.tokens.title_chars, self.tokens.body_chars
        return first_chars(self.title), first_chars(self.body, folded=self.body_folded)

    def facets(self) -> list[FacetValue]:
        """Every (facet, value) of this version, sorted: year, tag, source, collection, facts."""
        values = set(self.fact_facets)
        if self.published:
            values.add(("year", self.published[:4]))
        own: tuple[tuple[Facet, str | None], ...] = (
            ("tag", self.series_tag),
            ("source", self.source_site),
            ("collection", self.collection),
        )
        for facet, value in own:
            if value:
                values.add((facet, value))
        return sorted(values)


def fact_facets(facts: Facts, canonical: Mapping[str, str] | None = None) -> set[FacetValue]:
    """The facet values that extracted facts give: actions, targets, categories. A target
    gives its name as written and, from ``canonical``, its entity's canonical name (新浪微博
    and 微博), so a target filter finds the entity under any name."""
    values: set[FacetValue] = {("action", s.action) for s in facts.stats}
    for case in facts.cases:
        values.update(("action", m) for m in case.measures)
        values.update(("category", c) for c in case.categories)
        values.update(("target", t) for t in case.targets)
        if canonical:
            values.update(("target", canonical[t]) for t in case.targets if t in canonical)
    return values


def entries_for_versions(conn: Connection, version_ids: Sequence[int]) -> list[IndexEntry]:
    """Entries for stored versions (in the order given), their facets from the stored facts."""
    ids = list(version_ids)
    facts = load_facts(conn, ids)
    canonical = canonical_targets(conn, ids)
    rows = {
        row.id: dict(row._mapping)
        for row in conn.execute(select(*_COLUMNS).where(versions.c.id.in_(ids)))
    }
    return [IndexEntry.from_values(vid, rows[vid], fact_facets(facts[vid], canonical))
            for vid in ids if vid in rows]
