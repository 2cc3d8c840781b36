"""Command-line interface: thin Typer commands over the library (``cunzhao --help``)."""

from cunzhao.cli import (
    archive_cmds,  # noqa: F401  (registers commands)
    case_cmds,  # noqa: F401
    entity_cmds,  # noqa: F401
    export_cmds,  # noqa: F401
    extract_cmds,  # noqa: F401
    maintenance_cmds,  # noqa: F401
    scale_cmds,  # noqa: F401
    search_cmds,  # noqa: F401
    serve_cmds,  # noqa: F401
    sync_cmds,  # noqa: F401
    warc_cmds,  # noqa: F401
)
from cunzhao.cli.app import app

__all__ = ["app"]
