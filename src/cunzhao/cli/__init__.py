"""Command-line interface: thin Typer commands over the library (``cunzhao --help``)."""

from cunzhao.cli.app import app

__all__ = ["app"]
