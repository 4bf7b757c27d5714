"""Pages that lie about their own URL: no article is merged into another or dropped.

Every page here is written for these tests. Real CMSs publish canonical links (and
og:url) that point to the home page, to a section, to another host, or one URL shared
by every article of a template; each article must still be stored, once.
"""

from __future__ import annotations

import sqlite3
from itertools import permutations
from pathlib import Path

import pytest

from crawler.store import Store
from extract.article import extract_article
from extract.page import extract_page
from extract.text import same_story
from extract.urls import trusted_canonical
from jobs.localsite import LocalSite, Page
from tests.made_up_pages import TOWNS, page, story
from tests.sites import newsdesk, write_sources

SITE = "https://courier.example"
PAGE_URL = f"{SITE}/news/2026/11/20/ferry-returns-to-varnek"


@pytest.mark.parametrize(
    ("canonical", "trusted"),
    [
        (f"{SITE}/news/2026/11/20/ferry-returns", True),  # another path on the site
        (f"{SITE}/news/2026/11/20/ferry-returns-to-varnek/amp", True),
        ("https://www.courier.example/news/ferry-returns-to-varnek", True),  # www. is one site
        (f"{SITE}/", False),  # the home page
        (SITE, False),
        (f"{SITE}/index.html", False),
        ("https://aggregator.example/story/1", False),  # another host
        (f"{SITE}/news/", False),  # a section above the page
        (f"{SITE}/news/2026/11/", False),  # a month archive
        (f"{SITE}/tag/ferries/", False),
        (f"{SITE}/category/local", False),
        (f"{SITE}/page/2", False),
        ("ftp://courier.example/news/x", False),
        ("", False),
    ],
)
def test_which_canonical_urls_are_trusted(canonical: str, trusted: bool) -> None:
    assert trusted_canonical(canonical, PAGE_URL) is trusted


def test_an_amp_page_trusts_its_article_above_it() -> None:
    article = f"{SITE}/news/ferry-returns-to-varnek"
    assert trusted_canonical(article, f"{article}/amp")
    assert trusted_canonical(article, f"{article}/print.html")
    assert not trusted_canonical(f"{SITE}/news", f"{SITE}/news/38853_ferry")


def test_untrusted_canonical_falls_back_to_og_url_then_to_the_fetched_url() -> None:
    good = f"{SITE}/news/ferry-returns"
    html = page("Varnek", canonical="/", og_url=good)
    assert extract_article(html, PAGE_URL).url == good
    html = page("Varnek", canonical="/", og_url=f"{SITE}/news/")
    assert extract_article(html, PAGE_URL).url == PAGE_URL


def _store_page(store: Store, html: bytes, fetched: str) -> tuple[int, bool]:
    stored = store.add_article(
        extract_page(html, fetched), source="s", run_id=None, fetched_url=fetched, page_url=fetched
    )
    return stored.article_id, stored.is_new


def _urls(store: Store) -> dict[str, str]:
    rows = store.db.execute("SELECT url, body FROM articles").fetchall()
    return {url: body.split(" ")[3] for url, body in rows}  # url -> town


def test_a_shared_canonical_url_keeps_different_articles_apart(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "n.db")
    shared = f"{SITE}/news/latest-story"
    for town in TOWNS[:3]:
        _store_page(store, page(town, canonical=shared), f"{SITE}/news/{town.lower()}")
    # The same article under another URL, claiming the same canonical: one row.
    _, is_new = _store_page(store, page("Varnek", canonical=shared), f"{SITE}/print/varnek")
    assert not is_new
    assert _urls(store) == {
        shared: "Varnek",
        f"{SITE}/news/oldmere": "Oldmere",
        f"{SITE}/news/tessin": "Tessin",
    }
    assert store.is_known(f"{SITE}/print/varnek") and store.is_known(f"{SITE}/news/varnek")
    store.close()


def test_the_article_living_at_a_claimed_url_takes_it_back(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "n.db")
    real = f"{SITE}/news/brakov"
    # A template bug: Tessin's page says it is Brakov's. It is stored first...
    first, _ = _store_page(store, page("Tessin", canonical=real), f"{SITE}/news/tessin")
    # ...and Brakov's URL was only claimed, so a listing linking it still gets it fetched.
    assert not store.is_known(real)
    second, is_new = _store_page(store, page("Brakov", canonical=real), real)
    assert is_new and second != first
    assert _urls(store) == {real: "Brakov", f"{SITE}/news/tessin": "Tessin"}
    assert store.is_known(real) and store.is_known(f"{SITE}/news/tessin")
    store.close()


def _query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_crawl_of_a_site_whose_pages_lie_about_their_url(tmp_path: Path) -> None:
    pages: dict[str, Page] = {}
    site = LocalSite(pages).start()
    base = site.base_url
    lying = {
        # Three articles say they are the home page (relative and absolute).
        "/news/varnek.html": page("Varnek", canonical="/"),
        "/news/oldmere.html": page("Oldmere", canonical=f"{base}/"),
        "/news/tessin.html": page("Tessin", og_url="/"),
        # One says it lives on another site, one says it is the news section.
        "/news/brakov.html": page("Brakov", canonical="https://aggregator.example/x/1"),
        "/news/lindholt.html": page("Lindholt", canonical="/news/"),
        # Two share one canonical URL, which is a third article's own.
        "/news/sorrow-bay.html": page("Sorrow Bay", canonical="/news/kelmar.html"),
        "/news/kelmar-2.html": page("Kelmar", canonical="/news/kelmar.html"),
        "/news/kelmar.html": page("Kelmar", canonical="/news/kelmar.html"),
    }
    pages.update({path: Page(html) for path, html in lying.items()})
    links = "".join(f'<li><a href="{path}">story</a></li>' for path in lying)
    pages["/news/"] = Page(f"<html><body><ul>{links}</ul></body></html>".encode())
    try:
        sources = write_sources(
            tmp_path, base, sections=["/news/"], extra='article_pattern = "/news/."'
        )
        db = tmp_path / "n.db"
        result = newsdesk("run", "--sources", str(sources), "--db", str(db))
        assert result.returncode == 0, result.stdout + result.stderr
    finally:
        site.stop()
    stored = {
        url.removeprefix(base): body.split(" ")[3]
        for url, body in _query(db, "SELECT url, body FROM articles")
    }
    assert stored == {
        "/news/varnek.html": "Varnek",
        "/news/oldmere.html": "Oldmere",
        "/news/tessin.html": "Tessin",
        "/news/brakov.html": "Brakov",
        "/news/lindholt.html": "Lindholt",
        "/news/sorrow-bay.html": "Sorrow",
        "/news/kelmar.html": "Kelmar",  # its copy at kelmar-2 is the same article
    }
    assert "new articles 7," in result.stdout


def test_a_revised_article_is_the_same_article(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "n.db")
    url = f"{SITE}/news/varnek"
    first, _ = _store_page(store, page("Varnek", canonical=url), f"{url}?from=rss")
    revised = story("Varnek")
    revised[2] = "Correction: the harbour office, not the council, will run the crossings."
    again, is_new = _store_page(store, page("Varnek", canonical=url, paragraphs=revised), url)
    assert (again, is_new) == (first, False)
    assert _urls(store) == {url: "Varnek"} and store.is_known(url)
    store.close()


def test_articles_sharing_a_furniture_line_are_different() -> None:
    line = "Follow the Riverside Courier on every platform for the latest news of the valley."
    one, two = story("Varnek")[:2] + [line], story("Oldmere")[:2] + [line]
    assert not same_story("\n\n".join(one), "\n\n".join(two))
    assert same_story("\n\n".join(one), "\n\n".join(one[:2]))  # a paragraph added


def test_pages_claiming_a_taken_url_in_any_order_give_one_row_per_article(
    tmp_path: Path,
) -> None:
    """Kelmar's own page and a copy of it both claim Kelmar's URL, which Sorrow Bay's
    page claimed first: whatever the order, each article is stored once, Kelmar at its
    own URL."""
    claimed = f"{SITE}/news/kelmar"
    pages = {
        f"{SITE}/news/sorrow-bay": page("Sorrow Bay", canonical=claimed),
        f"{SITE}/news/kelmar-2": page("Kelmar", canonical=claimed),
        claimed: page("Kelmar", canonical=claimed),
    }
    for n, order in enumerate(permutations(pages)):
        store = Store.open(tmp_path / f"{n}.db")
        for fetched in order:
            _store_page(store, pages[fetched], fetched)
        assert _urls(store) == {claimed: "Kelmar", f"{SITE}/news/sorrow-bay": "Sorrow"}, order
        assert all(store.is_known(url) for url in pages)
        store.close()
