"""sources.toml loading and validation: clear one-line errors, exit code 2."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from crawler.schedule import cron_trigger
from crawler.sources import SourcesError, load_sources, parse_sources
from tests.sites import REPO_ROOT, newsdesk

GOOD = {"id": "kyiv", "name": "Kyiv", "feeds": ["https://example.org/rss"]}


def test_shipped_sources_file_is_valid_and_covers_five_outlets() -> None:
    config = load_sources(REPO_ROOT / "sources.toml")
    assert len(config.sources) >= 5
    assert all(s.language == "en" and s.start_urls for s in config.sources)


def test_defaults_and_allowed_domains_from_start_urls() -> None:
    source = parse_sources({"source": [GOOD]}).sources[0]
    assert source.backfill_days == 7
    assert source.allow_private_network is False
    assert source.allowed_domains == ("example.org",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": "red"}, "source 'kyiv': key 'colour': unknown key"),
        ({"article_pattern": "(["}, "source 'kyiv': key 'article_pattern': bad regular expression"),
        ({"schedule": "61 * * * *"}, "source 'kyiv': key 'schedule': bad cron expression"),
        ({"schedule": "* * *"}, "source 'kyiv': key 'schedule'"),
        ({"backfill_days": -1}, "source 'kyiv': key 'backfill_days'"),
        ({"feeds": ["ftp://example.org/x"]}, "source 'kyiv': key 'feeds': not an http(s) URL"),
        ({"allow_private_network": "yes"}, "key 'allow_private_network'"),
    ],
)
def test_invalid_source_names_source_and_key(change: dict, message: str) -> None:
    with pytest.raises(SourcesError) as info:
        parse_sources({"source": [GOOD | change]})
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_duplicate_ids_and_unknown_top_level_keys() -> None:
    with pytest.raises(SourcesError, match="duplicate id"):
        parse_sources({"source": [GOOD, GOOD]})
    with pytest.raises(SourcesError, match="unknown key 'sources'"):
        parse_sources({"sources": [GOOD]})


def test_cron_accepts_six_fields_and_crontab_weekdays() -> None:
    fields = {f.name: str(f) for f in cron_trigger("*/5 * * * * *").fields}
    assert fields["second"] == "*/5"
    # crontab's 0 is Sunday (APScheduler would read it as Monday)
    assert "sun" in str(cron_trigger("0 6 * * 0"))
    assert "mon-fri" in str(cron_trigger("0 6 * * 1-5"))


def test_cli_reports_a_bad_file_with_exit_code_2(tmp_path: Path) -> None:
    bad = tmp_path / "sources.toml"
    bad.write_text('[[source]]\nid = "x"\nname = "X"\nfeeds = ["https://e.org/"]\nfoo = 1\n')
    for command in (["sources"], ["run", "--db", str(tmp_path / "n.db")]):
        result = newsdesk(*command, "--sources", str(bad))
        assert result.returncode == 2
        assert "source 'x': key 'foo': unknown key" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_cli_lists_sources() -> None:
    result = newsdesk("sources", "--sources", str(REPO_ROOT / "sources.toml"))
    assert result.returncode == 0
    assert "ukrinform" in result.stdout


@pytest.mark.parametrize(
    ("alias", "after", "expected"),
    [
        # Friday 5 December 2026, 10:30 UTC
        ("@hourly", "2026-12-05T10:30:00+00:00", "2026-12-05T11:00:00+00:00"),
        ("@daily", "2026-12-05T10:30:00+00:00", "2026-12-06T00:00:00+00:00"),
        ("@weekly", "2026-12-05T10:30:00+00:00", "2026-12-06T00:00:00+00:00"),  # Sunday
        ("@monthly", "2026-12-05T10:30:00+00:00", "2027-01-01T00:00:00+00:00"),
        ("@yearly", "2026-12-05T10:30:00+00:00", "2027-01-01T00:00:00+00:00"),
        ("@annually", "2026-12-05T10:30:00+00:00", "2027-01-01T00:00:00+00:00"),
        ("@midnight", "2026-12-05T10:30:00+00:00", "2026-12-06T00:00:00+00:00"),
    ],
)
def test_cron_aliases(alias: str, after: str, expected: str) -> None:
    source = parse_sources({"source": [GOOD | {"schedule": alias}]}).sources[0]
    trigger = cron_trigger(source.schedule, source.timezone)
    moment = datetime.fromisoformat(after)
    assert trigger.get_next_fire_time(None, moment) == datetime.fromisoformat(expected)


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ("0 0 31 2 *", "'0 0 31 2 *' never fires"),
        ("0 0 30 2 *", "never fires"),
        ("@reboot", "unknown alias '@reboot'"),
        ("@fortnightly", "unknown alias"),
    ],
)
def test_schedules_that_never_fire_or_are_not_cron(schedule: str, message: str) -> None:
    with pytest.raises(SourcesError) as info:
        parse_sources({"source": [GOOD | {"schedule": schedule}]})
    assert "source 'kyiv': key 'schedule': " in str(info.value)
    assert message in str(info.value)
    # February 29th is rare, not impossible.
    parse_sources({"source": [GOOD | {"schedule": "0 0 29 2 *"}]})


def test_every_problem_is_reported_with_the_closest_key() -> None:
    data = {
        "sourse": [],
        "source": [
            GOOD | {"feed": ["https://example.org/a"], "backfill_days": -3},
            {"id": "two", "name": "Two", "sitemap": ["https://example.org/s.xml"]},
        ],
        "settings": {"DOWNLOAD_DELAY": "fast", "ROBOTSTXT_OBEY": "yes", "download_delay": 1},
        "daemon": {"max_parallel_run": 3},
    }
    with pytest.raises(SourcesError) as info:
        parse_sources(data, Path("s.toml"))
    assert list(info.value.problems) == [
        "s.toml: top level: unknown key 'sourse' (did you mean 'source'? "
        "use [[source]], [settings] or [daemon])",
        "s.toml: source 'kyiv': key 'feed': unknown key (did you mean 'feeds'?)",
        "s.toml: source 'kyiv': key 'backfill_days': expected a whole number >= 0, got -3",
        "s.toml: source 'two': key 'sitemap': unknown key (did you mean 'sitemaps'?)",
        "s.toml: source 'two': key 'feeds': a source needs at least one feed, sitemap or section",
        "s.toml: settings: key 'DOWNLOAD_DELAY': expected a number of seconds >= 0, got 'fast'",
        "s.toml: settings: key 'ROBOTSTXT_OBEY': expected true or false, got 'yes'",
        "s.toml: settings: key 'download_delay': unknown setting (did you mean 'DOWNLOAD_DELAY'?)",
        "s.toml: daemon: key 'max_parallel_run': unknown key (did you mean 'max_parallel_runs'?)",
    ]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DOWNLOAD_DELAY", 1.5),
        ("CONCURRENT_REQUESTS", 32),
        ("RETRY_HTTP_CODES", [429, 503]),
        ("NEWSDESK_CONTACT_URL", "https://example.org/contact"),
        ("LOG_LEVEL", "DEBUG"),
        ("ITEM_PIPELINES", {"crawler.pipelines.StorePipeline": 800}),
        ("PLAYWRIGHT_BROWSER_TYPE", "firefox"),  # an extension's setting passes through
    ],
)
def test_well_typed_settings_pass_through(name: str, value: object) -> None:
    config = parse_sources({"source": [GOOD], "settings": {name: value}})
    assert config.settings == {name: value}


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DOWNLOAD_DELAY", -1, "a number of seconds >= 0"),
        ("DOWNLOAD_DELAY", True, "a number of seconds >= 0"),
        ("CONCURRENT_REQUESTS", 2.5, "a whole number >= 1"),
        ("DOWNLOAD_TIMEOUT", 0, "a number of seconds > 0"),
        ("RETRY_HTTP_CODES", 503, "a list of HTTP status codes"),
        ("NEWSDESK_CONTACT_URL", "mailto:me@example.org", "an http(s) URL"),
        ("LOG_LEVEL", "LOUD", "one of DEBUG, INFO"),
        ("NEWSDESK_EXTRACT_TASK", "task", "a dotted Python name"),
        ("ITEM_PIPELINES", {"x.Y": "first"}, 'a table of "module.Class" = order'),
    ],
)
def test_mistyped_settings_are_named(name: str, value: object, expected: str) -> None:
    with pytest.raises(SourcesError) as info:
        parse_sources({"source": [GOOD], "settings": {name: value}})
    assert str(info.value).startswith(f"settings: key {name!r}: expected {expected}")
    assert str(info.value).endswith(f", got {value!r}")


def test_settings_the_command_line_decides_are_refused_in_the_file() -> None:
    with pytest.raises(SourcesError) as info:
        parse_sources({"source": [GOOD], "settings": {"NEWSDESK_DB": "other.db"}})
    assert str(info.value) == (
        "settings: key 'NEWSDESK_DB': the database is chosen with --db or NEWSDESK_DB, not here"
    )
