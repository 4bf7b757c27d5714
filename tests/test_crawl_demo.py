"""End-to-end crawls of the embedded demo site (our own text: these always run)."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from jobs.demo import demo_pages, load_demo_articles
from jobs.localsite import LocalSite, Page
from tests.sites import crawl_demo, newsdesk, write_sources

ARTICLES = load_demo_articles()
# `newsdesk demo` dates the articles relative to the day it runs.
SERVED_BY_DEMO = load_demo_articles(today=date.today())


def _query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def _paths(urls) -> set[str]:
    return {re.sub(r"^http://[^/]+", "", u) for u in urls}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """`newsdesk demo` as a user runs it."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = crawl_demo(db)
    assert f"new articles {len(ARTICLES)}," in result.stdout
    assert str(db) in result.stdout
    return db


def test_demo_stores_every_article_once_with_clean_fields(demo_db: Path) -> None:
    rows = _query(demo_db, "SELECT url, title, published, body, language FROM articles")
    assert len(rows) == len(SERVED_BY_DEMO) >= 30
    by_path = {a.path: a for a in SERVED_BY_DEMO}
    for url, title, published, body, language in rows:
        article = by_path[next(iter(_paths([url])))]
        assert "utm_" not in url and "#" not in url
        assert title == article.title  # site name stripped
        assert published[:16] == article.published[:16]
        assert language == "en"
        assert "Read more" not in body and "newsletter" not in body.lower()
        assert body.split("\n\n")[0] == article.lead


def test_demo_fills_statements_figures_and_views(demo_db: Path) -> None:
    (statements,) = _query(demo_db, "SELECT COUNT(*) FROM v_statements")[0]
    (figures,) = _query(demo_db, "SELECT COUNT(*) FROM v_figures")[0]
    assert statements > len(ARTICLES)
    assert figures > len(ARTICLES)
    # One SELECT answers "enemy attacks reported repelled per day".
    per_day = _query(
        demo_db,
        "SELECT day, SUM(value) FROM v_figures WHERE object LIKE '%attacks%' "
        "AND action LIKE 'repel%' GROUP BY day",
    )
    assert per_day


@pytest.fixture
def demo_site():
    pages: dict[str, Page] = {}
    site = LocalSite(pages).start()
    pages.update(demo_pages(site.base_url))
    yield site, pages
    site.stop()


PATTERN = 'article_pattern = "/news/"'


@pytest.mark.parametrize(
    ("listing", "expected"),
    [
        ({"feeds": ["/rss.xml"]}, 20),  # the feed carries the newest 20
        ({"feeds": ["/atom.xml"]}, 20),
        ({"sitemaps": ["/robots.txt"]}, len(ARTICLES)),  # Sitemap: line -> index -> gz + news
        ({"sitemaps": ["/sitemaps/news.xml"]}, len(ARTICLES)),
        ({"sections": ["/section/frontline/"]}, "frontline"),  # rel=next pagination
    ],
)
def test_each_discovery_path(demo_site, tmp_path: Path, listing: dict, expected) -> None:
    site, _ = demo_site
    sources = write_sources(tmp_path, site.base_url, extra=PATTERN, **listing)
    result = newsdesk("run", "--sources", str(sources), "--db", str(tmp_path / "n.db"))
    assert result.returncode == 0, result.stderr
    stored = _paths(u for (u,) in _query(tmp_path / "n.db", "SELECT url FROM articles"))
    if expected == "frontline":
        wanted = {a.path for a in ARTICLES if a.section == "frontline"}
        assert stored == wanted and len(wanted) > 5
    else:
        assert len(stored) == expected


def test_robots_second_run_and_failures(demo_site, tmp_path: Path) -> None:
    site, pages = demo_site
    # Broken pages linked from a listing: each must become one `fetches` row.
    broken = {
        "/news/2026/11/01/server-error.html": Page(b"oops", status=500),
        "/news/2026/11/01/gone.html": Page(b"gone", status=404),
        "/news/2026/11/01/report.pdf.html": Page(b"%PDF-1.4 binary", "application/pdf"),
        "/news/2026/11/01/empty.html": Page(b"<html><body></body></html>"),
        "/news/2026/11/01/huge.html": Page(b"<html><body>" + b"<p>word</p>" * 100_000),
    }
    pages.update(broken)
    links = "".join(f'<a href="{p}">x</a>' for p in [*broken, "/private/secret.html"])
    pages["/extra.html"] = Page(f"<html><body>{links}</body></html>".encode())
    sources = write_sources(tmp_path, site.base_url, sections=["/extra.html", "/section/economy/"])
    # A size limit small enough for the huge page, large enough for real ones.
    sources.write_text(
        sources.read_text().replace("[settings]", "[settings]\nDOWNLOAD_MAXSIZE = 500_000")
    )
    db = tmp_path / "n.db"
    first = newsdesk("run", "--sources", str(sources), "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert "/private/secret.html" not in site.requests
    rows = _query(db, "SELECT url, outcome FROM fetches")
    outcomes = {next(iter(_paths([url]))): outcome for url, outcome in rows}
    assert outcomes["/private/secret.html"] == "robots"
    assert outcomes["/news/2026/11/01/server-error.html"] == "http_error"
    assert outcomes["/news/2026/11/01/gone.html"] == "http_error"
    assert outcomes["/news/2026/11/01/report.pdf.html"] == "not_html"
    assert outcomes["/news/2026/11/01/empty.html"] == "not_article"
    assert outcomes["/news/2026/11/01/huge.html"] == "too_big"
    stored = _paths(u for (u,) in _query(db, "SELECT url FROM articles"))
    economy = {a.path for a in ARTICLES if a.section == "economy"}
    # Without an article_pattern, other links on the listing are candidates too.
    assert economy <= stored, first.stdout
    assert stored <= {a.path for a in ARTICLES}

    site.requests.clear()
    second = newsdesk("run", "--sources", str(sources), "--db", str(db))
    assert "new articles 0," in second.stdout
    refetched = [r for r in site.requests if r.startswith("/news/") and "error" not in r]
    # Known articles and final failures (not an article, not HTML, too big) are not
    # fetched again; HTTP errors are retried.
    assert all(r.endswith(("server-error.html", "gone.html")) for r in refetched), refetched
