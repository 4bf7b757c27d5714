"""The embedded demo site: what a crawler finds there, and the gold files that annotate it."""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import re
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import etree, html
from protego import Protego
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from extract.text import clean_body, is_teaser
from jobs.demo import PAGE_SIZE, SECTIONS, DemoArticle, load_demo_articles, serve_demo
from jobs.localsite import LocalSite

GOLD_DIR = Path(__file__).parent / "gold"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"
NUMBER_WORD = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|dozens?|hundreds?|thousands?|millions?|billions?|"
    r"half|third|quarter|double|triple|twice)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def site() -> Iterator[LocalSite]:
    demo = serve_demo()
    yield demo
    demo.stop()


@pytest.fixture(scope="module")
def articles() -> list[DemoArticle]:
    return load_demo_articles()


def fetch(site: LocalSite, path_or_url: str) -> tuple[int, str, bytes]:
    url = path_or_url if path_or_url.startswith("http") else site.url(path_or_url)
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def path_of(url: str) -> str:
    return urlsplit(url).path


def test_demo_has_enough_articles_in_every_section(articles: list[DemoArticle]) -> None:
    assert len(articles) >= 32
    assert len({a.slug for a in articles}) == len(articles)
    per_section = Counter(a.section for a in articles)
    assert set(per_section) == set(SECTIONS)
    assert all(n > PAGE_SIZE for n in per_section.values())  # every listing paginates
    dates = {a.published_at.date().isoformat() for a in articles}
    assert min(dates) >= "2026-10-20" and max(dates) <= "2026-11-28"
    assert all(a.published_at.utcoffset() is not None for a in articles)


def test_body_text_is_clean_and_has_no_teasers(articles: list[DemoArticle]) -> None:
    by_slug = {a.slug: a for a in articles}
    for article in articles:
        assert clean_body(article.body_text) == article.body_text, article.slug
        assert not any(is_teaser(p) for p in article.body_text.split("\n\n"))
        assert all(slug in by_slug and slug != article.slug for slug in article.read_more)


def test_robots_txt_disallows_private_and_points_to_sitemap_index(site: LocalSite) -> None:
    status, ctype, body = fetch(site, "/robots.txt")
    assert status == 200 and ctype.startswith("text/plain")
    lines = body.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /private/" in lines
    assert f"Sitemap: {site.url('/sitemap_index.xml')}" in lines
    # The parser Scrapy's RobotsTxtMiddleware uses must read it the same way.
    robots = Protego.parse(body.decode())
    assert not robots.can_fetch(site.url("/private/secret.html"), "newsdesk")
    assert robots.can_fetch(site.url("/news/2026/10/20/x.html"), "newsdesk")


def test_private_page_is_linked_from_home_but_disallowed(site: LocalSite) -> None:
    _, _, body = fetch(site, "/")
    links = html.fromstring(body).xpath("//a/@href")
    assert "/private/secret.html" in links
    assert fetch(site, "/private/secret.html")[0] == 200  # only robots.txt keeps crawlers out
    assert fetch(site, "/no/such/page.html")[0] == 404


def test_sitemaps_list_every_article_exactly_once(
    site: LocalSite, articles: list[DemoArticle]
) -> None:
    status, ctype, body = fetch(site, "/sitemap_index.xml")
    assert status == 200 and ctype.startswith("application/xml")
    index = etree.fromstring(body)
    children = [loc.text for loc in index.iter(f"{SM}loc")]
    assert [path_of(u) for u in children] == ["/sitemaps/articles-1.xml.gz", "/sitemaps/news.xml"]
    expected = {site.url(a.path): a for a in articles}

    status, ctype, body = fetch(site, children[0])
    assert status == 200 and ctype in ("application/gzip", "application/x-gzip")
    urlset = etree.fromstring(gzip.decompress(body))
    locs = [u.findtext(f"{SM}loc") for u in urlset.iter(f"{SM}url")]
    assert sorted(locs) == sorted(expected)  # each exactly once
    assert len(list(Sitemap(gunzip(body)))) == len(expected)  # what SitemapSpider reads
    for entry in urlset.iter(f"{SM}url"):
        assert entry.findtext(f"{SM}lastmod") == expected[entry.findtext(f"{SM}loc")].published

    status, ctype, body = fetch(site, children[1])
    assert status == 200
    news = etree.fromstring(body)
    entries = list(news.iter(f"{SM}url"))
    assert sorted(e.findtext(f"{SM}loc") for e in entries) == sorted(expected)
    for entry in entries:
        article = expected[entry.findtext(f"{SM}loc")]
        assert entry.findtext(f".//{NEWS}publication_date") == article.published
        assert entry.findtext(f".//{NEWS}title") == article.title
        assert entry.findtext(f".//{NEWS}language") == "en"


def test_rss_and_atom_feeds_parse_and_list_the_newest_articles(
    site: LocalSite, articles: list[DemoArticle]
) -> None:
    status, ctype, body = fetch(site, "/rss.xml")
    assert status == 200 and "xml" in ctype
    channel = etree.fromstring(body).find("channel")
    items = channel.findall("item")
    assert 0 < len(items) <= 20
    assert [path_of(i.findtext("link")) for i in items] == [a.path for a in articles[: len(items)]]
    dates = [parsedate_to_datetime(i.findtext("pubDate")) for i in items]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == articles[0].published_at

    status, _, body = fetch(site, "/atom.xml")
    entries = etree.fromstring(body).findall(f"{ATOM}entry")
    assert [path_of(e.find(f"{ATOM}link").get("href")) for e in entries] == [
        a.path for a in articles[: len(entries)]
    ]


def test_section_pagination_reaches_every_section_article(
    site: LocalSite, articles: list[DemoArticle]
) -> None:
    for section in SECTIONS:
        expected = [a.path for a in articles if a.section == section]
        found: list[str] = []
        tracked = 0
        url: str | None = site.url(f"/section/{section}/")
        pages = 0
        while url:
            status, _, body = fetch(site, url)
            assert status == 200, url
            pages += 1
            tree = html.fromstring(body)
            hrefs = tree.xpath("//ul[@class='listing']//a/@href")
            tracked += sum("utm_source=" in h for h in hrefs)
            found += [path_of(h) for h in hrefs]
            head_next = tree.xpath("//link[@rel='next']/@href")
            body_next = tree.xpath("//a[@rel='next']/@href")
            assert head_next == body_next
            url = urljoin(url, head_next[0]) if head_next else None
        assert found == expected, section
        assert pages == math.ceil(len(expected) / PAGE_SIZE)
        assert tracked > 0  # listings link some articles with utm_* parameters


def test_every_article_page_is_served_with_its_furniture(
    site: LocalSite, articles: list[DemoArticle]
) -> None:
    by_slug = {a.slug: a for a in articles}
    for article in articles:
        status, ctype, body = fetch(site, article.path + "?utm_source=test")
        assert status == 200 and ctype.startswith("text/html"), article.slug
        tree = html.fromstring(body)
        assert tree.findtext(".//title") == f"{article.title} | Demo Front Line"
        assert tree.xpath("string(//h1)") == article.title
        assert tree.xpath("//link[@rel='canonical']/@href") == [site.url(article.path)]
        assert tree.xpath("//time/@datetime")[0] == article.published
        meta = tree.xpath("//meta[@property='article:published_time']/@content")
        assert meta == [article.published]
        ld = json.loads(tree.xpath("//script[@type='application/ld+json']/text()")[0])
        assert ld["@type"] == "NewsArticle" and ld["headline"] == article.title
        assert [a["name"] for a in ld["author"]] == list(article.authors)
        assert tree.xpath("//span[@class='author']/text()") == (
            [", ".join(article.authors)] if article.authors else []
        )
        paragraphs = [
            p.text_content() for p in tree.xpath("//div[@class='article-body']/p[not(@class)]")
        ]
        lead = tree.xpath("string(//p[@class='lead'])")
        assert "\n\n".join([lead, *paragraphs]) == article.body_text
        teasers = tree.xpath("//div[@class='article-body']/p[@class='read-more']")
        assert [t.text_content() for t in teasers] == [
            f"Read more: {by_slug[s].title}" for s in article.read_more
        ]
        assert "Subscribe to our newsletter" in body.decode()


def demo_gold() -> list[tuple[Path, dict]]:
    files = sorted(GOLD_DIR.glob("demo-*.json"))
    return [(f, json.loads(f.read_text(encoding="utf-8"))) for f in files]


def test_every_demo_article_has_a_gold_file(articles: list[DemoArticle]) -> None:
    slugs = {gold["text"]["slug"] for _, gold in demo_gold()}
    assert slugs == {a.slug for a in articles}
    for path, gold in demo_gold():
        assert gold["text"]["kind"] == "demo"
        assert path.name == f"demo-{gold['text']['slug']}.json"


def test_demo_gold_offsets_point_into_the_current_text(articles: list[DemoArticle]) -> None:
    by_slug = {a.slug: a for a in articles}
    for path, gold in demo_gold():
        body = clean_body(by_slug[gold["text"]["slug"]].body_text)
        assert gold["text_sha256"] == hashlib.sha256(body.encode()).hexdigest(), path.name
        statements = gold["statements"]
        assert statements and gold["figures"], path.name
        for s in statements:
            quote = body[s["start"] : s["end"]]
            assert 0 <= s["start"] < s["end"] <= len(body), (path.name, s)
            assert quote == quote.strip() and quote[0] not in "\"'" and quote[-1] not in ",\"'"
            assert s["kind"] in ("direct", "indirect") and s["speaker"]
            assert "\n" not in quote  # a statement never spans paragraphs here
            # Offsets that drift by a character cut a word: spans start and end on word edges.
            before = body[s["start"] - 1] if s["start"] else " "
            after = body[s["end"]] if s["end"] < len(body) else " "
            assert not before.isalnum() and not after.isalnum(), (path.name, quote[:20])
        assert [s["start"] for s in statements] == sorted(s["start"] for s in statements)
        for f in gold["figures"]:
            text = body[f["start"] : f["end"]]
            assert 0 <= f["start"] < f["end"] <= len(body), (path.name, f)
            assert text == f["text"], (path.name, f)
            assert re.search(r"\d", text) or NUMBER_WORD.search(text), (path.name, text)
            assert f["bound"] in ("exact", "at_least", "at_most", "about")
            if f["statement"] is not None:
                outer = statements[f["statement"]]
                assert outer["start"] <= f["start"] and f["end"] <= outer["end"], (path.name, f)


def test_relative_dates_keep_the_urls_of_every_day() -> None:
    # Dated relative to the day `newsdesk demo` runs, but the URLs stay those of
    # articles.toml: a demo crawl on a later day finds every article known (issue 13's
    # daily delta), while its `published` dates still move with today (issue 14).
    fixed = load_demo_articles()
    monday = load_demo_articles(date(2031, 3, 3))
    friday = load_demo_articles(date(2031, 3, 7))
    assert [a.path for a in monday] == [a.path for a in friday] == [a.path for a in fixed]
    assert monday[0].published_at.date() == date(2031, 3, 2)
    assert friday[0].published_at.date() == date(2031, 3, 6)
