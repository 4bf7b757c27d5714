"""A feed or sitemap entry's date is evidence: an undated page it lists is dated news.

The pages are written for these tests (tests/made_up_pages.py).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crawler.dates import entry_date
from extract.article import NotAnArticle, extract_article
from jobs.localsite import LocalSite, Page
from tests.made_up_pages import page
from tests.sites import newsdesk, write_sources

URL = "https://courier.example/news/ferry-returns"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Fri, 20 Nov 2026 09:30:00 +0200", "2026-11-20T09:30:00+02:00"),  # RSS pubDate
        ("2026-11-20T09:30:00Z", "2026-11-20T09:30:00+00:00"),  # Atom, news sitemap
        ("2026-11-20", "2026-11-20"),  # sitemap lastmod: a day stays a day
        ("2026-02-30", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_entry_dates_are_read_as_iso(text: str | None, iso: str | None) -> None:
    assert entry_date(text) == iso


def test_an_undated_short_page_is_a_static_page_unless_a_listing_dated_it() -> None:
    html = page("Oldmere", dated=False)
    with pytest.raises(NotAnArticle, match="static page"):
        extract_article(html, URL)
    article = extract_article(html, URL, listed_date="2026-11-20T09:30:00+02:00")
    assert article.published == "2026-11-20T09:30:00+02:00"


def test_the_page_own_date_wins_over_the_listing() -> None:
    article = extract_article(page("Oldmere"), URL, listed_date="2026-01-01")
    assert article.published.startswith("2026-11-20")


def _rss(base: str, path: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Courier</title>'
        f"<item><title>t</title><link>{base}{path}</link>"
        "<pubDate>Fri, 20 Nov 2026 09:30:00 +0000</pubDate></item></channel></rss>"
    ).encode()


def _news_sitemap(base: str, path: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{base}{path}</loc><lastmod>2026-11-25</lastmod><news:news>"
        "<news:publication><news:name>Courier</news:name><news:language>en</news:language>"
        "</news:publication><news:publication_date>2026-11-21T08:00:00+00:00"
        "</news:publication_date><news:title>t</news:title></news:news></url>"
        f"<url><loc>{base}/news/tessin.html</loc><lastmod>2026-11-22</lastmod></url>"
        "</urlset>"
    ).encode()


def test_crawl_dates_undated_pages_from_their_feed_and_sitemap_entries(tmp_path: Path) -> None:
    pages: dict[str, Page] = {}
    site = LocalSite(pages).start()
    base = site.base_url
    for town in ("Varnek", "Oldmere", "Tessin", "Brakov"):
        # Slow pages: every listing is read before a page arrives, whichever came first.
        pages[f"/news/{town.lower()}.html"] = Page(page(town, dated=False), delay=1.0)
    pages["/rss.xml"] = Page(_rss(base, "/news/varnek.html"), "application/rss+xml")
    pages["/sitemap.xml"] = Page(_news_sitemap(base, "/news/oldmere.html"), "application/xml")
    # A section is no dated listing: its undated page stays a static page. The page it
    # shares with the feed takes the feed's date, even when requested from here.
    links = '<a href="/news/brakov.html">b</a><a href="/news/varnek.html">v</a>'
    pages["/section/"] = Page(f"<html><body>{links}</body></html>".encode())
    try:
        sources = write_sources(
            tmp_path, base, feeds=["/rss.xml"], sitemaps=["/sitemap.xml"], sections=["/section/"]
        )
        db = tmp_path / "n.db"
        result = newsdesk("run", "--sources", str(sources), "--db", str(db))
        assert result.returncode == 0, result.stdout + result.stderr
    finally:
        site.stop()
    with sqlite3.connect(db) as conn:
        published = dict(conn.execute("SELECT url, published FROM articles"))
        refused = dict(conn.execute("SELECT url, reason FROM fetches"))
    assert published == {
        f"{base}/news/varnek.html": "2026-11-20T09:30:00+00:00",  # RSS pubDate
        f"{base}/news/oldmere.html": "2026-11-21T08:00:00+00:00",  # news:publication_date
        f"{base}/news/tessin.html": "2026-11-22",  # lastmod
    }
    assert "static page" in refused[f"{base}/news/brakov.html"]
