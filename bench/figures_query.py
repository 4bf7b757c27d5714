"""Does "figures per day over a date range" stay fast as the database grows?

Builds a synthetic database with the real schema (Store.open runs every migration):
100 articles a day, 10 figures each, so a larger database covers more days while a
fixed 7-day range holds the same rows. Times the query and reads its plan.

    python -m bench.figures_query [FIGURES ...]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from crawler.store import Store

ARTICLES_PER_DAY = 100
FIGURES_PER_ARTICLE = 10
START = date(2024, 1, 1)
RANGE = ("2024-01-03", "2024-01-09")  # inside a 10,000-figure database too
QUERY = "SELECT day, COUNT(*), SUM(value) FROM v_figures WHERE day BETWEEN ? AND ? GROUP BY day"


@dataclass(frozen=True)
class QueryTiming:
    figures: int
    median_ms: float
    rows: int
    plan: list[str]

    @property
    def scans_figures(self) -> bool:
        # "SCAN f" / "SCAN figures" is a full scan; "SEARCH ... USING INDEX" is not.
        return any(
            step.startswith("SCAN") and ("figures" in step or step.split()[1] == "f")
            for step in self.plan
        )


def build(path: Path, figures: int) -> None:
    store = Store.open(path)
    articles = figures // FIGURES_PER_ARTICLE
    article_rows = []
    for n in range(articles):
        day = START + timedelta(days=n // ARTICLES_PER_DAY)
        published = f"{day.isoformat()}T{n % 24:02d}:00:00+00:00"
        article_rows.append(
            (
                n + 1,
                f"https://example.org/{n}",
                "synthetic",
                published,
                f"Body {n}.",
                f"{n:064x}",
                published,
            )
        )
    figure_rows = [
        (a + 1, seq, float(seq + 1), "exact", "attacks", f"{seq + 1} attacks")
        for a in range(articles)
        for seq in range(FIGURES_PER_ARTICLE)
    ]
    with store.batch():
        store.db.conn.executemany(
            "INSERT INTO articles (id, url, source, published, body, body_sha256, fetched_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            article_rows,
        )
        store.db.conn.executemany(
            "INSERT INTO figures (article_id, seq, value, bound, object, text) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            figure_rows,
        )
    store.db.execute("ANALYZE")
    store.close()


def time_figures_query(figures: int, repeat: int = 7) -> QueryTiming:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "figures.db"
        build(path, figures)
        store = Store.open(path)
        conn = store.db.conn
        plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {QUERY}", RANGE)]
        times, rows = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            rows = conn.execute(QUERY, RANGE).fetchall()
            times.append(time.perf_counter() - started)
        store.close()
    return QueryTiming(figures, statistics.median(times) * 1000, len(rows), plan)


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100_000, 1_000_000]
    for size in sizes:
        timing = time_figures_query(size)
        print(f"{size:>9,} figures: {timing.median_ms:7.2f} ms, {timing.rows} days")
        for step in timing.plan:
            print(f"    {step}")


if __name__ == "__main__":
    main()
