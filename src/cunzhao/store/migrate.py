"""Schema versions: upgrade an archive in place, or tell the user why it cannot be opened."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from cunzhao import __version__
from cunzhao.store.engine import writing

_SCRIPTS = Path(__file__).parent / "migrations"
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
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every schema revision this cunzhao can read or upgrade from."""
    scripts = ScriptDirectory.from_config(alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Upgrade to the newest schema; returns (revision before, revision after).

    Raises ``NewerSchema`` for an archive written by a newer cunzhao."""
    before = current_revision(engine)
    _refuse_newer(before)
    with writing(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(_MIGRATION_LOCK)
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
