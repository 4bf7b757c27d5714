"""Item pipelines: extraction, then storage. Each item passes each pipeline once."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.items import ExtractedArticle, FetchedPage, FetchFailure
from crawler.store import RunCounters, Store
from extract.article import NotAnArticle
from extract.page import extract_page

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")


_MAGIC = (
    (b"%PDF-", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
)


def header_charset(content_type: str) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    match = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def sniff_binary(body: bytes) -> str | None:
    """What a body is when it is plainly not text (servers label PDFs text/html too)."""
    head = body[:1024].lstrip()
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    # Text in any charset (UTF-16 aside) has next to no NUL bytes.
    if head.count(b"\0") > 8 and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary data"
    return None


class ExtractionPipeline:
    """FetchedPage -> ExtractedArticle, or FetchFailure when the page is no article."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        content_type = item.content_type.split(";")[0].strip().lower()
        if content_type and content_type not in HTML_TYPES:
            return FetchFailure(
                item.source, item.url, "not_html", f"content type {content_type}", item.status
            )
        binary = sniff_binary(item.body)
        if binary:
            reason = f"{binary} served as {content_type or 'no content type'}"
            return FetchFailure(item.source, item.url, "not_html", reason, item.status)
        started = time.perf_counter()
        try:
            extraction = extract_page(item.body, item.final_url, header_charset(item.content_type))
        except NotAnArticle as exc:
            return FetchFailure(item.source, item.url, "not_article", str(exc), item.status)
        except Exception as exc:  # a broken page must not stop the crawl
            logger.exception("extraction failed for %s", item.url)
            reason = f"extraction error: {type(exc).__name__}: {exc}"
            return FetchFailure(item.source, item.url, "extract_error", reason, item.status)
        finally:
            self.crawler.stats.inc_value("newsdesk/extract_seconds", time.perf_counter() - started)
        return ExtractedArticle(item.source, item.url, item.final_url, extraction)


class StorePipeline:
    """Writes articles and failures to SQLite and keeps the run's row up to date."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db_path = crawler.settings.get("NEWSDESK_DB", "newsdesk.db")
        self.store: Store | None = None
        self.run_id: int | None = None
        self.articles_new = 0
        self.failures = 0
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        self.store = Store.open(self.db_path)
        self.store.save_sources([spider.source])
        self.run_id = self.store.start_run(spider.source.id)
        self.crawler.stats.set_value("newsdesk/run_id", self.run_id)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.store is None or self.run_id is None:
            return
        stats = self.crawler.stats
        counters = RunCounters(
            pages_fetched=stats.get_value("response_received_count", 0),
            articles_new=self.articles_new,
            failures=self.failures,
            bytes_received=stats.get_value("downloader/response_bytes", 0),
        )
        status = {"finished": "finished", "shutdown": "interrupted"}.get(reason, "failed")
        detail = None if status == "finished" else f"spider closed: {reason}"
        self.store.finish_run(self.run_id, status, counters, detail)
        stats.set_value("newsdesk/articles_new", self.articles_new)
        stats.set_value("newsdesk/failures", self.failures)
        self.store.close()

    def process_item(self, item: Any) -> Any:
        assert self.store is not None
        if isinstance(item, FetchFailure):
            self.failures += 1
            self.store.add_fetch(
                run_id=self.run_id,
                source=item.source,
                url=item.url,
                outcome=item.outcome,
                reason=item.reason,
                status=item.status,
            )
        elif isinstance(item, ExtractedArticle):
            stored = self.store.add_article(
                item.extraction,
                source=item.source,
                run_id=self.run_id,
                fetched_url=item.url,
                aliases=[item.final_url],
            )
            if stored.is_new:
                self.articles_new += 1
        return item
