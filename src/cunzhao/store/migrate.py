"""Schema versions: upgrade an archive in place, or tell the user why it cannot be opened.

Opening an archive reads the revision graph from the scripts' text and the stamped revision
with one query; Alembic is imported only to upgrade (``cunzhao ls`` stays quick).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from cunzhao import __version__
from cunzhao.store.engine import writing

if TYPE_CHECKING:
    from alembic.config import Config

_SCRIPTS = Path(__file__).parent / "migrations"
_REVISION_LINE = re.compile(r'^(revision|down_revision) = (?:"([^"]+)"|None)$', re.MULTILINE)
# One schema change at a time (two ingests creating a new archive at once): an advisory lock
# on PostgreSQL; on SQLite the transaction's IMMEDIATE begin (``writing``) does it.
_MIGRATION_LOCK = text("SELECT pg_advisory_xact_lock(hashtext('cunzhao schema migration'))")


class NeedsMigration(Exception):
    """The archive was written by an older cunzhao; ``cunzhao migrate`` upgrades it."""


class NewerSchema(Exception):
    """The archive was written by a newer cunzhao, whose schema this one does not know."""

    def __init__(self, revision: str) -> None:
        self.revision = revision
        super().__init__(
            f"this archive was written by a newer cunzhao (schema revision {revision}); "
            f"this cunzhao {__version__} knows revisions up to {head_revision()} — "
            "upgrade cunzhao"
        )


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    return config


@cache
def _revision_graph() -> dict[str, str | None]:
    """Each migration script's revision and the revision it follows (None for the first)."""
    graph: dict[str, str | None] = {}
    for script in sorted((_SCRIPTS / "versions").glob("*.py")):
        found = {m[1]: m[2] for m in _REVISION_LINE.finditer(script.read_text("utf-8"))}
        if found.get("revision"):
            graph[found["revision"]] = found.get("down_revision")
    return graph


def head_revision() -> str:
    """The newest schema revision: the one no other migration follows."""
    graph = _revision_graph()
    heads = set(graph) - set(graph.values())
    if len(heads) != 1:
        raise RuntimeError(f"the migration scripts have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def known_revisions() -> set[str]:
    """Every schema revision this cunzhao can read or upgrade from."""
    return set(_revision_graph())


def current_revision(engine: Engine) -> str | None:
    """The revision the archive is stamped with (None: not stamped, e.g. a new file)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        stamped = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(stamped) > 1:
        raise NeedsMigration(f"this archive is stamped with several schema revisions: {stamped}")
    return stamped[0] if stamped else None


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Upgrade to the newest schema; returns (revision before, revision after).

    Raises ``NewerSchema`` for an archive written by a newer cunzhao."""
    before = current_revision(engine)
    _refuse_newer(before)
    with writing(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(_MIGRATION_LOCK)
        from alembic import command

        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return before, head_revision()


def ensure_current(engine: Engine, *, create: bool) -> None:
    """Create a new archive's schema, or raise NeedsMigration for an outdated one (and
    NewerSchema for one written by a newer cunzhao)."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    _refuse_newer(current)
    if current is None and not inspect(engine).get_table_names():
        if create:
            upgrade(engine)
            return
        raise NeedsMigration("no archive here (no cunzhao tables)")
    raise NeedsMigration(
        f"this archive's schema is at revision {current or 'unknown'}, this cunzhao needs "
        f"{head}: run `cunzhao migrate --db …` to upgrade it in place"
    )


def _refuse_newer(revision: str | None) -> None:
    if revision is not None and revision not in known_revisions():
        raise NewerSchema(revision)
