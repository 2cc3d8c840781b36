"""Schema versions: upgrade an archive in place, or tell the user it needs upgrading."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

_SCRIPTS = Path(__file__).parent / "migrations"


class NeedsMigration(Exception):
    """The archive was written by an older cunzhao; ``cunzhao migrate`` upgrades it."""


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Upgrade to the newest schema; returns (revision before, revision after)."""
    before = current_revision(engine)
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return before, head_revision()


def ensure_current(engine: Engine, *, create: bool) -> None:
    """Create a new archive's schema, or raise NeedsMigration for an outdated one."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if current is None and not inspect(engine).get_table_names():
        if create:
            upgrade(engine)
            return
        raise NeedsMigration("no archive here (no cunzhao tables)")
    raise NeedsMigration(
        f"this archive's schema is at revision {current or 'unknown'}, this cunzhao needs "
        f"{head}: run `cunzhao migrate --db …` to upgrade it in place"
    )
