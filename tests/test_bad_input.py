"""Bad input fails loudly, in one line, before any work (issue 13, part A).

Every case runs the real `newsdesk` CLI in a child process against real files and a
demo site on 127.0.0.1 whose request log shows whether anything was fetched.

Root ignores file permissions (and CI runs as root), so "cannot write" is made with
mechanisms that bind root too: an immutable file (`chattr +i`), and a read-only or
full file system mounted in a private mount namespace (`unshare --mount`) that
disappears with the command. Each skips with its reason where it is unavailable.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from jobs.cli import NewsdeskGroup, main
from jobs.demo import demo_pages
from jobs.localsite import LocalSite
from tests.sites import REPO_ROOT, free_port, newsdesk, wait_for

NOT_SQLITE = b"name,count\nkupiansk,3\n"  # e.g. a CSV given as --db by mistake


@pytest.fixture(scope="module")
def site() -> Iterator[LocalSite]:
    pages: dict = {}
    served = LocalSite(pages).start()
    pages.update(demo_pages(served.base_url))
    yield served
    served.stop()


def sources_file(tmp_path: Path, site: LocalSite, settings: str = "", source: str = "") -> Path:
    # No politeness towards our own test server, unless `settings` says otherwise.
    polite = "\n".join(
        line
        for line in ("AUTOTHROTTLE_ENABLED = false", "DOWNLOAD_DELAY = 0")
        if line.split(" =")[0] + " =" not in settings
    )
    path = tmp_path / "sources.toml"
    path.write_text(
        f"""
[settings]
{polite}
{settings}

[[source]]
id = "local"
name = "Local"
feeds = ["{site.base_url}/rss.xml"]
allowed_domains = ["127.0.0.1"]
allow_private_network = true
backfill_days = 0
{source}
""",
        encoding="utf-8",
    )
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_one_line(result: subprocess.CompletedProcess, code: int, *needles: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == code, result.stdout + result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("newsdesk: "), lines[0]
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert "Traceback" not in result.stdout + result.stderr


@pytest.fixture(scope="module")
def stored(site: LocalSite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real newsdesk database holding the demo feed's articles (tests copy it)."""
    folder = tmp_path_factory.mktemp("stored")
    db = folder / "stored.db"
    result = newsdesk("run", "--sources", str(sources_file(folder, site)), "--db", str(db))
    assert result.returncode == 0, result.stdout + result.stderr
    return db


def copy_of(db: Path, folder: Path) -> Path:
    folder.mkdir(exist_ok=True)
    with closing(sqlite3.connect(db)) as conn:  # the articles sit in the WAL until then
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(shutil.copy(db, folder / "n.db"))


# -- run: the database is checked before the first request ----------------------


def test_run_into_a_missing_folder_or_a_file_that_is_not_ours(
    tmp_path: Path, site: LocalSite
) -> None:
    sources = sources_file(tmp_path, site)
    missing = tmp_path / "no-such-folder" / "n.db"
    not_sqlite = tmp_path / "counts.db"
    not_sqlite.write_bytes(NOT_SQLITE)
    site.requests.clear()

    result = newsdesk("run", "--sources", str(sources), "--db", str(missing))
    assert_one_line(result, 2, f"cannot write {missing}: ", "does not exist")
    assert not missing.parent.exists()

    result = newsdesk("run", "--sources", str(sources), "--db", str(not_sqlite))
    assert_one_line(result, 2, f"cannot write {not_sqlite}: not a SQLite database")
    assert not_sqlite.read_bytes() == NOT_SQLITE
    # Another program's SQLite database: newsdesk would add its tables to it.
    theirs = tmp_path / "inventory.db"
    with closing(sqlite3.connect(theirs)) as conn:
        conn.execute("CREATE TABLE stock (item TEXT, count INTEGER)")
        conn.execute("INSERT INTO stock VALUES ('generator', 3)")
        conn.commit()
    before = digest(theirs)
    result = newsdesk("run", "--sources", str(sources), "--db", str(theirs))
    assert_one_line(result, 2, f"cannot write {theirs}: not a newsdesk database", "stock")
    assert digest(theirs) == before

    result = newsdesk("demo", "--db", str(not_sqlite))
    assert_one_line(result, 2, f"cannot write {not_sqlite}: not a SQLite database")
    assert "demo site at" not in result.stdout  # refused before serving anything
    assert site.requests == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "counts.db",
        "inventory.db",
        "sources.toml",
    ]


def _chattr(flag: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["chattr", flag, str(path)], capture_output=True, text=True)


def test_run_into_an_immutable_database_fetches_nothing(
    tmp_path: Path, site: LocalSite, stored: Path
) -> None:
    db = copy_of(stored, tmp_path / "immutable")
    if shutil.which("chattr") is None:
        pytest.skip("chattr not installed (e2fsprogs)")
    made = _chattr("+i", db)
    if made.returncode != 0:
        pytest.skip(f"cannot make a file immutable here: {made.stderr.strip()}")
    try:
        before = digest(db)
        site.requests.clear()
        sources = sources_file(tmp_path, site)
        result = newsdesk("run", "--sources", str(sources), "--db", str(db))
        assert_one_line(result, 2, f"cannot write {db}: ", "readonly database")
        assert site.requests == []
        assert digest(db) == before
    finally:
        _chattr("-i", db)


def _in_private_mounts(setup: str, *args: str) -> subprocess.CompletedProcess:
    """`newsdesk ARGS` after the shell commands `setup`, in a mount namespace of its own:
    the mounts vanish with the command, whatever happens to the test."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    script = f'{setup} && exec "$0" -m jobs.cli "$@"'
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script]
        + [sys.executable, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def private_mounts() -> None:
    if shutil.which("unshare") is None:
        pytest.skip("unshare not installed (util-linux)")
    probe = subprocess.run(
        ["unshare", "--mount", "sh", "-c", "mount -t tmpfs tmpfs /mnt"],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        pytest.skip(f"no private mount namespaces here (needs root): {probe.stderr.strip()}")


def test_run_on_a_read_only_file_system_fetches_nothing(
    tmp_path: Path, site: LocalSite, stored: Path, private_mounts: None
) -> None:
    folder = tmp_path / "ro"
    db = copy_of(stored, folder)
    before = digest(db)
    sources = sources_file(tmp_path, site)
    site.requests.clear()
    read_only = f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder}"
    result = _in_private_mounts(read_only, "run", "--sources", str(sources), "--db", str(db))
    assert_one_line(result, 2, f"cannot write {db}: ", "read-only")
    assert site.requests == []
    assert digest(db) == before


def test_run_on_a_full_disk_fetches_nothing(
    tmp_path: Path, site: LocalSite, private_mounts: None
) -> None:
    folder = tmp_path / "full"
    folder.mkdir()
    db = folder / "n.db"
    sources = sources_file(tmp_path, site)
    site.requests.clear()
    # dd stops (and fails) when the 256 KiB file system is full; that is the point.
    fill = f"(dd if=/dev/zero of={folder}/x 2>/dev/null; true)"
    full = f"mount -t tmpfs -o size=256k tmpfs {folder} && {fill}"
    result = _in_private_mounts(full, "run", "--sources", str(sources), "--db", str(db))
    assert_one_line(result, 2, f"cannot write {db}: the disk is full")
    assert site.requests == []


# -- status, stats, export, serve on a file that is not SQLite ------------------------


@pytest.mark.parametrize("command", ["status", "stats", "export articles"])
def test_read_commands_on_a_file_that_is_not_sqlite(tmp_path: Path, command: str) -> None:
    not_sqlite = tmp_path / "counts.db"
    not_sqlite.write_bytes(NOT_SQLITE)
    result = newsdesk(*command.split(), "--db", str(not_sqlite), cwd=tmp_path)
    # Exit 2 (bad input), not 1, which monitoring reads as "a run failed".
    assert_one_line(result, 2, f"{not_sqlite} is not a SQLite database")
    assert not_sqlite.read_bytes() == NOT_SQLITE


# -- export -o ----------------------------------------------------------------------


def test_export_into_a_missing_folder(tmp_path: Path, stored: Path) -> None:
    db = copy_of(stored, tmp_path / "export")
    target = tmp_path / "no-such-folder" / "articles.csv"
    result = newsdesk("export", "articles", "--db", str(db), "-o", str(target))
    assert_one_line(result, 2, f"cannot write {target}: ", "does not exist")
    good = newsdesk("export", "articles", "--db", str(db), "-o", str(tmp_path / "a.csv"))
    assert good.returncode == 0, good.stderr
    assert (tmp_path / "a.csv").read_text(encoding="utf-8").startswith("id,url,")


# -- the sources file: every problem at once, settings typed ---------------------------


def test_every_problem_of_a_sources_file_at_once(tmp_path: Path, site: LocalSite) -> None:
    sources = sources_file(
        tmp_path,
        site,
        settings='DOWNLOAD_DELAY = "fast"\nCONCURRENT_REQUESTS = 0\nDOWNLOAD_DELAYS = 2',
        source='feed = ["https://example.org/rss"]\nschedule = "0 0 31 2 *"',
    )
    db = tmp_path / "n.db"
    site.requests.clear()
    expected = [
        "source 'local': key 'feed': unknown key (did you mean 'feeds'?)",
        "source 'local': key 'schedule': '0 0 31 2 *' never fires",
        "settings: key 'DOWNLOAD_DELAY': expected a number of seconds >= 0, got 'fast'",
        "settings: key 'CONCURRENT_REQUESTS': expected a whole number >= 1, got 0",
        "settings: key 'DOWNLOAD_DELAYS': unknown setting (did you mean 'DOWNLOAD_DELAY'?)",
    ]
    answers = []
    for command in (["sources"], ["run", "--db", str(db)], ["daemon", "--db", str(db)]):
        result = newsdesk(*command, "--sources", str(sources))
        assert result.returncode == 2, result.stdout + result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == len(expected), result.stderr
        for line, problem in zip(lines, expected, strict=True):
            assert line.startswith(f"newsdesk: {sources}: ") and problem in line, line
        answers.append(result.stderr)
    assert answers[0] == answers[1] == answers[2]
    assert site.requests == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sources.toml"]  # no db, no lock


def test_empty_sources_file_gets_one_answer(tmp_path: Path) -> None:
    empty = tmp_path / "sources.toml"
    empty.write_text("# nothing configured yet\n", encoding="utf-8")
    db = tmp_path / "n.db"
    results = [
        newsdesk(*command, "--sources", str(empty))
        for command in (["sources"], ["run", "--db", str(db)], ["daemon", "--db", str(db)])
    ]
    for result in results:
        assert_one_line(result, 2, f"{empty}: configures no source")
    assert len({r.stderr for r in results}) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sources.toml"]


def test_documented_settings_of_the_right_type_still_crawl(tmp_path: Path, site: LocalSite) -> None:
    settings = (
        "CONCURRENT_REQUESTS_PER_DOMAIN = 8\nRETRY_HTTP_CODES = [500, 503]\n"
        'DOWNLOAD_TIMEOUT = 20.5\nNEWSDESK_PUBLIC_HOSTS = []\nLOG_LEVEL = "ERROR"\n'
        'SOME_EXTENSION_SETTING = "passed through"'
    )
    sources = sources_file(tmp_path, site, settings=settings, source='schedule = "@daily"')
    listed = newsdesk("sources", "--sources", str(sources))
    assert listed.returncode == 0, listed.stderr
    assert "local\tLocal\t@daily\t1 URLs" in listed.stdout
    result = newsdesk("run", "--sources", str(sources), "--db", str(tmp_path / "n.db"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "local: finished" in result.stdout


# -- the daemon's lock file ----------------------------------------------------------


def test_daemon_that_cannot_start_leaves_no_lock_file(tmp_path: Path, site: LocalSite) -> None:
    sources = sources_file(tmp_path, site, source='schedule = "0 0 1 1 *"')
    not_sqlite = tmp_path / "counts.db"
    not_sqlite.write_bytes(NOT_SQLITE)
    result = newsdesk("daemon", "--sources", str(sources), "--db", str(not_sqlite), timeout=60)
    assert_one_line(result, 2, f"cannot write {not_sqlite}: not a SQLite database")
    assert not_sqlite.read_bytes() == NOT_SQLITE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counts.db", "sources.toml"]


@pytest.mark.skipif(sys.platform != "linux", reason="the daemon needs Linux")
def test_daemon_holds_its_lock_file_while_running_and_removes_it(
    tmp_path: Path, site: LocalSite
) -> None:
    sources = sources_file(tmp_path, site, source='schedule = "0 0 1 1 *"')
    db, log = tmp_path / "n.db", tmp_path / "daemon.log"
    lock = Path(f"{db}.daemon.lock")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    with log.open("wb") as err:
        daemon = subprocess.Popen(
            [sys.executable, "-m", "jobs.cli", "daemon", "--sources", str(sources)]
            + ["--db", str(db)],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    try:
        wait_for(lambda: "ready:" in log.read_text(errors="replace"), "the daemon to start")
        assert lock.read_text().strip() == str(daemon.pid)
        second = newsdesk("daemon", "--sources", str(sources), "--db", str(db), timeout=60)
        assert_one_line(second, 2, "already running", f"pid {daemon.pid}")
        assert lock.read_text().strip() == str(daemon.pid)  # the loser leaves it alone
        # A reload to a file with no source is refused like a start with one.
        sources.write_text("# everything commented out\n", encoding="utf-8")
        daemon.send_signal(signal.SIGHUP)
        wait_for(
            lambda: "keeping the previous configuration" in log.read_text(errors="replace"),
            "the reload to be refused",
        )
        assert "configures no source" in log.read_text(errors="replace")
        assert daemon.poll() is None
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(60) == 0, log.read_text(errors="replace")
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait(10)
    assert not lock.exists()


# -- no tracebacks without -v ----------------------------------------------------------


def test_a_crawl_that_breaks_shows_no_traceback_without_verbose(
    tmp_path: Path, site: LocalSite
) -> None:
    # Well-typed but unusable: the extraction task names a module that does not exist.
    sources = sources_file(tmp_path, site, settings='NEWSDESK_EXTRACT_TASK = "no_such.task"')
    db = tmp_path / "n.db"
    quiet = newsdesk("run", "--sources", str(sources), "--db", str(db))
    assert quiet.returncode == 1, quiet.stdout + quiet.stderr
    assert "Traceback" not in quiet.stderr
    assert "No module named 'no_such'" in quiet.stderr  # what went wrong is still said
    assert len(quiet.stderr.strip().splitlines()) <= 3, quiet.stderr
    verbose = newsdesk("-v", "run", "--sources", str(sources), "--db", str(db))
    assert verbose.returncode == 1
    assert "Traceback (most recent call last)" in verbose.stderr


def test_refused_connections_are_one_line_each(tmp_path: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    sources = tmp_path / "sources.toml"
    sources.write_text(
        "[settings]\nAUTOTHROTTLE_ENABLED = false\nDOWNLOAD_DELAY = 0\nRETRY_TIMES = 0\n"
        f'[[source]]\nid = "gone"\nname = "Gone"\nfeeds = ["{closed}/rss.xml"]\n'
        "allow_private_network = true\n",
        encoding="utf-8",
    )
    db = tmp_path / "n.db"
    result = newsdesk("run", "--sources", str(sources), "--db", str(db))
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if " ERROR: " in line]
    assert errors and all("Connection refused" in line for line in errors), result.stderr
    with closing(sqlite3.connect(db)) as conn:  # and the failure is on record
        outcomes = conn.execute("SELECT outcome, url FROM fetches").fetchall()
    assert ("network_error", f"{closed}/rss.xml") in outcomes


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["sources", "--sources", "{tmp}/broken.toml"], 2, "not valid TOML"),
        (["run", "--sources", "{tmp}/broken.toml", "--db", "{tmp}/n.db"], 2, "not valid TOML"),
        (["daemon", "--sources", "{tmp}/broken.toml", "--db", "{tmp}/n.db"], 2, "not valid TOML"),
        (["run", "--sources", "{tmp}/missing.toml", "--db", "{tmp}/n.db"], 2, "not found"),
        (["serve", "--db", "{tmp}/counts.db"], 2, "is not a SQLite database"),
        (["extract", "{tmp}"], 2, "cannot read"),
        (["extract", "{tmp}/counts.db", "--url", "http://[::1"], 2, "not an http(s) URL"),
        (["eval", "--gold", "{tmp}/no-gold"], 2, "no gold directory"),
        (["eval", "--gold", "{tmp}/gold"], 2, "bad.json: not valid JSON"),
        (["stats", "--db", "{tmp}/missing.db"], 2, "no database at"),
    ],
)
def test_no_traceback_for_bad_input(
    tmp_path: Path, args: list[str], code: int, needle: str
) -> None:
    (tmp_path / "broken.toml").write_text('[[source]]\nid = "x\n', encoding="utf-8")
    (tmp_path / "counts.db").write_bytes(NOT_SQLITE)
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "bad.json").write_text("{not json", encoding="utf-8")
    result = newsdesk(*(arg.format(tmp=tmp_path) for arg in args), cwd=tmp_path)
    assert_one_line(result, code, needle)


def test_an_unforeseen_error_is_one_line_unless_verbose() -> None:
    # The real command group, with a command whose input breaks it in a way no command
    # of newsdesk foresees (the group is what is tested here, not the command).
    group = NewsdeskGroup(params=main.params, callback=main.callback)

    @group.command()
    def parse() -> None:
        json.loads("{not json")

    quiet = CliRunner().invoke(group, ["parse"])
    assert quiet.exit_code == 1
    assert quiet.output.strip() == (
        "newsdesk: parse failed: JSONDecodeError: Expecting property name enclosed in double "
        "quotes: line 1 column 2 (char 1) (run with -v for details)"
    )
    verbose = CliRunner().invoke(group, ["-v", "parse"])
    assert isinstance(verbose.exception, json.JSONDecodeError)  # raised: a traceback


def test_a_database_from_a_newer_newsdesk_is_refused_untouched(
    tmp_path: Path, site: LocalSite, stored: Path
) -> None:
    db = copy_of(stored, tmp_path / "newer")
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA user_version = 99")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(db)
    site.requests.clear()
    sources = sources_file(tmp_path, site)
    result = newsdesk("run", "--sources", str(sources), "--db", str(db))
    assert_one_line(result, 2, f"cannot write {db}: ", "version 99 is newer", "upgrade newsdesk")
    assert site.requests == []
    assert digest(db) == before
    status = newsdesk("status", "--sources", str(sources), "--db", str(db))
    assert_one_line(status, 2, f"cannot read {db}: ", "version 99 is newer")
