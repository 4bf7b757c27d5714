"""`newsdesk worker`, `newsdesk writer`, `newsdesk enqueue`: crawling on several machines.

Thin click commands over crawler.distributed (docs/distributed.md). They need the
optional extra (`pip install newsdesk[distributed]`); without it they say so and exit 2,
and nothing else in newsdesk imports Redis.
"""

from __future__ import annotations

import signal
import sqlite3
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import click

from jobs import options

db_option = options.db_option()
sources_option = options.sources_option()
verbose_option = click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")
redis_option = click.option(
    "--redis",
    "redis_url",
    envvar="NEWSDESK_REDIS",
    required=True,
    help="Redis URL, e.g. redis://host:6379/0 (env NEWSDESK_REDIS).",
)
source_ids_option = click.option(
    "--source", "source_ids", multiple=True, help="Only this source (repeatable)."
)


def _distributed() -> ModuleType:
    try:
        from crawler import distributed
    except ImportError as exc:
        click.echo(
            f"newsdesk: {exc.name or exc} is missing; install the distributed extra: "
            "pip install 'newsdesk[distributed]'",
            err=True,
        )
        sys.exit(2)
    return distributed


@click.command()
@redis_option
@sources_option
@source_ids_option
@verbose_option
def worker_command(
    redis_url: str, sources_path: str, source_ids: tuple[str, ...], verbose: bool
) -> None:
    """Fetch and extract requests from the shared Redis queue until stopped (SIGTERM)."""
    distributed = _distributed()
    from crawler.runner import crawl_settings

    config, sources = options.select_sources(sources_path, source_ids)
    # The database path is unused: a worker's components never open SQLite.
    settings = crawl_settings(":memory:", config.settings, None if verbose else "WARNING")
    distributed.connect(redis_url).ping()  # fail now, with a clear message, if unreachable
    distributed.run_worker(sources, distributed.worker_settings(settings, redis_url))


@click.command()
@redis_option
@db_option
@click.option("--batch", default=200, show_default=True, help="Records per transaction.")
@click.option(
    "--lease",
    "lease_seconds",
    default=120.0,
    show_default=True,
    help="Re-queue a request a worker has held this long (it died).",
)
@options.speakers_option()
def writer_command(
    redis_url: str, db_path: str, batch: int, lease_seconds: float, speakers_path: str | None
) -> None:
    """Store the workers' records into SQLite: the only process writing the database.

    Whenever the queue goes quiet after new articles, speakers are relinked with the
    corrections in --speakers (default: speakers.toml in the current directory)."""
    distributed = _distributed()
    from crawler.speaker_corrections import CorrectionsError, load_corrections
    from crawler.store import Store

    options.writable_db_or_exit(db_path)
    corrections_path = Path(speakers_path or "speakers.toml")
    options.corrections_or_exit(corrections_path)  # a broken file: refused before any work
    stopping: list[int] = []

    def stop(signum: int, frame: Any) -> None:
        stopping.append(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server = distributed.connect(redis_url)
    store = Store.open(db_path)
    click.echo(f"writer: {db_path} <- {redis_url}")

    def relink() -> None:
        # Read again each time: analysts may correct the file while the writer runs.
        try:
            store.rebuild_speakers(load_corrections(corrections_path))
        except (CorrectionsError, sqlite3.Error) as exc:
            click.echo(f"writer: speakers not relinked: {exc}", err=True)

    try:
        result = distributed.run_writer(
            server,
            store,
            should_stop=lambda: bool(stopping),
            batch_size=batch,
            lease_seconds=lease_seconds,
            relink=relink,
        )
    finally:
        store.close()
    click.echo(
        f"writer: {result.records} records, new articles {result.articles_new}, "
        f"failures {result.failures}, requests re-queued {result.requeued}"
    )


@click.command()
@redis_option
@sources_option
@source_ids_option
def enqueue_command(redis_url: str, sources_path: str, source_ids: tuple[str, ...]) -> None:
    """Seed one crawl of each (or the named) source into the shared queue."""
    distributed = _distributed()
    _, sources = options.select_sources(sources_path, source_ids)
    counts = distributed.enqueue(distributed.connect(redis_url), sources)
    for source_id, count in counts.items():
        click.echo(f"{source_id}: {count} listing requests queued")
