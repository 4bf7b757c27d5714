"""End-to-end crawls of local sites built from real corpus pages.

Each crawl is the real `newsdesk run` in a child process against a site served
on 127.0.0.1 by this test process, so the test sees every request it makes.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from tests.sites import CorpusSite, corpus_pages, newsdesk, write_sources


def _run(sources: Path, db: Path) -> dict[str, int]:
    result = newsdesk("run", "--sources", str(sources), "--db", str(db))
    assert result.returncode == 0, result.stdout + result.stderr
    match = re.search(
        r"pages fetched (\d+), new articles (\d+), (?:skipped (\d+) not (?:an )?articles?, )?"
        r"failures (\d+), known skipped (\d+)",
        result.stdout,
    )
    assert match, result.stdout
    fetched, new, not_articles, failures, skipped = (int(g or 0) for g in match.groups())
    return {
        "fetched": fetched,
        "new": new,
        "not_articles": not_articles,
        "failures": failures,
        "skipped": skipped,
    }


def _stored_paths(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT fetched_url FROM articles").fetchall()
    return {re.sub(r"^http://[^/]+", "", url) for (url,) in rows}


def _fetch_rows(db: Path) -> dict[str, tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, outcome, reason FROM fetches").fetchall()
    return {re.sub(r"^http://[^/]+", "", url): (outcome, reason) for url, outcome, reason in rows}


@pytest.fixture(scope="module")
def pages(corpus: Path):
    return corpus_pages(corpus, 60, english_only=True)


def test_each_discovery_path_finds_its_pages(pages, tmp_path: Path) -> None:
    paths = [p.path for p in pages[:24]]
    site = CorpusSite(
        pages[:24],
        sitemap=paths[0:6],
        news_sitemap=paths[6:12],
        rss=paths[12:18],
        sections=paths[18:24],
        section_size=2,  # three section pages, reached through rel=next
    )
    with site.serve() as server:
        for name, kwargs, expected in [
            ("sitemap", {"sitemaps": ["/robots.txt"]}, paths[0:12]),
            ("rss", {"feeds": ["/rss.xml"]}, paths[12:18]),
            ("sections", {"sections": ["/section/"]}, paths[18:24]),
        ]:
            workdir = tmp_path / name
            workdir.mkdir()
            db = workdir / "n.db"
            sources = write_sources(
                workdir, server.base_url, extra='article_pattern = "/a/"', **kwargs
            )
            _run(sources, db)
            accounted = _stored_paths(db) | set(_fetch_rows(db))
            assert accounted == set(expected), name


def test_second_run_fetches_no_known_article_and_robots_is_obeyed(pages, tmp_path: Path) -> None:
    paths = [p.path for p in pages[:20]]
    site = CorpusSite(pages[:20], sitemap=paths, rss=paths[:10], disallow=[paths[3]])
    with site.serve() as server:
        sources = write_sources(
            tmp_path, server.base_url, feeds=["/rss.xml"], sitemaps=["/robots.txt"]
        )
        db = tmp_path / "n.db"
        first = _run(sources, db)
        assert paths[3] not in server.requests
        assert _fetch_rows(db)[paths[3]][0] == "robots"
        assert first["new"] + first["not_articles"] + first["failures"] == 20
        server.requests.clear()
        second = _run(sources, db)
        article_requests = [r for r in server.requests if r.startswith("/a/")]
        assert article_requests == []
        assert second["new"] == 0


def test_backfill_days_skips_old_feed_and_sitemap_entries(pages, tmp_path: Path) -> None:
    paths = [p.path for p in pages[:12]]
    ages = {path: 30 for path in paths[::2]}  # every other page is a month old
    site = CorpusSite(
        pages[:12], sitemap=paths[:4], news_sitemap=paths[4:8], rss=paths[8:12], ages_days=ages
    )
    with site.serve() as server:
        sources = write_sources(
            tmp_path, server.base_url, feeds=["/rss.xml"], sitemaps=["/sitemap_index.xml"]
        )
        sources.write_text(sources.read_text().replace("backfill_days = 0", "backfill_days = 7"))
        db = tmp_path / "n.db"
        _run(sources, db)
        requested = {r.split("?")[0] for r in server.requests if r.startswith("/a/")}
        assert requested == set(paths[1::2])


def test_crawl_of_400_corpus_pages_accounts_for_every_page(corpus: Path, tmp_path: Path) -> None:
    """Every page is a stored article or a `fetches` row with a reason."""
    pages = corpus_pages(corpus, 400)
    paths = [p.path for p in pages]
    site = CorpusSite(pages, sitemap=paths)
    with site.serve() as server:
        db = tmp_path / "n.db"
        counts = _run(write_sources(tmp_path, server.base_url, sitemaps=["/robots.txt"]), db)
    stored, failed = _stored_paths(db), _fetch_rows(db)
    assert stored | set(failed) == set(paths)
    assert not stored & set(failed)
    assert all(reason for _, reason in failed.values())
    assert counts["new"] == len(stored)
    # Real news pages are nearly all articles; the rest must say why not.
    assert len(stored) >= 360, sorted(failed.items())[:20]
    with sqlite3.connect(db) as conn:
        empty = conn.execute("SELECT COUNT(*) FROM articles WHERE length(body) < 100").fetchone()[0]
        authors = conn.execute("SELECT authors FROM articles").fetchall()
    assert empty == 0
    assert all(isinstance(json.loads(a), list) for (a,) in authors)
