"""``python -m cunzhao`` runs the command-line interface."""

from cunzhao.cli import app

app()
