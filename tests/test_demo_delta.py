"""`newsdesk demo` twice into one database shows the daily delta: nothing new, no copies."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

from jobs.demo import DEMO_ORIGIN, load_demo_articles
from tests.sites import REPO_ROOT, crawl_demo

ARTICLES = load_demo_articles()


def _port(stdout: str) -> int:
    match = re.search(r"demo site at http://127\.0\.0\.1:(\d+)/", stdout)
    assert match, stdout
    return int(match.group(1))


def test_second_demo_run_finds_nothing_new_even_on_another_port(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    first = crawl_demo(db)
    assert f"new articles {len(ARTICLES)}," in first.stdout
    # Hold the first run's port, as a demo left serving (or any program) would: the
    # second run must be served elsewhere and still know every article.
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        taken.bind(("127.0.0.1", _port(first.stdout)))
        taken.listen()
        second = crawl_demo(db)
    assert _port(second.stdout) != _port(first.stdout)
    assert "new articles 0," in second.stdout, second.stdout
    assert f"known skipped {len(ARTICLES)}," in second.stdout, second.stdout
    with sqlite3.connect(db) as conn:
        urls = [url for (url,) in conn.execute("SELECT url FROM articles")]
    assert len(urls) == len(set(urls)) == len(ARTICLES)
    assert {url.removeprefix(DEMO_ORIGIN) for url in urls} == {a.path for a in ARTICLES}


def test_demo_ignores_the_operators_proxy_settings(tmp_path: Path) -> None:
    # A proxy that answers nothing, as a corporate proxy unreachable from here would be:
    # the demo's requests must go to the demo server all the same.
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSDESK_")}
    env |= {"http_proxy": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9"}
    env |= {"no_proxy": "localhost,.test", "NO_PROXY": "localhost,.test"}
    db = tmp_path / "demo.db"
    result = subprocess.run(
        [sys.executable, "-m", "jobs.cli", "demo", "--db", str(db)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"new articles {len(ARTICLES)}," in result.stdout
