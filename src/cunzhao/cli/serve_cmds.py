"""``cunzhao serve``: the web app on 127.0.0.1:8000 (read-only, no access log by default)."""

from __future__ import annotations

from typing import Annotated

import typer

from cunzhao.cli.app import DbOption, app, open_archive, out


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=0, max=65535)] = 8000,
    access_log: Annotated[bool, typer.Option(
        "--access-log", help="Print each request line on the console (never written to a file).",
    )] = False,
) -> None:
    """Serve the archive to a browser: search, documents, entities, statistics and JSON API."""
    import uvicorn

    from cunzhao.web import create_app

    archive = open_archive(db, read_only=True)
    location = archive.location
    web_app = create_app(archive)
    shown = f"[{host}]" if ":" in host else host
    out.print(f"serving {location} (read-only) at [bold]http://{shown}:{port}/[/]  — Ctrl+C stops")
    uvicorn.run(web_app, host=host, port=port, access_log=access_log, log_level="warning",
                server_header=False)
