"""Recorded, reversible edits of the entities: an alias, a merge, and undoing either.

Each edit is a row of ``entity_edits`` (what, who, when); the entity tables are then rebuilt
from the seed and every edit not undone (:func:`~cunzhao.store.entities.sync.sync_entities`),
so undoing an edit is marking it undone and rebuilding — whatever came after it stays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from cunzhao.clock import utc_now_iso
from cunzhao.store.entities.model import Entity, EntityEdit, UnknownEntity
from cunzhao.store.entities.read import find_entity, suggest
from cunzhao.store.entities.sync import EntitySync, sync_entities
from cunzhao.store.schema import entity_edits

__all__ = ["add_alias", "edit_log", "merge", "undo"]

Clock = Callable[[], str]


def add_alias(
    conn: Connection, name: str, entity: str, *, by: str, now: Clock = utc_now_iso
) -> tuple[EntityEdit, EntitySync]:
    """Make ``name`` resolve to ``entity`` (a name, alias or id); raises ``UnknownEntity`` for
    an entity no name gives, ``ValueError`` for an empty name or one already its alias."""
    target = _known(conn, entity)
    if not name.strip():
        raise ValueError("an alias must not be empty")
    before = find_entity(conn, name)
    if before is not None and before.id == target.id:
        raise ValueError(f"{name!r} already names {target.zh} ({target.id})")
    return _record(conn, "alias", name.strip(), target, before, by, now)


def merge(
    conn: Connection, name: str, into: str, *, by: str, now: Clock = utc_now_iso
) -> tuple[EntityEdit, EntitySync]:
    """Merge the entity ``name`` gives into the one ``into`` gives: its names, cases and
    children go to ``into``. Raises ``UnknownEntity``, or ``ValueError`` when both are one."""
    source, target = _known(conn, name), _known(conn, into)
    if source.id == target.id:
        raise ValueError(f"{name!r} and {into!r} are one entity already ({target.id})")
    return _record(conn, "merge", source.id, target, source, by, now)


def undo(
    conn: Connection, edit_id: int, *, by: str, now: Clock = utc_now_iso
) -> tuple[EntityEdit, EntitySync]:
    """Undo edit ``edit_id`` (kept in the log as undone, by whom and when). Raises
    ``LookupError`` for no such edit, ``ValueError`` for one already undone."""
    row = conn.execute(select(entity_edits).where(entity_edits.c.id == edit_id)).first()
    if row is None:
        raise LookupError(f"no entity edit {edit_id}")
    if row.undone_at is not None:
        raise ValueError(f"entity edit {edit_id} was undone already ({row.undone_at} by "
                         f"{row.undone_by})")
    conn.execute(update(entity_edits).where(entity_edits.c.id == edit_id)
                 .values(undone_by=by, undone_at=now()))
    report = sync_entities(conn, force=True)
    assert report is not None
    return _edit(conn, edit_id), report


def edit_log(conn: Connection) -> list[EntityEdit]:
    """Every edit, oldest first, undone ones included."""
    return [_from_row(r) for r in
            conn.execute(select(entity_edits).order_by(entity_edits.c.id)).all()]


def _known(conn: Connection, name: str) -> Entity:
    found = find_entity(conn, name)
    if found is None:
        raise UnknownEntity(name, suggest(conn, name))
    return found


def _record(
    conn: Connection, op: str, name: str, target: Entity, before: Entity | None, by: str,
    now: Clock,
) -> tuple[EntityEdit, EntitySync]:
    result = conn.execute(insert(entity_edits).values(
        op=op, name=name, entity_id=target.id, previous=before.id if before else None,
        edited_by=by, edited_at=now()))
    key = result.inserted_primary_key
    assert key is not None
    report = sync_entities(conn, force=True)
    assert report is not None
    return _edit(conn, int(key[0])), report


def _edit(conn: Connection, edit_id: int) -> EntityEdit:
    return _from_row(conn.execute(select(entity_edits).where(entity_edits.c.id == edit_id))
                     .one())


def _from_row(row: Row[Any]) -> EntityEdit:
    r = row._mapping
    return EntityEdit(r["id"], r["op"], r["name"], r["entity_id"], r["previous"],
                      r["edited_by"], r["edited_at"], r["undone_by"], r["undone_at"])
