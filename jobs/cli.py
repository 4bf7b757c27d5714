"""The `newsdesk` command: a thin layer of click commands over crawler and extract."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import click

from crawler.sources import Source
from crawler.speaker_corrections import speakers_path as speakers_file

if TYPE_CHECKING:
    from crawler.runner import CrawlSummary
    from crawler.stop_signals import EarlySignals
from jobs import options

db_option = options.db_option()
sources_option = options.sources_option()
verbose_option = click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's log.")


class NewsdeskGroup(click.Group):
    """The command group, so that no traceback reaches a user's terminal without -v.

    An error no command foresaw is one line and exit code 1; `newsdesk -v ...` shows
    the traceback (and Scrapy's log) instead.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except BrokenPipeError:
            # `newsdesk export ... | head`: the reader has all it wanted.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except Exception as exc:
            if ctx.params.get("verbose"):
                raise
            command = ctx.invoked_subcommand or "newsdesk"
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            detail = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
            click.echo(f"newsdesk: {command} failed: {detail} (run with -v for details)", err=True)
            sys.exit(1)


@click.group(cls=NewsdeskGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsdesk")
@click.option(
    "-v", "--verbose", is_flag=True, help="Tracebacks and Scrapy's log (for every command)."
)
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Crawl news sites into SQLite: articles, statements and figures."""
    ctx.meta["newsdesk.verbose"] = verbose


def _verbose(verbose: bool) -> bool:
    """A command's own -v, or the group's (`newsdesk -v run` and `newsdesk run -v`)."""
    ctx = click.get_current_context(silent=True)
    return verbose or bool(ctx and ctx.meta.get("newsdesk.verbose"))


# The demo site is our own server on 127.0.0.1: no need to be polite to it.
DEMO_SETTINGS = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0}


def _crawl_and_report(
    sources: list[Source], overrides: dict, db_path: str, verbose: bool, speakers_path: Path
) -> int:
    """Crawl, print one line per source, and return the exit code: 1 unless all finished.

    Each run ends by relinking speakers with the corrections in `speakers_path`.
    """
    from crawler.stop_signals import EarlySignals

    options.corrections_or_exit(speakers_path)  # a broken file: refused before any work
    early = EarlySignals().install()  # Ctrl-C while Scrapy loads: no traceback
    try:
        return _crawl_and_report_with(early, sources, overrides, db_path, verbose, speakers_path)
    finally:
        early.restore()


def _crawl_and_report_with(
    early: EarlySignals,
    sources: list[Source],
    overrides: dict,
    db_path: str,
    verbose: bool,
    speakers_path: Path,
) -> int:
    from crawler.runner import close_dead_runs, crawl, crawl_settings

    try:
        closed = close_dead_runs(db_path)
    except (sqlite3.Error, OSError) as exc:
        click.echo(f"newsdesk: cannot write {db_path}: {exc}", err=True)
        return 2
    if closed:
        ids = ", ".join(str(i) for i in closed)
        click.echo(f"closed run(s) {ids}: left running by a process that had ended (interrupted)")
    if early.received:
        click.echo("newsdesk: stopped before the crawl began", err=True)
        return 1
    verbose = _verbose(verbose)
    log_level = None if verbose else "WARNING"
    settings = crawl_settings(db_path, overrides, log_level, speakers_path=speakers_path)
    settings.set("NEWSDESK_LOG_TRACEBACKS", verbose, priority="cmdline")
    summaries = crawl(sources, settings, early)
    for s in summaries:
        click.echo(_summary_line(s))
    unfinished = [s for s in summaries if s.status != "finished"]
    if unfinished and len(summaries) > 1:
        names = ", ".join(f"{s.source} ({s.status})" for s in unfinished)
        count = f"{len(unfinished)} of {len(summaries)}"
        click.echo(f"newsdesk: {count} sources did not finish: {names}")
    return 1 if unfinished else 0


def _summary_line(s: CrawlSummary) -> str:
    outcome = s.status if s.status == "finished" or not s.reason else f"{s.status} ({s.reason})"
    skipped = ""
    if s.not_articles:
        noun = "not an article" if s.not_articles == 1 else "not articles"
        skipped = f"skipped {s.not_articles} {noun}, "
    return (
        f"{s.source}: {outcome}; pages fetched {s.pages_fetched}, "
        f"new articles {s.articles_new}, {skipped}failures {s.failures}, "
        f"known skipped {s.skipped_known}, time {s.seconds:.1f}s (run {s.run_id})"
    )


@main.command()
@sources_option
@db_option
@click.option("--source", "source_ids", multiple=True, help="Only this source (repeatable).")
@click.option(
    "--redis",
    "redis_url",
    envvar="NEWSDESK_REDIS",
    default=None,
    help="With --enqueue: the shared Redis queue of `newsdesk worker`s.",
)
@click.option("--enqueue", is_flag=True, help="Seed the crawl into Redis for the workers instead.")
@options.speakers_option()
@verbose_option
def run(
    sources_path: str,
    db_path: str,
    source_ids: tuple[str, ...],
    redis_url: str | None,
    enqueue: bool,
    speakers_path: str | None,
    verbose: bool,
) -> None:
    """Crawl the configured sources once, now (or, with --enqueue, hand it to workers)."""
    if enqueue:
        if not redis_url:
            click.echo("newsdesk: --enqueue needs --redis URL (or NEWSDESK_REDIS)", err=True)
            sys.exit(2)
        from jobs.distributed_cli import enqueue_command

        ctx = click.get_current_context()
        ctx.invoke(
            enqueue_command, redis_url=redis_url, sources_path=sources_path, source_ids=source_ids
        )
        return
    config, sources = options.select_sources(sources_path, source_ids)
    speakers = Path(speakers_path) if speakers_path else speakers_file(sources_path)
    options.writable_db_or_exit(db_path)  # before the first request: fetch nothing in vain
    sys.exit(_crawl_and_report(sources, config.settings, db_path, verbose, speakers))


def _is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False


def _read_html(path: str) -> bytes:
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        data = Path(path).read_bytes()
    # .html.gz files, or gzip piped in on stdin
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


@main.command()
@click.argument("path")
@click.option("--url", default=None, help="The page's URL (for canonical and date hints).")
@click.option("--text", "as_text", is_flag=True, help="PATH is a plain-text body, not HTML.")
@click.option("--json", "as_json", is_flag=True, default=True, help="Print JSON (default).")
def extract(path: str, url: str | None, as_text: bool, as_json: bool) -> None:
    """Extract one page (.html, .html.gz or - for stdin) and print it as JSON."""
    from extract.article import NotAnArticle
    from extract.page import analyse_body, extract_page
    from extract.records import Article, Extraction
    from extract.text import body_sha256, clean_body

    if url is not None and not _is_http_url(url):
        options.fail(f"--url: not an http(s) URL: {url!r}")
    try:
        data = _read_html(path)
    except OSError as exc:
        click.echo(f"newsdesk: cannot read {path}: {exc}", err=True)
        sys.exit(2)
    if as_text:
        body = clean_body(data.decode("utf-8", errors="replace"))
        article = Article(url or "", None, (), None, None, body, (), body_sha256(body))
        statements, figures = analyse_body(body)
        result = Extraction(article, statements, figures)
    else:
        try:
            result = extract_page(data, url)
        except NotAnArticle as exc:
            click.echo(f"newsdesk: not an article: {exc}", err=True)
            sys.exit(1)
    click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))


@main.command()
@sources_option
@click.option("--check", is_flag=True, help="Also fetch each feed/sitemap/section URL once.")
def sources(sources_path: str, check: bool) -> None:
    """List the configured sources (the file is validated on load)."""
    config = options.load_or_exit(sources_path)  # the same answer as `run` gives
    bad = 0
    for source in config.sources:
        click.echo(f"{source.id}\t{source.name}\t{source.schedule}\t{len(source.start_urls)} URLs")
        if check:
            from jobs.check import check_url

            for url in source.start_urls:
                ok, message = check_url(url)
                bad += not ok
                click.echo(f"  {'ok ' if ok else 'BAD'} {url}: {message}")
    sys.exit(1 if bad else 0)


@main.command()
@db_option
@click.option("--keep-serving", is_flag=True, help="Keep the demo site up after the crawl.")
@verbose_option
def demo(db_path: str, keep_serving: bool, verbose: bool) -> None:
    """Serve the embedded demo news site on 127.0.0.1 and crawl it into the database."""
    from jobs.demo import DEMO_ORIGIN, demo_source, serve_demo

    # The pages name themselves DEMO_ORIGIN and the crawl reaches them through the server
    # as a proxy: the same URLs on every run whatever port is free, so a second run into
    # the same database shows the daily delta (nothing new) rather than a second copy.
    # Dated relative to today, so "this week" queries on the demo database find rows.
    options.writable_db_or_exit(db_path)  # before the demo site is even served
    site = serve_demo(DEMO_ORIGIN, today=date.today())
    click.echo(f"demo site at {site.base_url}/ (crawled as {DEMO_ORIGIN}/)")
    settings = DEMO_SETTINGS | {"NEWSDESK_PROXY": site.base_url}
    try:
        speakers = speakers_file(os.environ.get("NEWSDESK_SOURCES", options.DEFAULT_SOURCES))
        code = _crawl_and_report([demo_source(DEMO_ORIGIN)], settings, db_path, verbose, speakers)
        click.echo(f"database: {os.path.abspath(db_path)}")
        # The tools sit beside this Python (e.g. in .venv/bin), maybe not on PATH.
        bin_dir = Path(sys.executable).parent
        tool = bin_dir / "sqlite-utils" if (bin_dir / "sqlite-utils").exists() else "sqlite-utils"
        newsdesk_cmd = bin_dir / "newsdesk" if (bin_dir / "newsdesk").exists() else "newsdesk"
        click.echo(f"look inside: {tool} tables {db_path} --counts")
        click.echo(f'             {tool} {db_path} "select title, published from articles"')
        click.echo(f"             {newsdesk_cmd} serve --db {db_path}   (Datasette, dashboard)")
        if keep_serving:
            click.echo("serving; press Ctrl-C to stop")
            import threading

            threading.Event().wait()
    finally:
        site.stop()
    sys.exit(code)


@main.command()
@db_option
def stats(db_path: str) -> None:
    """Counts of what the database holds, and the latest runs."""
    from crawler.store import Store

    options.readable_db_or_exit(db_path)
    try:
        store = Store.open(db_path)
    except (sqlite3.Error, RuntimeError) as exc:
        options.fail(f"cannot read {db_path}: {exc}")
    for table, count in store.counts().items():
        click.echo(f"{table:12} {count}")
    rows = store.db.execute(
        "SELECT source, COUNT(*), MAX(fetched_at) FROM articles GROUP BY source ORDER BY source"
    ).fetchall()
    for source, count, last in rows:
        click.echo(f"  {source}: {count} articles, last fetched {last}")
    outcomes = store.db.execute(
        "SELECT outcome, COUNT(*) FROM fetches GROUP BY outcome ORDER BY 2 DESC"
    ).fetchall()
    if outcomes:
        click.echo("fetch outcomes: " + ", ".join(f"{o} {n}" for o, n in outcomes))
    store.close()


@main.command(name="eval")
@click.option(
    "--gold",
    "gold_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Gold directory: tests/gold (default) or one whose files carry their own text.",
)
@click.option("--misses", is_flag=True, help="List every miss and false positive by class.")
@click.option(
    "--class", "only_class", default=None, help="List the misses of classes containing TEXT."
)
@click.option("-v", "--verbose", is_flag=True, help="Same as --misses; tracebacks on errors.")
def eval_command(gold_dir: str | None, misses: bool, only_class: str | None, verbose: bool) -> None:
    """Score the statement and figure extractors against a gold set, misses by class."""
    from extract.evaluation import GoldFormatError
    from jobs.evaluate import ExtractorMissing, default_gold_dir, evaluate_gold, format_report

    gold = Path(gold_dir) if gold_dir else default_gold_dir()
    if not gold.is_dir():
        options.fail(f"no gold directory at {gold}")
    try:
        report = evaluate_gold(gold)
    except (GoldFormatError, ExtractorMissing, OSError) as exc:
        if verbose:
            raise
        options.fail(str(exc))
    listed = misses or verbose or only_class is not None
    click.echo(format_report(report, list_misses=listed, only_class=only_class))
    if not report.files:
        click.echo("newsdesk eval: no gold file could be scored here", err=True)
        sys.exit(1)


from jobs.daemon import daemon_command, status_command  # noqa: E402 (needs main)

main.add_command(daemon_command, "daemon")
main.add_command(status_command, "status")


from jobs.serve import serve_command  # noqa: E402 - commands in their own modules

main.add_command(serve_command, "serve")

from jobs.export import export_command  # noqa: E402

main.add_command(export_command, "export")

from jobs.speakers_cli import speakers_command  # noqa: E402

main.add_command(speakers_command, "speakers")


from jobs.distributed_cli import (  # noqa: E402 - Redis itself is imported only when run
    enqueue_command,
    worker_command,
    writer_command,
)

main.add_command(worker_command, "worker")
main.add_command(writer_command, "writer")
main.add_command(enqueue_command, "enqueue")


if __name__ == "__main__":
    main()
