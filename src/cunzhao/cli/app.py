"""The Typer application and what every command shares: consoles, ``--db``, dates."""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

if TYPE_CHECKING:
    from cunzhao import Archive

app = typer.Typer(
    name="cunzhao",
    help="立此存照 — preserve, parse, extract and search internet-regulation enforcement records.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
)

DEFAULT_DB = "cunzhao.db"


def default_db() -> str:
    """The archive to use when ``--db`` is not given: ``$CUNZHAO_DB`` or ``./cunzhao.db``."""
    return os.environ.get("CUNZHAO_DB") or DEFAULT_DB


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Archive: a SQLite file path or a postgresql:// URL "
        "(default: $CUNZHAO_DB or ./cunzhao.db).",
        show_default=False,
    ),
]


# Piped output is not cut to 80 columns: tables stay whole for files and other programs.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, soft_wrap=True)


def open_archive(db: str | None, *, create: bool = False, read_only: bool = False) -> Archive:
    """Open the archive or exit with a one-line reason (exit code 2)."""
    from cunzhao import Archive, NeedsMigration, NewerSchema

    location = db or default_db()
    try:
        return Archive.open(location, create=create, read_only=read_only)
    except (NeedsMigration, NewerSchema) as problem:
        err.print(f"[red]error:[/] {location}: {problem}")
        raise typer.Exit(2) from None
    except Exception as problem:  # noqa: BLE001 — refused, not a database, no permission …
        err.print(f"[red]error:[/] cannot open archive {location}: {problem}")
        raise typer.Exit(2) from None


def parse_date(text: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option value, or exit with a one-line reason (exit code 2)."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        err.print(f"[red]error:[/] {option} {text!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(2) from None
