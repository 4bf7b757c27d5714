"""The one generic spider: discovers articles of one configured source.

Discovery uses Scrapy's own machinery: SitemapSpider for sitemaps, sitemap
indexes, robots.txt `Sitemap:` lines and gzipped sitemaps; Selector for RSS 2.0,
Atom and RDF feeds; LinkExtractor for section pages with rel=next pagination.
Every site is described by a `Source` from sources.toml; there are no per-site
code paths here. Pages leave as `FetchedPage` items, failures as `FetchFailure`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.spiders import SitemapSpider
from twisted.internet import defer
from twisted.python.failure import Failure

from crawler.dates import backfill_cutoff, entry_date, is_too_old
from crawler.items import FetchedPage, FetchFailure
from crawler.middlewares import UNCHANGED
from crawler.shutdown import CrawlStopped, stop_requested
from crawler.sources import Source, SourcesError, load_sources
from extract.urls import canonical_url

KIND = "newsdesk_kind"  # request meta key: feed, sitemap, section or article
# Request meta key: the date of the feed/sitemap entry (travels with the request, also
# through the Redis queue of distributed workers).
LISTED_DATE = "newsdesk_listed_date"
SECTION_PAGE = "newsdesk_section_page"
START_URL = "newsdesk_start_url"  # request meta key: the source's start URL it reads
_NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"


REFUSED_XML = "refused:"


def xml_problem(body: bytes) -> str | None:
    """Why a feed or sitemap is unsafe or broken, or None when it is well-formed.

    Entity declarations are refused outright: no feed or sitemap needs them, and
    they are how entity-expansion bombs work. Malformed XML is reported, and the
    caller may still use what lxml's recovering parser can read of it.
    """
    if b"<!ENTITY" in body[:65536]:
        return f"{REFUSED_XML} XML entity declarations (possible entity-expansion bomb)"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        return f"malformed XML: {exc}"
    except ValueError as exc:  # e.g. an encoding declaration lxml will not take
        return f"malformed XML: {exc}"
    return None


def _news_publication_dates(body: bytes) -> dict[str, str]:
    """loc -> news:publication_date of a Google News sitemap.

    Scrapy's Sitemap flattens each <url> to its direct children and loses the
    nested <news:news> date, so it is read here (entities never resolved).
    """
    dates: dict[str, str] = {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError:
        return dates
    if root is None:
        return dates
    for url in root.iter("{*}url"):
        loc = url.findtext("{*}loc")
        date = url.findtext(f"{{{_NEWS_NS}}}news/{{{_NEWS_NS}}}publication_date")
        if loc and date:
            dates[loc.strip()] = date.strip()
    return dates


def _looks_like_html(response: TextResponse) -> bool:
    """An HTML page where a feed was expected (a moved feed often redirects home)."""
    head = response.body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _ignored_outcome(message: str) -> str:
    """Why a downloader middleware dropped a request, from its message."""
    if "robots.txt unreachable" in message:
        # crawler.robots: the host's rules are unknown, so nothing was fetched; the class
        # is what made them unknown (a 5xx answer, or no answer at all).
        return "http_error" if "(HTTP " in message else "network_error"
    if "robots.txt" in message:
        return "robots"
    if "max size" in message or "MAXSIZE" in message or "larger than" in message:
        return "too_big"  # decompressed body over DOWNLOAD_MAXSIZE (gzip bombs)
    if "redirect" in message.lower():
        return "redirect_loop"
    return "refused"


def _network_outcome(error: BaseException) -> str:
    """A coarse class for a download failure, to group `fetches` rows by."""
    if isinstance(error, DownloadCancelledError):
        # Scrapy's HTTP handler cancels a download only when it outgrows DOWNLOAD_MAXSIZE.
        return "too_big"
    if isinstance(error, DownloadTimeoutError | TimeoutError | defer.TimeoutError):
        return "timeout"
    if isinstance(error, ResponseDataLossError):
        return "truncated"
    return "network_error"


class NewsSpider(SitemapSpider):
    name = "news"
    sitemap_rules = [("", "parse_article")]

    def __init__(self, source: Source, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        self.allowed_domains = list(source.allowed_domains)
        self.sitemap_urls = list(source.sitemaps)
        self._cutoff = backfill_cutoff(source.backfill_days)
        self._news_dates: dict[str, str] = {}
        self._entry_dates: dict[str, str] = {}  # loc -> date of the sitemap being read
        # URL -> date of a feed/sitemap entry naming it, for the whole run: a page may
        # be requested first from a section page (undated), and the gate admits a URL
        # once, so the date must not depend on which listing was read first.
        self._listed_dates: dict[str, str] = {}
        self._sitemap_entries = 0
        # Each start URL that could not be read, with why; and those that were read.
        self.start_failures: dict[str, str] = {}
        self.starts_read: set[str] = set()
        self.stopping = False
        # Domains are checked in article_request: LinkExtractor's allow_domains
        # compares host *and port*, which breaks sites served on a port.
        self._links = LinkExtractor(allow=source.article_pattern or (), unique=True)

    @classmethod
    def from_crawler(
        cls, crawler: Crawler, *args: Any, source: Source | str | None = None, **kwargs: Any
    ) -> NewsSpider:
        """`source` is a Source, or the id of one in the NEWSDESK_SOURCES file
        (`scrapy crawl news -a source=ID`)."""
        if not isinstance(source, Source):
            config = load_sources(crawler.settings.get("NEWSDESK_SOURCES", "sources.toml"))
            if source is None:
                if len(config.sources) != 1:
                    raise SourcesError("several sources configured: pass -a source=ID")
                source = config.sources[0]
            else:
                source = config.get(source)
        spider = super().from_crawler(crawler, *args, source=source, **kwargs)
        crawler.signals.connect(spider._stop, signal=stop_requested)
        return spider

    def _stop(self) -> None:
        self.stopping = True

    # -- start URLs read or not --------------------------------------------

    def unread_start_urls(self) -> str | None:
        """Why the crawl achieved nothing: every start URL failed; else None.

        A listing that was read (even unchanged since the last run) is a success; one that
        answered with an error, could not be reached, or was no feed / sitemap / listing
        at all is a failure.
        """
        urls = self.source.start_urls
        failed = [url for url in urls if url in self.start_failures and url not in self.starts_read]
        if not urls or len(failed) < len(urls):
            return None
        details = "; ".join(f"{url}: {self.start_failures[url]}" for url in failed)
        return f"no start URL could be read ({details})"

    def _start_read(self, response: Response) -> None:
        start = response.meta.get(START_URL)
        if start:
            self.starts_read.add(start)

    def _start_failed(self, meta: dict[str, Any], reason: str) -> None:
        start = meta.get(START_URL)
        if start:
            self.start_failures.setdefault(start, reason)

    # -- discovery --------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        for url in self.source.feeds:
            yield self._listing_request(url, "feed", self.parse_feed, start=True)
        for url in self.source.sitemaps:
            yield self._listing_request(url, "sitemap", self._parse_sitemap, start=True)
        for url in self.source.sections:
            yield self._listing_request(url, "section", self.parse_section, page=1, start=True)

    def _listing_request(
        self, url: str, kind: str, callback: Any, page: int = 0, start: bool = False
    ) -> Request:
        # Listings are always re-read (dont_filter) even if another listing linked them.
        meta: dict[str, Any] = {KIND: kind, SECTION_PAGE: page}
        if start:
            meta[START_URL] = url
        return Request(url, callback=callback, errback=self.on_error, meta=meta, dont_filter=True)

    def article_request(self, url: str, listed: str | None = None) -> Request | None:
        """A request for a candidate article, or None when the URL is not one of ours.

        `listed` is the date of the feed or sitemap entry that names it, if any.
        """
        url = canonical_url(url)
        if not urlsplit(url).hostname or not url.startswith(("http://", "https://")):
            return None
        if not self.source.matches_article(url):
            return None
        if not self._on_allowed_domain(url):
            return None
        date = entry_date(listed)
        if date is not None:
            self._listed_dates.setdefault(url, date)
        # dont_filter: ArticleGateMiddleware already admits each URL once per run, and
        # the scheduler's dupefilter would silently swallow redirect loops.
        return Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            meta={KIND: "article", LISTED_DATE: date},
            dont_filter=True,
        )

    def _on_allowed_domain(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return not self.allowed_domains or any(
            host == domain or host.endswith("." + domain) for domain in self.allowed_domains
        )

    def sitemap_filter(self, entries: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for entry in entries:
            self._sitemap_entries += 1
            loc = entry.get("loc", "")
            # A news sitemap's publication date says more than a last modification.
            date = self._news_dates.get(loc) or entry.get("lastmod")
            if not is_too_old(date, self._cutoff):
                if date:
                    self._entry_dates[loc] = date
                yield entry

    def _parse_sitemap(self, response: Response) -> Iterable[Any]:
        if response.status == 304:
            self._start_read(response)
            return  # not modified since the last finished run
        problem = None
        robots = response.url.endswith("/robots.txt")
        if not robots:
            body = self._get_sitemap_body(response)
            if not body:
                self._start_failed(response.meta, "not a sitemap")
                yield self._failure(response.url, "bad_sitemap", "not a sitemap", response.status)
                return
            problem = xml_problem(body)
            if problem:
                yield self._failure(response.url, "bad_sitemap", problem, response.status)
                if problem.startswith(REFUSED_XML):
                    self._start_failed(response.meta, problem)
                    return
            if response.meta.get(UNCHANGED) and b"<sitemapindex" not in body[:2048]:
                self._start_read(response)
                return  # same bytes as last time; an index is still followed (children change)
            if _NEWS_NS.encode() in body:
                self._news_dates = _news_publication_dates(body)
        self._sitemap_entries = 0
        found = 0
        for request in super()._parse_sitemap(response):
            found += 1
            if request.callback == self.parse_article:
                article = self.article_request(request.url, self._entry_dates.get(request.url))
                if article is not None:
                    yield article
            else:
                yield request.replace(errback=self.on_error, meta={KIND: "sitemap"})
        self._news_dates = {}
        self._entry_dates = {}
        if robots and not found:
            self._start_failed(response.meta, "robots.txt names no sitemap")
            yield self._failure(response.url, "bad_sitemap", "robots.txt names no sitemap", 200)
        elif not robots and not self._sitemap_entries:
            self._start_failed(response.meta, problem or "sitemap has no entries")
            if not problem:
                yield self._failure(response.url, "bad_sitemap", "sitemap has no entries", 200)
        else:
            self._start_read(response)

    def parse_feed(self, response: Response) -> Iterable[Any]:
        """RSS 2.0, RSS 1.0 (RDF) and Atom: one article request per entry."""
        if response.status == 304 or response.meta.get(UNCHANGED):
            self._start_read(response)
            return  # unchanged since the last finished run: nothing new to find
        if not isinstance(response, TextResponse):
            self._start_failed(response.meta, "not an XML feed")
            yield self._failure(response.url, "bad_feed", "not an XML feed", response.status)
            return
        problem = xml_problem(response.body)
        if problem:
            yield self._failure(response.url, "bad_feed", problem, response.status)
            if problem.startswith(REFUSED_XML):
                self._start_failed(response.meta, problem)
                return
        selector = response.selector
        selector.remove_namespaces()
        entries = selector.xpath("//item | //entry")
        if not entries:
            if _looks_like_html(response):
                problem = "an HTML page, not a feed"
            self._start_failed(response.meta, problem or "feed has no entries")
            if not problem:
                reason = "feed has no entries"
                yield self._failure(response.url, "bad_feed", reason, response.status)
            return
        self._start_read(response)
        for entry in entries:
            link = (
                entry.xpath("link[not(@rel) or @rel='alternate']/@href").get()
                or entry.xpath("link/text()").get()
                or entry.xpath("guid[not(@isPermaLink='false')]/text()").get()
            )
            date = entry.xpath(
                "(pubDate | published | updated | date | issued | modified)/text()"
            ).get()
            if not link or is_too_old(date, self._cutoff):
                continue
            url = response.urljoin(link.strip())
            if url == response.url:
                continue  # a link that resolves to the feed itself ("http://", "#")
            request = self.article_request(url, date)
            if request is not None:
                yield request

    def parse_section(self, response: Response) -> Iterable[Any]:
        """A listing page: its article links, and its rel=next page up to section_pages."""
        if not isinstance(response, TextResponse):
            self._start_failed(response.meta, "not an HTML page")
            yield self._failure(response.url, "bad_section", "not an HTML page", response.status)
            return
        self._start_read(response)
        page = response.meta.get(SECTION_PAGE, 1)
        next_href = response.xpath(
            "//link[@rel='next']/@href"
            " | //a[contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href"
        ).get()
        next_url = canonical_url(response.urljoin(next_href)) if next_href else None
        listing = {canonical_url(response.url), next_url}
        for link in self._links.extract_links(response):
            if canonical_url(link.url) in listing:
                continue  # pagination is not an article
            request = self.article_request(link.url)
            if request is not None:
                yield request
        if next_url and page < self.source.section_pages:
            yield self._listing_request(next_url, "section", self.parse_section, page=page + 1)

    # -- pages and failures ----------------------------------------------

    def parse_article(self, response: Response) -> Iterable[Any]:
        requested = response.meta.get("redirect_urls", [response.url])[0]
        content_type = response.headers.get("Content-Type", b"").decode("latin-1")
        yield FetchedPage(
            source=self.source.id,
            url=canonical_url(requested),
            final_url=response.url,
            status=response.status,
            body=response.body,
            content_type=content_type,
            listed_date=response.meta.get(LISTED_DATE)
            or self._listed_dates.get(canonical_url(requested)),
        )

    def on_error(self, failure: Failure) -> Iterable[FetchFailure]:
        if failure.check(CrawlStopped):
            return  # given up by a stop, not failed: fetched again next run
        request = failure.request  # type: ignore[attr-defined]
        start_meta = request.meta
        kind = request.meta.get(KIND, "page")
        redirects = request.meta.get("redirect_urls")
        if redirects:
            # Report under the URL that was asked for; say where it led.
            kind = f"{kind} (redirected to {request.url})"
            request = request.replace(url=redirects[0])
        if failure.check(HttpError):
            response = failure.value.response
            reason = f"{kind}: HTTP {response.status}"
            self._start_failed(start_meta, f"HTTP {response.status}")
            yield self._failure(request.url, "http_error", reason, response.status)
        elif failure.check(IgnoreRequest):
            message = str(failure.value) or "request ignored"
            self._start_failed(start_meta, message)
            yield self._failure(request.url, _ignored_outcome(message), f"{kind}: {message}")
        else:
            error = failure.value
            outcome = _network_outcome(error)
            detail = str(error) or {"too_big": "body exceeded DOWNLOAD_MAXSIZE"}.get(outcome, "")
            reason = f"{kind}: {type(error).__name__}: {detail}".rstrip(": ")
            self._start_failed(start_meta, reason.removeprefix(f"{kind}: "))
            yield self._failure(request.url, outcome, reason)

    def _failure(
        self, url: str, outcome: str, reason: str, status: int | None = None
    ) -> FetchFailure:
        return FetchFailure(self.source.id, url, outcome, reason, status)
