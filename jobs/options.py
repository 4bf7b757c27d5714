"""Command-line options shared by every newsdesk command, defined once."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from crawler.sources import (
    Source,
    SourcesConfig,
    SourcesError,
    load_sources,
    require_sources,
)
from crawler.speaker_corrections import CorrectionsError, load_corrections
from crawler.speaker_links import Corrections
from jobs.dbcheck import read_problem, write_problem

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


def speakers_option() -> Any:
    return click.option(
        "--speakers",
        "speakers_path",
        envvar="NEWSDESK_SPEAKERS",
        default=None,
        type=click.Path(dir_okay=False),
        help="Corrections to speaker linking (default: speakers.toml beside the sources file).",
    )


def fail(message: str) -> NoReturn:
    """Bad input: one line on stderr and exit code 2, before any work."""
    click.echo(f"newsdesk: {message}", err=True)
    sys.exit(2)


def load_or_exit(sources_path: str) -> SourcesConfig:
    """The sources file, or its problems (every one, a line each) and exit code 2.

    `run`, `sources` and `daemon` give the same answer for a file with no source.
    """
    try:
        return require_sources(load_sources(sources_path), sources_path)
    except SourcesError as exc:
        for problem in exc.problems:
            click.echo(f"newsdesk: {problem}", err=True)
        sys.exit(2)


def select_sources(
    sources_path: str, source_ids: tuple[str, ...]
) -> tuple[SourcesConfig, list[Source]]:
    """The configured sources (or the named ones); exit code 2 on any problem."""
    config = load_or_exit(sources_path)
    try:
        sources = [config.get(i) for i in source_ids] if source_ids else list(config.sources)
    except SourcesError as exc:
        fail(str(exc))
    return config, sources


def writable_db_or_exit(db_path: str | Path) -> None:
    """Exit 2 unless a crawl can write to the database (see jobs.dbcheck)."""
    problem = write_problem(db_path)
    if problem:
        fail(f"cannot write {db_path}: {problem}")


def readable_db_or_exit(db_path: str | Path) -> None:
    """Exit 2 unless db_path is a newsdesk database that can be read."""
    problem = read_problem(db_path)
    if problem:
        fail(problem)


def corrections_or_exit(path: str | Path) -> Corrections:
    """The corrections in speakers.toml (none when it is missing), or its problems (one
    line each) and exit code 2: a crawl would otherwise relink without them."""
    try:
        return load_corrections(path)
    except CorrectionsError as exc:
        for problem in exc.problems:
            click.echo(f"newsdesk: {problem}", err=True)
        sys.exit(2)
