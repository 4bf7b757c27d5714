"""robots.txt that cannot be read: RFC 9309 says assume complete disallow (crawler/robots.py).

Each test serves a small site on 127.0.0.1 whose robots.txt fails in one way, and runs the
real `newsdesk run` against it. A robots.txt that does not exist (404) is the control: there
the pages are fetched, so the tests can tell the two behaviours apart.
"""

from __future__ import annotations

import sqlite3
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from jobs.localsite import LocalSite, Page
from tests.sites import newsdesk, write_sources

ARTICLE = (
    b"<html><head><title>Harbour reopens</title></head><body><article><h1>Harbour reopens</h1>"
    + b"<p>The harbour of Ostby reopened on Monday after three weeks of repairs.</p>" * 8
    + b"</article></body></html>"
)


def _feed(base: str) -> bytes:
    items = "".join(
        f"<item><title>Story {n}</title><link>{base}/a/{n}.html</link></item>" for n in (1, 2)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


def _drop_connection(handler: BaseHTTPRequestHandler) -> None:
    handler.close_connection = True  # no status line at all: a network error for the client


def _crawl(tmp_path: Path, robots: Page | object) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Requests the site saw, and the `fetches` rows (url path, outcome, reason)."""
    pages: dict = {"/a/1.html": Page(ARTICLE), "/a/2.html": Page(ARTICLE)}
    if robots is not None:
        pages["/robots.txt"] = robots
    with LocalSite(pages) as site:
        pages["/rss.xml"] = Page(_feed(site.base_url), "application/rss+xml")
        sources = write_sources(tmp_path, site.base_url, feeds=["/rss.xml"])
        db = tmp_path / "n.db"
        result = newsdesk("run", "--sources", str(sources), "--db", str(db), timeout=300)
        assert "Traceback" not in result.stderr
        cut = len(site.base_url)
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT url, outcome, reason FROM fetches").fetchall()
    return site.requests, [(url[cut:], outcome, reason) for url, outcome, reason in rows]


@pytest.mark.parametrize(
    ("robots", "outcome", "why"),
    [
        (Page(b"busy", status=503), "http_error", "(HTTP 503)"),
        (_drop_connection, "network_error", "unreachable ("),
    ],
    ids=["server-error", "network-error"],
)
def test_unreachable_robots_txt_means_nothing_is_fetched(
    tmp_path: Path, robots, outcome: str, why: str
) -> None:
    requests, fetches = _crawl(tmp_path, robots)
    assert {r.split("?")[0] for r in requests} == {"/robots.txt"}  # retried, nothing else
    # The feed was not fetched; its row says what made the host's rules unknown.
    (row,) = [r for r in fetches if r[0] == "/rss.xml"]
    assert row[1] == outcome
    assert "robots.txt unreachable" in row[2] and why in row[2]


def test_missing_robots_txt_allows_everything(tmp_path: Path) -> None:
    requests, fetches = _crawl(tmp_path, None)  # 404: no rules, as RFC 9309 says
    assert {"/rss.xml", "/a/1.html", "/a/2.html"} <= set(requests)
    assert not [r for r in fetches if r[1] == "robots"]
