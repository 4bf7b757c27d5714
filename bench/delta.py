"""The daily delta: what does the second run on an unchanged site cost?

Serves N corpus pages (default 1,000) on 127.0.0.1 with a sitemap index, a gzipped
sitemap and an RSS feed, runs `newsdesk run` twice against it with politeness off,
and prints both wall times, their ratio and the article pages the second run
requested (target: none, and at most 5% of the first run's time).

    python -m bench.delta [--pages N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.extract_speed import corpus_dir
from tests.sites import CorpusSite, corpus_pages, newsdesk, write_sources


def timed_run(sources: Path, db: Path) -> tuple[float, str]:
    started = time.perf_counter()
    result = newsdesk("run", "--sources", str(sources), "--db", str(db))
    if result.returncode != 0:
        raise SystemExit(f"newsdesk run failed:\n{result.stdout}{result.stderr}")
    return time.perf_counter() - started, result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    args = parser.parse_args()
    if not (corpus_dir() / "index.csv").exists():
        raise SystemExit(f"corpus not found at {corpus_dir()}; set NEWSDESK_SHARED")
    pages = corpus_pages(corpus_dir(), args.pages)
    paths = [p.path for p in pages]
    site = CorpusSite(pages, sitemap=paths, rss=paths[-50:])
    with site.serve() as server, tempfile.TemporaryDirectory() as tmp:
        sources = write_sources(
            Path(tmp), server.base_url, feeds=["/rss.xml"], sitemaps=["/robots.txt"]
        )
        db = Path(tmp) / "bench.db"
        first, first_out = timed_run(sources, db)
        server.requests.clear()
        second, second_out = timed_run(sources, db)
        article_requests = [r for r in server.requests if r.startswith("/a/")]
    print(f"pages served: {len(pages)}")
    print(f"first run : {first:7.2f} s  {first_out}")
    print(f"second run: {second:7.2f} s  {second_out}")
    print(f"article pages requested by the second run: {len(article_requests)}")
    print(f"second / first wall time: {second / first:.1%} (target <= 5%)")


if __name__ == "__main__":
    main()
