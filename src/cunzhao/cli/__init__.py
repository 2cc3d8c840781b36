"""Command-line interface: thin Typer commands over the library (``cunzhao --help``)."""

from cunzhao.cli import archive_cmds  # noqa: F401  (registers commands)
from cunzhao.cli import serve_cmds  # noqa: F401
from cunzhao.cli import export_cmds  # noqa: F401
from cunzhao.cli import extract_cmds  # noqa: F401
from cunzhao.cli import search_cmds  # noqa: F401
from cunzhao.cli import warc_cmds  # noqa: F401
from cunzhao.cli.app import app

__all__ = ["app"]
