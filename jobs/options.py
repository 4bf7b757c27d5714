"""Command-line options shared by every newsdesk command, defined once."""

from __future__ import annotations

import sys
from typing import Any

import click

from crawler.sources import Source, SourcesConfig, SourcesError, load_sources

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


def load_or_exit(sources_path: str) -> SourcesConfig:
    """The sources file, or a one-line error and exit code 2."""
    try:
        return load_sources(sources_path)
    except SourcesError as exc:
        click.echo(f"newsdesk: {exc}", err=True)
        sys.exit(2)


def select_sources(
    sources_path: str, source_ids: tuple[str, ...]
) -> tuple[SourcesConfig, list[Source]]:
    """The configured sources (or the named ones); exit code 2 on any problem."""
    config = load_or_exit(sources_path)
    try:
        sources = [config.get(i) for i in source_ids] if source_ids else list(config.sources)
    except SourcesError as exc:
        click.echo(f"newsdesk: {exc}", err=True)
        sys.exit(2)
    if not sources:
        click.echo(f"newsdesk: {sources_path} configures no source", err=True)
        sys.exit(2)
    return config, sources
