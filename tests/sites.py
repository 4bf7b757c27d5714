"""Local news sites for crawl tests, built from corpus pages or the demo site.

A corpus site serves real pages (read in place from ../shared/corpus) under
/a/<n>.html with every discovery path a news site has: robots.txt with a
Sitemap line, a sitemap index, a gzipped sitemap, a Google News sitemap, an RSS
feed and paginated section pages.
"""

from __future__ import annotations

import csv
import gzip
import os
import re
import selectors
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from jobs.demo import demo_pages
from jobs.localsite import LocalSite, Page

REPO_ROOT = Path(__file__).resolve().parents[1]
XML = "application/xml; charset=utf-8"


@dataclass(frozen=True)
class CorpusPage:
    path: str  # path on the local site
    corpus_path: str  # path inside the corpus
    html: bytes


def corpus_pages(corpus: Path, limit: int, *, english_only: bool = False) -> list[CorpusPage]:
    """The first `limit` corpus pages in index.csv order (stable across runs)."""
    rows = list(csv.DictReader((corpus / "index.csv").open(encoding="utf-8")))
    if english_only:
        rows = [r for r in rows if r["language"] == "en"]
    pages = []
    for n, row in enumerate(rows[:limit]):
        html = gzip.decompress((corpus / row["path"]).read_bytes())
        pages.append(CorpusPage(f"/a/{n}.html", row["path"], html))
    return pages


def _urlset(base: str, paths: list[str], news: bool, dates: list[str]) -> bytes:
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    if news:
        ns += ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
    entries = []
    for path, date in zip(paths, dates, strict=True):
        if news:
            extra = (
                "<news:news><news:publication><news:name>Local</news:name>"
                "<news:language>en</news:language></news:publication>"
                f"<news:publication_date>{date}</news:publication_date>"
                "<news:title>t</news:title></news:news>"
            )
        else:
            extra = f"<lastmod>{date}</lastmod>"
        entries.append(f"<url><loc>{base}{path}</loc>{extra}</url>")
    body = "".join(entries)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset {ns}>{body}</urlset>'.encode()


def _rss(base: str, paths: list[str], dates: list[datetime]) -> bytes:
    items = "".join(
        f"<item><title>t{n}</title><link>{base}{path}?utm_source=rss#top</link>"
        f"<pubDate>{date:%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>"
        for n, (path, date) in enumerate(zip(paths, dates, strict=True))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Local</title><link>{base}/</link>{items}</channel></rss>"
    ).encode()


def _section(paths: list[str], page: int, has_next: bool) -> bytes:
    links = "".join(f'<li><a href="{p}">story {p}</a></li>' for p in paths)
    nav = f'<a rel="next" href="/section/page/{page + 1}.html">next</a>' if has_next else ""
    head = f'<link rel="next" href="/section/page/{page + 1}.html">' if has_next else ""
    return (
        f"<html><head><title>Section {page}</title>{head}</head><body>"
        f'<nav><a href="/">Home</a></nav><ul>{links}</ul>{nav}</body></html>'
    ).encode()


@dataclass
class CorpusSite:
    """Which pages each listing of the site points at; `serve()` starts it."""

    pages: list[CorpusPage]
    sitemap: list[str] = field(default_factory=list)
    news_sitemap: list[str] = field(default_factory=list)
    rss: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    section_size: int = 10
    disallow: list[str] = field(default_factory=list)
    ages_days: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Page] = field(default_factory=dict)

    def serve(self) -> LocalSite:
        served: dict[str, Page] = {}
        site = LocalSite(served).start()
        # Listings carry absolute URLs, known once the port is.
        served.update(self.render(site.base_url))
        return site

    def _when(self, path: str, now: datetime) -> datetime:
        return now - timedelta(days=self.ages_days.get(path, 0), minutes=1)

    def render(self, base: str) -> dict[str, Page]:
        now = datetime.now(UTC)
        out: dict[str, Page] = {p.path: Page(p.html) for p in self.pages}
        robots = ["User-agent: *"] + [f"Disallow: {d}" for d in self.disallow]
        robots.append(f"Sitemap: {base}/sitemap_index.xml")
        out["/robots.txt"] = Page("\n".join(robots).encode() + b"\n", "text/plain")
        children = []
        if self.sitemap:
            dates = [self._when(p, now).date().isoformat() for p in self.sitemap]
            body = _urlset(base, self.sitemap, False, dates)
            out["/sitemaps/pages.xml.gz"] = Page(gzip.compress(body, mtime=0), "application/x-gzip")
            children.append("/sitemaps/pages.xml.gz")
        if self.news_sitemap:
            dates = [self._when(p, now).isoformat(timespec="seconds") for p in self.news_sitemap]
            out["/sitemaps/news.xml"] = Page(_urlset(base, self.news_sitemap, True, dates), XML)
            children.append("/sitemaps/news.xml")
        index = "".join(f"<sitemap><loc>{base}{c}</loc></sitemap>" for c in children)
        out["/sitemap_index.xml"] = Page(
            '<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>'.encode(),
            XML,
        )
        if self.rss:
            dates = [self._when(p, now) for p in self.rss]
            out["/rss.xml"] = Page(_rss(base, self.rss, dates), "application/rss+xml")
        size = self.section_size
        chunks = [self.sections[i : i + size] for i in range(0, len(self.sections), size)]
        for n, chunk in enumerate(chunks or [[]], start=1):
            path = "/section/" if n == 1 else f"/section/page/{n}.html"
            out[path] = Page(_section(chunk, n, n < len(chunks)))
        out.update(self.extra)
        return out


class SlowingSite:
    """The demo site, its article pages after the first `fast` ones answering only after
    `delay` seconds (every one after `page_delay`): downloads in flight when a crawl is
    told to stop. Set `fast` higher to let a later crawl through."""

    def __init__(self, fast: int, delay: float = 30.0, page_delay: float = 0.0) -> None:
        self.fast = fast
        self.delay = delay
        self.page_delay = page_delay
        self.articles_served = 0
        self._lock = threading.Lock()
        self.pages: dict = {}
        self.site = LocalSite(self.pages).start()
        for path, page in demo_pages(self.site.base_url).items():
            self.pages[path] = self._responder(page) if path.startswith("/news/") else page

    def _responder(self, page: Page):
        def respond(handler: BaseHTTPRequestHandler) -> None:
            with self._lock:
                self.articles_served += 1
                slow = self.articles_served > self.fast
            time.sleep(self.delay if slow else self.page_delay)
            handler.send_response(page.status)
            handler.send_header("Content-Type", page.content_type)
            handler.send_header("Content-Length", str(len(page.body)))
            handler.end_headers()
            handler.wfile.write(page.body)

        return respond

    @property
    def base_url(self) -> str:
        return self.site.base_url

    def stop(self) -> None:
        self.site.stop()


def write_sources(
    tmp_path: Path, base: str, *, feeds=(), sitemaps=(), sections=(), extra: str = ""
) -> Path:
    """A sources.toml for one local source."""

    def toml_list(urls) -> str:
        return "[" + ", ".join(f'"{base}{u}"' for u in urls) + "]"

    text = f"""
[settings]
AUTOTHROTTLE_ENABLED = false
DOWNLOAD_DELAY = 0
CONCURRENT_REQUESTS_PER_DOMAIN = 16

[[source]]
id = "local"
name = "Local test site"
feeds = {toml_list(feeds)}
sitemaps = {toml_list(sitemaps)}
sections = {toml_list(sections)}
allowed_domains = ["127.0.0.1"]
allow_private_network = true
backfill_days = 0
max_articles = 5000
section_pages = 100
{extra}
"""
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def newsdesk(
    *args: str, cwd: Path | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Run the real CLI in a child process (Twisted's reactor runs once per process)."""
    env = dict(os.environ)
    env.pop("NEWSDESK_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "jobs.cli", *args],
        cwd=cwd or REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def crawl_demo(db: Path) -> subprocess.CompletedProcess:
    """`newsdesk demo --db db`, as a user runs it; fails the caller when it fails."""
    result = newsdesk("demo", "--db", str(db))
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def wait_for(
    condition: Callable[[], object], what: str, timeout: float = 30, interval: float = 0.1
) -> object:
    """Poll `condition` until it returns something true, and return that; a deadline,
    never a bare sleep, decides when a test gives up."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(workdir: Path) -> tuple[subprocess.Popen, str]:
    """A throw-away redis-server on a free port of 127.0.0.1; returns (process, URL).

    Needs Debian's redis-server and the `distributed` extra (redis-py).
    """
    import redis  # the optional extra: imported only by the tests and bench that need it

    port = free_port()
    args = ["--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir)]
    process = subprocess.Popen(
        ["redis-server", *args, "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)

    def up() -> bool:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    wait_for(up, "redis-server to answer PING", timeout=10)
    return process, url


@contextmanager
def serving(db: Path, timeout: float = 60) -> Iterator[str]:
    """`newsdesk serve --port 0` in a child process; yields its base URL.

    The server prints its URL once its socket is listening, so requests made after
    that line wait in the socket's queue until Datasette accepts them: no polling.
    """
    env = dict(os.environ)
    env.pop("NEWSDESK_DB", None)
    with tempfile.TemporaryFile("w+") as errors:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jobs.cli", "serve", "--db", str(db), "--port", "0"],
            cwd=REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(proc.stdout, selectors.EVENT_READ)
                ready = selector.select(timeout)
            line = proc.stdout.readline() if ready else ""
            match = re.search(r" at (http://\S+?)/$", line.strip())
            if not match:
                proc.kill()
                errors.seek(0)
                raise AssertionError(f"serve did not start: {line!r} {errors.read()}")
            yield match.group(1)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
