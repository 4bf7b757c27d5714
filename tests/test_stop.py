"""Stopping `newsdesk run` with Ctrl-C (SIGINT): fast, and with true records.

The real CLI runs in a child process against a local site whose article pages, after
the first few, answer only after half a minute: a stop that waited for downloads in
flight would take that long. Deadlines are generous (the contract is 3 s) because the
suite runs on two busy cores; the times measured are printed with `pytest -s`.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.store import Store, utc_now
from jobs.demo import demo_pages, load_demo_articles
from jobs.localsite import LocalSite
from tests.sites import REPO_ROOT, SlowingSite, newsdesk, wait_for

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="signals as on Linux")

ARTICLES = load_demo_articles()
STOP_DEADLINE = 15.0  # the contract is 3 s; a stop that waited for a download takes 30


@pytest.fixture
def slowing() -> Iterator[list[SlowingSite]]:
    sites: list[SlowingSite] = []
    yield sites
    for site in sites:
        site.stop()


def write_sources(path: Path, base: str, settings: str = "") -> Path:
    path.write_text(
        f"""
[settings]
AUTOTHROTTLE_ENABLED = false
DOWNLOAD_DELAY = 0
CONCURRENT_REQUESTS_PER_DOMAIN = 4
{settings}

[[source]]
id = "local"
name = "Local"
sitemaps = ["{base}/sitemaps/news.xml"]
allowed_domains = ["127.0.0.1"]
allow_private_network = true
backfill_days = 0
""",
        encoding="utf-8",
    )
    return path


def start_run(sources: Path, db: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    environment |= env or {}
    return subprocess.Popen(
        [sys.executable, "-m", "jobs.cli", "run", "--sources", str(sources), "--db", str(db)],
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def query(db: Path, sql: str, *args: object) -> list[tuple]:
    if not db.exists():
        return []
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError:  # tables not created yet
        return []
    finally:
        conn.close()


def stored(db: Path) -> int:
    rows = query(db, "SELECT COUNT(*) FROM articles")
    return rows[0][0] if rows else 0


def run_rows(db: Path) -> list[dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM runs ORDER BY id")]
    finally:
        conn.close()


def stop_with(process: subprocess.Popen, *signals: int, gap: float = 0.0) -> float:
    """Send the signals (gap seconds apart); seconds from the first until it exited."""
    started = time.monotonic()
    for n, signum in enumerate(signals):
        if n:
            time.sleep(gap)
        if process.poll() is None:
            process.send_signal(signum)
    process.wait(60)
    return time.monotonic() - started


def test_one_ctrl_c_stops_within_seconds_keeps_articles_and_records_interrupted(
    slowing: list[SlowingSite], tmp_path: Path
) -> None:
    site = SlowingSite(fast=3)
    slowing.append(site)
    db = tmp_path / "n.db"
    sources = write_sources(tmp_path / "sources.toml", site.base_url)
    process = start_run(sources, db)
    try:
        wait_for(lambda: stored(db) >= 3, "the fast articles stored", timeout=90)
        # The next pages are in flight now, each answering only after half a minute.
        wait_for(lambda: site.articles_served > 4, "slow downloads in flight")
        seconds = stop_with(process, signal.SIGINT)
    finally:
        if process.poll() is None:
            process.kill()
    out, err = process.communicate()
    print(f"\none SIGINT: stopped in {seconds:.2f} s")
    assert seconds < STOP_DEADLINE, (seconds, out, err)
    assert process.returncode == 1, out + err
    # One line, at once; nothing else (no traceback, no Scrapy log).
    assert err == "stopping... (press Ctrl-C again to stop at once)\n"
    assert "local: interrupted (stopped by a signal" in out
    assert "new articles 3," in out

    (run,) = run_rows(db)
    assert run["status"] == "interrupted" and run["finished"]
    assert run["articles_new"] == stored(db) == 3
    assert run["pid"] == process.pid and run["host"] == socket.gethostname()
    # Abandoned downloads are no failures: nothing recorded, so they are fetched again.
    assert run["failures"] == 0
    assert query(db, "SELECT COUNT(*) FROM fetches")[0][0] == 0

    # The next run (the site answering fast again) stores the rest, each article once.
    site.fast = 10_000
    result = newsdesk("run", "--sources", str(sources), "--db", str(db))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"new articles {len(ARTICLES) - 3}," in result.stdout
    assert stored(db) == len(ARTICLES)
    assert query(db, "SELECT COUNT(DISTINCT url) FROM articles")[0][0] == len(ARTICLES)


def test_second_ctrl_c_stops_at_once_with_true_counts(
    slowing: list[SlowingSite], tmp_path: Path
) -> None:
    # Pages take 1 s to download; once the flag file exists, extraction of every page
    # takes a minute, and a stop would wait a minute for it: only a second Ctrl-C helps.
    site = SlowingSite(fast=10_000, page_delay=1.0)
    slowing.append(site)
    db, flag = tmp_path / "n.db", tmp_path / "slow-extraction"
    settings = (
        'NEWSDESK_EXTRACT_TASK = "tests.slow_extraction.slow_when_flagged"\n'
        "NEWSDESK_STOP_EXTRACT_SECONDS = 120\n"
        "NEWSDESK_EXTRACT_WORKERS = 2\n"
        "CONCURRENT_REQUESTS = 2\n"  # ~17 s of downloads: pages keep coming
    )
    sources = write_sources(tmp_path / "sources.toml", site.base_url, settings)
    process = start_run(sources, db, {"NEWSDESK_TEST_SLOW_EXTRACTION_FLAG": str(flag)})
    try:
        wait_for(lambda: stored(db) >= 3, "a few articles stored", timeout=90)
        flag.touch()
        served = site.articles_served
        wait_for(lambda: site.articles_served >= served + 3, "pages stuck in extraction")
        process.send_signal(signal.SIGINT)
        time.sleep(2)
        assert process.poll() is None, "the first stop should still wait for extraction"
        seconds = stop_with(process, signal.SIGINT)
    finally:
        if process.poll() is None:
            process.kill()
    out, err = process.communicate()
    print(f"\nsecond SIGINT: exited {seconds:.2f} s after it")
    assert seconds < STOP_DEADLINE, (seconds, out, err)
    assert process.returncode == 1, out + err
    assert err.splitlines() == [
        "stopping... (press Ctrl-C again to stop at once)",
        "stopping at once; recording what was stored",
    ]

    (run,) = run_rows(db)
    count = stored(db)
    assert count >= 3
    assert run["status"] == "interrupted" and run["finished"]
    assert run["reason"] == "stopped at once by a second signal"
    assert run["articles_new"] == count
    assert f"new articles {count}," in out
    assert query(db, "PRAGMA integrity_check")[0][0] == "ok"


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_next_run_closes_runs_left_running_by_dead_processes(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    store = Store.open(db)
    host, now = socket.gethostname(), utc_now()
    rows = [
        {"pid": _dead_pid(), "host": host, "started": now},
        # This test's pid, but the run is older than this process: pid reused, run dead.
        {"pid": os.getpid(), "host": host, "started": "2020-01-01T00:00:00+00:00"},
        # Still alive (this test, started before the run), or on another machine: maybe
        # crawling, left alone.
        {"pid": os.getpid(), "host": host, "started": now},
        {"pid": 1, "host": "elsewhere.example", "started": now},
    ]
    for row in rows:
        store.db["runs"].insert(row | {"source": "old", "status": "running"})
    store.close()
    site = LocalSite(demo_pages("")).start()  # listings' URLs are made absolute below
    try:
        site.pages.update(demo_pages(site.base_url))
        sources = write_sources(tmp_path / "sources.toml", site.base_url)
        result = newsdesk("run", "--sources", str(sources), "--db", str(db))
    finally:
        site.stop()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "closed run(s) 1, 2: left running by a process that had ended" in result.stdout
    runs = run_rows(db)
    for run in runs[:2]:
        assert run["status"] == "interrupted" and run["finished"]
        assert run["reason"] == f"left running by process {run['pid']}, which had ended"
    assert [r["status"] for r in runs[2:]] == ["running", "running", "finished"]
