"""``Filters``: which documents (and facts) a listing, a search or an export selects.

One type for the CLI, the web, search and export. Document filters look at each document's
latest version; fact filters select documents reporting such a fact, and in the stats tables
of an export also narrow the rows to those facts.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import CompoundSelect, FromClause, Select, exists, or_, select

__all__ = ["Filters", "cases_naming", "versions_reporting", "where_documents"]

Query = TypeVar("Query", bound=Select[Any])


@dataclass(frozen=True)
class Filters:
    """Restrict what is selected. Dates are publish dates (inclusive); strings match exactly.

    ``tag`` is the series tag (立此存照), ``source`` the original's site
    (``versions.source_site``), ``collection`` the CDS收藏 hall (e.g. 公民馆),
    ``document_ids`` an explicit set of documents. ``action`` matches a stat's action or a
    case's measure (ids such as ``summon``), ``target`` a case target's name as written or
    its entity's canonical name (``Archive`` turns any alias into the latter), ``category`` a
    case category; ``object`` and ``scope`` a stat's object and scope. ``has_facts``: only
    documents whose version states a stat or case (True, the enforcement documents), or only
    those stating none (False).
    """

    tag: str | None = None
    since: date | None = None
    until: date | None = None
    source: str | None = None
    collection: str | None = None
    document_ids: frozenset[int] | None = None
    action: str | None = None
    target: str | None = None
    category: str | None = None
    object: str | None = None
    scope: str | None = None
    has_facts: bool | None = None

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))


def where_documents(
    query: Query, version: FromClause, filters: Filters, *, ids_in_sql: bool = True
) -> Query:
    """Narrow ``query`` to rows whose ``version`` (the versions table or an alias of it)
    passes every filter. ``ids_in_sql=False`` leaves ``document_ids`` to the caller (a set
    too large for one ``IN``)."""
    v = version.c
    for column, value in ((v.series_tag, filters.tag), (v.source_site, filters.source),
                          (v.collection, filters.collection)):
        if value is not None:
            query = query.where(column == value)
    if filters.since is not None:
        query = query.where(v.published >= filters.since.isoformat())
    if filters.until is not None:
        query = query.where(v.published <= filters.until.isoformat())
    if filters.document_ids is not None and ids_in_sql:
        query = query.where(v.document_id.in_(sorted(filters.document_ids)))
    for wanted in _fact_conditions(filters):
        query = query.where(v.id.in_(wanted))
    return query


def versions_reporting(filters: Filters) -> Select[Any] | None:
    """The ids of the versions with a stat of the filters' object and scope, and with (or
    without) any fact as ``has_facts`` asks (None: no such filter set)."""
    from cunzhao.store.schema import cases, stats, versions

    query = None
    if filters.object is not None or filters.scope is not None:
        query = select(stats.c.version_id)
        if filters.object is not None:
            query = query.where(stats.c.object == filters.object)
        if filters.scope is not None:
            query = query.where(stats.c.scope == filters.scope)
    if filters.has_facts is not None:
        stated = or_(exists().where(stats.c.version_id == versions.c.id),
                     exists().where(cases.c.version_id == versions.c.id))
        either = (select(versions.c.id).where(stated if filters.has_facts else ~stated)
                  .correlate(None))
        query = either if query is None else either.where(versions.c.id.in_(query))
    return query


def cases_naming(target: str) -> Select[Any]:
    """The ids of the cases naming ``target``: the name as written, or its entity's
    canonical name."""
    from cunzhao.store.schema import case_targets, entities

    canonical = select(entities.c.id).where(entities.c.zh == target)
    return select(case_targets.c.case_id).where(
        or_(case_targets.c.name == target, case_targets.c.entity_id.in_(canonical)))


def _fact_conditions(filters: Filters) -> list[Select[Any] | CompoundSelect[Any]]:
    """For each fact filter set, the ids of the versions that report such a fact."""
    from cunzhao.store.schema import cases, stats

    found: list[Select[Any] | CompoundSelect[Any]] = []
    if filters.action is not None:
        found.append(select(stats.c.version_id).where(stats.c.action == filters.action)
                     .union(select(cases.c.version_id)
                            .where(cases.c.measures.contains(f'"{filters.action}"', autoescape=True))))
    reporting = versions_reporting(filters)
    if reporting is not None:
        found.append(reporting)
    if filters.target is not None:
        found.append(select(cases.c.version_id)
                     .where(cases.c.id.in_(cases_naming(filters.target))))
    if filters.category is not None:
        found.append(select(cases.c.version_id)
                     .where(cases.c.categories.contains(f'"{filters.category}"', autoescape=True)))
    return found
