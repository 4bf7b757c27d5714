"""Extraction in worker processes and batched writes, on the demo site (our own text).

The crash case uses NEWSDESK_EXTRACT_TASK to run `kill_on_marker` in the workers: the
real extraction, except that a page carrying MARKER kills its worker process the way a
segfault in a parser would.
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from crawler.extract_pool import PageResult, extract_result
from crawler.store import Store
from extract.page import extract_page
from jobs.demo import demo_pages, load_demo_articles
from jobs.localsite import LocalSite, Page
from tests.sites import newsdesk, write_sources

ARTICLES = load_demo_articles()
MARKER = b"<!-- newsdesk test: this page kills its worker -->"
KILLER_PATH = "/news/2026/the-page-that-kills-its-worker.html"


def kill_on_marker(html: bytes, url: str, charset: str | None, listed: str | None) -> PageResult:
    if MARKER in html:
        os._exit(70)
    return extract_result(html, url, charset, listed)


def record_worker(html: bytes, url: str, charset: str | None, listed: str | None) -> PageResult:
    """The real extraction, noting which worker process ran it (in $NEWSDESK_TEST_PIDS)."""
    with open(os.environ["NEWSDESK_TEST_PIDS"], "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()}\n")
    return extract_result(html, url, charset, listed)


def _query(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def site():
    pages: dict[str, Page] = {}
    server = LocalSite(pages).start()
    pages.update(demo_pages(server.base_url))
    killer = pages["/about.html"].body.replace(b"</body>", MARKER + b"</body>")
    pages[KILLER_PATH] = Page(killer)
    pages["/killer.xml"] = Page(
        (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>k</title>'
            f"<item><title>k</title><link>{server.base_url}{KILLER_PATH}</link></item>"
            "</channel></rss>"
        ).encode(),
        "application/rss+xml",
    )
    yield server
    server.stop()


def crawl(site: LocalSite, tmp_path: Path, settings: str) -> Path:
    tmp_path.mkdir()
    sources = write_sources(
        tmp_path,
        site.base_url,
        feeds=["/killer.xml"],
        sitemaps=["/robots.txt"],
        extra='article_pattern = "/news/"',
    )
    text = sources.read_text(encoding="utf-8").replace("[settings]\n", f"[settings]\n{settings}\n")
    sources.write_text(text, encoding="utf-8")
    db = tmp_path / "n.db"
    result = newsdesk("run", "--sources", str(sources), "--db", str(db))
    assert result.returncode == 0, result.stdout + result.stderr
    return db


def stored(db: Path) -> list[tuple]:
    return _query(
        db,
        "SELECT a.url, a.title, a.body, "
        "(SELECT COUNT(*) FROM statements s WHERE s.article_id = a.id), "
        "(SELECT COUNT(*) FROM figures f WHERE f.article_id = a.id) "
        "FROM articles a ORDER BY a.url",
    )


def test_a_page_that_kills_its_worker_is_a_fetch_and_the_crawl_goes_on(
    site: LocalSite, tmp_path: Path
) -> None:
    settings = (
        "NEWSDESK_EXTRACT_WORKERS = 2\n"
        'NEWSDESK_EXTRACT_TASK = "tests.test_pipeline_pool.kill_on_marker"\n'
        "NEWSDESK_BATCH_SIZE = 7"
    )
    db = crawl(site, tmp_path / "pool", settings)
    assert len(stored(db)) == len(ARTICLES)
    (failure,) = _query(db, "SELECT url, outcome, reason FROM fetches WHERE url LIKE '%kills%'")
    assert failure[1] == "extract_error" and "killed its worker" in failure[2]
    (run,) = _query(db, "SELECT status, articles_new, failures FROM runs")
    assert run == ("finished", len(ARTICLES), 1)
    # Each article was written whole: its URL aliases are there too.
    assert not _query(
        db, "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM article_urls)"
    )

    # The same crawl extracting on the reactor thread stores exactly the same rows.
    in_process = crawl(site, tmp_path / "inline", "NEWSDESK_EXTRACT_WORKERS = 0")
    assert stored(in_process) == stored(db)


def test_workers_are_replaced_after_their_share_of_pages(
    site: LocalSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pids = tmp_path / "pids.txt"
    monkeypatch.setenv("NEWSDESK_TEST_PIDS", str(pids))
    settings = (
        "NEWSDESK_EXTRACT_WORKERS = 2\n"
        "NEWSDESK_EXTRACT_WORKER_PAGES = 3\n"
        'NEWSDESK_EXTRACT_TASK = "tests.test_pipeline_pool.record_worker"'
    )
    db = crawl(site, tmp_path / "recycled", settings)
    pages_by_worker = Counter(pids.read_text(encoding="utf-8").split())
    # Each page was extracted once: the articles and the pages found not to be articles.
    (not_articles,) = _query(db, "SELECT COUNT(*) FROM fetches WHERE outcome = 'not_article'")[0]
    assert sum(pages_by_worker.values()) == len(ARTICLES) + not_articles
    # A pool of 2 workers takes 6 pages, then new workers take over.
    assert len(pages_by_worker) >= 6
    assert max(pages_by_worker.values()) <= 6
    assert len(stored(db)) == len(ARTICLES)
    (run,) = _query(db, "SELECT status, articles_new FROM runs")
    assert run == ("finished", len(ARTICLES))


def test_a_bad_article_in_a_batch_is_rolled_back_alone(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Bridge repairs</title>"
        '<meta property="og:type" content="article">'
        '<meta property="article:published_time" content="2026-11-20T09:00:00+00:00">'
        "</head><body><article><h1>Bridge repairs</h1>"
        '<p>"The bridge will reopen in four months," the mayor said on Tuesday at a meeting '
        "of the regional council, which approved the repairs unanimously.</p>"
        "<p>Engineers said that 12 workers and 3 cranes would be on the site every day, and "
        "that a temporary crossing for buses would open downstream within three weeks.</p>"
        "</article></body></html>"
    )
    good = extract_page(html, "https://example.org/news/bridge")
    assert good.statements and good.figures
    second = dataclasses.replace(
        good, article=dataclasses.replace(good.article, url="https://example.org/news/2")
    )
    # A figure pointing at a statement that does not exist fails halfway through the write.
    broken_figure = dataclasses.replace(good.figures[0], statement=len(good.statements) + 5)
    bad = dataclasses.replace(
        good,
        article=dataclasses.replace(good.article, url="https://example.org/news/bad"),
        figures=(broken_figure,),
    )
    store = Store.open(tmp_path / "n.db")
    with store.batch():
        store.add_article(good, source="t", run_id=None, fetched_url=good.article.url)
        with pytest.raises(IndexError):
            store.add_article(bad, source="t", run_id=None, fetched_url=bad.article.url)
        store.add_article(second, source="t", run_id=None, fetched_url=second.article.url)
    store.close()

    db = tmp_path / "n.db"
    urls = [u for (u,) in _query(db, "SELECT url FROM articles ORDER BY id")]
    assert urls == [good.article.url, second.article.url]
    assert not _query(db, "SELECT * FROM article_urls WHERE url LIKE '%/bad'")
    (statements,) = _query(db, "SELECT COUNT(*) FROM statements")[0]
    assert statements == 2 * len(good.statements)
    # Figures inside a statement point at that statement's row.
    linked = _query(
        db,
        "SELECT f.start, f.end, s.start, s.end FROM figures f "
        "JOIN statements s ON s.id = f.statement_id AND s.article_id = f.article_id",
    )
    assert len(linked) == 2 * sum(1 for f in good.figures if f.statement is not None) > 0
    assert all(s_start <= f_start < f_end <= s_end for f_start, f_end, s_start, s_end in linked)
