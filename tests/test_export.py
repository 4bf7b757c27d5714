"""`newsdesk export`: CSV, JSON Lines and JSON of articles, statements and figures."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.store import Store
from extract.records import Article, Extraction, Figure, Statement
from extract.text import body_sha256
from jobs.cli import main

# Our own sentences: three dated stories, one undated, one syndicated copy.
STORIES = [
    (
        "https://e.org/1",
        "2026-11-01T09:00:00+02:00",
        "Ivan Koval",
        "Defenders repelled 14 attacks.",
    ),
    ("https://e.org/2", "2026-11-05T18:30:00+02:00", "Olha Marchenko", "Crews shot down 9 drones."),
    (
        "https://e.org/3",
        "2026-11-09T07:15:00+02:00",
        "Ivan Koval",
        'He said: "We held 3 villages".',
    ),
    ("https://e.org/4", None, "Petro Hnat", "About 20 people were evacuated."),
]


def _extraction(url: str, published: str | None, speaker: str, body: str) -> Extraction:
    article = Article(
        url,
        f"Story {url[-1]}",
        ("A. Writer", "B. Editor"),
        published,
        "en",
        body,
        ("Agency",),
        body_sha256(body),
    )
    statement = Statement(speaker, "spokesman", body, "indirect", "said", 0, len(body))
    number = next(w for w in body.split() if w.strip('"').isdigit()).strip('"')
    start = body.index(number)
    figure = Figure(
        float(number), None, "exact", None, "things", "counted", None, None, number,
        start, start + len(number), 0,
    )  # fmt: skip
    return Extraction(article, (statement,), (figure,))


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "n.db"
    store = Store.open(path)
    for story in STORIES:
        store.add_article(_extraction(*story), source="s", run_id=None, fetched_url=story[0])
    # A syndicated copy of story 2 under another URL: an article row, but not counted
    # again in the statement and figure exports.
    url, published, speaker, body = STORIES[1]
    copy = _extraction("https://mirror.org/2", published, speaker, body)
    stored = store.add_article(copy, source="m", run_id=None, fetched_url="https://mirror.org/2")
    assert stored.duplicate_of is not None
    store.close()
    return path


def _export(db: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["export", "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_csv_of_articles_has_every_row_and_a_header(db: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(db, "articles"))))
    assert [r["url"] for r in rows] == [
        "https://e.org/1",
        "https://e.org/2",
        "https://mirror.org/2",
        "https://e.org/3",
        "https://e.org/4",  # undated last
    ]
    assert rows[0]["body"] == STORIES[0][3]
    assert json.loads(rows[0]["authors"]) == ["A. Writer", "B. Editor"]
    assert rows[2]["duplicate_of"] == rows[1]["id"]


def test_statements_come_from_the_view_with_source_url_and_day(db: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(db, "statements"))))
    # The syndicated copy is left out, as in v_statements.
    assert [(r["speaker"], r["url"], r["day"]) for r in rows] == [
        ("Ivan Koval", "https://e.org/1", "2026-11-01"),
        ("Olha Marchenko", "https://e.org/2", "2026-11-05"),
        ("Ivan Koval", "https://e.org/3", "2026-11-09"),
        ("Petro Hnat", "https://e.org/4", ""),
    ]
    assert {"source", "title", "published", "quote", "kind"} <= set(rows[0])


def test_since_keeps_rows_published_on_or_after_the_day(db: Path) -> None:
    lines = _export(db, "figures", "--since", "2026-11-05", "--format", "jsonl").splitlines()
    figures = [json.loads(line) for line in lines]
    assert [(f["day"], f["value"], f["text"]) for f in figures] == [
        ("2026-11-05", 9.0, "9"),
        ("2026-11-09", 3.0, "3"),
    ]
    articles = _export(db, "articles", "--since", "2026-11-09", "--format", "jsonl")
    assert [json.loads(line)["url"] for line in articles.splitlines()] == ["https://e.org/3"]


def test_json_formats_give_lists_not_json_text(db: Path) -> None:
    (first, *_) = json.loads(_export(db, "articles", "--format", "json"))
    assert first["authors"] == ["A. Writer", "B. Editor"]
    assert first["cited_sources"] == ["Agency"]
    line = _export(db, "articles", "--format", "jsonl").splitlines()[0]
    assert json.loads(line)["authors"] == ["A. Writer", "B. Editor"]


def test_an_empty_export_is_still_valid(db: Path) -> None:
    assert json.loads(_export(db, "statements", "--since", "2030-01-01", "--format", "json")) == []
    assert _export(db, "statements", "--since", "2030-01-01", "--format", "jsonl") == ""
    header = _export(db, "statements", "--since", "2030-01-01").strip()
    assert header.startswith("speaker_name,speaker,quote,kind,title,day,source,url,published")


def test_output_file_and_pandas_style_reading(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "figures.csv"
    result = CliRunner().invoke(main, ["export", "--db", str(db), "figures", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 figures written to" in result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [float(r["value"]) for r in rows] == [14.0, 9.0, 3.0, 20.0]


def test_export_reads_beside_a_writer_in_the_middle_of_a_transaction(db: Path) -> None:
    writer = sqlite3.connect(db)
    try:
        writer.execute("BEGIN IMMEDIATE")  # holds the write lock, as a crawl does
        writer.execute("DELETE FROM figures")
        rows = list(csv.DictReader(io.StringIO(_export(db, "figures"))))
        assert len(rows) == 4  # the last committed state, without waiting for the lock
    finally:
        writer.rollback()
        writer.close()


def test_missing_database_is_an_error_and_is_not_created(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "no.db"), "articles"])
    assert result.exit_code == 2
    assert "no database at" in result.stderr
    assert not (tmp_path / "no.db").exists()
