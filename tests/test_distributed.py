"""Scale-out: workers on a shared scrapy-redis queue and one SQLite writer (docs/distributed.md).

Each test starts Debian's redis-server on a free port of 127.0.0.1 and crawls the
embedded demo site with real `newsdesk worker / writer / enqueue` processes; the
rows must equal those of a single-process `newsdesk run` of the same site.
"""

from __future__ import annotations

import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip(
    "scrapy_redis", reason="needs the distributed extra: pip install -e .[distributed]"
)
if shutil.which("redis-server") is None:
    pytest.skip(
        "redis-server is not installed (apt-get install redis-server)", allow_module_level=True
    )

import redis  # noqa: E402

from crawler import distributed  # noqa: E402
from crawler.items import ExtractedArticle, FetchFailure  # noqa: E402
from crawler.store import Store  # noqa: E402
from extract.page import extract_page  # noqa: E402
from jobs.demo import demo_pages  # noqa: E402
from jobs.localsite import LocalSite, Page  # noqa: E402
from tests.sites import (  # noqa: E402
    REPO_ROOT,
    newsdesk,
    start_redis,
    wait_for,
    write_sources,
)

LEASE = "4"  # seconds before a dead worker's requests are re-queued
ROWS = "SELECT url, title, body_sha256 FROM articles ORDER BY url"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory) -> Iterator[str]:
    server, url = start_redis(tmp_path_factory.mktemp("redis"))
    try:
        yield url
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def server(redis_url: str) -> redis.Redis:
    client = redis.Redis.from_url(redis_url)
    client.flushall()
    return client


class HeldPages:
    """Article pages served at once up to `free`, then held until `release()`."""

    def __init__(self) -> None:
        self.free: int | None = None
        self.served = 0
        self.held = 0
        self.gate = threading.Event()
        self.gate.set()
        self.lock = threading.Lock()

    def hold_after(self, free: int) -> None:
        self.free, self.served, self.held = free, 0, 0
        self.gate.clear()

    def release(self) -> None:
        self.gate.set()

    def wrap(self, page: Page):
        def respond(handler) -> None:
            with self.lock:
                hold = self.free is not None and self.served >= self.free
                self.served += 1
                self.held += hold
            if hold:
                self.gate.wait(60)
            handler.send_response(page.status)
            handler.send_header("Content-Type", page.content_type)
            handler.send_header("Content-Length", str(len(page.body)))
            handler.end_headers()
            handler.wfile.write(page.body)

        return respond


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[LocalSite, HeldPages]]:
    held = HeldPages()
    pages: dict = {}
    local = LocalSite(pages).start()
    for path, page in demo_pages(local.base_url).items():
        pages[path] = held.wrap(page) if path.startswith("/news/") else page
    yield local, held
    held.release()
    local.stop()


@pytest.fixture(scope="module")
def sources(site, tmp_path_factory) -> Path:
    local, _ = site
    return write_sources(
        tmp_path_factory.mktemp("sources"),
        local.base_url,
        feeds=["/rss.xml"],
        sitemaps=["/robots.txt"],
        sections=["/section/frontline/"],
        extra='article_pattern = "/news/"',
    )


@pytest.fixture(scope="module")
def single_rows(sources: Path, tmp_path_factory) -> list[tuple]:
    """What a single-process `newsdesk run` stores."""
    db = tmp_path_factory.mktemp("single") / "single.db"
    result = newsdesk("run", "--sources", str(sources), "--db", str(db))
    assert result.returncode == 0, result.stderr
    rows = _rows(db)
    assert len(rows) >= 30
    return rows


def _rows(db: Path) -> list[tuple]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        try:
            return conn.execute(ROWS).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return []  # a writer that has just created the file is creating its tables
            raise


class Cli:
    """`newsdesk ...` child processes, logged to files, stopped at the end."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.procs: list[subprocess.Popen] = []

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = (self.tmp_path / f"{name}.log").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "jobs.cli", *args],
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.procs.append(proc)
        return proc

    def log(self, name: str) -> str:
        return (self.tmp_path / f"{name}.log").read_text()

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[Cli]:
    runner = Cli(tmp_path)
    yield runner
    runner.stop_all()


def _unlinked_statements(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        total, unlinked = conn.execute(
            "SELECT COUNT(*), COUNT(*) - COUNT(speaker_id) FROM statements"
        ).fetchone()
    return unlinked if total else -1  # no statements at all is not "all linked"


def _done(server: redis.Redis, db: Path, expected: int) -> Callable[[], bool]:
    return lambda: len(_rows(db)) >= expected and distributed.pending(server) == 0


def test_two_workers_and_a_writer_store_what_a_single_run_stores(
    server, redis_url, sources, single_rows, site, cli, tmp_path
) -> None:
    db = tmp_path / "dist.db"
    cli.start("writer", "writer", "--redis", redis_url, "--db", str(db), "--lease", LEASE)
    for n in (1, 2):
        cli.start(f"worker{n}", "worker", "--redis", redis_url, "--sources", str(sources))
    seeded = newsdesk("enqueue", "--redis", redis_url, "--sources", str(sources))
    assert seeded.returncode == 0, seeded.stderr
    assert "local: 3 listing requests queued" in seeded.stdout
    wait_for(_done(server, db, len(single_rows)), "every article to be stored", 60)
    assert _rows(db) == single_rows
    # Once the queue is quiet, the writer links the statements to speakers (issue 15).
    wait_for(lambda: _unlinked_statements(db) == 0, "the writer to relink speakers", 30)
    # The Redis mirror of the known-URL set holds every stored article.
    assert {url for url, _, _ in single_rows} <= {
        u.decode() for u in server.smembers("newsdesk:known")
    }

    # A second run finds every article known: workers skip them without touching SQLite.
    local, _ = site
    before = len(local.requests)
    # `newsdesk run --enqueue` is the same seeding as `newsdesk enqueue` (for crontabs).
    seeded = newsdesk("run", "--redis", redis_url, "--enqueue", "--sources", str(sources))
    assert "listing requests queued" in seeded.stdout, seeded.stderr
    wait_for(lambda: len(local.requests) > before, "the second run to start")
    wait_for(lambda: distributed.pending(server) == 0, "the second run to drain")
    assert _rows(db) == single_rows
    assert [r for r in local.requests[before:] if r.startswith("/news/")] == []


def test_killed_worker_and_writer_lose_nothing(
    server, redis_url, sources, single_rows, site, cli, tmp_path
) -> None:
    _, held = site
    db = tmp_path / "dist.db"
    held.hold_after(8)
    writer_args = ("writer", "--redis", redis_url, "--db", str(db), "--lease", LEASE)
    worker_args = ("worker", "--redis", redis_url, "--sources", str(sources))
    writer = cli.start("writer1", *writer_args)
    first = cli.start("worker1", *worker_args)
    newsdesk("enqueue", "--redis", redis_url, "--sources", str(sources))
    # The only worker is mid-page: it holds leased requests the site has not answered.
    wait_for(lambda: len(_rows(db)) >= 4 and held.held >= 1, "a worker mid-crawl", 60)
    assert server.zcard(distributed.LEASES) >= 1
    first.send_signal(signal.SIGKILL)
    writer.send_signal(signal.SIGKILL)
    first.wait(10)
    writer.wait(10)
    held.release()

    cli.start("worker2", *worker_args)
    cli.start("worker1-again", *worker_args)
    restarted = cli.start("writer2", *writer_args)
    wait_for(_done(server, db, len(single_rows)), "every article to be stored", 90)
    assert _rows(db) == single_rows
    restarted.terminate()
    restarted.wait(30)
    # The dead worker's requests came back through their leases.
    requeued = re.search(r"requests re-queued (\d+)", cli.log("writer2"))
    assert requeued and int(requeued.group(1)) >= 1, cli.log("writer2")


def _records(base: str) -> list[ExtractedArticle | FetchFailure]:
    pages = demo_pages(base)
    records: list[ExtractedArticle | FetchFailure] = []
    for path in sorted(p for p in pages if p.startswith("/news/"))[:3]:
        url = base + path
        extraction = extract_page(pages[path].body, url)
        records.append(ExtractedArticle("demo", url, url, extraction))
    records.append(FetchFailure("demo", base + "/gone.html", "http_error", "page: HTTP 404", 404))
    return records


def test_writer_replays_an_unfinished_batch_without_storing_twice(server, tmp_path) -> None:
    records = _records("http://127.0.0.1:9")
    encoded = [distributed.encode_record(r) for r in records]
    assert [distributed.decode_record(e) for e in encoded] == records
    db = tmp_path / "w.db"
    # A writer died after committing the first two records, before acknowledging them.
    store = Store.open(db)
    with store.db.atomic():
        for record in records[:2]:
            distributed.store_record(store, record)
    server.lpush(distributed.PROCESSING, *encoded)
    server.lpush(distributed.RESULTS, encoded[-1])  # and a worker sent one record twice
    stats = distributed.run_writer(
        server, store, should_stop=lambda: distributed.pending(server) == 0, block_seconds=0.2
    )
    with sqlite3.connect(db) as conn:
        urls = [u for (u,) in conn.execute("SELECT url FROM articles ORDER BY url")]
        fetches = conn.execute("SELECT url, outcome FROM fetches").fetchall()
    store.close()
    assert urls == sorted(r.extraction.article.url for r in records[:3])
    assert fetches == [("http://127.0.0.1:9/gone.html", "http_error")]
    assert (stats.records, stats.articles_new, stats.failures) == (5, 1, 1)
    assert server.sismember(distributed.KNOWN, records[0].extraction.article.url)
    assert not server.sismember(distributed.KNOWN, "http://127.0.0.1:9/gone.html")  # retried
