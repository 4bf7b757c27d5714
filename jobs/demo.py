"""The embedded demo news site: fictional war reports served on 127.0.0.1.

`newsdesk demo` and the tests crawl it. The articles live in a data file
(jobs/demo_site/articles.toml); this module only renders them into a site with the
furniture a real news site has (robots.txt, sitemaps, feeds, paginated section
listings, teasers, share buttons), so the crawler and extractor meet every one of
those on a page whose true body is known exactly.
"""

from __future__ import annotations

import gzip
import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from email.utils import format_datetime
from html import escape
from importlib import resources
from urllib.parse import urlsplit

from crawler.sources import Source
from jobs.localsite import LocalSite, Page

SITE_NAME = "Demo Front Line"
SECTIONS: dict[str, str] = {
    "frontline": "Front line",
    "politics": "Politics",
    "economy": "Economy",
}
PAGE_SIZE = 5  # small on purpose: listings must paginate
FEED_SIZE = 20

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
GZIP = "application/x-gzip"


@dataclass(frozen=True, slots=True)
class DemoArticle:
    slug: str
    section: str
    title: str
    authors: tuple[str, ...]
    published: str  # ISO 8601 with offset
    lead: str
    paragraphs: tuple[str, ...]
    read_more: tuple[str, ...]  # slugs of other demo articles, rendered as teasers
    cited_sources: tuple[str, ...]
    image_caption: str
    image_credit: str

    @property
    def body_text(self) -> str:
        """The human-made body the gold set annotates: lead and paragraphs, no teasers."""
        return "\n\n".join((self.lead, *self.paragraphs))

    @property
    def published_at(self) -> datetime:
        return datetime.fromisoformat(self.published)

    @property
    def path(self) -> str:
        # No date in the URL: `published` moves with the day the demo runs, and the URL must
        # not, so that a demo crawl on a later day finds every article known (no second
        # copy), and htmldate does not read a stale date from it.
        return f"/news/{self.section}/{self.slug}.html"


def load_demo_articles(today: date | None = None) -> list[DemoArticle]:
    """Every demo article, newest first.

    With `today` (as `newsdesk demo` serves them) they are dated relative to it: all
    moved by the same number of days so the newest is dated yesterday and the rest over
    the six weeks before, so "this week" means something on the demo database. Without,
    the fixed dates of articles.toml, which the gold files and most tests use.
    """
    data = resources.files("jobs").joinpath("demo_site", "articles.toml").read_bytes()
    articles = [
        DemoArticle(
            slug=row["slug"],
            section=row["section"],
            title=row["title"],
            authors=tuple(row.get("authors", ())),
            published=row["published"],
            lead=row["lead"],
            paragraphs=tuple(row["paragraphs"]),
            read_more=tuple(row.get("read_more", ())),
            cited_sources=tuple(row.get("cited_sources", ())),
            image_caption=row["image_caption"],
            image_credit=row["image_credit"],
        )
        for row in tomllib.loads(data.decode("utf-8"))["article"]
    ]
    articles.sort(key=lambda a: a.published_at, reverse=True)
    if today is not None and articles:
        shift = (today - timedelta(days=1)) - articles[0].published_at.date()
        articles = [replace(a, published=(a.published_at + shift).isoformat()) for a in articles]
    return articles


def _e(text: str) -> str:
    return escape(text, quote=True)


def _layout(title: str, main: str, head: str = "", crumbs: Iterable[tuple[str, str]] = ()) -> str:
    nav = "".join(f'<li><a href="/section/{s}/">{_e(n)}</a></li>' for s, n in SECTIONS.items())
    trail = " &rsaquo; ".join(
        f'<a href="{_e(href)}">{_e(name)}</a>' if href else _e(name) for name, href in crumbs
    )
    breadcrumbs = f'<nav class="breadcrumbs" aria-label="Breadcrumb">{trail}</nav>' if trail else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME}" href="/rss.xml">
<link rel="alternate" type="application/atom+xml" title="{SITE_NAME}" href="/atom.xml">
{head}
</head>
<body>
<header class="site-header">
<a class="logo" href="/">{SITE_NAME}</a>
<nav class="main-menu"><ul><li><a href="/">Home</a></li>{nav}
<li><a href="/about.html">About</a></li></ul></nav>
<form class="search" action="/search"><input name="q" placeholder="Search"></form>
</header>
{breadcrumbs}
<main>
{main}
</main>
<footer class="site-footer">
<p>Demo site: all reports are fictional. Places, units, people and agencies do not exist.</p>
<p><a href="/about.html">About</a> | <a href="/rss.xml">RSS</a> |
<a href="/sitemap_index.xml">Sitemap</a></p>
<p>&copy; 2026 {SITE_NAME}</p>
</footer>
</body>
</html>
"""


def _byline(article: DemoArticle) -> str:
    return ", ".join(article.authors)


def _teaser_positions(article: DemoArticle) -> dict[int, list[str]]:
    """How many paragraphs precede each read-more teaser: 2, 4, ... (at most all of them)."""
    count = 1 + len(article.paragraphs)
    positions: dict[int, list[str]] = {}
    for i, slug in enumerate(article.read_more):
        positions.setdefault(min(2 * (i + 1), count), []).append(slug)
    return positions


def _article_page(article: DemoArticle, base: str, by_slug: dict[str, DemoArticle]) -> str:
    url = base + article.path
    section_name = SECTIONS[article.section]
    teasers = _teaser_positions(article)
    body_parts = []
    for i, text in enumerate((article.lead, *article.paragraphs)):
        css = ' class="lead"' if i == 0 else ""
        body_parts.append(f"<p{css}>{_e(text)}</p>")
        for slug in teasers.get(i + 1, ()):
            other = by_slug[slug]
            body_parts.append(
                f'<p class="read-more"><strong>Read more:</strong> '
                f'<a href="{other.path}">{_e(other.title)}</a></p>'
            )
        if i == 1:
            body_parts.append(
                f'<figure class="article-image"><img src="/static/{article.slug}.jpg" '
                f'alt="{_e(article.image_caption)}" width="800" height="450">'
                f"<figcaption>{_e(article.image_caption)} "
                f'<span class="credit">Photo: {_e(article.image_credit)}</span></figcaption>'
                "</figure>"
            )
    same_section = [a for a in by_slug.values() if a.section == article.section]
    related = [a for a in same_section if a is not article][:3]
    related_html = "".join(f'<li><a href="{a.path}">{_e(a.title)}</a></li>' for a in related)
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published,
        "dateModified": article.published,
        "author": [{"@type": "Person", "name": n} for n in article.authors],
        "publisher": {"@type": "Organization", "name": SITE_NAME},
        "mainEntityOfPage": url,
        "articleSection": section_name,
        "inLanguage": "en",
        "description": article.lead,
    }
    author_meta = (
        f'<meta name="author" content="{_e(_byline(article))}">' if article.authors else ""
    )
    head = f"""<link rel="canonical" href="{_e(url)}">
{author_meta}
<meta name="description" content="{_e(article.lead)}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="{SITE_NAME}">
<meta property="og:title" content="{_e(article.title)}">
<meta property="og:url" content="{_e(url)}">
<meta property="og:description" content="{_e(article.lead)}">
<meta property="article:published_time" content="{article.published}">
<meta property="article:section" content="{section_name}">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>"""
    # Agency copy has no byline: extractors must then report no authors, not the site name.
    byline = f'By <span class="author">{_e(_byline(article))}</span>,' if article.authors else ""
    share = "".join(
        f'<a class="share share-{n}" href="https://share.invalid/{n}?u={_e(url)}">Share on {n}</a>'
        for n in ("Facebook", "X", "Telegram")
    )
    main = f"""<article class="news-article">
<h1>{_e(article.title)}</h1>
<div class="byline">{byline}
<time datetime="{article.published}">{article.published_at:%d %B %Y, %H:%M}</time></div>
<div class="share-buttons">{share}</div>
<div class="article-body">
{"".join(body_parts)}
</div>
<aside class="newsletter"><h3>Subscribe to our newsletter</h3>
<p>Get the morning briefing from the front line in your inbox.</p>
<form action="/newsletter"><input name="email" placeholder="Your e-mail">
<button>Subscribe</button></form>
</aside>
<div class="tags">Tags: <a href="/section/{article.section}/">{section_name}</a></div>
</article>
<aside class="related"><h2>Related articles</h2><ul>{related_html}</ul></aside>"""
    crumbs = [("Home", "/"), (section_name, f"/section/{article.section}/"), (article.title, "")]
    return _layout(f"{article.title} | {SITE_NAME}", main, head, crumbs)


def _listing_item(article: DemoArticle, tracked: bool) -> str:
    # Some listing links carry tracking parameters: the crawler must canonicalise them.
    href = article.path + ("?utm_source=section&utm_medium=listing" if tracked else "")
    return (
        f'<li class="teaser"><a href="{href}">{_e(article.title)}</a> '
        f'<time datetime="{article.published}">{article.published_at:%d.%m.%Y %H:%M}</time>'
        f"<p>{_e(article.lead)}</p></li>"
    )


def _section_pages(section: str, articles: list[DemoArticle], base: str) -> dict[str, str]:
    items = [a for a in articles if a.section == section]
    chunks = [items[i : i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [[]]
    name = SECTIONS[section]

    def page_path(n: int) -> str:
        return f"/section/{section}/" if n == 1 else f"/section/{section}/page/{n}/"

    pages = {}
    for n, chunk in enumerate(chunks, start=1):
        links, head = [], [f'<link rel="canonical" href="{base}{page_path(n)}">']
        if n > 1:
            head.append(f'<link rel="prev" href="{page_path(n - 1)}">')
            links.append(f'<a rel="prev" href="{page_path(n - 1)}">Newer</a>')
        if n < len(chunks):
            head.append(f'<link rel="next" href="{page_path(n + 1)}">')
            links.append(f'<a rel="next" href="{page_path(n + 1)}">Older</a>')
        listing = "".join(_listing_item(a, tracked=j % 2 == 1) for j, a in enumerate(chunk))
        main = (
            f'<h1>{name}</h1><ul class="listing">{listing}</ul>'
            f'<nav class="pagination">{" ".join(links)}</nav>'
        )
        title = f"{name} - page {n} | {SITE_NAME}" if n > 1 else f"{name} | {SITE_NAME}"
        pages[page_path(n)] = _layout(title, main, "\n".join(head), [("Home", "/"), (name, "")])
    return pages


def _home(articles: list[DemoArticle]) -> str:
    latest = "".join(_listing_item(a, tracked=False) for a in articles[:10])
    sections = "".join(f'<li><a href="/section/{s}/">{_e(n)}</a></li>' for s, n in SECTIONS.items())
    main = f"""<h1>{SITE_NAME}</h1>
<section><h2>Sections</h2><ul>{sections}</ul></section>
<section><h2>Latest</h2><ul class="listing">{latest}</ul></section>
<p class="staff-only"><a href="/private/secret.html">Editorial planning (staff only)</a></p>"""
    return _layout(f"{SITE_NAME}: daily reports from the front line", main)


def _about() -> str:
    main = f"""<h1>About {SITE_NAME}</h1>
<p>{SITE_NAME} is the demonstration site bundled with newsdesk. It publishes invented
daily reports in the style of a war-time news desk so that the crawler and the extractor
can be tried without touching a real publisher.</p>
<p>Nothing here happened. Every place, unit, agency and person is made up.</p>"""
    return _layout(f"About | {SITE_NAME}", main, crumbs=[("Home", "/"), ("About", "")])


def _secret() -> str:
    main = "<h1>Editorial planning</h1><p>Staff only. Crawlers must respect robots.txt.</p>"
    return _layout(f"Private | {SITE_NAME}", main, '<meta name="robots" content="noindex">')


def _w3c(article: DemoArticle) -> str:
    return article.published_at.isoformat()


def _sitemap(articles: list[DemoArticle], base: str) -> bytes:
    urls = "".join(
        f"<url><loc>{base}{a.path}</loc><lastmod>{_w3c(a)}</lastmod></url>\n" for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    ).encode()


def _news_sitemap(articles: list[DemoArticle], base: str) -> bytes:
    urls = "".join(
        f"<url><loc>{base}{a.path}</loc><news:news><news:publication>"
        f"<news:name>{SITE_NAME}</news:name><news:language>en</news:language>"
        f"</news:publication><news:publication_date>{_w3c(a)}</news:publication_date>"
        f"<news:title>{_e(a.title)}</news:title></news:news></url>\n"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        f"{urls}</urlset>\n"
    ).encode()


def _sitemap_index(articles: list[DemoArticle], base: str) -> bytes:
    newest = _w3c(articles[0]) if articles else ""
    entries = "".join(
        f"<sitemap><loc>{base}{p}</loc><lastmod>{newest}</lastmod></sitemap>\n"
        for p in ("/sitemaps/articles-1.xml.gz", "/sitemaps/news.xml")
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</sitemapindex>\n"
    ).encode()


def _rss(articles: list[DemoArticle], base: str) -> bytes:
    items = "".join(
        f"<item><title>{_e(a.title)}</title><link>{base}{a.path}</link>"
        f'<guid isPermaLink="true">{base}{a.path}</guid>'
        f"<pubDate>{format_datetime(a.published_at)}</pubDate>"
        f"<category>{SECTIONS[a.section]}</category>"
        f"<description>{_e(a.lead)}</description></item>\n"
        for a in articles[:FEED_SIZE]
    )
    built = format_datetime(articles[0].published_at) if articles else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>{SITE_NAME}</title><link>{base}/</link>"
        f"<description>Daily reports from the front line (fictional)</description>"
        f"<language>en</language><lastBuildDate>{built}</lastBuildDate>\n"
        f"{items}</channel></rss>\n"
    ).encode()


def _atom(articles: list[DemoArticle], base: str) -> bytes:
    entries = "".join(
        f'<entry><title>{_e(a.title)}</title><link href="{base}{a.path}"/>'
        f"<id>{base}{a.path}</id><published>{_w3c(a)}</published><updated>{_w3c(a)}</updated>"
        + "".join(f"<author><name>{_e(n)}</name></author>" for n in a.authors)
        + f"<summary>{_e(a.lead)}</summary></entry>\n"
        for a in articles[:FEED_SIZE]
    )
    updated = _w3c(articles[0]) if articles else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>{SITE_NAME}</title><link href="{base}/"/><id>{base}/</id>'
        f"<updated>{updated}</updated>\n{entries}</feed>\n"
    ).encode()


def demo_pages(base_url: str, articles: list[DemoArticle] | None = None) -> dict[str, Page]:
    """The whole demo site for a server reachable at `base_url` (no trailing slash)."""
    base = base_url.rstrip("/")
    articles = load_demo_articles() if articles is None else articles
    by_slug = {a.slug: a for a in articles}
    robots = f"User-agent: *\nDisallow: /private/\nSitemap: {base}/sitemap_index.xml\n"
    pages: dict[str, Page] = {
        "/": Page(_home(articles).encode()),
        "/about.html": Page(_about().encode()),
        "/private/secret.html": Page(_secret().encode()),
        "/robots.txt": Page(robots.encode(), "text/plain; charset=utf-8"),
        "/sitemap_index.xml": Page(_sitemap_index(articles, base), XML),
        # mtime=0 keeps the bytes reproducible.
        "/sitemaps/articles-1.xml.gz": Page(gzip.compress(_sitemap(articles, base), mtime=0), GZIP),
        "/sitemaps/news.xml": Page(_news_sitemap(articles, base), XML),
        "/rss.xml": Page(_rss(articles, base), "application/rss+xml; charset=utf-8"),
        "/atom.xml": Page(_atom(articles, base), "application/atom+xml; charset=utf-8"),
    }
    for section in SECTIONS:
        for path, html in _section_pages(section, articles, base).items():
            pages[path] = Page(html.encode())
    for article in articles:
        pages[article.path] = Page(_article_page(article, base, by_slug).encode())
    return pages


# The address the demo site's pages give themselves (canonical links, feeds, sitemaps)
# when `newsdesk demo` serves them. It is the same every run, whichever port the server
# gets, so a second demo crawl into the same database finds every article known. `.test`
# is reserved (RFC 6761): the name never resolves, so nothing reaches it but through the
# demo server, which the crawl uses as its HTTP proxy (NEWSDESK_PROXY).
DEMO_ORIGIN = "http://demo.newsdesk.test"


def serve_demo(origin: str | None = None, today: date | None = None) -> LocalSite:
    """Start the demo site on a free port of 127.0.0.1; stop it with `.stop()`.

    `origin` is the base URL the pages name themselves under (default: the server's own
    address). The server answers proxy requests for any origin too (it serves by path),
    so a crawl through it as an HTTP proxy sees the site at `origin`. With `today`, the
    articles are dated relative to it (see load_demo_articles).
    """
    pages: dict[str, Page] = {}
    site = LocalSite(pages).start()
    # The port is known only once the server runs; the handler reads the dict per request.
    pages.update(demo_pages(origin or site.base_url, load_demo_articles(today)))
    return site


def demo_source(base_url: str) -> Source:
    """Every discovery path of the demo site: RSS, robots.txt -> sitemaps, sections."""
    base = base_url.rstrip("/")
    return Source(
        id="demo",
        name="Demo Front Line (embedded, fictional)",
        feeds=(f"{base}/rss.xml",),
        sitemaps=(f"{base}/robots.txt",),
        sections=tuple(f"{base}/section/{name}/" for name in SECTIONS),
        allowed_domains=(urlsplit(base).hostname or "127.0.0.1",),
        article_pattern=r"/news/(?:[\w-]+/)+[\w-]+\.html",
        language="en",
        # The demo's reports go back six weeks (or to their fixed dates); take them all.
        backfill_days=0,
        section_pages=10,
        allow_private_network=True,
    )
