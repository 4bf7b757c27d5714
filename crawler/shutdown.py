"""Stopping a crawl fast on SIGINT / SIGTERM, with its records kept true.

Scrapy's own shutdown closes each spider only once every request in progress is done:
downloads from a slow server, requests waiting out their slot's download delay, pages
waiting for extraction. On a slow site that is many seconds, during which it keeps
downloading. Here the first signal instead:

- prints "stopping..." at once and closes every spider (close reason "shutdown", so its
  run is recorded `interrupted`);
- sends `stop_requested` to each crawler: downloads in flight are aborted
  (`StoppableHTTPDownloadHandler`), requests waiting for their slot are abandoned and
  no new one starts (`StopGateMiddleware`), and pages not yet handed to an extraction
  worker are dropped (they were recorded nowhere, so the next run fetches them again).
  Pages in a worker get NEWSDESK_STOP_EXTRACT_SECONDS (2 s) to finish; what is
  extracted is stored as usual when the spider closes.

A second signal sends `stop_forced`: the store writes the articles that are ready and
records the run `interrupted` with its true counts, then the reactor stops without
waiting for anything else. A third one kills the process the default way.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Sequence
from typing import Any

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from crawler.stop_signals import STOP_SIGNALS, say

# Crawler signals (sent with crawler.signals.send_catch_log).
stop_requested = object()  # stop taking work and abort downloads; spiders are closing
stop_forced = object()  # record what is ready now: the reactor stops next

# How long a stop waits for a crawler that is still opening its spider to start.
STOP_RETRY_SECONDS = 30.0


class CrawlStopped(Exception):
    """A request given up because the crawl is stopping; not a failure of the site."""

    def __init__(self) -> None:
        super().__init__("abandoned: the crawl is stopping")


class StoppableHTTPDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 download handler, whose downloads in flight a stop aborts.

    Each download runs as a cancellable Deferred; cancelling it aborts its connection
    (as Scrapy's own download timeout does), and the request fails with CrawlStopped.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._downloads: set[Deferred[Response]] = set()
        self._stopping = False
        crawler.signals.connect(self._abort_downloads, signal=stop_requested)

    async def download_request(self, request: Request) -> Response:
        if self._stopping:
            raise CrawlStopped
        download = deferred_from_coro(super().download_request(request))
        self._downloads.add(download)
        try:
            return await maybe_deferred_to_future(download)
        except (Exception, asyncio.CancelledError):
            # Cancelled below (asyncio's CancelledError is no Exception: let through, it
            # would leave Scrapy's downloader waiting forever), or failed while stopping.
            if self._stopping:
                raise CrawlStopped from None
            raise
        finally:
            self._downloads.discard(download)

    def _abort_downloads(self) -> None:
        self._stopping = True
        for download in list(self._downloads):
            download.cancel()


class StopGateMiddleware:
    """Once a stop is requested, no request reaches the downloader any more.

    Requests already waiting in a download slot (for DOWNLOAD_DELAY, AutoThrottle or a
    robots.txt Crawl-delay) are abandoned too: Scrapy would otherwise download each of
    them, one delay after another, before the spider could close. Placed last among
    the downloader middlewares, just before the download slots.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stopping = False
        crawler.signals.connect(self._stop, signal=stop_requested)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StopGateMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if self.stopping:
            raise CrawlStopped
        return None

    def _stop(self) -> None:
        self.stopping = True
        engine = self.crawler.engine
        if engine is None:
            return
        for slot in engine.downloader.slots.values():
            while slot.queue:
                _request, waiting = slot.queue.popleft()
                waiting.errback(Failure(CrawlStopped()))


def _stop_when_running(crawler: Crawler, deadline: float | None = None) -> None:
    """Stop the crawler: abort its downloads and close its spider ("shutdown", so the
    run is recorded `interrupted`).

    A crawler still opening its spider cannot be stopped yet (Scrapy's stop does nothing
    until the engine runs, and leaves the crawl hanging), so try again shortly, for at
    most STOP_RETRY_SECONDS. A crawl that has ended is left alone.
    """
    from twisted.internet import reactor

    engine = crawler.engine if crawler.crawling else None
    if engine is not None and engine.running:
        crawler.signals.send_catch_log(signal=stop_requested)
        deferred_from_coro(crawler.stop_async())
        return
    if not crawler.crawling and crawler.engine is not None:
        return  # already ended
    now = time.monotonic()
    deadline = now + STOP_RETRY_SECONDS if deadline is None else deadline
    if now < deadline:
        reactor.callLater(0.05, _stop_when_running, crawler, deadline)


class StopControl:
    """The SIGINT / SIGTERM handlers of a crawl process (see the module docstring).

    Install before the reactor runs, and start the process with
    `install_signal_handlers=False` so that neither Scrapy nor Twisted replaces them.
    """

    def __init__(self, process: CrawlerProcess, crawlers: Sequence[Crawler]) -> None:
        self.process = process
        self.crawlers = list(crawlers)
        self.signals_received = 0

    def install(self, received_before: int = 0) -> None:
        """Take over SIGINT and SIGTERM; `received_before` signals came while the
        crawl was being set up (see `EarlySignals`), and count as received now.

        Call it after `process.crawl` (which installs the configured reactor: importing
        it earlier would install Twisted's default one) and before the reactor runs.
        """
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._on_signal)
        if received_before:
            self.signals_received = 1
            self._call_in_reactor(self.stop)

    @staticmethod
    def _call_in_reactor(function: Any) -> None:
        from twisted.internet import reactor

        reactor.callFromThread(function)

    def _on_signal(self, signum: int, frame: Any) -> None:
        self.signals_received += 1
        if self.signals_received == 1:
            say("stopping... (press Ctrl-C again to stop at once)")
            self._call_in_reactor(self.stop)
        elif self.signals_received == 2:
            say("stopping at once; recording what was stored")
            self._call_in_reactor(self.force)
        else:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

    def stop(self) -> None:
        for crawler in self.crawlers:
            _stop_when_running(crawler)

    def force(self) -> None:
        from twisted.internet import reactor

        for crawler in self.crawlers:
            crawler.signals.send_catch_log(signal=stop_forced)
        with contextlib.suppress(RuntimeError):  # already stopping
            reactor.stop()
