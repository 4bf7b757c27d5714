"""`newsdesk serve`: Datasette on the demo database, read-only, with metadata,
canned queries, facets and the dashboard (their SQL runs; the browser test draws it)."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.store import Store
from jobs.datasette.site import DASHBOARD_PATH, build_datasette, load_metadata
from tests.sites import crawl_demo, newsdesk, serving

METADATA = load_metadata()
DATABASE = METADATA["databases"]["newsdesk"]
CHARTS = METADATA["plugins"]["datasette-dashboards"]["newsdesk"]["charts"]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def get_json(url: str):
    status, text = get(url)
    assert status == 200, text[:500]
    return json.loads(text)


def sql(db: Path, query: str, params=()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(query, params).fetchall()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("serve") / "crawl.db"  # not newsdesk.db: the name is fixed
    crawl_demo(db)
    return db


@pytest.fixture(scope="module")
def base(demo_db: Path) -> Iterator[str]:
    with serving(demo_db) as url:
        yield url


def test_every_table_view_and_column_is_described(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "fresh.db")  # the schema as the current code creates it
    names = [
        name
        for (name,) in store.db.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts_%'"  # FTS5 shadow tables
        ).fetchall()
    ]
    described = DATABASE["tables"]
    assert set(names) == set(described), "describe new tables in jobs/datasette/metadata.yml"
    for name in names:
        assert described[name]["description"].strip(), name
        columns = [c.name for c in store.db[name].columns]
        assert list(described[name]["columns"]) == columns, f"{name}: describe every column"
        assert all(str(d).strip() for d in described[name]["columns"].values()), name
    store.close()


def test_home_and_table_pages_show_the_descriptions(base: str) -> None:
    status, home = get(base + "/")
    assert status == 200
    assert "_memory" not in home
    assert "/-/dashboards/newsdesk" in home
    status, page = get(base + "/newsdesk/v_figures")
    assert status == 200
    assert DATABASE["tables"]["v_figures"]["columns"]["object"] in page


def test_latest_articles_are_newest_first(base: str, demo_db: Path) -> None:
    rows = get_json(base + "/newsdesk/latest_articles.json?_shape=array")
    expected = sql(
        demo_db,
        "SELECT title FROM articles WHERE duplicate_of IS NULL ORDER BY published DESC LIMIT 100",
    )
    assert [r["title"] for r in rows] == [t for (t,) in expected]
    assert len(rows) >= 30


def test_statements_by_speaker_and_what_did_a_speaker_say(base: str, demo_db: Path) -> None:
    by_speaker = get_json(base + "/newsdesk/statements_by_speaker.json?_shape=array")
    top = by_speaker[0]
    assert top["statements"] == top["direct"] + top["indirect"] >= 3
    speaker = top["speaker"]
    part = speaker.split()[-1]
    said = get_json(
        base
        + "/newsdesk/what_did_speaker_say.json?_shape=array&speaker="
        + urllib.parse.quote(part)
    )
    quotes = sql(demo_db, "SELECT quote FROM v_statements WHERE speaker LIKE ?", [f"%{part}%"])
    assert sorted(r["quote"] for r in said) == sorted(q for (q,) in quotes)
    assert all(part in r["speaker"] for r in said)
    assert len(said) >= top["statements"]


def test_figures_per_day_answers_attacks_repelled(base: str, demo_db: Path) -> None:
    rows = get_json(base + "/newsdesk/figures_per_day.json?_shape=array&_size=max")
    repelled = {
        r["day"]: r["total"]
        for r in rows
        if r["object"] == "enemy attacks" and r["action"] == "repelled" and not r["location"]
    }
    expected = sql(
        demo_db,
        "SELECT day, SUM(value) FROM v_figures WHERE object = 'enemy attacks' "
        "AND action = 'repelled' AND location IS NULL AND (unit IS NULL OR unit = '') "
        "GROUP BY day",
    )
    assert repelled == dict(expected) and repelled


def test_full_text_search_finds_articles_and_statements(base: str) -> None:
    rows = get_json(base + "/newsdesk/search.json?_shape=array&q=drones")
    assert {r["found_in"] for r in rows} == {"article", "statement"}
    assert all("**drones**" in r["match"].lower() for r in rows)
    # Punctuation and FTS syntax are searched for, not parsed; empty finds nothing.
    for q in ['"drones AND', "shot-down (", ""]:
        status, text = get(base + "/newsdesk/search.json?_shape=array&q=" + urllib.parse.quote(q))
        assert status == 200, (q, text[:300])
    assert get_json(base + "/newsdesk/search.json?_shape=array&q=") == []


def test_facets_are_on(base: str) -> None:
    figures = get_json(base + "/newsdesk/v_figures.json?_size=0")
    assert {"object", "bound", "source", "location"} <= set(figures["facet_results"])
    objects = {v["value"] for v in figures["facet_results"]["object"]["results"]}
    assert "enemy attacks" in objects
    statements = get_json(base + "/newsdesk/v_statements.json?_size=0")
    assert {"source", "speaker", "kind"} <= set(statements["facet_results"])
    articles = get_json(base + "/newsdesk/articles.json?_size=0")
    assert {"source", "language"} <= set(articles["facet_results"])


def test_article_body_is_shown_as_paragraphs(base: str, demo_db: Path) -> None:
    ((article_id, body),) = sql(demo_db, "SELECT id, body FROM articles ORDER BY id LIMIT 1")
    status, page = get(f"{base}/newsdesk/articles/{article_id}")
    assert status == 200
    cell = re.search(r'<td class="col-body[^"]*">(.*?)</td>', page, re.S).group(1)
    assert cell.count("<p>") == body.count("\n\n") + 1 >= 2


def test_every_dashboard_chart_query_runs_and_has_rows(base: str) -> None:
    for slug, chart in CHARTS.items():
        if "query" not in chart:
            continue
        # Without filters the plugin drops each [[ ... ]] block; so do we.
        query = re.sub(r"\[\[.*?\]\]", "", chart["query"])
        url = f"{base}/newsdesk.json?_shape=array&sql={urllib.parse.quote(query)}"
        rows = get_json(url)
        assert rows, f"chart {slug} has no data on the demo database"
        # With every filter set the blocks are kept and bound; filters that cover all
        # days and the only source must show the same.
        query = chart["query"].replace("[[", "").replace("]]", "")
        filters = "&source=demo&date_start=1900-01-01&date_end=2999-12-31"
        url = f"{base}/newsdesk.json?_shape=array&sql={urllib.parse.quote(query)}{filters}"
        assert get_json(url) == rows, f"chart {slug}: filters broken"


def test_dashboard_works_offline(base: str) -> None:
    status, page = get(base + DASHBOARD_PATH)
    assert status == 200
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert any(a.endswith("vega-lite.min.js") for a in assets)
    # Every script and stylesheet comes from this server: no CDN, no internet needed.
    assert all(a.startswith("/") for a in assets), assets
    for asset in assets:
        assert get(base + asset)[0] == 200, asset


def test_a_writer_is_never_blocked_and_its_commits_are_seen(base: str, demo_db: Path) -> None:
    count_url = (
        base
        + "/newsdesk.json?_shape=array&sql="
        + urllib.parse.quote("SELECT COUNT(*) AS n FROM fetches")
    )
    before = get_json(count_url)[0]["n"]
    store = Store.open(demo_db)
    try:
        store.db.execute("PRAGMA busy_timeout = 0")  # fail at once if serve held a lock
        with store.db.conn:
            store.db.execute("BEGIN IMMEDIATE")
            # While the crawler holds the write lock, reads still answer.
            assert get_json(count_url)[0]["n"] == before
            store.add_fetch(run_id=None, source="t", url="http://x/", outcome="t", reason="t")
        # Each read starts a fresh WAL snapshot: the commit shows at once.
        assert get_json(count_url)[0]["n"] == before + 1
    finally:
        store.close()


def test_no_connection_can_write(demo_db: Path) -> None:
    ds = build_datasette(demo_db)
    database = ds.get_database("newsdesk")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        asyncio.run(database.execute_write("DELETE FROM fetches"))
    assert sql(demo_db, "SELECT COUNT(*) FROM articles")[0][0] >= 30


def test_missing_or_foreign_database_is_refused(tmp_path: Path) -> None:
    result = newsdesk("serve", "--db", str(tmp_path / "none.db"), "--port", "0")
    assert result.returncode == 2
    assert "no database at" in result.stderr
    assert not (tmp_path / "none.db").exists()
    other = tmp_path / "other.db"
    sql(other, "CREATE TABLE t (x)")
    result = newsdesk("serve", "--db", str(other), "--port", "0")
    assert result.returncode == 2
    assert "not a newsdesk database" in result.stderr
