"""The SQLite store: schema, migrations and every write newsdesk makes.

One place maps records to rows. Each article is written with its statements,
figures and URL aliases in one transaction (a savepoint when inside `Store.batch()`,
which commits many articles at once), so a crash never leaves half an article.
The database runs in WAL mode so readers (Datasette, sqlite-utils, the known-URL
check) never block the writer.
"""

from __future__ import annotations

import json
import os
import socket
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import psutil
import sqlite_utils

from crawler.sources import Source
from crawler.speaker_links import NO_CORRECTIONS, Corrections
from crawler.speaker_table import RebuildSummary, create_speakers_table, rebuild_speakers
from extract.records import Extraction
from extract.text import same_story
from extract.urls import canonical_url, same_site

SCHEMA_VERSION = 6

# Fetch outcomes that are final: the URL is not requested again in later runs.
# HTTP and network errors, robots.txt and refusals may change, so those are retried.
PERMANENT_OUTCOMES = ("not_article", "not_html", "too_big")


# The reason given to a run closed because the process that recorded it is gone.
STALE_REASON = "left running"


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def run_status(close_reason: str) -> str:
    """The `runs.status` of a crawl that Scrapy closed with this reason."""
    return {"finished": "finished", "shutdown": "interrupted"}.get(close_reason, "failed")


@dataclass(frozen=True, slots=True)
class RunCounters:
    pages_fetched: int = 0
    articles_new: int = 0
    failures: int = 0
    bytes_received: int = 0
    not_articles: int = 0  # pages rightly skipped as no article: not failures


def this_host() -> str:
    return socket.gethostname()


def process_alive(pid: int, since: str) -> bool:
    """Whether process `pid` of this machine, started by `since` (ISO time), still runs.

    A zombie has ended; a process with that pid started later is another one (reused).
    """
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        started = process.create_time()
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:  # e.g. AccessDenied: it exists, we cannot look closer
        return True
    # create_time is rounded to clock ticks; runs.started to the second.
    return started <= datetime.fromisoformat(since).timestamp() + 1


@dataclass(frozen=True, slots=True)
class StoredArticle:
    article_id: int
    is_new: bool
    duplicate_of: int | None = None


def _create_schema_v1(db: sqlite_utils.Database) -> None:
    db["sources"].create(
        {"id": str, "name": str, "language": str, "config": str, "updated": str},
        pk="id",
        if_not_exists=True,
    )
    db["runs"].create(
        {
            "id": int,
            "source": str,
            "started": str,
            "finished": str,
            "status": str,
            "reason": str,
            "pages_fetched": int,
            "articles_new": int,
            "failures": int,
            "bytes_received": int,
        },
        pk="id",
        not_null={"started", "status"},
        if_not_exists=True,
    )
    db["articles"].create(
        {
            "id": int,
            "url": str,
            "source": str,
            "title": str,
            "authors": str,
            "published": str,
            "language": str,
            "body": str,
            "body_sha256": str,
            "cited_sources": str,
            "site_name": str,
            "description": str,
            "fetched_url": str,
            "fetched_at": str,
            "run_id": int,
            "duplicate_of": int,
        },
        pk="id",
        not_null={"url", "body", "body_sha256", "fetched_at"},
        foreign_keys=[("run_id", "runs", "id"), ("duplicate_of", "articles", "id")],
        if_not_exists=True,
    )
    db["articles"].create_index(["url"], unique=True, if_not_exists=True)
    db["articles"].create_index(["body_sha256"], if_not_exists=True)
    db["articles"].create_index(["source", "published"], if_not_exists=True)
    # Every URL an article was reached under (fetched, canonical, redirects): the
    # known-URL set that keeps a later run from fetching it again.
    db["article_urls"].create(
        {"url": str, "article_id": int},
        pk="url",
        foreign_keys=[("article_id", "articles", "id")],
        if_not_exists=True,
    )
    db["statements"].create(
        {
            "id": int,
            "article_id": int,
            "seq": int,
            "speaker": str,
            "speaker_role": str,
            "quote": str,
            "kind": str,
            "cue": str,
            "start": int,
            "end": int,
        },
        pk="id",
        not_null={"article_id", "seq", "quote", "kind"},
        foreign_keys=[("article_id", "articles", "id")],
        if_not_exists=True,
    )
    db["statements"].create_index(["article_id"], if_not_exists=True)
    db["statements"].create_index(["speaker"], if_not_exists=True)
    db["figures"].create(
        {
            "id": int,
            "article_id": int,
            "seq": int,
            "statement_id": int,
            "value": float,
            "value_max": float,
            "bound": str,
            "unit": str,
            "object": str,
            "action": str,
            "location": str,
            "period": str,
            "text": str,
            "start": int,
            "end": int,
        },
        pk="id",
        not_null={"article_id", "seq", "value", "bound", "text"},
        foreign_keys=[("article_id", "articles", "id"), ("statement_id", "statements", "id")],
        if_not_exists=True,
    )
    db["figures"].create_index(["article_id"], if_not_exists=True)
    db["figures"].create_index(["object"], if_not_exists=True)
    db["fetches"].create(
        {
            "id": int,
            "run_id": int,
            "source": str,
            "url": str,
            "status": int,
            "outcome": str,
            "reason": str,
            "fetched_at": str,
        },
        pk="id",
        not_null={"url", "outcome", "fetched_at"},
        foreign_keys=[("run_id", "runs", "id")],
        if_not_exists=True,
    )
    db["fetches"].create_index(["url"], if_not_exists=True)
    db["fetches"].create_index(["run_id"], if_not_exists=True)
    if not db["articles_fts"].exists():
        db["articles"].enable_fts(["title", "body"], create_triggers=True)
    if not db["statements_fts"].exists():
        db["statements"].enable_fts(["quote", "speaker"], create_triggers=True)
    _create_views(db)


@dataclass(frozen=True, slots=True)
class PeriodSpans:
    """Period words that decide v_figures.is_daily_count (data: period_spans.toml)."""

    one_day_first: tuple[str, ...]
    multi_day: tuple[str, ...]
    one_day: tuple[str, ...]

    @classmethod
    def load(cls) -> PeriodSpans:
        text = resources.files("crawler").joinpath("period_spans.toml").read_text("utf-8")
        data = tomllib.loads(text)
        return cls(
            *(tuple(w.lower() for w in data[k]) for k in ("one_day_first", "multi_day", "one_day"))
        )


def _any_like(column: str, words: Sequence[str]) -> str:
    # The words are our own data; quotes are doubled all the same, as SQL wants them.
    return " OR ".join(f"{column} LIKE '%{word.replace(chr(39), chr(39) * 2)}%'" for word in words)


def is_daily_count_sql(
    value: str = "f.value", unit: str = "f.unit", period: str = "f.period"
) -> str:
    """SQL that is 1 when a figure is a count for the day it was reported, else 0.

    Only such figures add up per day. Left out: anything with a unit (%, money, km,
    `fraction` for "half of them"), numbers that are not whole ("0.5 attacks"), and
    figures whose period covers more than a day ("over the past week", "in October").
    The README queries, the canned queries and the dashboard all read this one column.
    """
    spans = PeriodSpans.load()
    p = f"lower(coalesce({period}, ''))"
    return f"""CASE
            WHEN coalesce({unit}, '') != '' THEN 0
            WHEN {value} != CAST({value} AS INTEGER) THEN 0
            WHEN {p} = '' THEN 1
            WHEN {_any_like(p, spans.one_day_first)} THEN 1
            WHEN {p} GLOB '*[0-9][0-9][0-9][0-9]*' THEN 0
            WHEN {_any_like(p, spans.multi_day)} THEN 0
            WHEN {_any_like(p, spans.one_day)} THEN 1
            ELSE 0
        END"""


# A whole number stored as REAL (figures.value) shown as an integer: 58, not 58.0.
def _whole(column: str) -> str:
    return (
        f"CASE WHEN {column} = CAST({column} AS INTEGER) THEN CAST({column} AS INTEGER) "
        f"ELSE {column} END"
    )


def _create_views(db: sqlite_utils.Database) -> None:
    """The two views an analyst reads, columns in reading order.

    What is said (speaker, quote, kind) or counted (value, object, action...) comes
    first, then the article it came from. Syndicated copies (duplicate_of set) are left
    out so a story published twice is not counted twice.
    """
    db.create_view(
        "v_statements",
        """
        SELECT s.speaker, s.quote, s.kind, a.title, substr(a.published, 1, 10) AS day,
               a.source, a.url, a.published, s.speaker_role, s.cue,
               s.id, s.article_id, s.start, s."end"
        FROM statements s JOIN articles a ON a.id = s.article_id
        WHERE a.duplicate_of IS NULL
        """,
        replace=True,
    )
    db.create_view(
        "v_figures",
        f"""
        SELECT {_whole("f.value")} AS value, {_whole("f.value_max")} AS value_max,
               f.unit, f.object, f.action, f.location, f.period, f.bound,
               {is_daily_count_sql()} AS is_daily_count,
               f.text, a.title, substr(a.published, 1, 10) AS day, a.source, a.url,
               a.published, s.speaker, f.statement_id, f.id, f.article_id
        FROM figures f JOIN articles a ON a.id = f.article_id
        LEFT JOIN statements s ON s.id = f.statement_id
        WHERE a.duplicate_of IS NULL
        """,
        replace=True,
    )


def _add_listings_v2(db: sqlite_utils.Database) -> None:
    """Validators of feeds and sitemaps, for conditional requests in the next run."""
    db["listings"].create(
        {
            "url": str,
            "source": str,
            "etag": str,
            "last_modified": str,
            "body_sha256": str,
            "checked_at": str,
        },
        pk="url",
        if_not_exists=True,
    )


def _index_days_v3(db: sqlite_utils.Database) -> None:
    """Date-range queries on v_figures / v_statements read only the articles in range.

    `day` in the views is substr(published, 1, 10); an index on that very expression
    serves `WHERE day BETWEEN ...`, and one on published serves ranges on published.
    Without them every query scans all articles, and grows with the whole database.
    """
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_published ON articles (published)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_articles_day ON articles (substr(published, 1, 10))")


def _run_owner_v4(db: sqlite_utils.Database) -> None:
    """Which process records a run (pid, host), and pages skipped as no article.

    A run left `running` by a process that no longer exists (killed, a second Ctrl-C
    on an older version, power loss) can then be told from one still crawling, and
    closed by the next `newsdesk run` or daemon start.
    """
    have = db["runs"].columns_dict
    for name, kind in (("pid", int), ("host", str), ("not_articles", int)):
        if name not in have:  # a database moved back a version must still upgrade
            db["runs"].add_column(name, kind)


# Each entry upgrades the schema from version N-1 to N. Add new ones at the end;
# never edit one that has shipped.
def _reading_views_v5(db: sqlite_utils.Database) -> None:
    """v_statements and v_figures in reading order, v_figures with is_daily_count."""
    _create_views(db)


def _speakers_v6(db: sqlite_utils.Database) -> None:
    """Speakers as entities (issue 15): the `speakers` table, `statements.speaker_id`, and
    v_statements with the speaker's id and canonical name. The links are built here from
    the statements already stored: no recrawl. speakers.toml is applied by the next run
    or `newsdesk speakers --apply` (the upgrade does not know where the file is)."""
    create_speakers_table(db)
    db.create_view(
        "v_statements",
        """
        SELECT sp.name AS speaker_name, s.speaker, s.quote, s.kind, a.title,
               substr(a.published, 1, 10) AS day, a.source, a.url, a.published,
               s.speaker_role, s.cue, s.speaker_id, s.id, s.article_id, s.start, s."end"
        FROM statements s JOIN articles a ON a.id = s.article_id
        LEFT JOIN speakers sp ON sp.id = s.speaker_id
        WHERE a.duplicate_of IS NULL
        """,
        replace=True,
    )
    rebuild_speakers(db)


MIGRATIONS = {
    1: _create_schema_v1,
    2: _add_listings_v2,
    3: _index_days_v3,
    4: _run_owner_v4,
    5: _reading_views_v5,
    6: _speakers_v6,
}


def _json_list(values: Iterable[str]) -> str:
    return json.dumps(list(values), ensure_ascii=False)


class Store:
    """The newsdesk database. Open with `Store.open(path)`; it migrates itself."""

    def __init__(self, db: sqlite_utils.Database, path: Path | None = None) -> None:
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: str | Path) -> Store:
        path = Path(path)
        db = sqlite_utils.Database(path)
        db.execute("PRAGMA busy_timeout = 30000")
        db.enable_wal()
        db.execute("PRAGMA foreign_keys = ON")
        store = cls(db, path)
        store.migrate()
        return store

    def close(self) -> None:
        self.db.close()

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise RuntimeError(
                f"database schema version {current} is newer than this newsdesk "
                f"({SCHEMA_VERSION}); upgrade newsdesk"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.db.atomic():
                MIGRATIONS[version](self.db)
                self.db.execute(f"PRAGMA user_version = {version}")

    # -- sources and runs -------------------------------------------------

    def save_sources(self, sources: Sequence[Source]) -> None:
        now = utc_now()
        rows = [
            {
                "id": s.id,
                "name": s.name,
                "language": s.language,
                "config": json.dumps(s.to_dict()),
                "updated": now,
            }
            for s in sources
        ]
        with self.db.atomic():
            self.db["sources"].upsert_all(rows, pk="id")

    def start_run(self, source: str) -> int:
        with self.db.atomic():
            table = self.db["runs"].insert(
                {
                    "source": source,
                    "started": utc_now(),
                    "status": "running",
                    "pid": os.getpid(),
                    "host": this_host(),
                }
            )
        return int(table.last_pk)

    def finish_run(
        self, run_id: int, status: str, counters: RunCounters, reason: str | None = None
    ) -> None:
        with self.db.atomic():
            self.db["runs"].update(
                run_id,
                {
                    "finished": utc_now(),
                    "status": status,
                    "reason": reason,
                    "pages_fetched": counters.pages_fetched,
                    "articles_new": counters.articles_new,
                    "failures": counters.failures,
                    "bytes_received": counters.bytes_received,
                    "not_articles": counters.not_articles,
                },
            )

    def run(self, run_id: int) -> dict[str, Any]:
        return self.db["runs"].get(run_id)

    # -- the known-URL set ------------------------------------------------

    def is_known(self, url: str) -> bool:
        """True when url led to a stored article, or was found not to be one."""
        if self.db.execute("SELECT 1 FROM article_urls WHERE url = ?", [url]).fetchone():
            return True
        placeholders = ", ".join("?" for _ in PERMANENT_OUTCOMES)
        row = self.db.execute(
            f"SELECT 1 FROM fetches WHERE url = ? AND outcome IN ({placeholders}) LIMIT 1",
            [url, *PERMANENT_OUTCOMES],
        ).fetchone()
        return row is not None

    # -- writes -----------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator[Store]:
        """One transaction around many writes: it commits when the block ends.

        Each write inside still runs in a savepoint of its own, so a write that fails
        (and raises) is rolled back alone when the caller catches its exception. The
        write lock is taken at BEGIN (IMMEDIATE), waiting up to busy_timeout: a deferred
        transaction that read first could not upgrade once another process had written.
        """
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.db.conn.rollback()
            raise
        try:
            self.db.execute("COMMIT")
        except BaseException:
            self.db.conn.rollback()
            raise

    def add_fetch(
        self,
        *,
        run_id: int | None,
        source: str,
        url: str,
        outcome: str,
        reason: str,
        status: int | None = None,
    ) -> None:
        with self.db.atomic():
            self.db["fetches"].insert(
                {
                    "run_id": run_id,
                    "source": source,
                    "url": url,
                    "status": status,
                    "outcome": outcome,
                    "reason": reason,
                    "fetched_at": utc_now(),
                }
            )

    def add_article(
        self,
        extraction: Extraction,
        *,
        source: str,
        run_id: int | None,
        fetched_url: str,
        aliases: Iterable[str] = (),
        page_url: str | None = None,
    ) -> StoredArticle:
        """Store an article with its statements and figures, all or nothing.

        `fetched_url` is the URL requested, `page_url` the one the page came from after
        redirects (default: fetched_url), `aliases` other URLs it was reached under.
        Those become known URLs (`is_known`); the article's canonical URL becomes one
        only once a page was fetched there, so a URL that a page merely claims is still
        fetched when a listing links it.

        An article whose canonical URL is stored with the same body, or with most of its
        paragraphs (a revision), is the same article: it is not written again, its URLs
        are recorded as known. A page with another body that claims a stored canonical
        URL is a different article (a template that gives many articles one canonical
        URL): it is stored under its own page URL, and when the page lives at the
        claimed URL itself, the article that only claimed it moves to the URL it was
        fetched from.
        """
        article = extraction.article
        own_url = canonical_url(page_url or fetched_url)
        fetched = {fetched_url, own_url, *aliases}
        with self.db.atomic():
            key = self._storage_url(article.url, article.body, article.body_sha256, own_url)
            if isinstance(key, int):
                self._add_aliases(fetched, key)
                return StoredArticle(key, is_new=False)
            first_copy = self.db.execute(
                "SELECT id FROM articles WHERE body_sha256 = ? AND duplicate_of IS NULL "
                "ORDER BY id LIMIT 1",
                [article.body_sha256],
            ).fetchone()
            duplicate_of = first_copy[0] if first_copy else None
            article_id = (
                self.db["articles"]
                .insert(
                    {
                        "url": key,
                        "source": source,
                        "title": article.title,
                        "authors": _json_list(article.authors),
                        "published": article.published,
                        "language": article.language,
                        "body": article.body,
                        "body_sha256": article.body_sha256,
                        "cited_sources": _json_list(article.cited_sources),
                        "site_name": article.site_name,
                        "description": article.description,
                        "fetched_url": fetched_url,
                        "fetched_at": utc_now(),
                        "run_id": run_id,
                        "duplicate_of": duplicate_of,
                    }
                )
                .last_pk
            )
            self._add_aliases(fetched, article_id)
            statement_ids = self._add_statements(extraction, article_id)
            figure_rows = []
            for seq, figure in enumerate(extraction.figures):
                row = figure.to_dict()
                index = row.pop("statement")
                row |= {
                    "article_id": article_id,
                    "seq": seq,
                    "statement_id": statement_ids[index] if index is not None else None,
                }
                figure_rows.append(row)
            if figure_rows:
                self.db["figures"].insert_all(figure_rows)
        return StoredArticle(int(article_id), is_new=True, duplicate_of=duplicate_of)

    def _storage_url(self, claimed: str, body: str, body_sha256: str, own_url: str) -> str | int:
        """The URL to store a new article under, or the id of the stored one it is.

        `claimed` is the article's canonical URL, `own_url` where its page was served.
        An article with the same body, or revised (`extract.text.same_story`: most
        paragraphs the same), is the same article.
        """
        holder = self._article_at(claimed)
        if holder is None:
            return claimed
        if holder["body_sha256"] == body_sha256 or same_story(holder["body"], body):
            return holder["id"]  # the same article, maybe revised since: kept as first stored
        # Another article holds the claimed URL. This one may be stored already, under
        # another URL of the site, by an earlier page that made the same claim.
        twin = self._same_body_on_site(body_sha256, own_url)
        if own_url != claimed:
            if twin is not None:
                return twin
            mine = self._article_at(own_url)
            # Its own URL is stored too (a page that changed between two fetches): keep
            # the first, as for any known URL.
            return own_url if mine is None else mine["id"]
        # This page lives at the claimed URL; the stored article only claimed it.
        moved_to = canonical_url(holder["fetched_url"] or "")
        if not moved_to or moved_to == claimed or self._article_at(moved_to) is not None:
            return holder["id"]  # the stored one was fetched here too: a revised page
        self.db.execute("UPDATE articles SET url = ? WHERE id = ?", [moved_to, holder["id"]])
        # Databases written before this rule recorded claimed URLs as known aliases.
        self.db.execute(
            "DELETE FROM article_urls WHERE url = ? AND article_id = ?", [claimed, holder["id"]]
        )
        if twin is not None:  # stored under another URL while the claim was taken
            self.db.execute("UPDATE articles SET url = ? WHERE id = ?", [claimed, twin])
            return twin
        return claimed

    def _same_body_on_site(self, body_sha256: str, url: str) -> int | None:
        """An article of the same site (as `url`) with exactly this body, if any."""
        rows = self.db.execute(
            "SELECT id, url FROM articles WHERE body_sha256 = ? ORDER BY id", [body_sha256]
        ).fetchall()
        return next((row[0] for row in rows if same_site(row[1], url)), None)

    def _article_at(self, url: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT id, body_sha256, fetched_url, body FROM articles WHERE url = ?", [url]
        ).fetchone()
        keys = ("id", "body_sha256", "fetched_url", "body")
        return None if row is None else dict(zip(keys, row, strict=True))

    def _add_statements(self, extraction: Extraction, article_id: int) -> list[int]:
        """Insert an article's statements in one statement; their ids in list order.

        One insert_all and one read back instead of an insert per statement (each insert
        through sqlite-utils costs several queries of its own).
        """
        if not extraction.statements:
            return []
        self.db["statements"].insert_all(
            statement.to_dict() | {"article_id": article_id, "seq": seq}
            for seq, statement in enumerate(extraction.statements)
        )
        rows = self.db.execute(
            "SELECT id FROM statements WHERE article_id = ? ORDER BY seq", [article_id]
        ).fetchall()
        return [row[0] for row in rows]

    def _add_aliases(self, urls: Iterable[str], article_id: int) -> None:
        self.db["article_urls"].insert_all(
            [{"url": url, "article_id": article_id} for url in urls if url],
            pk="url",
            ignore=True,
        )

    # -- speakers -----------------------------------------------------------

    def rebuild_speakers(self, corrections: Corrections = NO_CORRECTIONS) -> RebuildSummary:
        """Relink every statement to its speaker, with the analysts' corrections applied."""
        with self.batch():
            return rebuild_speakers(self.db, corrections)

    # -- listing validators -----------------------------------------------

    def listing_validators(self, url: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT etag, last_modified, body_sha256 FROM listings WHERE url = ?", [url]
        ).fetchone()
        if row is None:
            return None
        return {"etag": row[0], "last_modified": row[1], "body_sha256": row[2]}

    def save_listing_validators(self, rows: Iterable[dict[str, Any]]) -> None:
        now = utc_now()
        with self.db.atomic():
            self.db["listings"].upsert_all([row | {"checked_at": now} for row in rows], pk="url")

    # -- reads ------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        tables = ("articles", "statements", "speakers", "figures", "fetches", "runs", "sources")
        return {t: self.db[t].count for t in tables}

    # -- runs, for the daemon and `newsdesk status` -------------------------

    def last_run_id(self) -> int:
        """The highest run id so far (0 when none): runs started later have larger ids."""
        return self.db.execute("SELECT COALESCE(MAX(id), 0) FROM runs").fetchone()[0]

    def runs_after(self, source: str, after_id: int) -> list[dict[str, Any]]:
        """Runs of source with an id above after_id, oldest first."""
        return list(
            self.db["runs"].rows_where("source = ? AND id > ?", [source, after_id], order_by="id")
        )

    def latest_runs(self, source: str, limit: int = 50) -> list[dict[str, Any]]:
        """The latest runs of source, newest first."""
        return list(
            self.db["runs"].rows_where("source = ?", [source], order_by="id DESC", limit=limit)
        )

    def last_runs(self) -> dict[str, dict[str, Any]]:
        """The latest run of every source that has one."""
        rows = self.db["runs"].rows_where(
            "id IN (SELECT MAX(id) FROM runs GROUP BY source)", order_by="source"
        )
        return {row["source"]: row for row in rows}

    def fail_run(self, run_id: int, reason: str) -> None:
        """Mark a run failed, keeping whatever counters it recorded."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE runs SET status = 'failed', reason = ?, "
                "finished = COALESCE(finished, ?) WHERE id = ?",
                [reason, utc_now(), run_id],
            )

    def add_failed_run(self, source: str, started: str, reason: str) -> int:
        """Record a run that failed before it could record itself."""
        with self.db.atomic():
            table = self.db["runs"].insert(
                {
                    "source": source,
                    "started": started,
                    "finished": utc_now(),
                    "status": "failed",
                    "reason": reason,
                }
            )
        return int(table.last_pk)

    def close_dead_runs(self, *, ownerless: bool = False) -> list[int]:
        """Mark `interrupted` each run still 'running' whose process no longer exists.

        Only runs recorded on this host can be checked. Runs recorded before runs had an
        owner (no pid) are closed too when `ownerless` is set: by the daemon, which
        holds the database's lock. Returns the ids closed.
        """
        host = this_host()
        closed = []
        with self.db.atomic():
            rows = self.db.execute(
                "SELECT id, pid, host, started FROM runs WHERE status = 'running'"
            ).fetchall()
            for run_id, pid, run_host, started in rows:
                if pid is None:
                    if not ownerless:
                        continue
                    reason = f"{STALE_REASON} by a process that had ended"
                elif run_host != host or process_alive(pid, started):
                    continue
                else:
                    reason = f"{STALE_REASON} by process {pid}, which had ended"
                self.db.execute(
                    "UPDATE runs SET status = 'interrupted', reason = ?, "
                    "finished = COALESCE(finished, ?) WHERE id = ?",
                    [reason, utc_now(), run_id],
                )
                closed.append(run_id)
        return closed
