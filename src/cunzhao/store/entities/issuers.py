"""Facts grouped by who issued them: the province and the level of each regulator.

A case's issuer is its regulator's entity (``cases.regulator_entity_id``), a figure's the
entity of its scope (``stats.scope_entity_id``); figures are the consolidated ones
(:func:`cunzhao.store.consolidate.figures`), so a figure many documents repeat counts once.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Literal

from sqlalchemy import Connection, func, select

from cunzhao.store.consolidate import figures
from cunzhao.store.entities.model import LEVELS, IssuerCount
from cunzhao.store.entities.read import load_entities
from cunzhao.store.entities.seed import provinces, read_rows
from cunzhao.store.schema import cases, stats, versions

__all__ = ["ISSUER_GROUPS", "IssuerGroup", "issuer_counts", "level_labels"]

IssuerGroup = Literal["province", "level"]
ISSUER_GROUPS: tuple[IssuerGroup, ...] = ("province", "level")


@cache
def level_labels() -> dict[str, tuple[str, str]]:
    """Each level's Chinese and English label (``store/data/levels.tsv``)."""
    found = {level: (zh, en) for level, zh, en in read_rows("cunzhao.store", "levels.tsv", 3)}
    assert set(found) == set(LEVELS), "levels.tsv must list every level"
    return found


def issuer_counts(conn: Connection, group: IssuerGroup) -> list[IssuerCount]:
    """Cases and figures per province (all 31, none left out) or per level, most first."""
    case_counts: Counter[str] = Counter(dict(conn.execute(
        select(cases.c.regulator_entity_id, func.count(cases.c.id))
        .join(versions, versions.c.id == cases.c.version_id)
        .where(versions.c.is_latest == 1, cases.c.regulator_entity_id.is_not(None))
        .group_by(cases.c.regulator_entity_id)
    ).all()))
    scope_ids = dict(conn.execute(
        select(stats.c.scope, stats.c.scope_entity_id)
        .where(stats.c.scope.is_not(None), stats.c.scope_entity_id.is_not(None)).distinct()
    ).all())
    figure_counts: Counter[str] = Counter(
        scope_ids[f.scope] for f in figures(conn) if f.scope in scope_ids)
    issuers = load_entities(conn, set(case_counts) | set(figure_counts))
    keyed: dict[str, list[str]] = {}
    for eid, entity in issuers.items():
        key = entity.province if group == "province" else entity.level
        if key:
            keyed.setdefault(key, []).append(eid)
    if group == "province":
        labels = {p.id: (p.full, p.en) for p in provinces()}
    else:
        labels = level_labels()
    out = []
    for key, (zh, en) in labels.items():
        ids = keyed.get(key, [])
        n_cases = sum(case_counts[i] for i in ids)
        n_figures = sum(figure_counts[i] for i in ids)
        out.append(IssuerCount(group, key, zh, en, n_cases, n_figures, len(ids),
                               n_cases + n_figures))
    out.sort(key=lambda c: -c.total)  # stable: ties keep the data file's order
    return out
