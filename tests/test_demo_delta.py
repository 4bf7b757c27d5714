"""`newsdesk demo` twice into one database shows the daily delta: nothing new, no copies."""

from __future__ import annotations

import re
import socket
import sqlite3
from pathlib import Path

from jobs.demo import DEMO_ORIGIN, load_demo_articles
from tests.sites import crawl_demo

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
