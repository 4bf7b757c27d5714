"""The types of the Scrapy and newsdesk settings a sources file's `[settings]` may set.

Scrapy reads settings late and trusts them: `DOWNLOAD_DELAY = "fast"` surfaces as a
Twisted traceback in the middle of a crawl. Each setting newsdesk documents (README,
crawler/settings.py) is checked on load against the kind in SETTING_TYPES, so a wrong
value is a one-line error before any work. Other Scrapy settings pass through
unchecked, unless their name is a near miss of a known one (a typo).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class SettingType:
    expected: str  # completes "expected ...", as the error message says it
    accepts: Callable[[object], bool]


def _number(value: object, minimum: float, *, whole: bool = False, above: bool = False) -> bool:
    # TOML's true/false are Python bools, which are ints: never a number here.
    kinds: tuple[type, ...] = (int,) if whole else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        return False
    return value > minimum if above else value >= minimum


def _http_url(value: object) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _components(value: object) -> bool:
    # {"module.Class" = order}; TOML has no null, so a component cannot be disabled here.
    return isinstance(value, dict) and all(
        isinstance(k, str) and _number(v, 0, whole=True) for k, v in value.items()
    )


BOOL = SettingType("true or false", lambda v: isinstance(v, bool))
SECONDS = SettingType("a number of seconds >= 0", lambda v: _number(v, 0))
POSITIVE_SECONDS = SettingType("a number of seconds > 0", lambda v: _number(v, 0, above=True))
POSITIVE_NUMBER = SettingType("a number > 0", lambda v: _number(v, 0, above=True))
COUNT = SettingType("a whole number >= 0", lambda v: _number(v, 0, whole=True))
POSITIVE_COUNT = SettingType("a whole number >= 1", lambda v: _number(v, 1, whole=True))
BYTES = SettingType("a whole number of bytes >= 0", lambda v: _number(v, 0, whole=True))
TEXT = SettingType("a non-empty string", lambda v: isinstance(v, str) and bool(v.strip()))
HTTP_URL = SettingType("an http(s) URL", _http_url)
HOST_LIST = SettingType(
    "a list of host names", lambda v: isinstance(v, list) and all(isinstance(h, str) for h in v)
)
HTTP_CODES = SettingType(
    "a list of HTTP status codes (100-599)",
    lambda v: isinstance(v, list) and all(_number(c, 100, whole=True) and c <= 599 for c in v),
)
DOTTED_NAME = SettingType(
    'a dotted Python name ("package.module.name")',
    lambda v: isinstance(v, str) and re.fullmatch(r"\w+(\.\w+)+", v) is not None,
)
COMPONENTS = SettingType('a table of "module.Class" = order (a whole number)', _components)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_LEVEL = SettingType(f"one of {', '.join(LOG_LEVELS)}", lambda v: v in LOG_LEVELS)

SETTING_TYPES: dict[str, SettingType] = {
    # Politeness and throughput
    "AUTOTHROTTLE_ENABLED": BOOL,
    "AUTOTHROTTLE_START_DELAY": SECONDS,
    "AUTOTHROTTLE_MAX_DELAY": SECONDS,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": POSITIVE_NUMBER,
    "AUTOTHROTTLE_DEBUG": BOOL,
    "CONCURRENT_REQUESTS": POSITIVE_COUNT,
    "CONCURRENT_REQUESTS_PER_DOMAIN": POSITIVE_COUNT,
    "CONCURRENT_REQUESTS_PER_IP": COUNT,
    "DOWNLOAD_DELAY": SECONDS,
    "RANDOMIZE_DOWNLOAD_DELAY": BOOL,
    "ROBOTSTXT_OBEY": BOOL,
    "USER_AGENT": TEXT,
    "NEWSDESK_CONTACT_URL": HTTP_URL,
    "NEWSDESK_MAX_CRAWL_DELAY": SECONDS,
    # Retries and limits
    "RETRY_ENABLED": BOOL,
    "RETRY_TIMES": COUNT,
    "RETRY_HTTP_CODES": HTTP_CODES,
    "NEWSDESK_MAX_RETRY_AFTER": SECONDS,
    "DOWNLOAD_TIMEOUT": POSITIVE_SECONDS,
    "DOWNLOAD_MAXSIZE": BYTES,
    "DOWNLOAD_WARNSIZE": BYTES,
    "DNS_TIMEOUT": POSITIVE_SECONDS,
    "REDIRECT_ENABLED": BOOL,
    "REDIRECT_MAX_TIMES": COUNT,
    "DEPTH_LIMIT": COUNT,
    "CLOSESPIDER_TIMEOUT": SECONDS,
    "CLOSESPIDER_ITEMCOUNT": COUNT,
    "CLOSESPIDER_PAGECOUNT": COUNT,
    "CLOSESPIDER_ERRORCOUNT": COUNT,
    "COOKIES_ENABLED": BOOL,
    "HTTPCACHE_ENABLED": BOOL,
    "TELNETCONSOLE_ENABLED": BOOL,
    "LOG_LEVEL": LOG_LEVEL,
    "NEWSDESK_LOG_TRACEBACKS": BOOL,
    # newsdesk's own
    "NEWSDESK_PUBLIC_HOSTS": HOST_LIST,
    "NEWSDESK_EXTRACT_WORKERS": COUNT,
    "NEWSDESK_EXTRACT_WORKER_PAGES": COUNT,
    "NEWSDESK_EXTRACT_TASK": DOTTED_NAME,
    "NEWSDESK_BATCH_SIZE": POSITIVE_COUNT,
    "NEWSDESK_BATCH_SECONDS": SECONDS,
    "SPIDER_MIDDLEWARES": COMPONENTS,
    "DOWNLOADER_MIDDLEWARES": COMPONENTS,
    "ITEM_PIPELINES": COMPONENTS,
    "EXTENSIONS": COMPONENTS,
}


# Settings the command line decides: a value in [settings] would be silently overridden.
SET_ELSEWHERE = {
    "NEWSDESK_DB": "the database is chosen with --db or NEWSDESK_DB, not here",
    "NEWSDESK_SOURCES": "the sources file is chosen with --sources or NEWSDESK_SOURCES",
    "NEWSDESK_SPEAKERS": "the corrections file is speakers.toml beside the sources file",
}


def setting_problem(name: str, value: object) -> str | None:
    """Why `value` is wrong for the setting `name`, or None (also for unlisted names)."""
    if name in SET_ELSEWHERE:
        return SET_ELSEWHERE[name]
    kind = SETTING_TYPES.get(name)
    if kind is None or kind.accepts(value):
        return None
    return f"expected {kind.expected}, got {value!r}"
