"""sources.toml: which sites to crawl and how, validated on load.

Each `[[source]]` table is one site, declared as data (feeds, sitemaps, section
pages, URL pattern); the spider has no per-site code paths. A top-level
`[settings]` table is passed through to Scrapy.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.schedule import cron_trigger

DEFAULT_SCHEDULE = "0 6 * * *"


class SourcesError(ValueError):
    """A sources file that cannot be used; the message names the source and key."""


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    name: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    article_pattern: str | None = None
    language: str | None = None
    schedule: str = DEFAULT_SCHEDULE
    timezone: str = "UTC"
    # Feed and sitemap entries dated longer ago are skipped; 0 takes every entry.
    backfill_days: int = 7
    max_articles: int = 500
    # How many rel=next pages of a section listing are followed.
    section_pages: int = 3
    max_run_minutes: int = 60
    allow_private_network: bool = False

    @property
    def start_urls(self) -> tuple[str, ...]:
        return self.feeds + self.sitemaps + self.sections

    def matches_article(self, url: str) -> bool:
        return self.article_pattern is None or re.search(self.article_pattern, url) is not None

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True, slots=True)
class SourcesConfig:
    sources: tuple[Source, ...]
    settings: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    # The [daemon] table: crawls of different sources that may run at the same time.
    max_parallel_runs: int = 2

    def get(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        known = ", ".join(s.id for s in self.sources) or "none"
        raise SourcesError(f"unknown source {source_id!r} (known: {known})")


_FIELDS = {f.name: f for f in fields(Source)}
_URL_LISTS = ("feeds", "sitemaps", "sections")
_TOP_LEVEL = {"source", "settings", "daemon"}


def _fail(where: str, key: str, problem: str) -> SourcesError:
    return SourcesError(f"{where}: key {key!r}: {problem}")


def _check_url(where: str, key: str, url: object) -> str:
    if not isinstance(url, str):
        raise _fail(where, key, f"expected a URL string, got {url!r}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _fail(where, key, f"not an http(s) URL: {url!r}")
    return url


def _source_from_table(table: dict[str, Any], index: int) -> Source:
    where = f"source #{index + 1}"
    if isinstance(table.get("id"), str):
        where = f"source {table['id']!r}"
    for key in table:
        if key not in _FIELDS:
            raise _fail(where, key, f"unknown key (known keys: {', '.join(_FIELDS)})")
    for key in ("id", "name"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise _fail(where, key, "required, a non-empty string")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", table["id"]):
        raise _fail(where, "id", "use letters, digits, '-', '_' or '.' only")

    values: dict[str, Any] = {"id": table["id"], "name": table["name"]}
    for key in _URL_LISTS:
        urls = table.get(key, [])
        if not isinstance(urls, list):
            raise _fail(where, key, "expected a list of URLs")
        values[key] = tuple(_check_url(where, key, url) for url in urls)
    domains = table.get("allowed_domains")
    if domains is None:
        # Default: the hosts of the configured start URLs.
        starts = values["feeds"] + values["sitemaps"] + values["sections"]
        domains = sorted({urlsplit(url).hostname for url in starts})
    if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
        raise _fail(where, "allowed_domains", "expected a list of host names")
    values["allowed_domains"] = tuple(domains)

    for key in ("article_pattern", "language", "schedule", "timezone"):
        if key in table:
            if not isinstance(table[key], str):
                raise _fail(where, key, "expected a string")
            values[key] = table[key]
    if "article_pattern" in values:
        try:
            re.compile(values["article_pattern"])
        except re.error as exc:
            raise _fail(where, "article_pattern", f"bad regular expression: {exc}") from None
    for key in ("backfill_days", "max_articles", "section_pages", "max_run_minutes"):
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise _fail(where, key, f"expected a whole number >= 0, got {value!r}")
            values[key] = value
    if "allow_private_network" in table:
        if not isinstance(table["allow_private_network"], bool):
            raise _fail(where, "allow_private_network", "expected true or false")
        values["allow_private_network"] = table["allow_private_network"]

    source = Source(**values)
    try:
        cron_trigger(source.schedule, source.timezone)
    except Exception as exc:  # APScheduler raises ValueError or zoneinfo errors
        key = "timezone" if "timezone" in str(exc).lower() or "zone" in repr(exc) else "schedule"
        raise _fail(where, key, f"bad cron expression or timezone: {exc}") from None
    if not source.start_urls:
        raise _fail(where, "feeds", "a source needs at least one feed, sitemap or section")
    return source


def parse_sources(data: dict[str, Any], path: Path | None = None) -> SourcesConfig:
    """Validate parsed TOML; raises SourcesError with a one-line message."""
    prefix = f"{path}: " if path else ""
    try:
        for key in data:
            if key not in _TOP_LEVEL:
                raise SourcesError(
                    f"top level: unknown key {key!r} (use [[source]], [settings] or [daemon])"
                )
        tables = data.get("source", [])
        if not isinstance(tables, list):
            raise SourcesError("top level: 'source' must be an array of tables ([[source]])")
        sources = tuple(_source_from_table(t, i) for i, t in enumerate(tables))
        seen: set[str] = set()
        for source in sources:
            if source.id in seen:
                raise SourcesError(f"source {source.id!r}: key 'id': duplicate id")
            seen.add(source.id)
        settings = data.get("settings", {})
        if not isinstance(settings, dict):
            raise SourcesError("top level: 'settings' must be a table")
        max_parallel_runs = _daemon_table(data.get("daemon", {}))
    except SourcesError as exc:
        raise SourcesError(f"{prefix}{exc}") from None
    return SourcesConfig(
        sources=sources, settings=dict(settings), path=path, max_parallel_runs=max_parallel_runs
    )


def _daemon_table(table: object) -> int:
    """The [daemon] table; returns max_parallel_runs (its only key)."""
    if not isinstance(table, dict):
        raise SourcesError("top level: 'daemon' must be a table")
    for key in table:
        if key != "max_parallel_runs":
            raise _fail("daemon", key, "unknown key (known keys: max_parallel_runs)")
    value = table.get("max_parallel_runs", 2)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _fail("daemon", "max_parallel_runs", f"expected a whole number >= 1, got {value!r}")
    return value


def load_sources(path: str | Path) -> SourcesConfig:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{path}: sources file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from None
    return parse_sources(data, path)
