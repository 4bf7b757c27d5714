"""Scale-out on scrapy-redis: crawl workers on a shared Redis queue, one SQLite writer.

Topology (docs/distributed.md):

    enqueue --(listing requests)--> Redis queue per source <--> workers (any number)
    workers --(serialised records)--> Redis list newsdesk:results --> writer --> SQLite

The queue, its dupefilter and the request serialisation are scrapy-redis's own
(`Scheduler`, `FifoQueue`, `RFPDupeFilter`). scrapy-redis pops a request and forgets
it, so a worker killed mid-page would lose it; `LeasingScheduler` instead moves each
popped request into a lease (a Redis sorted set scored by the time it was taken, in
the same atomic step), the worker releases the lease when the request's outcome has
been handed on, and the writer puts leases older than `lease_seconds` back on their
queue. A request can therefore be fetched twice, never lost; the writer's writes are
idempotent so twice is harmless.

Everything here imports `redis`/`scrapy_redis` at module level: this module is only
imported by the distributed commands, so single-machine users never need them.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import redis
from scrapy import Request, signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from scrapy_redis import picklecompat
from scrapy_redis.queue import FifoQueue
from scrapy_redis.scheduler import Scheduler

from crawler.items import ExtractedArticle, FetchFailure
from crawler.sources import Source
from crawler.spiders.news import KIND, NewsSpider
from crawler.store import PERMANENT_OUTCOMES, Store
from extract.records import Article, Extraction, Figure, Statement
from extract.urls import canonical_url

logger = logging.getLogger(__name__)

PREFIX = "newsdesk"
QUEUE_KEY = PREFIX + ":%(spider)s:requests"  # scrapy-redis formats it with the spider name
DUPEFILTER_KEY = PREFIX + ":%(spider)s:dupefilter"
RESULTS = PREFIX + ":results"  # records waiting for the writer
PROCESSING = PREFIX + ":results:processing"  # the writer's batch in progress
KNOWN = PREFIX + ":known"  # mirror of the SQLite known-URL set
LEASES = PREFIX + ":leases"  # zset: "<queue key>\0<encoded request>" -> time taken
LEASE_OF = PREFIX + ":lease_of"  # hash: "<spider> <url>" -> its member in LEASES


def spider_name(source_id: str) -> str:
    """One queue per source: a worker's spider only takes requests of its own source."""
    return f"news.{source_id}"


def admitted_key(name: str) -> str:
    return f"{PREFIX}:{name}:admitted"


def connect(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


# -- records on the wire ----------------------------------------------------


def encode_record(item: ExtractedArticle | FetchFailure) -> bytes:
    """JSON for the results list: the writer may run another newsdesk version."""
    if isinstance(item, ExtractedArticle):
        data = {
            "type": "article",
            "source": item.source,
            "url": item.url,
            "final_url": item.final_url,
            "extraction": item.extraction.to_dict(),
        }
    else:
        data = {
            "type": "failure",
            "source": item.source,
            "url": item.url,
            "outcome": item.outcome,
            "reason": item.reason,
            "status": item.status,
        }
    return json.dumps(data, ensure_ascii=False).encode()


def _extraction(data: dict[str, Any]) -> Extraction:
    article = dict(data["article"])
    article["authors"] = tuple(article["authors"])
    article["cited_sources"] = tuple(article["cited_sources"])
    return Extraction(
        Article(**article),
        tuple(Statement(**s) for s in data["statements"]),
        tuple(Figure(**f) for f in data["figures"]),
    )


def decode_record(raw: bytes) -> ExtractedArticle | FetchFailure:
    data = json.loads(raw)
    if data["type"] == "article":
        extraction = _extraction(data["extraction"])
        return ExtractedArticle(data["source"], data["url"], data["final_url"], extraction)
    return FetchFailure(
        data["source"], data["url"], data["outcome"], data["reason"], data["status"]
    )


# -- leases: scrapy-redis's pop made recoverable ------------------------------

# Pop and lease in one step, so a worker dying in between cannot lose the request.
_POP_AND_LEASE = """
local data = redis.call('RPOP', KEYS[1])
if not data then return false end
local now = redis.call('TIME')
redis.call('ZADD', KEYS[2], now[1], KEYS[1] .. '\\0' .. data)
return data
"""

# Hand a record to the writer and release the lease of the request it came from.
_PUSH_AND_RELEASE = """
if ARGV[2] ~= '' then redis.call('LPUSH', KEYS[1], ARGV[2]) end
local member = redis.call('HGET', KEYS[3], ARGV[1])
if member then
  redis.call('ZREM', KEYS[2], member)
  redis.call('HDEL', KEYS[3], ARGV[1])
end
return member and 1 or 0
"""

# Leases older than ARGV[1] seconds go back to the front of their queue.
_REQUEUE_STALE = """
local now = tonumber(redis.call('TIME')[1])
local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
for _, member in ipairs(stale) do
  local cut = string.find(member, '\\0', 1, true)
  redis.call('RPUSH', string.sub(member, 1, cut - 1), string.sub(member, cut + 1))
  redis.call('ZREM', KEYS[1], member)
end
return #stale
"""


def origin_url(request: Request) -> str:
    """The URL first asked for: leases and records are keyed by it across redirects."""
    return request.meta.get("redirect_urls", [request.url])[0]


def lease_field(name: str, url: str) -> str:
    return f"{name} {url}"


def requeue_stale(server: redis.Redis, lease_seconds: float) -> int:
    """Put requests leased longer ago than lease_seconds (a dead worker's) back."""
    return int(server.eval(_REQUEUE_STALE, 1, LEASES, int(lease_seconds)))


def push_and_release(server: redis.Redis, name: str, url: str, record: bytes = b"") -> None:
    server.eval(_PUSH_AND_RELEASE, 3, RESULTS, LEASES, LEASE_OF, lease_field(name, url), record)


class LeasingScheduler(Scheduler):
    """scrapy-redis's Scheduler whose pops are leases until the outcome is handed on."""

    def next_request(self) -> Request | None:
        data = self.server.eval(_POP_AND_LEASE, 2, self.queue.key, LEASES)
        if not data:
            return None
        request = self.queue._decode_request(data)  # scrapy-redis's own deserialisation
        member = self.queue.key.encode() + b"\0" + data
        self.server.hset(LEASE_OF, lease_field(self.spider.name, origin_url(request)), member)
        if self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        if "redirect_urls" in request.meta or "retry_times" in request.meta:
            # The next hop of a leased request: queue it and release the hop before it
            # in one step, so the request is always either queued or leased.
            data = self.queue._encode_request(request)
            field = lease_field(self.spider.name, origin_url(request))
            self.server.eval(_PUSH_AND_RELEASE, 3, self.queue.key, LEASES, LEASE_OF, field, data)
        else:
            self.queue.push(request)
        return True


# -- worker components --------------------------------------------------------


class RedisKnownGateMiddleware(BaseSpiderMiddleware):
    """ArticleGateMiddleware for workers: the known set and the run's admissions in Redis.

    Also releases the lease of a listing (feed, sitemap, section) once every request
    it led to has been queued; article leases are released by RedisPushPipeline.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.server = connect(crawler.settings["REDIS_URL"])

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if request.meta.get(KIND) != "article":
            return request
        if self.server.sismember(KNOWN, request.url):
            self.crawler.stats.inc_value("newsdesk/skipped_known")
            return None
        admitted = admitted_key(self.crawler.spider.name)
        limit = self.crawler.spider.source.max_articles
        if limit and self.server.scard(admitted) >= limit:
            self.crawler.stats.inc_value("newsdesk/skipped_max_articles")
            return None
        if not self.server.sadd(admitted, request.url):
            return None  # another worker (or listing) admitted it in this run
        return request

    def _release_listing(self, response: Response) -> None:
        if response.meta.get(KIND) == "article":
            return
        push_and_release(self.server, self.crawler.spider.name, origin_url(response.request))

    # Released also when the callback fails: as in a single-process crawl, the
    # listing is then dropped instead of being retried forever.
    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        try:
            yield from super().process_spider_output(response, result)
        finally:
            self._release_listing(response)

    async def process_spider_output_async(self, response: Response, result: Any) -> Any:
        try:
            async for item in super().process_spider_output_async(response, result):
                yield item
        finally:
            self._release_listing(response)


class RedisPushPipeline:
    """Last pipeline of a worker: the record goes to the writer, the lease is released."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.server = connect(crawler.settings["REDIS_URL"])

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisPushPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, ExtractedArticle | FetchFailure):
            push_and_release(self.server, self.crawler.spider.name, item.url, encode_record(item))
            self.crawler.stats.inc_value("newsdesk/records_pushed")
        return item


class WorkerExtension:
    """Keeps a worker waiting for requests instead of closing when its queue is empty."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.poll = crawler.settings.getfloat("NEWSDESK_WORKER_POLL", 0.5)
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerExtension:
        return cls(crawler)

    def engine_started(self) -> None:
        # An idle engine asks the scheduler again only on its heartbeat (5 s, a private
        # attribute of Scrapy's engine); a shorter one lets idle workers join sooner.
        self.crawler.engine._SLOT_HEARTBEAT_INTERVAL = self.poll

    def spider_idle(self, spider: Any) -> None:
        raise DontCloseSpider


class WorkerSpider(NewsSpider):
    """NewsSpider that starts nothing itself: its requests come from the shared queue."""

    async def start(self) -> Any:
        return
        yield  # an async generator with no items


# -- the worker, the enqueue helper -----------------------------------------------


def worker_settings(settings: Settings, redis_url: str) -> Settings:
    """Crawl settings turned into a worker's: no SQLite anywhere, Redis instead."""
    settings = settings.copy()
    settings.set("REDIS_URL", redis_url, priority="cmdline")
    settings.set("SCHEDULER", f"{__name__}.LeasingScheduler", priority="cmdline")
    settings.set("SCHEDULER_PERSIST", True, priority="cmdline")  # the queue outlives a worker
    settings.set("SCHEDULER_QUEUE_CLASS", "scrapy_redis.queue.FifoQueue", priority="cmdline")
    settings.set("SCHEDULER_QUEUE_KEY", QUEUE_KEY, priority="cmdline")
    settings.set("SCHEDULER_DUPEFILTER_KEY", DUPEFILTER_KEY, priority="cmdline")
    settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="cmdline")
    # Extraction is CPU-bound: a worker whose downloaded pages wait for the extractor
    # takes no more from the shared queue, so idle workers get them instead.
    prefetch = settings.getint("NEWSDESK_WORKER_PREFETCH_BYTES", 50_000)
    settings.set("SCRAPER_SLOT_MAX_ACTIVE_SIZE", prefetch, priority="cmdline")
    spider_mws = dict(settings.getdict("SPIDER_MIDDLEWARES"))
    spider_mws |= {"crawler.middlewares.ArticleGateMiddleware": None}
    spider_mws[f"{__name__}.RedisKnownGateMiddleware"] = 950
    # Conditional listing requests need the listings table: workers re-read listings.
    downloader_mws = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    downloader_mws["crawler.middlewares.ListingValidatorsMiddleware"] = None
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    pipelines["crawler.pipelines.StorePipeline"] = None
    pipelines[f"{__name__}.RedisPushPipeline"] = 800
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions[f"{__name__}.WorkerExtension"] = 500
    settings.set("SPIDER_MIDDLEWARES", spider_mws, priority="cmdline")
    settings.set("DOWNLOADER_MIDDLEWARES", downloader_mws, priority="cmdline")
    settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    return settings


def run_worker(sources: Sequence[Source], settings: Settings) -> None:
    """One crawler per source, each on its source's queue; runs until stopped (SIGTERM)."""
    process = CrawlerProcess(settings)
    for source in sources:
        crawler = process.create_crawler(WorkerSpider)
        process.crawl(crawler, source=source, name=spider_name(source.id))
    process.start()


async def _collect(requests: Any) -> list[Request]:
    return [request async for request in requests]


def enqueue(server: redis.Redis, sources: Sequence[Source]) -> dict[str, int]:
    """Seed one run: each source's listing requests, with a fresh per-run admission set."""
    counts = {}
    for source in sources:
        spider = WorkerSpider(source, name=spider_name(source.id))
        requests = asyncio.run(_collect(NewsSpider.start(spider)))
        queue = FifoQueue(server, spider, QUEUE_KEY, serializer=picklecompat)
        # A new run: articles not stored yet may be admitted again, sitemaps re-read.
        server.delete(admitted_key(spider.name), DUPEFILTER_KEY % {"spider": spider.name})
        for request in requests:
            queue.push(request)
        counts[source.id] = len(requests)
    return counts


def queue_keys(server: redis.Redis) -> list[bytes]:
    return list(server.scan_iter(match=QUEUE_KEY % {"spider": "*"}))


def pending(server: redis.Redis) -> int:
    """Requests queued or leased plus records not yet stored: 0 when all is done."""
    queued = sum(server.llen(key) for key in queue_keys(server))
    return queued + server.zcard(LEASES) + server.llen(RESULTS) + server.llen(PROCESSING)


# -- the writer ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WriterStats:
    records: int
    articles_new: int
    failures: int
    requeued: int


def seed_known(server: redis.Redis, store: Store, chunk: int = 5000) -> int:
    """Mirror SQLite's known-URL set into Redis (SQLite stays the authority)."""
    placeholders = ", ".join("?" for _ in PERMANENT_OUTCOMES)
    rows = store.db.execute(
        "SELECT url FROM article_urls UNION "
        f"SELECT url FROM fetches WHERE outcome IN ({placeholders})",
        list(PERMANENT_OUTCOMES),
    )
    total = 0
    while batch := [row[0] for row in rows.fetchmany(chunk)]:
        server.sadd(KNOWN, *batch)
        total += len(batch)
    return total


def _fetch_recorded(store: Store, item: FetchFailure) -> bool:
    # A record replayed after a writer crash must not add a second row: in distributed
    # mode a URL's failure is recorded once per (outcome, reason, status).
    row = store.db.execute(
        "SELECT 1 FROM fetches WHERE url = ? AND outcome = ? AND reason = ? "
        "AND status IS ? AND run_id IS NULL LIMIT 1",
        [item.url, item.outcome, item.reason, item.status],
    ).fetchone()
    return row is not None


def store_record(store: Store, item: ExtractedArticle | FetchFailure) -> tuple[bool, list[str]]:
    """Write one record (idempotently); returns (stored anew, URLs now known)."""
    if isinstance(item, ExtractedArticle):
        stored = store.add_article(
            item.extraction,
            source=item.source,
            run_id=None,
            fetched_url=item.url,
            aliases=[item.final_url],
            page_url=item.final_url,
        )
        # As in SQLite: the URLs fetched, not a canonical URL the page only claims.
        known = [item.url, item.final_url, canonical_url(item.final_url)]
        return stored.is_new, known
    known = [item.url] if item.outcome in PERMANENT_OUTCOMES else []
    if _fetch_recorded(store, item):
        return False, known
    store.add_fetch(
        run_id=None,
        source=item.source,
        url=item.url,
        outcome=item.outcome,
        reason=item.reason,
        status=item.status,
    )
    return True, known


def recover(server: redis.Redis) -> int:
    """Give back a batch the previous writer took but may not have committed."""
    moved = 0
    while server.lmove(PROCESSING, RESULTS, "RIGHT", "RIGHT") is not None:
        moved += 1
    return moved


def write_batch(server: redis.Redis, store: Store, batch: list[bytes]) -> tuple[int, int]:
    """Commit a batch in one transaction, then mirror its URLs and drop it from Redis."""
    articles = failures = 0
    known: list[str] = []
    with store.db.atomic():
        for raw in batch:
            item = decode_record(raw)
            new, urls = store_record(store, item)
            known.extend(u for u in urls if u)
            if new and isinstance(item, ExtractedArticle):
                articles += 1
            elif new:
                failures += 1
    # After the commit: a crash before this line replays the batch, which is harmless.
    pipe = server.pipeline(transaction=True)
    if known:
        pipe.sadd(KNOWN, *known)
    pipe.delete(PROCESSING)
    pipe.execute()
    return articles, failures


def run_writer(
    server: redis.Redis,
    store: Store,
    *,
    should_stop: Callable[[], bool],
    batch_size: int = 200,
    lease_seconds: float = 120.0,
    block_seconds: float = 1.0,
    relink: Callable[[], object] | None = None,
) -> WriterStats:
    """The only SQLite writer: moves records into a processing list, commits, acks.

    Runs until should_stop() is true (checked at least every block_seconds). `relink`
    (speakers, crawler.speaker_table) runs whenever the queue has gone quiet after new
    articles: a single-process run relinks at its end, and a writer has no end but idle
    moments; a stop never waits for it.
    """
    recovered = recover(server)
    if recovered:
        logger.info("re-reading %d records of an unfinished batch", recovered)
    seed_known(server, store)
    records = articles = failures = requeued = 0
    unlinked = 0  # new articles since the last relinking
    while not should_stop():
        requeued += requeue_stale(server, lease_seconds)
        first = server.blmove(RESULTS, PROCESSING, block_seconds, "RIGHT", "LEFT")
        if first is None:
            if unlinked and relink is not None and not should_stop():
                relink()
                unlinked = 0
            continue
        batch = [first]
        while len(batch) < batch_size:
            raw = server.lmove(RESULTS, PROCESSING, "RIGHT", "LEFT")
            if raw is None:
                break
            batch.append(raw)
        new_articles, new_failures = write_batch(server, store, batch)
        records += len(batch)
        articles += new_articles
        unlinked += new_articles
        failures += new_failures
    return WriterStats(records, articles, failures, requeued)
