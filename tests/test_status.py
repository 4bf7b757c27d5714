"""`newsdesk status` lets monitoring see a dead daemon: overdue sources exit 3.

Real SQLite files, a sources file, the real CLI in a child process; the last test runs
the real daemon against a local site and kills it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler.sources import Source
from crawler.store import Store
from jobs import lockfile
from jobs.daemon import overdue_since
from jobs.demo import demo_pages
from jobs.localsite import LocalSite, Page
from jobs.lockfile import LockHolder, lock_holder
from tests.sites import REPO_ROOT, newsdesk, wait_for

HOURLY = "0 * * * *"


def _sources(tmp_path: Path, schedule: str, base: str = "http://127.0.0.1:9") -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(
        f"""
[settings]
AUTOTHROTTLE_ENABLED = false
DOWNLOAD_DELAY = 0

[[source]]
id = "local"
name = "Local"
sitemaps = ["{base}/sitemaps/news.xml"]
allowed_domains = ["127.0.0.1"]
allow_private_network = true
backfill_days = 0
schedule = "{schedule}"
""",
        encoding="utf-8",
    )
    return path


def _db_with_run(
    tmp_path: Path, started: datetime, status: str = "finished", name: str = "n.db"
) -> Path:
    """A database whose one run of `local` started at `started` (as cron's runs do)."""
    db = tmp_path / name
    store = Store.open(db)
    store.db["runs"].insert(
        {"source": "local", "started": started.isoformat(timespec="seconds"), "status": status}
    )
    store.close()
    return db


def _status(sources: Path, db: Path, *args: str) -> subprocess.CompletedProcess:
    return newsdesk("status", "--sources", str(sources), "--db", str(db), *args)


def test_a_source_whose_scheduled_run_never_started_is_overdue(tmp_path: Path) -> None:
    now = datetime.now(UTC)
    sources = _sources(tmp_path, HOURLY)
    db = _db_with_run(tmp_path, now - timedelta(hours=3))
    result = _status(sources, db)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "overdue: scheduled" in result.stdout
    assert "daemon: no daemon" in result.stdout
    # Three hours late is within a grace of four.
    relaxed = _status(sources, db, "--grace", str(4 * 3600))
    assert relaxed.returncode == 0, relaxed.stdout
    assert "overdue" not in relaxed.stdout


def test_a_run_started_since_the_schedule_is_not_overdue(tmp_path: Path) -> None:
    sources = _sources(tmp_path, HOURLY)
    db = _db_with_run(tmp_path, datetime.now(UTC))
    result = _status(sources, db, "--grace", "0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "overdue" not in result.stdout


def test_overdue_wins_over_a_failed_last_run(tmp_path: Path) -> None:
    sources = _sources(tmp_path, HOURLY)
    db = _db_with_run(tmp_path, datetime.now(UTC) - timedelta(days=2), status="failed")
    assert _status(sources, db).returncode == 3
    fresh = _db_with_run(tmp_path, datetime.now(UTC), "failed", name="fresh.db")
    assert _status(sources, fresh).returncode == 1


def test_never_run_source_is_overdue_once_its_schedule_passed(tmp_path: Path) -> None:
    sources = _sources(tmp_path, HOURLY)
    db = tmp_path / "n.db"
    Store.open(db).close()
    result = _status(sources, db)
    assert result.returncode == 3
    assert "local: never run" in result.stdout and "overdue" in result.stdout


@pytest.mark.parametrize("grace", ["-1", "soon"])
def test_bad_grace_is_bad_input(tmp_path: Path, grace: str) -> None:
    sources = _sources(tmp_path, HOURLY)
    db = _db_with_run(tmp_path, datetime.now(UTC))
    assert _status(sources, db, "--grace", grace).returncode == 2


@pytest.mark.skipif(sys.platform != "linux", reason="the daemon needs Linux")
def test_status_sees_the_daemon_and_then_that_it_died(tmp_path: Path) -> None:
    pages: dict[str, Page] = {}
    site = LocalSite(pages).start()
    pages.update(demo_pages(site.base_url))
    sources = _sources(tmp_path, "*/2 * * * * *", site.base_url)  # every 2 seconds
    db = tmp_path / "n.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    daemon = subprocess.Popen(
        [sys.executable, "-m", "jobs.cli", "daemon", "--sources", str(sources), "--db", str(db)],
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def finished_runs() -> list[tuple]:
            if not db.exists():
                return []
            with sqlite3.connect(db, timeout=30) as conn:
                try:
                    return conn.execute("SELECT id FROM runs WHERE status = 'finished'").fetchall()
                except sqlite3.OperationalError:  # tables not created yet
                    return []

        wait_for(finished_runs, "a finished run of the daemon", timeout=120)
        alive = _status(sources, db, "--grace", "600")
        assert alive.returncode == 0, alive.stdout + alive.stderr
        assert f"daemon: pid {daemon.pid}" in alive.stdout

        daemon.send_signal(signal.SIGKILL)
        daemon.wait(30)

        # Runs stop starting: within a few schedule periods the source is overdue.
        dead = wait_for(
            lambda: (r := _status(sources, db, "--grace", "3")).returncode == 3 and r,
            "status to report the source overdue",
            timeout=90,
            interval=1,
        )
        assert "daemon: no daemon" in dead.stdout
        assert "overdue: scheduled" in dead.stdout
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait(10)
        site.stop()


@pytest.fixture
def held_lock(tmp_path: Path):
    """`<db>.daemon.lock` held by another process, as cron's `flock -n ... newsdesk run`."""
    lock = tmp_path / "n.db.daemon.lock"
    lock.write_text("4242\n")  # a daemon that took it long ago wrote its pid
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_AND_WAIT, str(lock)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "locked"
    yield lock, holder.pid
    holder.kill()
    holder.wait(10)


LOCK_AND_WAIT = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
print("locked", flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(not Path("/proc/locks").exists(), reason="needs Linux's /proc/locks")
def test_a_lock_held_by_another_process_is_named(tmp_path: Path, held_lock) -> None:
    lock, pid = held_lock
    holder = lock_holder(lock)
    assert holder.held and holder.pid == pid and holder.written_pid == 4242
    assert holder.describe() == f"none; pid {pid} holds the lock (a crawl run under flock?)"
    # Looking did not take the lock: a daemon could still not get it now, nor after.
    assert lock_holder(lock).held


def test_without_proc_locks_a_held_lock_is_still_seen(
    tmp_path: Path, held_lock, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock, _ = held_lock
    monkeypatch.setattr(lockfile, "PROC_LOCKS", tmp_path / "no-proc-locks")
    assert lock_holder(lock) == LockHolder(held=True, written_pid=4242)
    assert lock_holder(tmp_path / "missing.lock") == LockHolder(held=False)


NOW = datetime(2026, 3, 10, 12, 0, 30, tzinfo=UTC)
GRACE = timedelta(seconds=900)


def _source(schedule: str) -> Source:
    return Source(id="s", name="s", feeds=("http://example.org/rss",), schedule=schedule)


@pytest.mark.parametrize(
    ("schedule", "started", "overdue"),
    [
        # Every minute: the latest fire time is always recent; one 15 minutes back is not.
        ("* * * * *", "2026-03-10T11:00:00+00:00", "2026-03-10T11:45:00+00:00"),
        ("* * * * *", "2026-03-10T11:50:00+00:00", None),
        # Hourly at :00; the 12:00 run is not late yet, the 11:00 one was answered.
        ("0 * * * *", "2026-03-10T11:00:02+00:00", None),
        ("0 * * * *", "2026-03-10T10:00:02+00:00", "2026-03-10T11:00:00+00:00"),
        # Daily at 06:00, answered late by a run at 09:00 (cron after a reboot).
        ("0 6 * * *", "2026-03-10T09:00:00+00:00", None),
        ("0 6 * * *", "2026-03-09T06:00:05+00:00", "2026-03-10T06:00:00+00:00"),
        (HOURLY, None, "2026-03-10T11:00:00+00:00"),  # never ran
    ],
)
def test_overdue_since(schedule: str, started: str | None, overdue: str | None) -> None:
    last = None if started is None else {"started": started, "status": "finished"}
    found = overdue_since(_source(schedule), last, NOW, GRACE)
    assert (found.isoformat() if found else None) == overdue
