"""`newsdesk serve`: Datasette on the demo database, read-only, with metadata,
canned queries, facets, the article reader and the dashboard (their SQL runs; the
browser test draws it)."""

from __future__ import annotations

import asyncio
import html
import json
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import markupsafe
import pytest

from crawler.store import Store
from jobs.datasette.reader import figure_mark, render_body, statement_mark
from jobs.datasette.site import DASHBOARD_PATH, build_datasette, load_metadata
from jobs.serve import schema_warning
from tests.sites import crawl_demo, newsdesk, serving

REPO = Path(__file__).resolve().parents[1]
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
    # Counted and found by speaker id: every form of the name ("General Staff" and its
    # long form) is one speaker.
    quotes = sql(
        demo_db,
        "SELECT quote FROM v_statements WHERE speaker_id IN "
        "(SELECT id FROM speakers WHERE name LIKE ?1 OR aliases LIKE ?1)",
        [f"%{part}%"],
    )
    assert sorted(r["quote"] for r in said) == sorted(q for (q,) in quotes)
    assert all(part in r["speaker_name"] for r in said)
    assert top["speaker_id"] in {r["speaker_id"] for r in said}
    assert len(said) >= top["statements"]
    forms = sql(
        demo_db, "SELECT DISTINCT speaker FROM statements WHERE speaker_id = ?", [top["speaker_id"]]
    )
    assert (
        top["statements"]
        == sql(
            demo_db, "SELECT COUNT(*) FROM v_statements WHERE speaker_id = ?", [top["speaker_id"]]
        )[0][0]
    )
    assert len(forms) >= 1


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
        "AND action = 'repelled' AND location IS NULL AND is_daily_count = 1 "
        "GROUP BY day",
    )
    assert repelled == dict(expected) and repelled
    # Counts are integers (58, not 58.0), and only daily counts were added.
    assert all(isinstance(r["total"], int) for r in rows)
    daily = sql(
        demo_db, "SELECT COUNT(*) FROM v_figures WHERE object IS NOT NULL AND is_daily_count"
    )
    assert sum(r["reports"] for r in rows) == daily[0][0]


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
    assert {"object", "is_daily_count", "source", "location"} <= set(figures["facet_results"])
    objects = {v["value"] for v in figures["facet_results"]["object"]["results"]}
    assert "enemy attacks" in objects
    statements = get_json(base + "/newsdesk/v_statements.json?_size=0")
    assert {"source", "speaker_name", "kind"} <= set(statements["facet_results"])
    articles = get_json(base + "/newsdesk/articles.json?_size=0")
    assert {"source", "language"} <= set(articles["facet_results"])


class MarkedElements(HTMLParser):
    """The elements of a page with class statement / figure, their attributes and text,
    and every in-page link (href="#...")."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: dict[str, list[dict]] = {"statement": [], "figure": []}
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.paragraphs_in_body = 0
        self._open: list[dict | None] = []
        self._in_body = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and (attrs.get("href") or "").startswith("#"):
            self.links.append(attrs["href"][1:])
        if tag == "div" and "reader-body" in (attrs.get("class") or ""):
            self._in_body = 1
        elif tag == "div" and self._in_body:
            self._in_body += 1
        if tag == "p" and self._in_body:
            self.paragraphs_in_body += 1
        mark = None
        if tag == "span" and attrs.get("class") in self.marks:
            mark = attrs | {"text": ""}
            self.marks[attrs["class"]].append(mark)
        if tag == "span":
            self._open.append(mark)

    def handle_endtag(self, tag):
        if tag == "span" and self._open:
            self._open.pop()
        if tag == "div" and self._in_body:
            self._in_body -= 1

    def handle_data(self, data):
        for mark in self._open:
            if mark is not None:
                mark["text"] += data


def test_reader_marks_every_statement_and_figure_of_every_article(base: str, demo_db: Path) -> None:
    articles = sql(demo_db, "SELECT id, title, body FROM articles ORDER BY id")
    assert len(articles) >= 30
    for article_id, title, body in articles:
        status, page = get(f"{base}/newsdesk/articles/{article_id}")
        assert status == 200, article_id
        parsed = MarkedElements()
        parsed.feed(page)
        statements = sql(
            demo_db,
            "SELECT id, speaker, kind, cue, quote FROM statements WHERE article_id = ? "
            "ORDER BY seq",
            [article_id],
        )
        figures = sql(
            demo_db, "SELECT id, text FROM figures WHERE article_id = ? ORDER BY seq", [article_id]
        )
        marked = parsed.marks["statement"]
        assert len(marked) == len(statements), article_id
        assert len(parsed.marks["figure"]) == len(figures), article_id
        by_id = {m["id"]: m for m in marked}
        for statement_id, speaker, kind, cue, quote in statements:
            mark = by_id[f"statement-{statement_id}"]
            assert mark["data-speaker"] == (speaker or "unknown speaker")
            assert mark["data-kind"] == kind
            # The tooltip names speaker, kind and cue; the element holds the quote.
            assert speaker in mark["title"] and kind in mark["title"]
            assert (cue or "") in mark["title"]
            assert mark["text"] == quote
        figure_texts = {m["id"]: m["text"] for m in parsed.marks["figure"]}
        assert figure_texts == {f"figure-{i}": text for i, text in figures}
        # The body reads as its paragraphs, and the lists below link into it.
        assert parsed.paragraphs_in_body == len([p for p in body.split("\n\n") if p.strip()])
        wanted = {f"statement-{i}" for i, *_ in statements} | {f"figure-{i}" for i, _ in figures}
        assert wanted <= set(parsed.links) and set(parsed.links) - {"reader-statements"} <= (
            parsed.ids
        )
        assert f"<h1>{markupsafe.escape(title)}</h1>" in page


def test_tables_open_on_the_data(base: str) -> None:
    status, page = get(base + "/newsdesk/v_statements")
    assert status == 200
    headers = re.findall(r'<th [^>]*data-column="([\w-]+)"', page)
    # The canonical name first (linked to the speaker page), then the name as written.
    assert headers[:5] == ["speaker_name", "speaker", "quote", "kind", "title"]
    # Column descriptions behind one line; the rows come before the facets.
    details = page.index('<details class="column-descriptions-details">')
    assert (
        details < page.index('<dl class="column-descriptions">') < page.index("</details>", details)
    )
    assert page.index('<table class="rows-and-columns">') < page.index('class="facet-results"')
    # Titles open the reader at the marked statement.
    assert re.search(
        r'<td class="col-title[^"]*"><a href="/newsdesk/articles/\d+#statement-\d+"', page
    )
    # The articles table lists articles: a body is a preview linking to the reader.
    status, page = get(base + "/newsdesk/articles?_size=3")
    bodies = re.findall(r'<td class="col-body type-[^"]*">(.*?)</td>', page, re.S)
    assert len(bodies) == 3
    assert all(re.search(r'<a href="/newsdesk/articles/\d+">… read on</a>$', b) for b in bodies)
    assert all(len(re.sub(r"<[^>]+>", "", b)) < 200 for b in bodies)
    status, page = get(base + "/newsdesk/v_figures?_sort=value")
    values = re.findall(r'<td class="col-value[^"]*">([^<]*)</td>', page)
    assert values and not [v for v in values if v.endswith(".0")]


def test_is_daily_count_adds_only_counts_for_one_day(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "daily.db")
    store.db["articles"].insert(
        {
            "id": 1,
            "url": "https://e.org/1",
            "source": "s",
            "published": "2026-11-20T09:00:00+02:00",
            "body": "b",
            "body_sha256": "x",
            "fetched_at": "2026-11-20",
        }
    )
    cases = {
        # (value, unit, period): is it a count for that day?
        (47, None, "over the past day"): 1,
        (12, None, "overnight"): 1,
        (3, None, "on Monday"): 1,
        (9, None, None): 1,
        (19, None, "Since the start of the day"): 1,
        (350, None, "over the past week"): 0,
        (31000, None, "in October"): 0,
        (40, None, "since August"): 0,
        (5, None, "in 2025"): 0,
        (0.5, "fraction", None): 0,
        (0.5, None, None): 0,
        (14, "%", "during the day"): 0,
        (2, "UAH", None): 0,
    }
    for seq, (value, unit, period) in enumerate(cases):
        store.db["figures"].insert(
            {
                "article_id": 1,
                "seq": seq,
                "value": value,
                "bound": "exact",
                "unit": unit,
                "period": period,
                "text": str(value),
                "object": "things",
            }
        )
    found = store.db.execute("SELECT value, unit, period, is_daily_count FROM v_figures").fetchall()
    assert {(v, u, p): d for v, u, p, d in found} == cases
    store.close()


def test_demo_articles_span_the_last_six_weeks(demo_db: Path) -> None:
    ((first, last),) = sql(
        demo_db, "SELECT MIN(substr(published, 1, 10)), MAX(substr(published, 1, 10)) FROM articles"
    )
    today = date.today()
    assert last == (today - timedelta(days=1)).isoformat()
    assert first >= (today - timedelta(weeks=6)).isoformat()


def _sql_blocks(markdown: str) -> list[str]:
    """Each statement of each ```sql block, comments dropped."""
    blocks = re.findall(r"```sql\n(.*?)```", markdown, re.S)
    code = [re.sub(r"--[^\n]*", "", block) for block in blocks]
    return [q.strip() for block in code for q in block.split(";") if q.strip()]


def test_readme_queries_return_rows_on_the_demo_database(demo_db: Path) -> None:
    queries = _sql_blocks((REPO / "README.md").read_text(encoding="utf-8"))
    assert len(queries) >= 4
    for query in queries:
        assert sql(demo_db, query), f"no rows on the demo database:\n{query}"
        # What is added per day is the daily counts only.
        if "SUM(value)" in query:
            assert "is_daily_count = 1" in query, query


def test_dashboard_charts_come_from_the_data_and_add_only_daily_counts() -> None:
    queries = {slug: chart["query"] for slug, chart in CHARTS.items() if "query" in chart}
    # Nothing specific to one kind of news: no object, action or speaker is named.
    for slug, query in queries.items():
        assert not re.search(r"(?i)attack|repel|drone|LIKE '", query), slug
        if "SUM(value)" in query:
            assert "is_daily_count = 1" in query, slug
    assert {"articles_per_day", "top_objects", "top_speakers", "daily_counts"} <= set(queries)
    # A chart with no rows says so in one line (dashboard-empty.js reads `empty`).
    assert all(CHARTS[slug].get("empty") for slug in queries if CHARTS[slug]["library"] != "metric")


def test_a_chart_without_rows_would_say_so(base: str) -> None:
    status, page = get(base + DASHBOARD_PATH + "?date_start=1900-01-01&date_end=1900-01-02")
    assert status == 200
    assert '<script src="/assets/dashboard-empty.js"></script>' in page
    assert page.index("dashboards.js") < page.index("dashboard-empty.js")
    status, script = get(base + "/assets/dashboard-empty.js")
    assert status == 200 and "chart.empty" in script


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


def test_marks_that_cross_each_other_or_a_paragraph_stay_one_element_each() -> None:
    body = 'The mayor said "we counted 12 boats and\n\n7 rafts" on Monday.'
    quote_start = body.index("we counted")
    quote_end = body.index('" on')
    # A quote over a paragraph break; a figure that starts inside the quote and ends
    # after it; a figure inside the quote.
    marks = [
        statement_mark(
            {
                "id": 1,
                "start": quote_start,
                "end": quote_end,
                "speaker": "Ana <Bo>",
                "kind": "direct",
                "cue": "said",
            }
        ),
        figure_mark(
            {
                "id": 2,
                "start": body.index("12"),
                "end": body.index("12") + 8,
                "value": 12.0,
                "object": "boats",
            }
        ),
        figure_mark(
            {
                "id": 3,
                "start": body.index("7 rafts"),
                "end": body.index(" on Monday"),
                "value": 7.0,
                "object": "rafts",
            }
        ),
    ]
    parsed = MarkedElements()
    parsed.feed(f'<div class="reader-body">{render_body(body, marks)}</div>')
    assert [m["id"] for m in parsed.marks["statement"]] == ["statement-1"]
    assert [m["id"] for m in parsed.marks["figure"]] == ["figure-2", "figure-3"]
    assert parsed.marks["statement"][0]["data-speaker"] == "Ana <Bo>"
    assert parsed.paragraphs_in_body == 2
    # The text is all there once, escaped, and the tags nest.
    html_out = render_body(body, marks)
    assert html.unescape(re.sub(r"<[^>]+>|\n", "", html_out)) == body.replace("\n\n", "")
    assert "Ana &lt;Bo&gt;" in html_out
    assert html_out.count("<span") == html_out.count("</span>")


def test_serve_warns_about_a_database_with_an_older_schema(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    Store.open(db).close()
    assert schema_warning(db) is None
    sql(db, "PRAGMA user_version = 3")
    assert "schema version 3" in schema_warning(db)
    # `newsdesk stats`, as the warning says, brings it up to date.
    assert newsdesk("stats", "--db", str(db)).returncode == 0
    assert schema_warning(db) is None


def test_speaker_page_lists_what_the_speaker_said_by_date(base: str, demo_db: Path) -> None:
    # The organisation written two ways on the demo site: one speaker, one page.
    ((speaker_id, name),) = sql(
        demo_db, "SELECT id, name FROM speakers WHERE aliases LIKE '%\"General Staff\"%'"
    )
    status, page = get(f"{base}/newsdesk/speakers/{speaker_id}")
    assert status == 200
    assert name in page and "Also written as: General Staff" in page
    rows = sql(
        demo_db,
        "SELECT article_id, id FROM v_statements WHERE speaker_id = ? "
        "ORDER BY published, article_id, id",
        [speaker_id],
    )
    links = re.findall(r'href="/newsdesk/articles/(\d+)#statement-(\d+)"', page)
    assert [(int(a), int(s)) for a, s in links] == rows and len(rows) >= 10
    # v_statements links the canonical name to that page.
    status, table = get(f"{base}/newsdesk/v_statements?speaker_id={speaker_id}")
    assert f'href="/newsdesk/speakers/{speaker_id}"' in table
