"""`newsdesk daemon` and `newsdesk status`: every source crawled on its schedule, unattended.

The daemon never crawls itself. Each run is a child process (`newsdesk run --source ID`):
Twisted's reactor cannot be restarted in one process, and a child that crashes or
overruns can be killed without taking the scheduler down. APScheduler only says when a
source is due; one loop in the main thread starts, watches and reaps the children and
handles signals, so the daemon's state is never shared between threads.

What a run did is judged from the `runs` table alone (a child records its own run), so
catch-up after downtime and `newsdesk status` work across restarts.
"""

from __future__ import annotations

import ctypes
import logging
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from crawler.schedule import cron_trigger
from crawler.sources import (
    Source,
    SourcesConfig,
    SourcesError,
    parse_sources,
    require_sources,
)
from crawler.speaker_corrections import speakers_path
from crawler.store import Store, utc_now
from jobs import options
from jobs.lockfile import lock_holder

logger = logging.getLogger("newsdesk.daemon")

# A child asked to stop (shutdown, overrun) with SIGTERM stops within a few seconds
# (crawler.shutdown). One still running after FORCE_SECONDS gets a second SIGTERM, which
# records its run at once and exits; after KILL_SECONDS it is killed. The daemon so
# stops within 5 s of SIGTERM, even in the middle of a crawl.
FORCE_SECONDS = 3.0
KILL_SECONDS = 4.5
TICK_SECONDS = 0.25

# Reasons the daemon writes into `runs`. Runs cut short by the daemon's own death or
# shutdown do not count as done: the source is caught up at the next start.
STALE_REASON = "daemon restarted"
SHUTDOWN_PREFIX = "daemon shutdown"
SHUTDOWN_KILL_REASON = f"{SHUTDOWN_PREFIX}: killed, it did not stop within {KILL_SECONDS:.1f} s"


class DaemonLocked(RuntimeError):
    """Another daemon holds the database's lock file."""


# -- schedule arithmetic ------------------------------------------------------


def previous_fire_time(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The last time at or before `now` that the trigger fired.

    APScheduler 3 only looks forward, so look forward from ever earlier starts until a
    fire time falls before now, then step to the last one.
    """
    span = timedelta(minutes=1)
    while span <= timedelta(days=366 * 30):  # Feb 29 on a given weekday: every 28 years
        fire = trigger.get_next_fire_time(None, now - span)
        if fire is not None and fire <= now:
            while True:
                following = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
                if following is None or following > now:
                    return fire
                fire = following
        span *= 2
    return None


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def counts_as_done(run: dict[str, Any]) -> bool:
    """A run that ran its course, well or badly; not one the daemon itself cut short."""
    cut_short = (run["reason"] or "").startswith((STALE_REASON, SHUTDOWN_PREFIX))
    return run["status"] != "interrupted" and not cut_short


def missed_fire_time(
    source: Source, runs: Sequence[dict[str, Any]], now: datetime
) -> datetime | None:
    """The fire time of `source` that no run answered, if any (runs newest first).

    A source that never ran has missed its schedule too.
    """
    due = previous_fire_time(cron_trigger(source.schedule, source.timezone), now)
    if due is None:
        return None
    done = [_parse_time(r["started"]) for r in runs if counts_as_done(r)]
    if done and max(done) >= due:
        return None
    return due


def next_fire_time(source: Source, now: datetime) -> datetime | None:
    return cron_trigger(source.schedule, source.timezone).get_next_fire_time(None, now)


def overdue_since(
    source: Source, last_run: dict[str, Any] | None, now: datetime, grace: timedelta
) -> datetime | None:
    """The scheduled time of `source` that no run answered within `grace`, if any.

    That is the latest fire time at least `grace` ago, when no run has started since
    (any run: one that failed was at least started). Whoever starts runs, a daemon or
    cron, has then stopped doing so. Looking back from now - grace, rather than taking
    the latest fire time, keeps a source scheduled every minute from never being late.
    """
    due = previous_fire_time(cron_trigger(source.schedule, source.timezone), now - grace)
    if due is None:
        return None
    if last_run is not None and _parse_time(last_run["started"]) >= due:
        return None
    return due


# -- files next to the database -------------------------------------------------


def lock_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.daemon.lock")


def acquire_lock(db_path: str | Path) -> int:
    """Hold `<db>.daemon.lock` for the life of this process; DaemonLocked if taken.

    The file is removed when the daemon stops (`release_lock`), so a lock taken on a
    file that was just removed is retried on the new one: two daemons never both
    believe they hold the lock.
    """
    import fcntl  # POSIX only; imported here so the CLI still loads elsewhere

    path = lock_path(db_path)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise DaemonLocked(
                f"another newsdesk daemon (pid {holder}) is already running on {db_path} "
                f"({path} is locked)"
            ) from None
        try:
            same_file = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same_file = False
        if same_file:
            break
        os.close(fd)  # the previous holder removed it as we opened it: take the new one
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def release_lock(db_path: str | Path, fd: int) -> None:
    """Remove the lock file, then let go of the lock (in this order, see acquire_lock)."""
    lock_path(db_path).unlink(missing_ok=True)
    os.close(fd)


def read_config(path: str | Path) -> tuple[SourcesConfig, str]:
    """The validated sources file and its exact text (SourcesError when unusable, or
    when it configures no source: a reload to an empty file keeps the running config)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesError(f"{path}: cannot read the sources file: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from None
    return require_sources(parse_sources(data, path), path), text


def _write_atomically(path: Path, text: str) -> None:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temp, path)


# -- the daemon ---------------------------------------------------------------


@dataclass
class Child:
    """One crawl running in a child process."""

    source: Source
    process: subprocess.Popen[bytes]
    output: IO[bytes]
    after_run_id: int  # runs this child records get larger ids
    started: str
    started_clock: float
    deadline: float | None
    stop_asked: float | None = None
    forced: bool = False  # sent the second SIGTERM
    killed: bool = False
    # Set when the daemon stopped the run: the run is recorded failed with this reason.
    fail_reason: str | None = None


def _output_tail(output: IO[bytes]) -> str:
    output.seek(0, os.SEEK_END)
    output.seek(max(0, output.tell() - 4000))
    lines = [line.strip() for line in output.read().decode(errors="replace").splitlines()]
    lines = [line for line in lines if line]
    return lines[-1][:300] if lines else ""


def _exit_reason(returncode: int, tail: str) -> str:
    if returncode < 0:
        return f"crawl process killed by {signal.Signals(-returncode).name}"
    reason = f"crawl process exited with code {returncode}"
    return f"{reason}: {tail}" if tail else reason


@dataclass
class Daemon:
    """Schedules the sources of `sources_path` into the database at `db_path`.

    Hold the lock (`acquire_lock`) before `run()`: the start-up clean-up assumes that
    no other crawl writes to the database.
    """

    sources_path: Path
    db_path: Path
    config: SourcesConfig
    config_text: str
    events: queue.SimpleQueue[tuple[str, Any]] = field(default_factory=queue.SimpleQueue)
    children: dict[str, Child] = field(default_factory=dict)
    pending: dict[str, str] = field(default_factory=dict)  # source id -> why it is due
    stopping_since: float | None = None

    def __post_init__(self) -> None:
        # Children read this copy, so a broken edit of the sources file (before or
        # without SIGHUP) never reaches them: they crawl the last config that validated.
        self.snapshot = Path(f"{self.db_path}.daemon-sources.toml")
        _write_atomically(self.snapshot, self.config_text)
        self.scheduler = BackgroundScheduler(timezone=UTC)

    # -- main loop --

    def run(self) -> int:
        self._install_signal_handlers()
        store = Store.open(self.db_path)
        try:
            # The lock says no other daemon runs; a `newsdesk run` from cron may, and its
            # run is left alone while its process exists.
            stale = store.close_dead_runs(ownerless=True)
            if stale:
                ids = ", ".join(str(i) for i in stale)
                logger.info("closed run(s) %s left running by a process that had ended", ids)
            now = datetime.now(UTC)
            for source in self.config.sources:
                missed = missed_fire_time(source, store.latest_runs(source.id), now)
                if missed is not None:
                    logger.info("catch-up: %s missed its run due %s", source.id, missed.isoformat())
                    self.pending[source.id] = "catch-up"
        finally:
            store.close()
        self._schedule()
        self.scheduler.start()
        self._start_pending()
        logger.info(
            "ready: %d source(s), at most %d run(s) at a time, pid %d",
            len(self.config.sources),
            self.config.max_parallel_runs,
            os.getpid(),
        )
        while True:
            self._handle_events()
            self._reap()
            self._kill_stragglers()
            if self.stopping_since is not None:
                if not self.children:
                    break
            else:
                self._enforce_deadlines()
                self._start_pending()
        logger.info("stopped")
        return 0

    def _install_signal_handlers(self) -> None:
        # SimpleQueue.put is reentrant, so it is safe inside a signal handler.
        def handler(signum: int, frame: object) -> None:
            self.events.put(("signal", signum))

        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, handler)

    def _handle_events(self) -> None:
        try:
            event = self.events.get(timeout=TICK_SECONDS)
        except queue.Empty:
            return
        while True:
            kind, value = event
            if kind == "due":
                self._due(value, "scheduled")
            elif value == signal.SIGHUP:
                self._reload()
            else:
                self._begin_shutdown(signal.Signals(value).name)
            try:
                event = self.events.get_nowait()
            except queue.Empty:
                return

    # -- scheduling --

    def _schedule(self) -> None:
        self.scheduler.remove_all_jobs()
        for source in self.config.sources:
            self.scheduler.add_job(
                self.events.put,
                cron_trigger(source.schedule, source.timezone),
                args=[("due", source.id)],
                id=source.id,
                name=source.id,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=60,
            )

    def _due(self, source_id: str, why: str) -> None:
        if self.stopping_since is not None:
            return
        if source_id in self.children:
            logger.info("skipped: %s is still running its previous run", source_id)
        elif source_id not in self.pending:
            self.pending[source_id] = why

    def _reload(self) -> None:
        if self.stopping_since is not None:
            return
        try:
            config, text = read_config(self.sources_path)
        except SourcesError as exc:
            problems = "; ".join(exc.problems)
            logger.error("reload failed, keeping the previous configuration: %s", problems)
            return
        self.config, self.config_text = config, text
        _write_atomically(self.snapshot, text)
        self._schedule()
        known = {s.id for s in config.sources}
        self.pending = {k: v for k, v in self.pending.items() if k in known}
        logger.info(
            "reloaded %s: %d source(s), at most %d run(s) at a time",
            self.sources_path,
            len(config.sources),
            config.max_parallel_runs,
        )

    # -- children --

    def _start_pending(self) -> None:
        by_id = {s.id: s for s in self.config.sources}
        for source_id, why in list(self.pending.items()):
            if len(self.children) >= self.config.max_parallel_runs:
                return
            del self.pending[source_id]
            if source_id in by_id and source_id not in self.children:
                try:
                    self._start(by_id[source_id], why)
                except (sqlite3.Error, OSError) as exc:  # the next due time tries again
                    logger.error("run not started: %s: %s", source_id, exc)

    def _start(self, source: Source, why: str) -> None:
        store = Store.open(self.db_path)
        try:
            after_run_id = store.last_run_id()
        finally:
            store.close()
        output = tempfile.TemporaryFile()
        command = [
            sys.executable,
            "-m",
            "jobs.daemon",
            str(os.getpid()),
            "run",
            "--source",
            source.id,
            "--sources",
            str(self.snapshot),
            # The snapshot lives elsewhere; the corrections are read fresh from beside the
            # sources file at the end of each run.
            "--speakers",
            str(speakers_path(self.sources_path)),
            "--db",
            str(self.db_path),
        ]
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            # Its own session: a Ctrl-C in the terminal reaches the daemon only, which
            # then stops each child itself (a second signal would mean "stop at once").
            start_new_session=True,
        )
        clock = time.monotonic()
        limit = source.max_run_minutes * 60
        self.children[source.id] = Child(
            source=source,
            process=process,
            output=output,
            after_run_id=after_run_id,
            started=utc_now(),
            started_clock=clock,
            deadline=clock + limit if limit else None,
        )
        logger.info("run started: %s (%s, pid %d)", source.id, why, process.pid)

    def _enforce_deadlines(self) -> None:
        now = time.monotonic()
        for child in self.children.values():
            if child.deadline is not None and now > child.deadline and child.stop_asked is None:
                minutes = child.source.max_run_minutes
                child.fail_reason = f"overran max_run_minutes ({minutes} min) and was stopped"
                logger.warning("overrun: %s ran %s min, stopping it", child.source.id, minutes)
                self._ask_to_stop(child)

    def _ask_to_stop(self, child: Child) -> None:
        child.stop_asked = time.monotonic()
        if child.process.poll() is None:
            child.process.send_signal(signal.SIGTERM)

    def _kill_stragglers(self) -> None:
        now = time.monotonic()
        for child in self.children.values():
            if child.stop_asked is None or child.killed or child.process.poll() is not None:
                continue
            if now - child.stop_asked > FORCE_SECONDS and not child.forced:
                # The second signal: the crawl records what it stored and exits at once.
                child.forced = True
                child.process.send_signal(signal.SIGTERM)
            if now - child.stop_asked > KILL_SECONDS:
                logger.warning(
                    "killing %s: it did not stop within %.1f s", child.source.id, KILL_SECONDS
                )
                if child.fail_reason is None:
                    child.fail_reason = SHUTDOWN_KILL_REASON
                child.killed = True
                try:
                    os.killpg(child.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def _begin_shutdown(self, signal_name: str) -> None:
        if self.stopping_since is not None:
            logger.info("%s: already stopping", signal_name)
            return
        self.stopping_since = time.monotonic()
        self.scheduler.shutdown(wait=False)
        self.pending.clear()
        logger.info(
            "%s: stopping; asking %d running crawl(s) to stop", signal_name, len(self.children)
        )
        for child in self.children.values():
            if child.stop_asked is None:  # an overrunning child keeps its clock
                self._ask_to_stop(child)

    def _reap(self) -> None:
        for source_id, child in list(self.children.items()):
            returncode = child.process.poll()
            if returncode is None:
                continue
            del self.children[source_id]
            try:
                self._record_end(child, returncode)
            except sqlite3.Error as exc:  # the next start marks a run left 'running' failed
                logger.error("run ended: %s, but recording its end failed: %s", source_id, exc)
            finally:
                child.output.close()

    def _record_end(self, child: Child, returncode: int) -> None:
        """Make sure the run ends up in `runs` with an outcome, whatever the child did."""
        seconds = time.monotonic() - child.started_clock
        reason = child.fail_reason or _exit_reason(returncode, _output_tail(child.output))
        if self.stopping_since is not None and child.fail_reason is None:
            # Died while asked to stop, before Scrapy could record the run interrupted.
            reason = f"{SHUTDOWN_PREFIX}: {reason}"
        store = Store.open(self.db_path)
        try:
            runs = store.runs_after(child.source.id, child.after_run_id)
            if not runs:
                if self.stopping_since is not None and child.fail_reason is None:
                    logger.info("run cancelled: %s stopped before it began", child.source.id)
                    return
                # The child died before it could record its run: record it for it.
                runs = [store.run(store.add_failed_run(child.source.id, child.started, reason))]
            for run in runs:
                if child.fail_reason is not None or run["status"] == "running":
                    store.fail_run(run["id"], reason)
            runs = [store.run(run["id"]) for run in runs]
        finally:
            store.close()
        for run in runs:
            logger.info(
                "run ended: %s run %d %s in %.1f s: pages %s, new articles %s, failures %s%s",
                child.source.id,
                run["id"],
                run["status"],
                seconds,
                run["pages_fetched"] or 0,
                run["articles_new"] or 0,
                run["failures"] or 0,
                f" ({run['reason']})" if run["reason"] else "",
            )


# -- `newsdesk status` --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceStatus:
    source: str
    last_run: dict[str, Any] | None
    next_run: datetime | None
    scheduled: bool
    overdue_since: datetime | None = None

    @property
    def failed(self) -> bool:
        return self.last_run is not None and self.last_run["status"] == "failed"

    @property
    def overdue(self) -> bool:
        return self.overdue_since is not None

    def line(self) -> str:
        if self.last_run is None:
            last = "never run"
        else:
            r = self.last_run
            when = r["started"] if r["status"] == "running" else r["finished"] or r["started"]
            last = (
                f"last run {r['id']} {r['status']} {when}: pages {r['pages_fetched'] or 0}, "
                f"new articles {r['articles_new'] or 0}, failures {r['failures'] or 0}"
            )
            if r["reason"]:
                last += f" ({r['reason']})"
        if not self.scheduled:
            upcoming = "not in the sources file"
        elif self.next_run is None:
            upcoming = "no next run"
        else:
            upcoming = f"next {self.next_run.astimezone(UTC).isoformat(timespec='seconds')}"
        if self.overdue_since is not None:
            due = self.overdue_since.astimezone(UTC).isoformat(timespec="seconds")
            upcoming += f"; overdue: scheduled {due}, no run started since"
        return f"{self.source}: {last}; {upcoming}"


def source_statuses(
    store: Store,
    config: SourcesConfig | None,
    now: datetime,
    grace: timedelta = timedelta(seconds=900),
) -> list[SourceStatus]:
    """Every configured source, then every other source the database has runs of."""
    last_runs = store.last_runs()
    sources = config.sources if config else ()
    statuses = [
        SourceStatus(
            s.id,
            last_runs.get(s.id),
            next_fire_time(s, now),
            True,
            overdue_since(s, last_runs.get(s.id), now, grace),
        )
        for s in sources
    ]
    configured = {s.id for s in sources}
    statuses += [
        SourceStatus(source_id, run, None, False)
        for source_id, run in sorted(last_runs.items())
        if source_id not in configured
    ]
    return statuses


# -- the commands ---------------------------------------------------------------

db_option = options.db_option()
sources_option = options.sources_option()
# `status --grace` up to ten years: further back, cron arithmetic leaves datetime's range.
MAX_GRACE_SECONDS = 10 * 366 * 24 * 3600


@click.command()
@sources_option
@db_option
def daemon_command(sources_path: str, db_path: str) -> None:
    """Crawl every source on its schedule until SIGTERM/SIGINT; SIGHUP reloads the sources.

    One daemon per database. Each run is a child process with a time limit
    (max_run_minutes); missed runs are caught up once at start.
    """
    # Everything that can be checked is checked before the lock file is created, and a
    # start that fails after it removes it: a failed start leaves nothing behind.
    try:
        config, text = read_config(sources_path)
    except SourcesError as exc:
        for problem in exc.problems:
            click.echo(f"newsdesk: {problem}", err=True)
        sys.exit(2)
    if not Path(db_path).parent.is_dir():
        options.fail(f"cannot write {db_path}: folder {Path(db_path).parent} does not exist")
    try:
        lock = acquire_lock(db_path)
    except DaemonLocked as exc:
        options.fail(str(exc))
    except OSError as exc:
        options.fail(f"cannot create the lock file {lock_path(db_path)}: {exc.strerror or exc}")
    try:
        options.writable_db_or_exit(db_path)  # under the lock: no other daemon migrates
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s newsdesk daemon: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        daemon = Daemon(Path(sources_path), Path(db_path), config, text)
        code = daemon.run()
    finally:
        release_lock(db_path, lock)
    sys.exit(code)


@click.command()
@sources_option
@db_option
@click.option(
    "--grace",
    type=click.IntRange(min=0, max=MAX_GRACE_SECONDS),
    default=900,
    show_default=True,
    metavar="SECONDS",
    help="A source is overdue when a scheduled run this old has not started.",
)
def status_command(sources_path: str, db_path: str, grace: int) -> None:
    """Per source: the last run (when, outcome, counts), the next scheduled time, and
    `overdue` when a scheduled run did not start within --grace; then whether a daemon
    holds the database.

    Exit code 3 when a source is overdue, else 1 when the last run of a source failed.
    """
    options.readable_db_or_exit(db_path)
    try:
        config, _ = read_config(sources_path)
    except SourcesError as exc:
        # The runs are still worth showing; only the next times are unknown.
        for problem in exc.problems:
            click.echo(f"newsdesk: {problem}", err=True)
        click.echo("newsdesk: next run times unknown (the sources file has errors)", err=True)
        config = None
    try:
        store = Store.open(db_path)
    except (sqlite3.Error, RuntimeError) as exc:
        options.fail(f"cannot read {db_path}: {exc}")
    try:
        statuses = source_statuses(store, config, datetime.now(UTC), timedelta(seconds=grace))
    finally:
        store.close()
    for status in statuses:
        click.echo(status.line())
    click.echo(f"daemon: {lock_holder(lock_path(db_path)).describe()}")
    # Overdue first: nothing is starting runs, so no failure will be retried either.
    if any(s.overdue for s in statuses):
        sys.exit(3)
    sys.exit(1 if any(s.failed for s in statuses) else 0)


# -- the child process ----------------------------------------------------------


def _die_with_parent(parent_pid: int) -> None:
    """Have Linux SIGKILL this crawl when the daemon dies, so none outlives it.

    A daemon killed with SIGKILL then leaves no orphan writing to the database while
    its successor marks that run failed.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the run is still marked failed at the next start
    if os.getppid() != parent_pid:  # the daemon died before prctl took effect
        sys.exit(1)


if __name__ == "__main__":
    # python -m jobs.daemon DAEMON_PID run --source ID ...: the daemon's child.
    _die_with_parent(int(sys.argv[1]))
    from jobs.cli import main

    main(args=sys.argv[2:], prog_name="newsdesk")
