"""sources.toml: which sites to crawl and how, validated on load.

Each `[[source]]` table is one site, declared as data (feeds, sitemaps, section
pages, URL pattern); the spider has no per-site code paths. A top-level
`[settings]` table is passed through to Scrapy, its documented settings type-checked
(crawler/setting_types.py). Every problem in the file is reported at once, one line
each, so a user fixes them in one go.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from crawler.schedule import schedule_problem
from crawler.setting_types import SETTING_TYPES, setting_problem

DEFAULT_SCHEDULE = "0 6 * * *"


class SourcesError(ValueError):
    """A sources file that cannot be used: one problem per line, each naming the source
    (or table) and key."""

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems = (problems,) if isinstance(problems, str) else tuple(problems)
        super().__init__("\n".join(self.problems))


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
_TOP_LEVEL = ("source", "settings", "daemon")
_DAEMON_KEYS = ("max_parallel_runs",)


def _unknown_key(key: str, known: Sequence[str]) -> str:
    """'unknown key', with the closest known key when it looks like a typo."""
    close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.6)
    if close:
        return f"unknown key (did you mean {close[0]!r}?)"
    return f"unknown key (known keys: {', '.join(known)})"


class _Problems:
    """Collects every problem of a file instead of stopping at the first."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, where: str, key: str, problem: str) -> None:
        self.lines.append(f"{where}: key {key!r}: {problem}")


def _url_problem(url: object) -> str | None:
    if not isinstance(url, str):
        return f"expected a URL string, got {url!r}"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"not an http(s) URL: {url!r}"
    return None


def _source_from_table(table: object, index: int, problems: _Problems) -> Source | None:
    """The Source of one [[source]] table, or None after adding its problems."""
    where = f"source #{index + 1}"
    if not isinstance(table, dict):
        problems.lines.append(f"{where}: expected a table ([[source]])")
        return None
    if isinstance(table.get("id"), str):
        where = f"source {table['id']!r}"
    before = len(problems.lines)
    for key in table:
        if key not in _FIELDS:
            problems.add(where, key, _unknown_key(key, list(_FIELDS)))
    for key in ("id", "name"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            problems.add(where, key, "required, a non-empty string")
    if isinstance(table.get("id"), str) and not re.fullmatch(r"[A-Za-z0-9_.-]*", table["id"]):
        problems.add(where, "id", "use letters, digits, '-', '_' or '.' only")

    values: dict[str, Any] = {"id": table.get("id"), "name": table.get("name")}
    for key in _URL_LISTS:
        urls = table.get(key, [])
        if not isinstance(urls, list):
            problems.add(where, key, "expected a list of URLs")
            continue
        for url in urls:
            problem = _url_problem(url)
            if problem:
                problems.add(where, key, problem)
        values[key] = tuple(url for url in urls if isinstance(url, str))
    if not any(table.get(key) for key in _URL_LISTS):
        problems.add(where, "feeds", "a source needs at least one feed, sitemap or section")
    starts = [u for key in _URL_LISTS for u in values.get(key, ()) if not _url_problem(u)]
    domains = table.get("allowed_domains")
    if domains is None:
        # Default: the hosts of the configured start URLs.
        domains = sorted({urlsplit(url).hostname for url in starts})
    if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
        problems.add(where, "allowed_domains", "expected a list of host names")
    else:
        values["allowed_domains"] = tuple(domains)

    for key in ("article_pattern", "language", "schedule", "timezone"):
        if key in table:
            if isinstance(table[key], str):
                values[key] = table[key]
            else:
                problems.add(where, key, "expected a string")
    if "article_pattern" in values:
        try:
            re.compile(values["article_pattern"])
        except re.error as exc:
            problems.add(where, "article_pattern", f"bad regular expression: {exc}")
    timezone = values.get("timezone", "UTC")
    try:
        zoneinfo.ZoneInfo(timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        problems.add(where, "timezone", f"unknown time zone {timezone!r} (e.g. 'Europe/Kyiv')")
    else:
        problem = schedule_problem(values.get("schedule", DEFAULT_SCHEDULE), timezone)
        if problem:
            problems.add(where, "schedule", problem)
    for key in ("backfill_days", "max_articles", "section_pages", "max_run_minutes"):
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                problems.add(where, key, f"expected a whole number >= 0, got {value!r}")
            else:
                values[key] = value
    if "allow_private_network" in table:
        if isinstance(table["allow_private_network"], bool):
            values["allow_private_network"] = table["allow_private_network"]
        else:
            problems.add(where, "allow_private_network", "expected true or false")

    if len(problems.lines) > before:
        return None
    return Source(**values)


def _known_setting_names() -> frozenset[str]:
    """Every setting Scrapy or newsdesk defines: a name outside it may be a typo."""
    import scrapy.settings.default_settings as scrapy_defaults

    from crawler import settings as newsdesk_defaults

    names = {n for module in (scrapy_defaults, newsdesk_defaults) for n in dir(module)}
    return frozenset(n for n in names if n.isupper()) | frozenset(SETTING_TYPES)


def _check_settings(table: dict[str, Any], problems: _Problems) -> None:
    known: frozenset[str] | None = None
    for name, value in table.items():
        problem = setting_problem(name, value)
        if problem:
            problems.add("settings", name, problem)
            continue
        if name in SETTING_TYPES:
            continue
        known = known or _known_setting_names()
        if name in known:
            continue
        # Extensions define settings of their own, so an unknown name passes unless it
        # is a near miss of a known one: then it is a typo Scrapy would silently ignore.
        close = difflib.get_close_matches(name.upper(), known, n=1, cutoff=0.85)
        if close:
            problems.add("settings", name, f"unknown setting (did you mean {close[0]!r}?)")


def _daemon_table(table: object, problems: _Problems) -> int:
    """The [daemon] table; returns max_parallel_runs (its only key)."""
    if not isinstance(table, dict):
        problems.lines.append("top level: 'daemon' must be a table")
        return 2
    for key in table:
        if key not in _DAEMON_KEYS:
            problems.add("daemon", key, _unknown_key(key, _DAEMON_KEYS))
    value = table.get("max_parallel_runs", 2)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.add("daemon", "max_parallel_runs", f"expected a whole number >= 1, got {value!r}")
        return 2
    return value


def parse_sources(data: dict[str, Any], path: Path | None = None) -> SourcesConfig:
    """Validate parsed TOML; raises SourcesError listing every problem, one per line."""
    problems = _Problems()
    for key in data:
        if key not in _TOP_LEVEL:
            close = difflib.get_close_matches(key, _TOP_LEVEL, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.lines.append(
                f"top level: unknown key {key!r} ({hint}use [[source]], [settings] or [daemon])"
            )
    tables = data.get("source", [])
    if not isinstance(tables, list):
        problems.lines.append("top level: 'source' must be an array of tables ([[source]])")
        tables = []
    parsed = [_source_from_table(t, i, problems) for i, t in enumerate(tables)]
    sources = tuple(s for s in parsed if s is not None)
    seen: set[str] = set()
    for source in sources:
        if source.id in seen:
            problems.add(f"source {source.id!r}", "id", "duplicate id")
        seen.add(source.id)
    settings = data.get("settings", {})
    if isinstance(settings, dict):
        _check_settings(settings, problems)
    else:
        problems.lines.append("top level: 'settings' must be a table")
        settings = {}
    max_parallel_runs = _daemon_table(data.get("daemon", {}), problems)
    if problems.lines:
        prefix = f"{path}: " if path else ""
        raise SourcesError([prefix + line for line in problems.lines])
    return SourcesConfig(
        sources=sources, settings=dict(settings), path=path, max_parallel_runs=max_parallel_runs
    )


def require_sources(config: SourcesConfig, path: str | Path) -> SourcesConfig:
    """The config, or SourcesError when it has no source: nothing to crawl is a mistake
    (an empty or all-commented file), not a quiet success."""
    if not config.sources:
        raise SourcesError(f"{Path(path)}: configures no source (add a [[source]] table)")
    return config


def load_sources(path: str | Path) -> SourcesConfig:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{path}: sources file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: cannot read the sources file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from None
    return parse_sources(data, path)
