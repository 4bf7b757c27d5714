"""Scrapy middlewares of newsdesk, each built from the crawler's settings."""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import socket
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from scrapy.utils.defer import deferred_to_future
from twisted.internet.defer import CancelledError, Deferred

from crawler.dates import parse_http_date
from crawler.shutdown import CrawlStopped, stop_requested
from crawler.store import Store

logger = logging.getLogger(__name__)


class ArticleGateMiddleware(BaseSpiderMiddleware):
    """Lets through only article requests that are new and within `max_articles`.

    The known-URL set lives in SQLite (article_urls and final fetch outcomes), not
    in memory, so a daily crawler does not grow over months: deltafetch semantics,
    with feeds, sitemaps and sections always re-read.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.db_path = crawler.settings.get("NEWSDESK_DB", "newsdesk.db")
        self.store: Store | None = None
        self.admitted: set[str] = set()
        self.skipped_known = 0
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def spider_opened(self, spider: Any) -> None:
        self.store = Store.open(self.db_path)

    def spider_closed(self, spider: Any) -> None:
        self.crawler.stats.set_value("newsdesk/skipped_known", self.skipped_known)
        if self.store is not None:
            self.store.close()

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if request.meta.get("newsdesk_kind") != "article":
            return request
        url = request.url
        if url in self.admitted:
            return None
        assert self.store is not None
        if self.store.is_known(url):
            self.skipped_known += 1
            # Counted as it goes: a run stopped at once never reaches spider_closed.
            self.crawler.stats.inc_value("newsdesk/skipped_known")
            return None
        limit = self.crawler.spider.source.max_articles
        if limit and len(self.admitted) >= limit:
            self.crawler.stats.inc_value("newsdesk/skipped_max_articles")
            return None
        self.admitted.add(url)
        return request


def _is_private(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return not ip.is_global or ip.is_multicast


class PrivateNetworkMiddleware:
    """Refuses URLs whose host resolves to a loopback, private or link-local address.

    Like trafilatura's own fetcher, this keeps a crawl (or a hostile redirect) from
    reaching internal services. A source with `allow_private_network = true`
    (tests, the demo) lifts it. Redirects pass through here again, so a redirect
    to a private address is refused too.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        # Hosts to treat as public although they resolve privately (an intranet mirror).
        self.public_hosts = set(crawler.settings.getlist("NEWSDESK_PUBLIC_HOSTS"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateNetworkMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        source = getattr(self.crawler.spider, "source", None)
        if source is None or source.allow_private_network:
            return None
        host = urlsplit(request.url).hostname or ""
        if host in self.public_hosts:
            return None
        try:
            addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
        except (socket.gaierror, UnicodeError):
            return None  # let the downloader report the DNS failure
        private = sorted(a for a in addresses if _is_private(a))
        if private:
            raise IgnoreRequest(
                f"refused: {host} resolves to private address {private[0]} "
                "(set allow_private_network = true for this source to allow it)"
            )
        return None


class SettingsProxyMiddleware:
    """Sends every request through the NEWSDESK_PROXY HTTP proxy, when it is set.

    Scrapy takes a proxy from the environment or from each request's meta; a setting
    keeps it to one crawl, whatever the operator's no_proxy says. `newsdesk demo` serves
    its site under a fixed origin this way (see jobs.demo.serve_demo).
    """

    def __init__(self, proxy: str | None) -> None:
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SettingsProxyMiddleware:
        return cls(crawler.settings.get("NEWSDESK_PROXY"))

    def process_request(self, request: Request) -> None:
        if self.proxy:
            request.meta.setdefault("proxy", self.proxy)
        return None


LISTING_KINDS = ("feed", "sitemap")
UNCHANGED = "newsdesk_unchanged"


class ListingValidatorsMiddleware:
    """Conditional requests for feeds and sitemaps, and change detection by hash.

    The ETag / Last-Modified of each feed and sitemap is kept in the `listings`
    table and sent back next run; a 304, or a 200 whose body hashes the same as
    last time (some servers send stale validators), marks the response
    `newsdesk_unchanged` so the spider skips its entries. New validators are
    saved only when the run finishes normally and was not cut short by
    `max_articles`: otherwise entries not yet fetched would be skipped next time.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db_path = crawler.settings.get("NEWSDESK_DB", "newsdesk.db")
        self.store: Store | None = None
        self.pending: dict[str, dict[str, Any]] = {}
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ListingValidatorsMiddleware:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        self.store = Store.open(self.db_path)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.store is None:
            return
        cut_short = self.crawler.stats.get_value("newsdesk/skipped_max_articles", 0)
        if reason == "finished" and not cut_short and self.pending:
            self.store.save_listing_validators(self.pending.values())
        self.store.close()

    def process_request(self, request: Request) -> None:
        if request.meta.get("newsdesk_kind") not in LISTING_KINDS or self.store is None:
            return None
        request.meta.setdefault("handle_httpstatus_list", [304])
        known = self.store.listing_validators(request.url)
        if known:
            request.meta["newsdesk_known_sha256"] = known["body_sha256"]
            if known["etag"]:
                request.headers.setdefault(b"If-None-Match", known["etag"])
            if known["last_modified"]:
                request.headers.setdefault(b"If-Modified-Since", known["last_modified"])
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("newsdesk_kind") not in LISTING_KINDS:
            return response
        stats = self.crawler.stats
        if response.status == 304:
            request.meta[UNCHANGED] = True
            stats.inc_value("newsdesk/listings_not_modified")
            return response
        if response.status != 200:
            return response
        digest = hashlib.sha256(response.body).hexdigest()
        if digest == request.meta.get("newsdesk_known_sha256"):
            request.meta[UNCHANGED] = True
            stats.inc_value("newsdesk/listings_same_hash")
        self.pending[request.url] = {
            "url": request.url,
            "source": getattr(self.crawler.spider.source, "id", None),
            "etag": _header(response, b"ETag"),
            "last_modified": _header(response, b"Last-Modified"),
            "body_sha256": digest,
        }
        return response


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class CrawlDelayMiddleware:
    """Honours robots.txt `Crawl-delay`, which Scrapy's robots.txt middleware ignores.

    The delay becomes a floor under the host's download-slot delay, re-applied
    after every response because AutoThrottle lowers slot delays as it adapts.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.maximum = crawler.settings.getfloat("NEWSDESK_MAX_CRAWL_DELAY", 60.0)
        self.delays: dict[str, float] = {}
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlDelayMiddleware:
        return cls(crawler)

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        agent = self.crawler.settings.get("ROBOTSTXT_USER_AGENT") or self.crawler.settings.get(
            "USER_AGENT"
        )
        delay = robotparser.crawl_delay(agent)
        if delay:
            host = urlsplit(request.url).hostname or ""
            self.delays[host] = min(float(delay), self.maximum)
            logger.info("robots.txt of %s asks for Crawl-delay %s s", host, delay)

    def _apply(self, request: Request) -> None:
        floor = self.delays.get(urlsplit(request.url).hostname or "")
        if not floor:
            return
        downloader = self.crawler.engine.downloader
        slot = downloader.slots.get(downloader.get_slot_key(request))
        if slot is not None and slot.delay < floor:
            slot.delay = floor

    def process_request(self, request: Request) -> None:
        self._apply(request)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        self._apply(request)
        return response


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting first as long as a 429/503's Retry-After asks.

    The wait is capped (NEWSDESK_MAX_RETRY_AFTER, default 60 s) and retries stay
    bounded by RETRY_TIMES, so a hostile server cannot stall a run for long.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("NEWSDESK_MAX_RETRY_AFTER", 60.0)
        self.stopping = False
        self._waits: set[Deferred[None]] = set()
        crawler.signals.connect(self._stop, signal=stop_requested)

    def _stop(self) -> None:
        # A stop does not wait out a Retry-After (up to a minute) only to give up.
        self.stopping = True
        for wait in list(self._waits):
            wait.cancel()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Any:
        if response.status in (429, 503) and not request.meta.get("dont_retry"):
            retries = request.meta.get("retry_times", 0)
            wait = _retry_after_seconds(_header(response, b"Retry-After"))
            if wait and retries < self.max_retry_times:
                wait = min(wait, self.max_wait)
                self.crawler.stats.inc_value("newsdesk/retry_after_waits")
                # Imported here: importing the reactor at module level would install
                # the default one before Scrapy installs the configured asyncio reactor.
                from twisted.internet import reactor, task

                waiting = task.deferLater(reactor, wait, lambda: None)
                self._waits.add(waiting)
                try:
                    await deferred_to_future(waiting)
                except CancelledError:
                    pass
                finally:
                    self._waits.discard(waiting)
        if self.stopping:
            raise CrawlStopped
        return super().process_response(request, response)


def _retry_after_seconds(value: str | None) -> float | None:
    """Retry-After is either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = parse_http_date(value)
    if when is None:
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
