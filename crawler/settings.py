"""Scrapy settings of newsdesk (scrapy.cfg points here).

Anything here can be overridden from the `[settings]` table of sources.toml.
"""

BOT_NAME = "newsdesk"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Where the store writes and which sources file `scrapy crawl news` reads.
NEWSDESK_DB = "newsdesk.db"
NEWSDESK_SOURCES = "sources.toml"
# Analysts' corrections to speaker linking; `newsdesk run` uses the one beside --sources.
NEWSDESK_SPEAKERS = "speakers.toml"
NEWSDESK_CONTACT_URL = "https://github.com/newsdesk/newsdesk"

# Built from NEWSDESK_CONTACT_URL by crawler.runner unless USER_AGENT is set.
USER_AGENT = f"newsdesk/0.1 (+{NEWSDESK_CONTACT_URL})"
ROBOTSTXT_OBEY = True

# Politeness: AutoThrottle adapts to each server; a small per-domain ceiling.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# Hostile input: bounded size (checked after decompression) and time.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
# False: each log record is one line, without its traceback (`newsdesk` without -v).
NEWSDESK_LOG_TRACEBACKS = True

SPIDER_MIDDLEWARES = {
    "crawler.middlewares.ArticleGateMiddleware": 950,
}
DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt (100) so a private address is refused before anything is fetched.
    "crawler.middlewares.PrivateNetworkMiddleware": 50,
    # Before Scrapy's HttpProxyMiddleware (750), which then uses the proxy it sets.
    "crawler.middlewares.SettingsProxyMiddleware": 740,
    # Scrapy's robots.txt middleware (100), but an unreachable robots.txt disallows all.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.robots.Rfc9309RobotsTxtMiddleware": 100,
    "crawler.middlewares.CrawlDelayMiddleware": 110,
    "crawler.middlewares.ListingValidatorsMiddleware": 120,
    # Replaces Scrapy's RetryMiddleware (550) with one that honours Retry-After.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
    # Last before the download slots: once a stop is asked, nothing more is downloaded.
    "crawler.shutdown.StopGateMiddleware": 999,
}
# Scrapy's HTTP handler, with downloads in flight that a stop (Ctrl-C, SIGTERM) aborts.
DOWNLOAD_HANDLERS = {
    "http": "crawler.shutdown.StoppableHTTPDownloadHandler",
    "https": "crawler.shutdown.StoppableHTTPDownloadHandler",
}
NEWSDESK_MAX_RETRY_AFTER = 60.0
NEWSDESK_PUBLIC_HOSTS: list[str] = []
NEWSDESK_MAX_CRAWL_DELAY = 60.0
# Send every request through this HTTP proxy ("http://host:port"); None: Scrapy's usual
# http_proxy / https_proxy environment variables. `newsdesk demo` uses it.
NEWSDESK_PROXY: str | None = None
ITEM_PIPELINES = {
    "crawler.pipelines.ExtractionPipeline": 300,
    "crawler.pipelines.StorePipeline": 800,
}

# HTTP errors reach the spider's errback, which records them in `fetches`.
HTTPERROR_ALLOW_ALL = False

# Extraction runs in this many worker processes (default: one per CPU); 0 extracts
# in the crawl process itself, on the reactor thread.
NEWSDESK_EXTRACT_WORKERS: int | None = None  # None: os.cpu_count()
# Workers are replaced by fresh processes after about this many pages each, which bounds
# their memory on long crawls (bench: BENCHMARKS.md, (e)); 0 keeps them for the whole run.
NEWSDESK_EXTRACT_WORKER_PAGES = 500
# On a stop (Ctrl-C, SIGTERM), pages already in an extraction worker get this long to
# finish and be stored; slower ones are dropped (and fetched again next run).
NEWSDESK_STOP_EXTRACT_SECONDS = 2.0
# The store commits items in batches: this many, or after this many seconds.
NEWSDESK_BATCH_SIZE = 50
NEWSDESK_BATCH_SECONDS = 1.0
# What a worker runs on each page: a module-level function (html, url, charset,
# listed_date) -> crawler.extract_pool.PageResult that never raises.
NEWSDESK_EXTRACT_TASK = "crawler.extract_pool.extract_result"
