"""Option values the lexicons define (actions, objects, categories), given as an id or a
label: ``--action 关闭账号`` is ``--action close_account``. An unknown value exits 2 naming the
closest id and every valid one — never an empty answer that looks like "none found"."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from cunzhao.cli.app import err

if TYPE_CHECKING:
    from cunzhao import Vocabulary


def lexicon_value(kind: Vocabulary, value: str | None, option: str) -> str | None:
    """The id ``value`` names (None stays None), or exit 2 with the reason."""
    if value is None:
        return None
    from cunzhao import UnknownValue, resolve_value

    try:
        return resolve_value(kind, value)
    except UnknownValue as problem:
        closest = f" Did you mean {problem.closest}?" if problem.closest else ""
        err.print(f"[red]error:[/] {option}: no {kind} {escape(repr(value))}.{closest} "
                  f"Valid ids (or their Chinese or English labels): {', '.join(problem.valid)}",
                  soft_wrap=True)
        raise typer.Exit(2) from None
