"""The real `newsdesk daemon` in a child process, crawling the demo site on 127.0.0.1.

Schedules fire every few seconds (6-field cron). Every wait polls the database or the
daemon's log against a deadline.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.schedule import cron_trigger
from crawler.sources import Source
from crawler.store import Store
from jobs.daemon import SHUTDOWN_KILL_REASON, missed_fire_time, previous_fire_time
from jobs.demo import demo_pages, load_demo_articles
from jobs.localsite import LocalSite
from tests.sites import REPO_ROOT, SlowingSite, newsdesk, wait_for

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the daemon needs Linux")

ARTICLES = load_demo_articles()
EVERY_3S = "*/3 * * * * *"
YEARLY = "0 0 1 1 *"  # fires on 1 January only: no scheduled run during a test

# One request at a time, so that a crawl of the slow site takes a few seconds.
SETTINGS = """
[settings]
AUTOTHROTTLE_ENABLED = false
DOWNLOAD_DELAY = 0
CONCURRENT_REQUESTS_PER_DOMAIN = 1
"""


def _serve(delay: float) -> LocalSite:
    pages: dict = {}
    site = LocalSite(pages).start()
    for path, page in demo_pages(site.base_url).items():
        pages[path] = replace(page, delay=delay) if path.startswith("/news/") else page
    return site


@pytest.fixture(scope="module")
def fast_site() -> Iterator[LocalSite]:
    site = _serve(0)
    yield site
    site.stop()


@pytest.fixture(scope="module")
def slow_site() -> Iterator[LocalSite]:
    # Slow enough that fetching, not extraction in the worker pool, paces the crawl.
    site = _serve(0.4)
    yield site
    site.stop()


def write_sources(path: Path, *sources: tuple[str, LocalSite, str], extra: str = "") -> Path:
    """A sources file of (id, site, schedule): each crawls its site's news sitemap."""
    tables = "".join(
        f"""
[[source]]
id = "{source_id}"
name = "Local {source_id}"
sitemaps = ["{site.base_url}/sitemaps/news.xml"]
allowed_domains = ["127.0.0.1"]
allow_private_network = true
backfill_days = 0
schedule = "{schedule}"
"""
        for source_id, site, schedule in sources
    )
    path.write_text(SETTINGS + extra + tables, encoding="utf-8")
    return path


class DaemonProcess:
    """`newsdesk daemon` running in a child process, its stderr in a file."""

    def __init__(self, sources: Path, db: Path, log: Path) -> None:
        self.log = log
        self.log_offset = log.stat().st_size if log.exists() else 0
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
        with log.open("ab") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "jobs.cli", "daemon", "--sources", str(sources)]
                + ["--db", str(db)],
                cwd=REPO_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )

    def text(self) -> str:
        """What this daemon logged (not earlier daemons on the same log)."""
        with self.log.open("rb") as f:
            f.seek(self.log_offset)
            return f.read().decode(errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 40) -> tuple[int, float]:
        started = time.monotonic()
        self.process.send_signal(sig)
        code = self.process.wait(timeout)
        return code, time.monotonic() - started

    def child_pids(self, source: str) -> list[int]:
        return [
            int(p) for p in re.findall(rf"run started: {source} \(\S+, pid (\d+)\)", self.text())
        ]

    def kill_if_running(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def daemons() -> Iterator[list[DaemonProcess]]:
    started: list[DaemonProcess] = []
    yield started
    for daemon in started:
        daemon.kill_if_running()


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


def runs(db: Path, source: str | None = None) -> list[dict]:
    keys = ("id", "source", "started", "status", "reason", "articles_new")
    rows = query(db, f"SELECT {', '.join(keys)} FROM runs ORDER BY id")
    found = [dict(zip(keys, row, strict=True)) for row in rows]
    return [r for r in found if source is None or r["source"] == source]


def article_paths(db: Path) -> set[str]:
    return {re.sub(r"^http://[^/]+", "", url) for (url,) in query(db, "SELECT url FROM articles")}


def integrity(db: Path) -> str:
    return query(db, "PRAGMA integrity_check")[0][0]


def process_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return True
    return state in ("Z", "X")  # a zombie no longer runs


def test_scheduled_runs_reload_second_daemon_and_status(
    fast_site: LocalSite, tmp_path: Path, daemons: list[DaemonProcess]
) -> None:
    db, log = tmp_path / "n.db", tmp_path / "daemon.log"
    sources = write_sources(tmp_path / "sources.toml", ("local", fast_site, EVERY_3S))
    daemon = DaemonProcess(sources, db, log)
    daemons.append(daemon)

    def scheduled_and_finished() -> bool:
        scheduled = daemon.text().count("run started: local (scheduled")
        finished = [r for r in runs(db) if r["status"] == "finished"]
        # The first run is the catch-up of a source that never ran.
        return scheduled >= 2 and len(finished) >= 3

    wait_for(scheduled_and_finished, "two scheduled runs recorded")
    assert len(article_paths(db)) == len(ARTICLES)
    assert "run ended: local run 1 finished" in daemon.text()

    started = time.monotonic()
    second = newsdesk("daemon", "--sources", str(sources), "--db", str(db), timeout=30)
    assert second.returncode == 2
    assert "already running" in second.stderr and str(db) in second.stderr
    assert time.monotonic() - started < 15

    status = newsdesk("status", "--sources", str(sources), "--db", str(db))
    assert status.returncode == 0, status.stdout + status.stderr
    assert re.search(
        r"^local: last run \d+ (finished|running) .*; next 20\d\d-", status.stdout, re.M
    )

    # SIGHUP: a broken file keeps the old configuration; a good one adds a source.
    sources.write_text(sources.read_text() + "\n[[source]]\nid = 1\n", encoding="utf-8")
    daemon.process.send_signal(signal.SIGHUP)
    wait_for(lambda: "keeping the previous configuration" in daemon.text(), "reload refused")
    write_sources(sources, ("local", fast_site, EVERY_3S), ("second", fast_site, EVERY_3S))
    daemon.process.send_signal(signal.SIGHUP)
    wait_for(
        lambda: [r for r in runs(db, "second") if r["status"] == "finished"],
        "a run of the source added by SIGHUP",
    )
    assert daemon.process.poll() is None

    code, seconds = daemon.stop()
    assert code == 0 and seconds < 30
    assert "stopped" in daemon.text()


def test_sigterm_stops_the_daemon_within_seconds_in_the_middle_of_a_crawl(
    tmp_path: Path, daemons: list[DaemonProcess]
) -> None:
    # After three articles, each page answers only after 30 s: the crawl has downloads in
    # flight when SIGTERM comes, and a stop that waited for them would take 30 s.
    site = SlowingSite(fast=3)
    try:
        db = tmp_path / "n.db"
        sources = write_sources(tmp_path / "sources.toml", ("slow", site, YEARLY))
        daemon = DaemonProcess(sources, db, tmp_path / "daemon.log")
        daemons.append(daemon)
        # Catch-up at start (never ran); stop it once a few articles are in.
        wait_for(lambda: len(article_paths(db)) >= 3, "a crawl under way", timeout=90)
        wait_for(lambda: site.articles_served > 3, "slow downloads in flight")

        code, seconds = daemon.stop(signal.SIGTERM)
    finally:
        site.stop()
    print(f"\ndaemon SIGTERM mid-crawl: exited in {seconds:.2f} s")
    assert code == 0
    assert seconds < 12  # the contract is 5 s; margin for a loaded machine
    (run,) = runs(db)
    assert run["status"] == "interrupted"
    stored = query(db, "SELECT COUNT(*) FROM articles WHERE run_id = ?", run["id"])[0][0]
    assert run["articles_new"] == stored == 3
    assert integrity(db) == "ok"


def test_sigkill_then_restart_completes_the_crawl(
    fast_site: LocalSite, tmp_path: Path, daemons: list[DaemonProcess], request
) -> None:
    # What an uninterrupted crawl stores.
    whole = write_sources(tmp_path / "whole.toml", ("slow", fast_site, YEARLY))
    result = newsdesk("run", "--sources", str(whole), "--db", str(tmp_path / "whole.db"))
    assert result.returncode == 0, result.stderr
    expected = article_paths(tmp_path / "whole.db")
    assert expected

    db, log = tmp_path / "n.db", tmp_path / "daemon.log"
    # Three articles, then pages that hang: the crawl is surely under way when killed.
    slowing = SlowingSite(fast=3)
    request.addfinalizer(slowing.stop)
    sources = write_sources(tmp_path / "sources.toml", ("slow", slowing, YEARLY))
    first = DaemonProcess(sources, db, log)
    daemons.append(first)
    wait_for(lambda: len(article_paths(db)) >= 3, "a crawl under way")
    first.stop(signal.SIGKILL, timeout=10)
    # The crawl dies with the daemon (PR_SET_PDEATHSIG): no orphan keeps writing.
    (child,) = first.child_pids("slow")
    wait_for(lambda: process_gone(child), "the crawl process to die with the daemon")

    assert integrity(db) == "ok"
    (killed,) = runs(db)
    assert killed["status"] == "running"
    partial = article_paths(db)
    assert 0 < len(partial) < len(expected)

    slowing.fast = 10_000  # the site answers again
    second = DaemonProcess(sources, db, log)
    daemons.append(second)
    # The killed run does not count as done: the source is caught up at once.
    wait_for(
        lambda: runs(db)[-1]["status"] == "finished", "the crawl after the restart", timeout=90
    )
    assert runs(db)[0]["status"] == "interrupted"
    assert runs(db)[0]["reason"] == f"left running by process {child}, which had ended"
    assert article_paths(db) == expected
    assert integrity(db) == "ok"
    # Each article was written whole: body, URL aliases and all.
    assert not query(
        db, "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM article_urls)"
    )
    code, seconds = second.stop()
    assert code == 0 and seconds < 30


def test_missed_run_is_caught_up_once(
    fast_site: LocalSite, tmp_path: Path, daemons: list[DaemonProcess]
) -> None:
    db, log = tmp_path / "n.db", tmp_path / "daemon.log"
    sources = write_sources(tmp_path / "sources.toml", ("local", fast_site, YEARLY))
    store = Store.open(db)
    # Last crawled before this year's 1 January run was due: one run was missed (or many).
    store.db["runs"].insert(
        {
            "source": "local",
            "started": "2024-06-01T06:00:00+00:00",
            "finished": "2024-06-01T06:01:00+00:00",
            "status": "finished",
        }
    )
    store.close()

    first = DaemonProcess(sources, db, log)
    daemons.append(first)
    wait_for(lambda: len(runs(db)) == 2 and runs(db)[1]["status"] == "finished", "the catch-up")
    assert first.text().count("run started: local (catch-up") == 1
    assert first.stop()[0] == 0

    second = DaemonProcess(sources, db, log)
    daemons.append(second)
    wait_for(lambda: "ready:" in second.text(), "the restarted daemon")
    # Catch-up runs start before "ready" is logged: none did.
    assert "run started" not in second.text()
    assert len(runs(db)) == 2
    assert second.stop()[0] == 0

    status = newsdesk("status", "--sources", str(sources), "--db", str(db))
    assert status.returncode == 0
    assert "local: last run 2 finished" in status.stdout and "next 2027-01-01" in status.stdout


def test_a_crashing_crawl_does_not_stop_the_others(
    slow_site: LocalSite, fast_site: LocalSite, tmp_path: Path, daemons: list[DaemonProcess]
) -> None:
    db = tmp_path / "n.db"
    sources = write_sources(
        tmp_path / "sources.toml", ("crashy", slow_site, EVERY_3S), ("steady", fast_site, EVERY_3S)
    )
    daemon = DaemonProcess(sources, db, tmp_path / "daemon.log")
    daemons.append(daemon)
    # The crawl process dies abruptly mid-crawl (as on an out-of-memory kill).
    wait_for(
        lambda: [r for r in runs(db, "crashy") if r["status"] == "running"],
        "the crawl of crashy under way",
    )
    os.kill(daemon.child_pids("crashy")[-1], signal.SIGKILL)

    def crash_recorded() -> list[dict]:
        reason = "crawl process killed by SIGKILL"
        return [r for r in runs(db, "crashy") if r["status"] == "failed" and r["reason"] == reason]

    (crashed,) = wait_for(crash_recorded, "the crash recorded")

    def carried_on() -> bool:
        later = [r for r in runs(db) if r["id"] > crashed["id"]]
        steady = [r for r in later if r["source"] == "steady" and r["status"] == "finished"]
        return len(steady) >= 2 and any(r["source"] == "crashy" for r in later)

    wait_for(carried_on, "both sources to keep running")
    assert daemon.process.poll() is None
    assert daemon.stop()[0] == 0
    # Monitoring sees a failure while it is the source's last run.
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO runs (source, started, status, reason) VALUES (?, ?, ?, ?)",
            ["crashy", datetime.now(UTC).isoformat(), "failed", "crawl process killed by SIGKILL"],
        )
    conn.close()
    status = newsdesk("status", "--sources", str(sources), "--db", str(db))
    assert status.returncode == 1
    assert re.search(r"^crashy: last run \d+ failed .*SIGKILL", status.stdout, re.M)


# -- the catch-up rule, on fixed times --------------------------------------------

NOW = datetime(2026, 3, 10, 12, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("expression", "timezone", "previous"),
    [
        ("*/4 * * * * *", "UTC", "2026-03-10T12:00:28+00:00"),
        ("0 6 * * *", "UTC", "2026-03-10T06:00:00+00:00"),
        ("20 */3 * * *", "UTC", "2026-03-10T09:20:00+00:00"),
        ("0 0 1 1 *", "UTC", "2026-01-01T00:00:00+00:00"),
        ("0 0 29 2 *", "UTC", "2024-02-29T00:00:00+00:00"),
        ("0 6 * * 0", "UTC", "2026-03-08T06:00:00+00:00"),  # crontab's Sunday
        ("0 6 * * *", "Europe/Kyiv", "2026-03-10T04:00:00+00:00"),  # 06:00 at UTC+2
    ],
)
def test_previous_fire_time(expression: str, timezone: str, previous: str) -> None:
    found = previous_fire_time(cron_trigger(expression, timezone), NOW)
    assert found is not None and found.astimezone(UTC).isoformat() == previous


def _run(started: str, status: str = "finished", reason: str | None = None) -> dict:
    return {"started": started, "status": status, "reason": reason}


def test_missed_fire_time_counts_only_runs_that_ran_their_course() -> None:
    source = Source(id="s", name="s", feeds=("http://example.org/rss",), schedule="0 6 * * *")
    due = datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
    assert missed_fire_time(source, [], NOW) == due  # never ran
    assert missed_fire_time(source, [_run("2026-03-09T06:00:02+00:00")], NOW) == due
    assert missed_fire_time(source, [_run("2026-03-10T06:00:01+00:00")], NOW) is None
    failed = _run("2026-03-10T06:00:01+00:00", "failed", "crawl process killed by SIGKILL")
    assert missed_fire_time(source, [failed], NOW) is None  # it ran, and failed
    for cut_short in (
        _run("2026-03-10T06:00:01+00:00", "interrupted", "spider closed: shutdown"),
        _run("2026-03-10T06:00:01+00:00", "failed", "daemon restarted"),
        _run("2026-03-10T06:00:01+00:00", "failed", SHUTDOWN_KILL_REASON),
    ):
        older = _run("2026-03-09T06:00:01+00:00")
        assert missed_fire_time(source, [cut_short, older], NOW) == due
