"""Extraction in worker processes, so the reactor keeps downloading while pages are parsed.

Only bytes and strings go to a worker and only a `PageResult` (holding the `Extraction`
record) comes back. Workers are started with 'spawn': forking a process that runs the
Twisted reactor copies its threads' locks and sockets in whatever state they are in.

A page that kills its worker (a segfault in a parser, the OOM killer) breaks the whole
`ProcessPoolExecutor`, failing every page in flight with it. The pool is then recreated
and those pages are retried one at a time in a separate one-worker pool: an innocent
page is extracted there, and the page that breaks that pool too is the culprit.

This module imports no Scrapy or Twisted, so a worker starts with only `extract/` loaded.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from extract.article import NotAnArticle
from extract.page import extract_page
from extract.records import Extraction

# Checked by a worker: orphans of a SIGKILLed crawl exit instead of idling forever.
_PARENT_POLL_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class PageResult:
    """What extracting one page gave: an extraction, or the fetches outcome and reason."""

    extraction: Extraction | None
    outcome: str | None = None  # not_article or extract_error when extraction is None
    reason: str = ""
    seconds: float = 0.0


def extract_result(
    html: bytes, url: str, charset: str | None, listed_date: str | None = None
) -> PageResult:
    """Extract one page, turning every failure into a PageResult (never raises).

    `listed_date` is the date of the feed or sitemap entry that listed the page.
    """
    started = time.perf_counter()
    try:
        extraction = extract_page(html, url, charset, listed_date)
    except NotAnArticle as exc:
        return PageResult(None, "not_article", str(exc), time.perf_counter() - started)
    except Exception as exc:  # a broken page must not stop the crawl
        reason = f"extraction error: {type(exc).__name__}: {exc}"
        return PageResult(None, "extract_error", reason, time.perf_counter() - started)
    return PageResult(extraction, seconds=time.perf_counter() - started)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_SECONDS)
    os._exit(1)


def _init_worker() -> None:
    # Ctrl-C reaches the whole process group; the crawl process decides how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()


# A module-level function (workers import it by name) with extract_result's signature.
Task = Callable[[bytes, str, str | None, str | None], PageResult] | None


def default_workers() -> int:
    return os.cpu_count() or 1


class ExtractPool:
    """A restartable process pool for `extract_result`; `submit` returns a Future.

    With `pages_per_worker`, the workers are replaced by fresh ones after about that many
    pages each: a worker's memory creeps up page after page (allocator fragmentation
    after large pages, caches filling), and replacing it keeps a long crawl's peak where
    a short one's is. Python 3.11's own `max_tasks_per_child` can deadlock the pool
    (cpython#115634), so the whole pool is retired instead: it finishes the pages it was
    given while a new pool takes the next ones.
    """

    def __init__(
        self, workers: int, task: Task = None, pages_per_worker: int | None = None
    ) -> None:
        if workers < 1:
            raise ValueError("an ExtractPool needs at least one worker")
        self.workers = workers
        self.task: Callable[[bytes, str, str | None, str | None], PageResult] = (
            task or extract_result
        )
        self.restarts = 0
        self.recycled = 0
        self._pages_per_pool = workers * pages_per_worker if pages_per_worker else None
        self._submitted = 0
        self._retired: list[ProcessPoolExecutor] = []
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._pool = self._new_pool(workers)
        self._quarantine: ProcessPoolExecutor | None = None

    def _new_pool(self, workers: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(workers, mp_context=self._context, initializer=_init_worker)

    def submit(
        self, html: bytes, url: str, charset: str | None, listed_date: str | None = None
    ) -> Future[PageResult]:
        """Extract a page in a worker. The future fails with BrokenProcessPool when the
        pool broke under it; call `retry` for that page then."""
        with self._lock:
            self._recycle_if_due()
            pool = self._pool
            try:
                return pool.submit(self.task, html, url, charset, listed_date)
            except BrokenProcessPool:
                self._replace(pool)
                return self._pool.submit(self.task, html, url, charset, listed_date)

    def _recycle_if_due(self) -> None:
        """Retire the current pool once it was given its share of pages (lock held)."""
        self._submitted += 1
        if self._pages_per_pool is None or self._submitted <= self._pages_per_pool:
            return
        # Without wait, shutdown returns at once; the pages already given still complete.
        self._pool.shutdown(wait=False)
        self._retired = [p for p in self._retired if _has_live_workers(p)] + [self._pool]
        self._pool = self._new_pool(self.workers)
        self._submitted = 1
        self.recycled += 1

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """Recreate the pool once, however many pages saw it break (lock held)."""
        if self._pool is broken:
            broken.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool(self.workers)
            self.restarts += 1

    def retry(
        self, html: bytes, url: str, charset: str | None, listed_date: str | None = None
    ) -> Future[PageResult]:
        """Extract a page whose pool broke, alone in a one-worker pool.

        Failing with BrokenProcessPool again means this page kills its worker.
        """
        with self._lock:
            self._replace_current_if_broken()
            if self._quarantine is None or _is_broken(self._quarantine):
                if self._quarantine is not None:
                    self._quarantine.shutdown(wait=False, cancel_futures=True)
                self._quarantine = self._new_pool(1)
            return self._quarantine.submit(self.task, html, url, charset, listed_date)

    def _replace_current_if_broken(self) -> None:
        if _is_broken(self._pool):
            self._replace(self._pool)

    def shutdown(self) -> None:
        with self._lock:
            for pool in (self._pool, self._quarantine, *self._retired):
                if pool is not None:
                    pool.shutdown(wait=True, cancel_futures=True)
            self._quarantine = None
            self._retired = []

    def terminate(self) -> None:
        """Stop now: kill the workers, whatever page they are on (a forced stop).

        Waiting pages fail with BrokenProcessPool; the process can exit at once instead
        of joining workers that are still parsing.
        """
        with self._lock:
            for pool in (self._pool, self._quarantine, *self._retired):
                if pool is None:
                    continue
                processes: Any = getattr(pool, "_processes", None) or {}
                for process in list(processes.values()):
                    process.terminate()
                pool.shutdown(wait=False, cancel_futures=True)
            self._quarantine = None
            self._retired = []


def _has_live_workers(pool: ProcessPoolExecutor) -> bool:
    # `_processes` is the executor's table of its workers; emptied once all have exited.
    processes: Any = getattr(pool, "_processes", None)
    return bool(processes)


def _is_broken(pool: ProcessPoolExecutor) -> bool:
    # concurrent.futures keeps no public flag; `_broken` is set once a worker died.
    broken: Any = getattr(pool, "_broken", False)
    return bool(broken)
