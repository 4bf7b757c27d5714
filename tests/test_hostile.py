"""The hostile web: each misbehaving page ends as one `fetches` row with a readable
reason, everything else is stored, the crawl finishes, and memory stays bounded.

One crawl (the real `newsdesk run` in a child process) meets every case at once;
the child's peak RSS is read with os.wait4. All text here is our own.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from jobs.localsite import LocalSite, Page
from tests.sites import REPO_ROOT

MB = 1024 * 1024
PARAGRAPHS = [
    "The regional council met on Tuesday to discuss the repair of the northern bridge, "
    "which has been closed to heavy traffic since the spring floods damaged two of its piers.",
    "Engineers told the councillors that the work would take about four months and that "
    "a temporary crossing for buses would open downstream within three weeks.",
    "Residents of the riverside villages have complained for months about the detour, "
    "which adds almost forty minutes to the morning journey into the regional centre.",
    "The council approved the plan unanimously and asked the transport department to "
    "publish a timetable for the temporary crossing before the end of the month.",
]
# Non-ASCII text for the charset cases: Cyrillic, accents, curly quotes and a dash.
CYRILLIC = "Голова ради заявив, що міст відкриють до зими — «без затримок»."
LATIN1 = "Le conseil régional a approuvé la réparation du pont à l'unanimité."


def article_html(title: str, extra: str = "", charset: str = "utf-8") -> str:
    body = "".join(f"<p>{p}</p>" for p in [*PARAGRAPHS[:2], extra, *PARAGRAPHS[2:]] if p)
    return (
        f'<!doctype html><html lang="en"><head><meta charset="{charset}"><title>{title}</title>'
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2026-11-20T09:00:00+00:00">'
        f"</head><body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def good(title: str) -> Page:
    return Page(article_html(title).encode())


# -- responders: each a small misbehaving server ----------------------------


def _send(handler: BaseHTTPRequestHandler, status: int, headers: dict, body: bytes = b"") -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    if body:
        handler.wfile.write(body)


class RetryAfterOnce:
    """429 with Retry-After: 1 the first time, the article after that."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def __call__(self, handler: BaseHTTPRequestHandler) -> None:
        self.times.append(time.monotonic())
        if len(self.times) == 1:
            _send(handler, 429, {"Retry-After": "1", "Content-Length": "0"})
        else:
            body = article_html("Patient server").encode()
            _send(
                handler, 200, {"Content-Type": "text/html", "Content-Length": str(len(body))}, body
            )


def never_answers(stop: threading.Event):
    def respond(handler: BaseHTTPRequestHandler) -> None:
        stop.wait(15)  # the client gives up long before

    return respond


def trickle(stop: threading.Event):
    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        for _ in range(15):  # one byte a second, at most 15 s
            if stop.wait(1):
                return
            try:
                handler.wfile.write(b"<")
                handler.wfile.flush()
            except OSError:
                return

    return respond


def truncated(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "20000")
    handler.end_headers()
    handler.wfile.write(article_html("Cut short").encode()[:800])
    handler.close_connection = True


def fifty_megabytes(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Connection", "close")  # no length: the client must count
    handler.end_headers()
    chunk = b"<p>" + b"x" * (MB - 7) + b"</p>"
    try:
        for _ in range(50):
            handler.wfile.write(chunk)
    except OSError:
        pass  # the crawler hung up, as it should
    handler.close_connection = True


def gzip_bomb() -> bytes:
    """~200 KB of gzip that inflates to 200 MB (built in pieces: little memory here)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"\0" * MB
    parts = [packer.compress(b"<html><body><p>")]
    parts += [packer.compress(zeros) for _ in range(200)]
    parts.append(packer.flush())
    return b"".join(parts)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)


def hostile_pages(base: str, stop: threading.Event, retry: RetryAfterOnce) -> dict:
    nested = "<div>" * 100_000 + "<p>deep</p>" + "</div>" * 100_000
    cp1251 = article_html("Cyrillic page", f"<p>{CYRILLIC}</p>", charset="windows-1251")
    pages = {
        "/h/good-1.html": good("First good report"),
        "/h/good-2.html": good("Second good report"),
        "/h/storm.html": Page(b"busy", status=503),
        "/h/retry-after.html": retry,
        "/h/never.html": never_answers(stop),
        "/h/trickle.html": trickle(stop),
        "/h/truncated.html": truncated,
        "/h/fifty-mb.html": fifty_megabytes,
        "/h/gzip-bomb.html": Page(
            gzip_bomb(), "text/html", headers=(("Content-Encoding", "gzip"),)
        ),
        "/h/loop-a.html": Page(b"", status=302, headers=(("Location", "/h/loop-b.html"),)),
        "/h/loop-b.html": Page(b"", status=302, headers=(("Location", "/h/loop-a.html"),)),
        "/h/pdf.html": Page(b"%PDF-1.7\n" + bytes(range(256)) * 64, "text/html"),
        "/h/nested.html": Page(nested.encode(), "text/html"),
        # Charset lies: the bytes are right, the HTTP header is wrong.
        "/h/cp1251.html": Page(cp1251.encode("cp1251"), "text/html; charset=utf-8"),
        "/h/utf8-said-latin1.html": Page(
            article_html("Latin page", f"<p>{LATIN1}</p>").encode(), "text/html; charset=iso-8859-1"
        ),
        "/h/bom.html": Page(
            b"\xef\xbb\xbf" + article_html("BOM page", f"<p>{CYRILLIC}</p>").encode(),
            "text/html; charset=windows-1251",
        ),
        # Feeds and sitemaps gone wrong.
        "/h/bomb-feed.xml": Page(
            (
                BILLION_LAUGHS + "<rss><channel><item><link>&lol9;</link></item></channel></rss>"
            ).encode(),
            "application/rss+xml",
        ),
        "/h/bomb-sitemap.xml": Page(
            (
                BILLION_LAUGHS + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                "<url><loc>&lol9;</loc></url></urlset>"
            ).encode(),
            "application/xml",
        ),
        "/h/broken-feed.xml": Page(b"<rss><channel><item><link>http://", "application/rss+xml"),
        "/h/empty-feed.xml": Page(b"", "application/rss+xml"),
        "/h/broken-sitemap.xml": Page(b"<urlset><url><loc>", "application/xml"),
        "/h/empty-sitemap.xml": Page(
            b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>',
            "application/xml",
        ),
        "/g/private-redirect.html": Page(
            b"", status=302, headers=(("Location", base.replace("127.0.0.1", "127.0.0.2") + "/x"),)
        ),
        "/g/good.html": good("Guarded good report"),
    }
    links = "".join(
        f'<a href="{p}">{p}</a>' for p in pages if p.endswith(".html") and p.startswith("/h/")
    )
    pages["/h/index.html"] = Page(f"<html><body>{links}</body></html>".encode())
    guarded = '<a href="/g/private-redirect.html">r</a><a href="/g/good.html">g</a>'
    pages["/g/index.html"] = Page(f"<html><body>{guarded}</body></html>".encode())
    return pages


EXPECTED = {
    "/h/storm.html": "http_error",
    "/h/never.html": "timeout",
    "/h/trickle.html": "timeout",
    "/h/truncated.html": "truncated",
    "/h/fifty-mb.html": "too_big",
    "/h/gzip-bomb.html": "too_big",
    "/h/loop-a.html": "redirect_loop",
    "/h/pdf.html": "not_html",
    "/h/nested.html": "not_article",
    "/h/bomb-feed.xml": "bad_feed",
    "/h/broken-feed.xml": "bad_feed",
    "/h/empty-feed.xml": "bad_feed",
    "/h/bomb-sitemap.xml": "bad_sitemap",
    "/h/broken-sitemap.xml": "bad_sitemap",
    "/h/empty-sitemap.xml": "bad_sitemap",
    "/g/private-redirect.html": "refused",
}
STORED = {
    "/h/good-1.html",
    "/h/good-2.html",
    "/h/retry-after.html",
    "/h/cp1251.html",
    "/h/utf8-said-latin1.html",
    "/h/bom.html",
    "/g/good.html",
}


def sources_file(tmp_path: Path, base: str) -> Path:
    feeds = ", ".join(
        f'"{base}/h/{n}"' for n in ("bomb-feed.xml", "broken-feed.xml", "empty-feed.xml")
    )
    maps = ", ".join(
        f'"{base}/h/{n}"' for n in ("bomb-sitemap.xml", "broken-sitemap.xml", "empty-sitemap.xml")
    )
    text = f"""
[settings]
AUTOTHROTTLE_ENABLED = false
DOWNLOAD_DELAY = 0
DOWNLOAD_TIMEOUT = 3
RETRY_TIMES = 2
NEWSDESK_PUBLIC_HOSTS = ["127.0.0.1"]

[[source]]
id = "hostile"
name = "Hostile"
feeds = [{feeds}]
sitemaps = [{maps}]
sections = ["{base}/h/index.html"]
allow_private_network = true
backfill_days = 0

[[source]]
id = "guarded"
name = "Guarded (private addresses refused)"
sections = ["{base}/g/index.html"]
backfill_days = 0
"""
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("hostile")
    stop = threading.Event()
    retry = RetryAfterOnce()
    served: dict = {}
    site = LocalSite(served).start()
    served.update(hostile_pages(site.base_url, stop, retry))
    db = tmp_path / "n.db"
    env = {k: v for k, v in os.environ.items() if k != "NEWSDESK_DB"}
    sources = sources_file(tmp_path, site.base_url)
    out, err = (tmp_path / "stdout").open("w+"), (tmp_path / "stderr").open("w+")
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-m", "jobs.cli", "run", "--sources", str(sources), "--db", str(db)],
        cwd=REPO_ROOT,
        env=env,
        stdout=out,
        stderr=err,
    )
    watchdog = threading.Timer(300, child.kill)  # a hung crawl fails the test, not CI
    watchdog.start()
    # wait4 reaps this child alone and returns its own resource usage (peak RSS).
    _, status, usage = os.wait4(child.pid, 0)
    watchdog.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    stop.set()
    site.stop()
    out.seek(0)
    err.seek(0)
    yield {
        "db": db,
        "stdout": out.read(),
        "stderr": err.read(),
        "code": child.returncode,
        "retry": retry,
        "elapsed": elapsed,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
    }
    out.close()
    err.close()


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def _path(url: str) -> str:
    return re.sub(r"^http://[^/]+", "", url)


def test_crawl_finishes_and_keeps_the_good_pages(hostile_crawl) -> None:
    assert hostile_crawl["code"] == 0, hostile_crawl["stderr"][-3000:]
    stored = {_path(u) for (u,) in _rows(hostile_crawl["db"], "SELECT fetched_url FROM articles")}
    assert stored == STORED
    assert _rows(hostile_crawl["db"], "PRAGMA integrity_check") == [("ok",)]


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_each_bad_url_is_one_row_with_a_reason(hostile_crawl, path: str) -> None:
    rows = [
        (outcome, reason)
        for url, outcome, reason in _rows(
            hostile_crawl["db"], "SELECT url, outcome, reason FROM fetches"
        )
        if _path(url) == path
    ]
    assert len(rows) == 1, rows
    outcome, reason = rows[0]
    assert outcome == EXPECTED[path], reason
    assert len(reason) > 10


def test_retry_after_is_honoured(hostile_crawl) -> None:
    times = hostile_crawl["retry"].times
    assert len(times) == 2
    assert times[1] - times[0] >= 0.9


def test_lying_charsets_come_out_right(hostile_crawl) -> None:
    bodies = dict(
        (_path(u), b)
        for u, b in _rows(hostile_crawl["db"], "SELECT fetched_url, body FROM articles")
    )
    assert CYRILLIC in bodies["/h/cp1251.html"]
    assert CYRILLIC in bodies["/h/bom.html"]
    assert LATIN1 in bodies["/h/utf8-said-latin1.html"]


def test_memory_stays_bounded(hostile_crawl) -> None:
    """The whole hostile crawl (gzip bomb, 50 MB page, entity bombs) under 500 MB."""
    assert hostile_crawl["peak_rss_mb"] < 500, f"peak RSS {hostile_crawl['peak_rss_mb']:.0f} MB"
