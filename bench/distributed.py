"""Scale-out throughput: 1, 2 and 4 workers against one local site, and the writer's ceiling.

Serves the embedded demo site with every article copied `--copies` times (our own
fictional text, so this always runs), starts redis-server on a free port of
127.0.0.1, and for each worker count times `newsdesk enqueue` -> every article
stored by `newsdesk writer`. A single-process `newsdesk run` of the same site is
the baseline. The writer's ceiling is measured apart: records pushed to Redis
beforehand, drained into a fresh database by the writer loop alone.

    python -m bench.distributed [--copies N] [--workers 1,2,4] [--records N]
                                [--latency S --per-domain N]   # a slow, politely crawled site

Needs redis-server on PATH and the distributed extra (pip install -e .[distributed]).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

from crawler import distributed
from crawler.items import ExtractedArticle
from crawler.store import Store
from extract.page import extract_page
from jobs.demo import demo_pages, load_demo_articles
from jobs.localsite import LocalSite
from tests.sites import REPO_ROOT, start_redis, wait_for, write_sources


def big_site(copies: int, latency: float) -> tuple[LocalSite, int]:
    """The demo site with each article served `copies` times under new slugs."""
    originals = load_demo_articles()
    articles = [
        dataclasses.replace(a, slug=a.slug if n == 0 else f"{a.slug}-copy{n}")
        for n in range(copies)
        for a in originals
    ]
    pages: dict = {}
    site = LocalSite(pages).start()
    for path, page in demo_pages(site.base_url, articles).items():
        pages[path] = (
            dataclasses.replace(page, delay=latency) if path.startswith("/news/") else page
        )
    return site, len(articles)


def cli(*args: str, log: Path | None = None) -> subprocess.Popen:
    out = log.open("w") if log else subprocess.DEVNULL
    env = {k: v for k, v in os.environ.items() if k != "NEWSDESK_DB"}
    return subprocess.Popen(
        [sys.executable, "-m", "jobs.cli", *args], cwd=REPO_ROOT, env=env, stdout=out, stderr=out
    )


def count(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def single_run(sources: Path, db: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "jobs.cli", "run", "--sources", str(sources), "--db", str(db)],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def distributed_run(url: str, sources: Path, db: Path, workers: int, expected: int) -> float:
    server = redis.Redis.from_url(url)
    server.flushall()
    baseline = len(server.client_list())
    procs = [cli("writer", "--redis", url, "--db", str(db))]
    procs += [cli("worker", "--redis", url, "--sources", str(sources)) for _ in range(workers)]
    try:
        # Timing starts once every process is up: each has connected to Redis.
        wait_for(lambda: len(server.client_list()) >= baseline + 1 + workers, "processes", 60, 0.05)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "jobs.cli",
                "enqueue",
                "--redis",
                url,
                "--sources",
                str(sources),
            ],
            cwd=REPO_ROOT,
            check=True,
            capture_output=True,
        )
        wait_for(
            lambda: count(db) >= expected and distributed.pending(server) == 0,
            "the crawl",
            600,
            0.05,  # finer polling: the wait ends the timed span
        )
        return time.perf_counter() - started
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(60)


def writer_ceiling(url: str, db: Path, records: int) -> float:
    """Records per second the writer stores, with nothing else running."""
    base = "http://127.0.0.1:9"
    pages = demo_pages(base)
    paths = sorted(p for p in pages if p.startswith("/news/"))
    extractions = [extract_page(pages[p].body, base + p) for p in paths]
    server = redis.Redis.from_url(url)
    server.flushall()
    pipe = server.pipeline(transaction=False)
    for n in range(records):
        extraction = extractions[n % len(extractions)]
        url_n = f"{base}/copy/{n}.html"
        article = dataclasses.replace(extraction.article, url=url_n)
        item = ExtractedArticle(
            "bench", url_n, url_n, dataclasses.replace(extraction, article=article)
        )
        pipe.lpush(distributed.RESULTS, distributed.encode_record(item))
    pipe.execute()
    store = Store.open(db)
    started = time.perf_counter()
    distributed.run_writer(
        server, store, should_stop=lambda: server.llen(distributed.RESULTS) == 0, block_seconds=0.1
    )
    elapsed = time.perf_counter() - started
    store.close()
    return records / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=6, help="copies of each demo article")
    parser.add_argument("--workers", default="1,2,4", help="worker counts to time")
    parser.add_argument("--records", type=int, default=3000, help="records for the writer ceiling")
    parser.add_argument(
        "--extract-workers",
        type=int,
        default=0,
        help="NEWSDESK_EXTRACT_WORKERS of each worker (0: extracts in the worker process itself)",
    )
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds the site takes per article page"
    )
    parser.add_argument(
        "--per-domain", type=int, default=16, help="CONCURRENT_REQUESTS_PER_DOMAIN of each crawler"
    )
    args = parser.parse_args()
    if shutil.which("redis-server") is None:
        raise SystemExit("redis-server is not installed (apt-get install redis-server)")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        redis_proc, url = start_redis(tmp)
        site, expected = big_site(args.copies, args.latency)
        try:
            sources = write_sources(
                tmp, site.base_url, sitemaps=["/robots.txt"], extra='article_pattern = "/news/"'
            )
            per_domain = f"CONCURRENT_REQUESTS_PER_DOMAIN = {args.per_domain}"
            sources.write_text(
                sources.read_text().replace("CONCURRENT_REQUESTS_PER_DOMAIN = 16", per_domain)
            )
            print(
                f"site: {expected} articles at {site.base_url}, {args.latency} s per article, "
                f"{args.per_domain} requests at a time per crawler; {os.cpu_count()} CPUs"
            )
            seconds = single_run(sources, tmp / "single.db")
            # Workers on one machine share its cores: by default each extracts on its own.
            setting = f"NEWSDESK_EXTRACT_WORKERS = {args.extract_workers}\n"
            worker_sources = tmp / "workers.toml"
            worker_sources.write_text(
                sources.read_text().replace("[settings]\n", "[settings]\n" + setting)
            )
            print(
                f"single process `newsdesk run`: {seconds:6.1f} s  {expected / seconds:6.1f} art/s"
            )
            for workers in (int(n) for n in args.workers.split(",")):
                db = tmp / f"workers{workers}.db"
                seconds = distributed_run(url, worker_sources, db, workers, expected)
                assert count(db) == expected, (count(db), expected)
                rate = expected / seconds
                print(f"{workers} worker(s) + writer:         {seconds:6.1f} s  {rate:6.1f} art/s")
            rate = writer_ceiling(url, tmp / "ceiling.db", args.records)
            print(f"writer ceiling ({args.records} records, 200 per transaction): {rate:.0f} rec/s")
        finally:
            site.stop()
            redis_proc.terminate()
            redis_proc.wait(10)


if __name__ == "__main__":
    main()
