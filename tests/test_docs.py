"""Every CLI command and option is documented in README.md or docs/*.md."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main

from cunzhao.cli import app

REPO = Path(__file__).resolve().parents[1]


def _documentation() -> str:
    parts = [(REPO / "README.md").read_text(encoding="utf-8")]
    parts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "docs").glob("*.md"))]
    return "\n".join(parts)


def _commands() -> list[tuple[str, Any]]:
    """Every command, sub-commands of a group (``source add``) by their full name."""
    group: Any = typer.main.get_command(app)
    found = []
    for name, command in group.commands.items():
        subcommands = getattr(command, "commands", None)
        if subcommands:
            found += [(f"{name} {sub}", cmd) for sub, cmd in subcommands.items()]
        else:
            found.append((name, command))
    return sorted(found)


@pytest.mark.parametrize("name", [name for name, _ in _commands()])
def test_command_is_documented(name: str) -> None:
    assert re.search(rf"cunzhao {re.escape(name)}\b", _documentation()), (
        f"`cunzhao {name}` is not documented in README.md or docs/*.md"
    )


@pytest.mark.parametrize(
    ("name", "option"),
    [
        (name, opt)
        for name, command in _commands()
        for param in command.params
        if param.param_type_name == "option"
        for opt in param.opts
        if opt.startswith("--") and opt != "--help"
    ],
)
def test_option_is_documented(name: str, option: str) -> None:
    assert re.search(rf"{re.escape(option)}\b", _documentation()), (
        f"option {option} of `cunzhao {name}` is not documented"
    )
