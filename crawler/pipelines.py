"""Item pipelines: extraction, then storage. Each item passes each pipeline once."""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Awaitable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.misc import load_object
from twisted.internet.defer import Deferred, DeferredLock, DeferredSemaphore
from twisted.internet.task import LoopingCall
from twisted.python.failure import Failure

from crawler.extract_pool import ExtractPool, PageResult, Task, default_workers, extract_result
from crawler.items import ExtractedArticle, FetchedPage, FetchFailure
from crawler.shutdown import stop_forced, stop_requested
from crawler.speaker_corrections import CorrectionsError, load_corrections
from crawler.store import RunCounters, Store, run_status

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
    """FetchedPage -> ExtractedArticle, or FetchFailure when the page is no article.

    With NEWSDESK_EXTRACT_WORKERS > 0 (default: one per CPU) pages are extracted in a
    process pool while the reactor goes on downloading; 0 extracts on the reactor thread.
    At most two pages per worker are handed to the pool at once: the others wait here,
    holding their response, and Scrapy stops downloading once those pass
    SCRAPER_SLOT_MAX_ACTIVE_SIZE, so memory stays bounded however large the crawl.
    """

    def __init__(
        self,
        crawler: Crawler,
        workers: int,
        task: Task = None,
        pages_per_worker: int | None = None,
        stop_grace: float = 2.0,
    ) -> None:
        self.crawler = crawler
        self.stop_grace = stop_grace
        self.workers = workers
        self.pages_per_worker = pages_per_worker
        self.task = task or extract_result
        self.pool: ExtractPool | None = None
        self._slots = DeferredSemaphore(2 * workers) if workers else None
        # Retries of pages whose worker died run one at a time, to tell which page it was.
        self._retry_lock = DeferredLock()
        self.stopping = False
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self._stop, signal=stop_requested)
        crawler.signals.connect(self._stop_at_once, signal=stop_forced)

    def _stop(self) -> None:
        # Pages in a worker get stop_grace seconds to finish (and are stored); those
        # still waiting, or slower than that, are dropped.
        from twisted.internet import reactor

        self.stopping = True
        if self.pool is not None:
            reactor.callLater(self.stop_grace, self._stop_at_once)

    def _stop_at_once(self) -> None:
        self.stopping = True
        if self.pool is not None:
            self.pool.terminate()
            self.pool = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractionPipeline:
        settings = crawler.settings
        workers = settings.get("NEWSDESK_EXTRACT_WORKERS")
        workers = default_workers() if workers is None else int(workers)
        task = load_object(settings.get("NEWSDESK_EXTRACT_TASK"))
        pages_per_worker = settings.getint("NEWSDESK_EXTRACT_WORKER_PAGES") or None
        stop_grace = settings.getfloat("NEWSDESK_STOP_EXTRACT_SECONDS", 2.0)
        return cls(crawler, workers, task, pages_per_worker, stop_grace)

    def spider_closed(self, spider: Any) -> None:
        if self.pool is not None:
            self.crawler.stats.set_value("newsdesk/extract_pools_recycled", self.pool.recycled)
            self.pool.shutdown()
            self.pool = None

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        if self.stopping:
            raise _dropped_by_stop()
        content_type = item.content_type.split(";")[0].strip().lower()
        if content_type and content_type not in HTML_TYPES:
            return FetchFailure(
                item.source, item.url, "not_html", f"content type {content_type}", item.status
            )
        binary = sniff_binary(item.body)
        if binary:
            reason = f"{binary} served as {content_type or 'no content type'}"
            return FetchFailure(item.source, item.url, "not_html", reason, item.status)
        charset = header_charset(item.content_type)
        if self._slots is None:
            result = self.task(item.body, item.final_url, charset, item.listed_date)
        else:
            result = await self._in_pool(item.body, item.final_url, charset, item.listed_date)
        self.crawler.stats.inc_value("newsdesk/extract_seconds", result.seconds)
        if result.extraction is None:
            if result.outcome == "extract_error":
                logger.error("%s: %s", item.url, result.reason)
            outcome = result.outcome or "extract_error"
            return FetchFailure(item.source, item.url, outcome, result.reason, item.status)
        return ExtractedArticle(item.source, item.url, item.final_url, result.extraction)

    async def _in_pool(
        self, html: bytes, url: str, charset: str | None, listed_date: str | None
    ) -> PageResult:
        assert self._slots is not None
        if self.pool is None:
            self.pool = ExtractPool(self.workers, self.task, self.pages_per_worker)
        await maybe_deferred_to_future(self._slots.acquire())
        try:
            if self.stopping or self.pool is None:  # the stop came while it waited
                raise _dropped_by_stop()
            return await _wait(self.pool.submit(html, url, charset, listed_date))
        except BrokenProcessPool:
            if self.stopping:
                raise _dropped_by_stop() from None
        finally:
            self._slots.release()
        await maybe_deferred_to_future(self._retry_lock.acquire())
        try:
            self.crawler.stats.inc_value("newsdesk/extract_retries")
            return await _wait(self.pool.retry(html, url, charset, listed_date))
        except BrokenProcessPool:
            self.crawler.stats.inc_value("newsdesk/extract_worker_crashes")
            return PageResult(None, "extract_error", "extraction error: the page killed its worker")
        finally:
            self._retry_lock.release()


def _dropped_by_stop() -> DropItem:
    # Recorded nowhere, so the page is not known and the next run fetches it again.
    return DropItem("not extracted: the crawl is stopping", log_level="DEBUG")


def _wait(future: Future[PageResult]) -> Awaitable[PageResult]:
    """A concurrent.futures future as something a Scrapy coroutine can await, whichever
    reactor runs (the result is handed to the reactor thread)."""
    from twisted.internet import reactor  # the one Scrapy installed, imported once it has

    deferred: Deferred[PageResult] = Deferred()

    def done(finished: Future[PageResult]) -> None:
        try:
            result = finished.result()
        except BaseException as exc:  # BrokenProcessPool, or cancelled at shutdown
            reactor.callFromThread(deferred.errback, Failure(exc))
        else:
            reactor.callFromThread(deferred.callback, result)

    future.add_done_callback(done)
    return maybe_deferred_to_future(deferred)


class StorePipeline:
    """Writes articles and failures to SQLite and keeps the run's row up to date.

    Items are written in batches, one transaction per batch (NEWSDESK_BATCH_SIZE items
    or NEWSDESK_BATCH_SECONDS, whichever comes first), each article in a savepoint of
    its own: a bad article is rolled back alone, and a killed crawl loses at most the
    batch not yet committed, never part of an article. The rest is written on close.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.db_path = settings.get("NEWSDESK_DB", "newsdesk.db")
        self.batch_size = max(1, settings.getint("NEWSDESK_BATCH_SIZE", 50))
        self.batch_seconds = settings.getfloat("NEWSDESK_BATCH_SECONDS", 1.0)
        self.store: Store | None = None
        self.run_id: int | None = None
        self.articles_new = 0
        self.failures = 0
        self.not_articles = 0
        self.pending: list[ExtractedArticle | FetchFailure] = []
        self._timer: LoopingCall | None = None
        self._run_recorded = False
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.stop_at_once, signal=stop_forced)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def spider_opened(self, spider: Any) -> None:
        self.store = Store.open(self.db_path)
        self.store.save_sources([spider.source])
        self.run_id = self.store.start_run(spider.source.id)
        self.crawler.stats.set_value("newsdesk/run_id", self.run_id)
        if self.batch_seconds > 0:
            self._timer = LoopingCall(self.flush)
            self._timer.start(self.batch_seconds, now=False)

    def spider_closed(self, spider: Any, reason: str) -> None:
        status = run_status(reason)
        detail = None if status == "finished" else f"spider closed: {reason}"
        unread = getattr(spider, "unread_start_urls", lambda: None)()
        if reason == "shutdown" or getattr(spider, "stopping", False):
            # (A stop can also end a crawl as "finished": all it had left was refused.)
            status, detail = "interrupted", "stopped by a signal (Ctrl-C or SIGTERM)"
        elif status == "finished" and unread:
            status, detail = "failed", unread  # a run that achieved nothing has failed
        self._record_run(status, detail)

    def stop_at_once(self) -> None:
        """A second Ctrl-C: store what is ready and record the run before the reactor
        stops (spider_closed will not come). Pages still being fetched or extracted are
        recorded nowhere, so the next run fetches them again."""
        self._record_run("interrupted", "stopped at once by a second signal")

    def _record_run(self, status: str, reason: str | None) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        if self.store is None or self.run_id is None or self._run_recorded:
            return
        self._run_recorded = True
        self.flush()
        stats = self.crawler.stats
        counters = RunCounters(
            pages_fetched=stats.get_value("response_received_count", 0),
            articles_new=self.articles_new,
            failures=self.failures,
            bytes_received=stats.get_value("downloader/response_bytes", 0),
            not_articles=self.not_articles,
        )
        self.store.finish_run(self.run_id, status, counters, reason)
        stats.set_value("newsdesk/articles_new", self.articles_new)
        stats.set_value("newsdesk/failures", self.failures)
        stats.set_value("newsdesk/not_articles", self.not_articles)
        stats.set_value("newsdesk/status", status)
        stats.set_value("newsdesk/reason", reason)
        if status != "interrupted":
            # A stopped crawl must end within seconds; the next run links its statements.
            self._link_speakers()
        self.store.close()

    def _link_speakers(self) -> None:
        """Relink the statements to speakers, speakers.toml applied (crawler.speaker_table).

        A run's articles are stored already: a problem here is logged, never fails the run.
        """
        assert self.store is not None
        try:
            corrections = load_corrections(self.crawler.settings.get("NEWSDESK_SPEAKERS"))
            self.store.rebuild_speakers(corrections)
        except (CorrectionsError, sqlite3.Error) as exc:
            logger.error("speakers not relinked: %s", exc)

    def process_item(self, item: Any) -> Any:
        if self._run_recorded:  # after a second Ctrl-C: the run's record is closed
            raise DropItem("not stored: the crawl stopped", log_level="DEBUG")
        assert self.store is not None
        if isinstance(item, FetchFailure | ExtractedArticle):
            self.pending.append(item)
            if len(self.pending) >= self.batch_size:
                self.flush()
        return item

    def flush(self) -> None:
        """Write the pending items in one transaction."""
        if not self.pending or self.store is None:
            return
        batch, self.pending = self.pending, []
        try:
            with self.store.batch():
                written = [self._write(item) for item in batch]
        except sqlite3.Error:
            # The whole batch was rolled back (e.g. the commit failed): write each item
            # in a transaction of its own rather than lose them.
            logger.exception("a batch of %d items failed; writing them one by one", len(batch))
            written = [self._write(item) for item in batch]
        self.articles_new += sum(1 for outcome in written if outcome == "new")
        self.failures += sum(1 for outcome in written if outcome == "failure")
        self.not_articles += sum(1 for outcome in written if outcome == "not_article")
        self.crawler.stats.inc_value("newsdesk/store_batches")

    def _write(self, item: ExtractedArticle | FetchFailure) -> str:
        """Write one item: 'new', 'known' (article stored before), 'not_article' (rightly
        skipped: not a failure), 'failure' or 'error'."""
        assert self.store is not None
        try:
            if isinstance(item, FetchFailure):
                self.store.add_fetch(
                    run_id=self.run_id,
                    source=item.source,
                    url=item.url,
                    outcome=item.outcome,
                    reason=item.reason,
                    status=item.status,
                )
                return "not_article" if item.outcome == "not_article" else "failure"
            stored = self.store.add_article(
                item.extraction,
                source=item.source,
                run_id=self.run_id,
                fetched_url=item.url,
                aliases=[item.final_url],
                page_url=item.final_url,
            )
        except Exception:
            # Its savepoint is rolled back; the rest of the batch is still written.
            logger.exception("could not store the item from %s", item.url)
            self.crawler.stats.inc_value("newsdesk/store_errors")
            return "error"
        return "new" if stored.is_new else "known"
