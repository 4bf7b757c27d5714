"""Command-line options shared by every newsdesk command, defined once."""

from __future__ import annotations

from typing import Any

import click

DEFAULT_DB = "newsdesk.db"
DEFAULT_SOURCES = "sources.toml"


def db_option(path_type: type[Any] | None = None) -> Any:
    return click.option(
        "--db",
        "db_path",
        envvar="NEWSDESK_DB",
        default=DEFAULT_DB,
        show_default=True,
        type=click.Path(dir_okay=False, path_type=path_type),
        help="SQLite database (env NEWSDESK_DB).",
    )


def sources_option() -> Any:
    return click.option(
        "--sources",
        "sources_path",
        envvar="NEWSDESK_SOURCES",
        default=DEFAULT_SOURCES,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="Sources file (env NEWSDESK_SOURCES).",
    )
