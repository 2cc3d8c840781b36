"""Keeping an archive sound: ``verify`` (its fsck) and ``backup``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from cunzhao.cli.app import DbOption, app, err, open_archive, out


@app.command()
def verify(
    quick: Annotated[
        bool, typer.Option("--quick", help="Skip parsing every version's blob again.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Check the whole archive: blob hashes, latest versions, each version's text against its
    blob, the search index against the store. Lists every problem; exit 1 if any."""
    from rich.progress import Progress, TextColumn, TimeElapsedColumn

    started = time.monotonic()
    with open_archive(db, read_only=True) as archive, Progress(
        TextColumn("{task.description}"), TextColumn("{task.completed}"), TimeElapsedColumn(),
        console=err, disable=not err.is_terminal, transient=True,
    ) as progress:
        task = progress.add_task("verify")
        report = archive.verify(
            quick=quick,
            on_progress=lambda what, n: progress.update(task, description=what, completed=n),
        )
    for problem in report.problems:
        out.print(str(problem), markup=False, highlight=False)
    checked = ", ".join(f"{n:,} {what}" for what, n in report.checked.items())
    summary = f"{checked} in {time.monotonic() - started:.1f} s"
    if report.problems:
        err.print(f"[red]{len(report.problems)} problems[/] ({summary})")
        raise typer.Exit(1)
    out.print(f"verified, no problems: {summary}")


@app.command()
def backup(
    dest: Annotated[Path, typer.Argument(help="The backup file to write (must not exist).")],
    db: DbOption = None,
) -> None:
    """Back up the archive into one file while it stays in use: SQLite's online backup (an
    archive itself), or pg_dump's custom format for PostgreSQL (restore with pg_restore)."""
    from cunzhao import BackupError

    started = time.monotonic()
    with open_archive(db, read_only=True) as archive:
        try:
            made = archive.backup(dest)
        except BackupError as problem:
            err.print(f"[red]error:[/] {problem}")
            raise typer.Exit(1) from None
    out.print(f"backed up to {made.path}: {made.size:,} bytes ({made.method}) "
              f"in {time.monotonic() - started:.1f} s")
