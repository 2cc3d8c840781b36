"""Bring an archive's entities up to date: the seed, the entities of names first seen in
documents, the recorded edits — and the entity id of every stored name.

The entity tables are derived: :func:`sync_entities` rebuilds them from the data files
(``seed``), the stored names and the edits not undone, in that order, then re-resolves every
stored name whose entity changed. It runs when the seed's fingerprint differs from the one the
archive last loaded (a lexicon change), after every edit or undo, and after ``reextract``.
Names as written are never touched, so nothing a document said is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import (
    Column,
    Connection,
    Table,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    text,
    update,
)

from cunzhao.store.entities.resolve import LOCK_KEY, create_entities, forget, lookup
from cunzhao.store.entities.seed import alias_key, seed
from cunzhao.store.schema import (
    case_targets,
    cases,
    entities,
    entity_aliases,
    entity_edits,
    entity_seed,
    stats,
    versions,
)

__all__ = ["EntitySync", "ensure_seeded", "sync_entities"]

_EXCLUSIVE = text(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
_SEEDED = "cunzhao.entities.seeded"

# (table, name column, entity id column) of every stored name
_NAMES: tuple[tuple[Table, Column[str], Column[str]], ...] = (
    (case_targets, case_targets.c.name, case_targets.c.entity_id),
    (cases, cases.c.regulator, cases.c.regulator_entity_id),
    (stats, stats.c.scope, stats.c.scope_entity_id),
)


@dataclass
class EntitySync:
    """What a sync did: entities and aliases now held, stored names whose entity changed,
    and the latest versions whose targets' canonical names changed (their search facets
    follow: the caller re-indexes them)."""

    entities: int = 0
    aliases: int = 0
    resolved: int = 0
    versions: list[int] = field(default_factory=list)


def ensure_seeded(conn: Connection) -> None:
    """Seed an archive that has never been seeded (once per transaction, cheap otherwise)."""
    current = conn.get_transaction()
    if conn.info.get(_SEEDED) is current:
        return
    if conn.execute(select(func.count()).select_from(entity_seed)).scalar_one() == 0:
        sync_entities(conn)
    conn.info[_SEEDED] = current


def sync_entities(conn: Connection, *, force: bool = False) -> EntitySync | None:
    """Rebuild the entity tables and re-resolve the stored names; None when the seed is the
    one last loaded and nothing is ``force``d (an edit forces)."""
    if conn.dialect.name == "postgresql":
        conn.execute(_EXCLUSIVE)
    data = seed()
    loaded = conn.execute(select(entity_seed.c.fingerprint)).scalar()
    if loaded == data.fingerprint and not force:
        return None
    forget(conn)
    before = _canonical_targets(conn)
    conn.execute(delete(entity_aliases))
    conn.execute(delete(entities))
    conn.execute(insert(entities), [
        {"id": e.id, "zh": e.zh, "en": e.en, "kind": e.kind, "parent": e.parent,
         "province": e.province, "level": e.level, "source": e.source, "merged_into": None}
        for e in data.entities
    ])
    conn.execute(insert(entity_aliases), [
        {"folded": key, "name": name, "entity_id": eid, "source": source}
        for key, (name, eid, source) in data.aliases.items()
    ])
    _create_unknown(conn)
    _apply_edits(conn)
    forget(conn)
    report = EntitySync(resolved=_resolve_rows(conn))
    _collect_orphans(conn)
    conn.execute(delete(entity_seed))
    conn.execute(insert(entity_seed).values(id=1, fingerprint=data.fingerprint))
    after = _canonical_targets(conn)
    changed = [n for n in after if after[n] != before.get(n)]
    report.versions = _latest_versions_naming(conn, changed)
    report.entities = conn.execute(select(func.count()).select_from(entities)).scalar_one()
    report.aliases = conn.execute(select(func.count()).select_from(entity_aliases)).scalar_one()
    conn.info[_SEEDED] = conn.get_transaction()
    return report


def _stored_names(conn: Connection) -> dict[str, str]:
    """Every stored name, with the kind an entity of its own would get."""
    wanted: dict[str, str] = {}
    for name, kind in conn.execute(
        select(case_targets.c.name, func.min(cases.c.target_kind))
        .join(cases, cases.c.id == case_targets.c.case_id).group_by(case_targets.c.name)
    ):
        wanted[name] = "person-redacted" if kind == "person" else kind
    for _table, column, _id in _NAMES[1:]:
        for (name,) in conn.execute(select(column).where(column.is_not(None)).distinct()):
            wanted.setdefault(name, "regulator")
    return wanted


def _create_unknown(conn: Connection) -> None:
    wanted = _stored_names(conn)
    known = lookup(conn, wanted)
    new = {n: k for n, k in wanted.items() if n not in known and n.strip()}
    if new:
        create_entities(conn, new)


def _apply_edits(conn: Connection) -> None:
    """Replay the edits not undone, oldest first; an edit naming an entity that no longer
    exists is skipped."""
    present = set(conn.execute(select(entities.c.id)).scalars())
    for edit in conn.execute(select(entity_edits).where(entity_edits.c.undone_at.is_(None))
                             .order_by(entity_edits.c.id)).all():
        target = _final(conn, edit.entity_id)
        if target not in present:
            continue
        if edit.op == "alias":
            key = alias_key(edit.name)
            conn.execute(delete(entity_aliases).where(entity_aliases.c.folded == key))
            conn.execute(insert(entity_aliases).values(
                folded=key, name=edit.name, entity_id=target, source=f"edit {edit.id}"))
        elif edit.op == "merge" and edit.name in present and edit.name != target:
            conn.execute(update(entity_aliases).where(entity_aliases.c.entity_id == edit.name)
                         .values(entity_id=target))
            conn.execute(update(entities).where(
                or_(entities.c.id == edit.name, entities.c.merged_into == edit.name))
                .values(merged_into=target))
            conn.execute(update(entities).where(entities.c.parent == edit.name)
                         .values(parent=target))


def _final(conn: Connection, eid: str) -> str:
    """The entity ``eid`` was merged into, if it was (else ``eid``)."""
    seen = {eid}
    while True:
        into = conn.execute(select(entities.c.merged_into).where(entities.c.id == eid)).scalar()
        if into is None or into in seen:
            return eid
        seen.add(into)
        eid = into


def _resolve_rows(conn: Connection) -> int:
    """Set the entity id of every stored name whose resolution changed; how many names."""
    changed = 0
    for table, column, id_column in _NAMES:
        pairs = conn.execute(select(column, id_column).where(column.is_not(None)).distinct()).all()
        resolved = lookup(conn, {name for name, _ in pairs})
        updates = [{"n": name, "eid": resolved[name].id if name in resolved else None}
                   for name, eid in pairs
                   if (resolved[name].id if name in resolved else None) != eid]
        if updates:
            conn.execute(update(table).where(column == bindparam("n"))
                         .values({id_column.name: bindparam("eid")}), updates)
        changed += len(updates)
    return changed


def _collect_orphans(conn: Connection) -> None:
    """Remove entities of names no stored fact holds any more (nor an edit names), with their
    aliases."""
    used = set()
    for _table, _column, id_column in _NAMES:
        used |= set(conn.execute(select(id_column).where(id_column.is_not(None)).distinct())
                    .scalars())
    for row in conn.execute(select(entity_edits.c.name, entity_edits.c.entity_id)):
        used |= {row.name, row.entity_id}
    orphans = [eid for eid in conn.execute(
        select(entities.c.id).where(entities.c.source == "extracted",
                                    entities.c.merged_into.is_(None))).scalars()
        if eid not in used]
    for i in range(0, len(orphans), 500):
        part = orphans[i : i + 500]
        conn.execute(delete(entity_aliases).where(entity_aliases.c.entity_id.in_(part)))
        conn.execute(delete(entities).where(entities.c.id.in_(part)))


def _canonical_targets(conn: Connection) -> dict[str, str]:
    """Each stored target name and its entity's canonical name, as resolved now."""
    return dict(conn.execute(
        select(case_targets.c.name, entities.c.zh)
        .join(entities, entities.c.id == case_targets.c.entity_id).distinct()
    ).all())


def _latest_versions_naming(conn: Connection, names: list[str]) -> list[int]:
    found: set[int] = set()
    for i in range(0, len(names), 500):
        found |= set(conn.execute(
            select(cases.c.version_id)
            .join(case_targets, case_targets.c.case_id == cases.c.id)
            .join(versions, versions.c.id == cases.c.version_id)
            .where(versions.c.is_latest == 1, case_targets.c.name.in_(names[i : i + 500]))
        ).scalars())
    return sorted(found)
