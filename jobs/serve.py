"""`newsdesk serve`: Datasette on the newsdesk database, read-only.

What is served (metadata, canned queries, dashboard) is configured in jobs/datasette/;
this module checks the database, binds the socket and runs the server.
"""

from __future__ import annotations

import socket
import sqlite3
import sys
from pathlib import Path

import click

from jobs import options
from jobs.dbcheck import read_problem


def schema_warning(db_path: Path) -> str | None:
    """Why some pages may fail on an older database, or None.

    `serve` opens the file read-only, so it cannot upgrade the schema itself; the
    ready queries and charts read columns a newer schema adds (v_figures.is_daily_count).
    """
    from crawler.store import SCHEMA_VERSION

    uri = f"{db_path.resolve().as_uri()}?mode=ro"
    with sqlite3.connect(uri, uri=True) as conn:
        (version,) = conn.execute("PRAGMA user_version").fetchone()
    if version >= SCHEMA_VERSION:
        return None
    return (
        f"{db_path} has schema version {version}, this newsdesk writes {SCHEMA_VERSION}: "
        f"some ready queries and charts need the newer views; `newsdesk stats --db "
        f"{db_path}` upgrades it"
    )


def bind(host: str, port: int) -> socket.socket:
    """A listening socket; port 0 picks a free one, whose number is then known to print."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    return sock


@click.command()
@options.db_option(path_type=Path)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8001,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on; 0 picks a free one.",
)
def serve_command(db_path: Path, host: str, port: int) -> None:
    """Browse the database in Datasette (read-only): tables, ready queries, dashboard."""
    problem = read_problem(db_path)
    if problem:
        click.echo(f"newsdesk: {problem}", err=True)
        sys.exit(2)
    warning = schema_warning(db_path)
    if warning:
        click.echo(f"newsdesk: warning: {warning}", err=True)
    try:
        sock = bind(host, port)
    except OSError as exc:
        click.echo(f"newsdesk: cannot listen on {host}:{port}: {exc}", err=True)
        sys.exit(2)

    import uvicorn

    from jobs.datasette.site import DASHBOARD_PATH, build_datasette

    app = build_datasette(db_path).app()
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{sock.getsockname()[1]}"
    # Scripts and tests read the first line to learn the port; click.echo flushes it.
    click.echo(f"serving {db_path.resolve()} read-only at {base}/")
    click.echo(f"dashboard: {base}{DASHBOARD_PATH}  (press Ctrl-C to stop)")
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        # uvicorn has shut down cleanly and re-raises the Ctrl-C; not an error.
        click.echo("stopped")
