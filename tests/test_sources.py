"""sources.toml loading and validation: clear one-line errors, exit code 2."""

from __future__ import annotations

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
