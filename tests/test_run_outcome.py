"""What `newsdesk run` reports and records: a run that achieved nothing has failed,
and a page rightly skipped as not an article is no failure.

The real CLI against the demo site and broken sources, all on 127.0.0.1.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from jobs.demo import demo_pages, load_demo_articles
from jobs.localsite import LocalSite, Page
from tests.sites import free_port, newsdesk

ARTICLES = load_demo_articles()
XML = "application/xml; charset=utf-8"
SETTINGS = """
[settings]
AUTOTHROTTLE_ENABLED = false
DOWNLOAD_DELAY = 0
RETRY_TIMES = 0
"""


def source(source_id: str, key: str, url: str) -> str:
    return f"""
[[source]]
id = "{source_id}"
name = "{source_id}"
{key} = ["{url}"]
allowed_domains = ["127.0.0.1"]
allow_private_network = true
backfill_days = 0
"""


def _sitemap(base: str, paths: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    ).encode()


@pytest.fixture(scope="module")
def site() -> Iterator[LocalSite]:
    pages: dict = {}
    site = LocalSite(pages).start()
    pages.update(demo_pages(site.base_url))
    # Two articles and one listing page that an article URL pattern would let through.
    listed = [ARTICLES[0].path, ARTICLES[1].path, "/section/frontline/"]
    pages["/mixed-sitemap.xml"] = Page(_sitemap(site.base_url, listed), XML)
    yield site
    site.stop()


def runs(db: Path) -> dict[str, dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return {r["source"]: dict(r) for r in conn.execute("SELECT * FROM runs ORDER BY id")}
    finally:
        conn.close()


def line(output: str, source_id: str) -> str:
    (found,) = [x for x in output.splitlines() if x.startswith(f"{source_id}: ")]
    return found


def test_sources_whose_every_start_url_fails_are_failed_runs(site: LocalSite, tmp_path) -> None:
    base = site.base_url
    closed_port = free_port()  # nothing listens there: connection refused
    text = (
        SETTINGS
        + source("good", "sitemaps", f"{base}/sitemaps/news.xml")
        + source("missing", "feeds", f"{base}/no-such-feed.xml")
        + source("refused", "sitemaps", f"http://127.0.0.1:{closed_port}/sitemap.xml")
        + source("html", "feeds", f"{base}/")  # the home page where a feed was expected
    )
    sources = tmp_path / "sources.toml"
    sources.write_text(text, encoding="utf-8")
    db = tmp_path / "n.db"
    result = newsdesk("run", "--sources", str(sources), "--db", str(db))
    out = result.stdout

    assert result.returncode == 1, out + result.stderr
    assert line(out, "good").startswith("good: finished;")
    assert f"new articles {len(ARTICLES)}," in line(out, "good")
    missing = line(out, "missing")
    assert missing.startswith("missing: failed (no start URL could be read (")
    assert f"{base}/no-such-feed.xml: HTTP 404" in missing
    assert "ConnectionRefusedError" in line(out, "refused")
    assert "an HTML page, not a feed" in line(out, "html")
    assert "3 of 4 sources did not finish: missing (failed), refused (failed), html (failed)" in out

    recorded = runs(db)
    assert recorded["good"]["status"] == "finished" and recorded["good"]["reason"] is None
    for name in ("missing", "refused", "html"):
        assert recorded[name]["status"] == "failed"
        assert recorded[name]["reason"].startswith("no start URL could be read (")
        assert recorded[name]["finished"]
    status = newsdesk("status", "--sources", str(sources), "--db", str(db))
    assert status.returncode == 1


def test_one_failing_start_url_of_several_is_a_failure_not_a_failed_run(
    site: LocalSite, tmp_path
) -> None:
    base = site.base_url
    text = SETTINGS + source("partly", "sitemaps", f"{base}/sitemaps/news.xml").replace(
        "backfill_days", f'feeds = ["{base}/gone.xml"]\nbackfill_days'
    )
    sources = tmp_path / "sources.toml"
    sources.write_text(text, encoding="utf-8")
    db = tmp_path / "n.db"
    result = newsdesk("run", "--sources", str(sources), "--db", str(db))
    assert result.returncode == 0, result.stdout + result.stderr
    assert line(result.stdout, "partly").startswith("partly: finished;")
    assert "failures 1," in result.stdout
    assert runs(db)["partly"]["status"] == "finished"


def test_a_page_that_is_no_article_is_counted_apart(site: LocalSite, tmp_path) -> None:
    text = SETTINGS + source("mixed", "sitemaps", f"{site.base_url}/mixed-sitemap.xml")
    sources = tmp_path / "sources.toml"
    sources.write_text(text, encoding="utf-8")
    db = tmp_path / "n.db"
    result = newsdesk("run", "--sources", str(sources), "--db", str(db))
    assert result.returncode == 0, result.stdout + result.stderr
    summary = line(result.stdout, "mixed")
    assert summary.startswith("mixed: finished;")
    assert "new articles 2, skipped 1 not an article, failures 0," in summary
    run = runs(db)["mixed"]
    assert (run["status"], run["articles_new"], run["not_articles"], run["failures"]) == (
        "finished",
        2,
        1,
        0,
    )
    # Still recorded, so that the next run does not fetch it again.
    with sqlite3.connect(db) as conn:
        (outcome,) = conn.execute("SELECT outcome FROM fetches").fetchone()
    assert outcome == "not_article"
