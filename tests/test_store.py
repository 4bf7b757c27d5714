"""The SQLite store: schema version, all-or-nothing article writes, FTS, views."""

from __future__ import annotations

import os
import socket
import sqlite3
from pathlib import Path

import pytest

from crawler.store import SCHEMA_VERSION, Store
from extract.records import Article, Extraction, Figure, Statement
from extract.text import body_sha256

BODY = "The mayor said 12 shelters opened.\n\nShe added that 300 people stayed overnight."


def _extraction(url: str, body: str = BODY, figure_statement: int | None = 0) -> Extraction:
    article = Article(
        url, "Shelters open", ("A. Writer",), "2026-11-20", "en", body, (), body_sha256(body)
    )
    statement = Statement("Jane Doe", "mayor", "12 shelters opened", "indirect", "said", 15, 33)
    figure = Figure(
        12, None, "exact", None, "shelters", "opened", None, None, "12", 15, 17, figure_statement
    )
    return Extraction(article, (statement,), (figure,))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "n.db")
    yield store
    store.close()


def test_schema_is_versioned_and_reopening_is_harmless(tmp_path: Path) -> None:
    Store.open(tmp_path / "n.db").close()
    store = Store.open(tmp_path / "n.db")
    assert store.schema_version == SCHEMA_VERSION
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"v_statements", "v_figures"} <= set(store.db.view_names())


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "n.db") as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(RuntimeError, match="newer than this newsdesk"):
        Store.open(tmp_path / "n.db")


def test_article_with_statements_and_figures_and_aliases(store: Store) -> None:
    run = store.start_run("s")
    stored = store.add_article(
        _extraction("https://e.org/a"), source="s", run_id=run, fetched_url="https://e.org/a?x=1"
    )
    assert stored.is_new
    figure = store.db.execute("SELECT statement_id, object FROM figures").fetchone()
    statement_id = store.db.execute("SELECT id FROM statements").fetchone()[0]
    assert figure == (statement_id, "shelters")
    assert store.is_known("https://e.org/a?x=1")
    # The canonical URL is only claimed until a page is fetched there.
    assert not store.is_known("https://e.org/a")
    again = store.add_article(
        _extraction("https://e.org/a"), source="s", run_id=run, fetched_url="https://e.org/b"
    )
    assert not again.is_new and store.is_known("https://e.org/b")
    assert store.counts()["articles"] == 1
    hits = store.db.execute(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'shelters'"
    ).fetchall()
    assert len(hits) == 1
    view = store.db.execute("SELECT source, day, speaker, object FROM v_figures").fetchone()
    assert view == ("s", "2026-11-20", "Jane Doe", "shelters")


def test_a_failing_write_leaves_no_half_article(store: Store) -> None:
    # A figure pointing at a statement that does not exist fails after the article,
    # its aliases and its statement rows were inserted: all of it must roll back.
    with pytest.raises(IndexError):
        store.add_article(
            _extraction("https://e.org/a", figure_statement=5),
            source="s",
            run_id=None,
            fetched_url="https://e.org/a",
        )
    assert store.counts()["articles"] == 0
    assert store.counts()["statements"] == 0
    assert not store.is_known("https://e.org/a")


def test_syndicated_copy_points_to_first_and_is_left_out_of_views(store: Store) -> None:
    first = store.add_article(
        _extraction("https://e.org/a"), source="s", run_id=None, fetched_url="https://e.org/a"
    )
    copy = store.add_article(
        _extraction("https://other.org/a"),
        source="t",
        run_id=None,
        fetched_url="https://other.org/a",
    )
    assert copy.is_new and copy.duplicate_of == first.article_id
    assert store.db.execute("SELECT COUNT(*) FROM v_statements").fetchone()[0] == 1


def test_not_article_fetch_is_known_but_http_error_is_retried(store: Store) -> None:
    store.add_fetch(
        run_id=None, source="s", url="https://e.org/home", outcome="not_article", reason="listing"
    )
    store.add_fetch(
        run_id=None,
        source="s",
        url="https://e.org/err",
        outcome="http_error",
        reason="HTTP 503",
        status=503,
    )
    assert store.is_known("https://e.org/home")
    assert not store.is_known("https://e.org/err")


def test_runs_record_their_process_and_a_v3_database_gains_the_columns(tmp_path: Path) -> None:
    # A version-3 database with a run recorded before runs had an owner.
    store = Store.open(tmp_path / "n.db")
    store.db.execute("PRAGMA user_version = 3")
    store.db.execute("ALTER TABLE runs DROP COLUMN pid")
    store.db.execute("ALTER TABLE runs DROP COLUMN host")
    store.db.execute("ALTER TABLE runs DROP COLUMN not_articles")
    store.db["runs"].insert({"source": "old", "started": "2025-01-01", "status": "running"})
    store.close()

    store = Store.open(tmp_path / "n.db")
    assert store.schema_version == SCHEMA_VERSION
    mine = store.start_run("s")
    assert (store.run(mine)["pid"], store.run(mine)["host"]) == (os.getpid(), socket.gethostname())
    # This process runs: its run is not closed. The ownerless one only when asked (the
    # daemon, which holds the database's lock, asks).
    assert store.close_dead_runs() == []
    assert store.close_dead_runs(ownerless=True) == [1]
    assert store.run(1)["status"] == "interrupted"
    assert store.run(mine)["status"] == "running"
    store.close()
