"""`newsdesk extract` and `newsdesk stats` as a user calls them."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from jobs.demo import demo_pages, load_demo_articles
from tests.sites import REPO_ROOT, newsdesk

BASE = "http://127.0.0.1:8000"
ARTICLE = load_demo_articles()[0]
PAGES = demo_pages(BASE)


def test_extract_html_and_gzip_and_stdin(tmp_path: Path) -> None:
    html = PAGES[ARTICLE.path].body
    plain = tmp_path / "page.html"
    plain.write_bytes(html)
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(html))
    outputs = [
        newsdesk("extract", str(plain), "--url", BASE + ARTICLE.path, "--json").stdout,
        newsdesk("extract", str(packed), "--url", BASE + ARTICLE.path).stdout,
        subprocess.run(
            [sys.executable, "-m", "jobs.cli", "extract", "-", "--url", BASE + ARTICLE.path],
            input=html,
            capture_output=True,
            cwd=REPO_ROOT,
        ).stdout.decode(),
    ]
    first = json.loads(outputs[0])
    assert all(json.loads(o) == first for o in outputs[1:])
    assert set(first) == {"article", "statements", "figures"}
    article = first["article"]
    assert article["title"] == ARTICLE.title
    assert article["url"] == BASE + ARTICLE.path
    assert article["body"].startswith(ARTICLE.lead)
    assert "Read more" not in article["body"]
    assert article["published"].startswith(ARTICLE.published[:10])
    for statement in first["statements"]:
        assert article["body"][statement["start"] : statement["end"]] == statement["quote"]


def test_extract_plain_text(tmp_path: Path) -> None:
    text = tmp_path / "body.txt"
    text.write_text(ARTICLE.body_text, encoding="utf-8")
    result = newsdesk("extract", str(text), "--text")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["article"]["body"].startswith(ARTICLE.lead)


def test_extract_refuses_a_listing_page(tmp_path: Path) -> None:
    listing = tmp_path / "section.html"
    listing.write_bytes(PAGES["/section/frontline/"].body)
    result = newsdesk("extract", str(listing), "--url", BASE + "/section/frontline/")
    assert result.returncode == 1
    assert "not an article" in result.stderr


def test_extract_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = newsdesk("extract", str(tmp_path / "nope.html"))
    assert result.returncode == 2
    assert "cannot read" in result.stderr


def test_stats_without_database(tmp_path: Path) -> None:
    result = newsdesk("stats", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 2
    assert "no database" in result.stderr
