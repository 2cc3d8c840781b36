"""The Typer application and the options every command shares."""

from __future__ import annotations

import os
from typing import Annotated

import typer

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
