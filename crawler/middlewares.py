"""Scrapy middlewares of newsdesk, each built from the crawler's settings."""

from __future__ import annotations

import ipaddress
import logging
import socket
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

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

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateNetworkMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        source = getattr(self.crawler.spider, "source", None)
        if source is None or source.allow_private_network:
            return None
        host = urlsplit(request.url).hostname or ""
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
