"""newsdesk against the plain tools, on one local site, in one run (`make bench`).

Serves N corpus pages (default 1,000; read in place from ../shared/corpus) on 127.0.0.1
with robots.txt -> sitemap index -> gzipped sitemap, and measures side by side:

  (a) bare trafilatura.extract over the same pages, in one process;
  (b) a naive Scrapy spider calling trafilatura in its callback (bench/naive_spider.py);
  (c) `newsdesk run` with politeness off;
  (d) the second, incremental `newsdesk run` on the same database;
  (e) peak RSS of (c) at N and at 5 x N pages, twice: the first N pages repeated under
      new paths (only the crawl's size changes), and the whole corpus cycled (its
      ~1,390 pages, then again under new paths);
  (f) the extractor's share of the time per article in (c);
  plus the v_figures date-range query at 100,000 and 1,000,000 synthetic figures.

Medians of --repeat runs (default 3). Results are printed and written to BENCHMARKS.md.

    python -m bench.compare [--pages N] [--repeat R] [--quick] [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from bench.extract_speed import corpus_dir
from bench.figures_query import QueryTiming, time_figures_query
from tests.sites import REPO_ROOT, CorpusPage, CorpusSite

CORES = os.cpu_count() or 1


def site_pages(corpus: Path, n: int, distinct: int | None = None) -> list[CorpusPage]:
    """n pages at /a/<i>.html from the first `distinct` corpus pages (default: all of
    them); past those, the same pages repeat under new paths."""
    rows = list(csv.DictReader((corpus / "index.csv").open(encoding="utf-8")))
    rows = rows[:distinct] if distinct else rows
    cache: dict[str, bytes] = {}
    pages = []
    for i in range(n):
        path = rows[i % len(rows)]["path"]
        if path not in cache:
            cache[path] = gzip.decompress((corpus / path).read_bytes())
        pages.append(CorpusPage(f"/a/{i}.html", path, cache[path]))
    return pages


def sources_toml(base: str, pages: int) -> str:
    return f"""
[settings]
AUTOTHROTTLE_ENABLED = false
DOWNLOAD_DELAY = 0
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 32

[[source]]
id = "bench"
name = "Benchmark site"
sitemaps = ["{base}/robots.txt"]
allowed_domains = ["127.0.0.1"]
allow_private_network = true
backfill_days = 0
max_articles = {pages + 10}
"""


# -- measuring child processes -------------------------------------------------


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(c) for c in children)
    return pids


def _memory_kib(pid: int) -> tuple[int, int]:
    """(current RSS, peak RSS so far) of a process, in KiB; zeros once it is gone."""
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmRSS:", "VmHWM:")):
                values[line[:5]] = int(line.split()[1])
    except OSError:
        pass
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    stdout: str
    stderr: str
    peak_rss_mib: float  # of the process itself (its VmHWM, last read before it exits)
    peak_worker_rss_mib: float  # of its largest child process (VmHWM)
    peak_tree_rss_mib: float  # the process and its workers together, sampled


def run_child(args: list[str]) -> ChildRun:
    """Run a Python module in a child process; time it and watch its memory."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", *args], cwd=REPO_ROOT, stdout=out, stderr=err, text=True
        )
        peak_tree = peak_main = peak_worker = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_tree, peak_main, peak_worker
            while not done.is_set():
                tree = {p: _memory_kib(p) for p in _tree(process.pid)}
                peak_tree = max(peak_tree, sum(rss for rss, _ in tree.values()))
                peak_main = max(peak_main, tree.pop(process.pid, (0, 0))[1])
                peak_worker = max([peak_worker, *(hwm for _, hwm in tree.values())])
                done.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # Not os.wait4's ru_maxrss: that is the largest of the process and its children.
        status = process.wait()
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if status != 0:
        raise SystemExit(f"{' '.join(args)} failed ({status}):\n{stderr[-3000:]}")
    return ChildRun(seconds, stdout, stderr, peak_main / 1024, peak_worker / 1024, peak_tree / 1024)


def newsdesk_run(sources: Path, db: Path) -> ChildRun:
    return run_child(["jobs.cli", "run", "--sources", str(sources), "--db", str(db), "-v"])


def stat(run: ChildRun, name: str) -> float:
    match = re.search(rf"'{re.escape(name)}': ([\d.]+)", run.stderr)
    return float(match.group(1)) if match else 0.0


def median_of(repeat: int, measure: Callable[[], float]) -> tuple[float, list[float]]:
    times = [measure() for _ in range(repeat)]
    return statistics.median(times), times


# -- the measurements ----------------------------------------------------------


@dataclass
class Results:
    pages: int
    repeat: int
    bare: list[float]
    naive: list[float]
    newsdesk: list[float]
    second: list[float]
    articles_new: int
    naive_lines: int
    extract_seconds: float
    extract_articles: int
    rss: dict[int, ChildRun]  # the smallest size's pages, repeated in the larger sites
    rss_whole: dict[int, ChildRun]  # the whole corpus, cycled
    second_article_requests: int
    queries: list[QueryTiming]


def bare_trafilatura(pages: list[CorpusPage]) -> float:
    started = time.perf_counter()
    for page in pages:
        trafilatura.extract(page.html, with_metadata=True)
    return time.perf_counter() - started


def measure(corpus: Path, n: int, repeat: int, rss_sizes: list[int], figures: list[int]) -> Results:
    pages = site_pages(corpus, n)
    paths = [p.path for p in pages]
    site = CorpusSite(pages, sitemap=paths)
    bare = [bare_trafilatura(pages) for _ in range(repeat)]
    print(f"(a) bare trafilatura: {[round(t, 2) for t in bare]}", flush=True)
    naive, news, second = [], [], []
    naive_lines = articles_new = second_requests = 0
    extract_seconds = 0.0
    with site.serve() as server, tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources.toml"
        sources.write_text(sources_toml(server.base_url, n), encoding="utf-8")
        for rep in range(repeat):
            out = Path(tmp) / f"naive{rep}.jsonl"
            naive.append(run_child(["bench.naive_spider", server.base_url, str(out)]).seconds)
            naive_lines = sum(1 for _ in out.open(encoding="utf-8"))
            db = Path(tmp) / f"run{rep}.db"
            first = newsdesk_run(sources, db)
            news.append(first.seconds)
            articles_new = int(stat(first, "newsdesk/articles_new"))
            extract_seconds = stat(first, "newsdesk/extract_seconds")
            server.requests.clear()
            second.append(newsdesk_run(sources, db).seconds)
            second_requests = len([r for r in server.requests if r.startswith("/a/")])
            print(
                f"rep {rep + 1}: (b) {naive[-1]:.2f}s ({naive_lines} lines)  "
                f"(c) {news[-1]:.2f}s ({articles_new} new)  (d) {second[-1]:.2f}s",
                flush=True,
            )
    rss, rss_whole = measure_rss_variants(corpus, rss_sizes)
    queries = [time_figures_query(count) for count in figures]
    return Results(
        n,
        repeat,
        bare,
        naive,
        news,
        second,
        articles_new,
        naive_lines,
        extract_seconds,
        articles_new,
        rss,
        rss_whole,
        second_requests,
        queries,
    )


def measure_rss(corpus: Path, sizes: list[int], distinct: int | None = None) -> dict[int, ChildRun]:
    """(e): one first `newsdesk run` per site size, watching its memory; `distinct` as in
    `site_pages`."""
    rss = {}
    for size in sizes:
        pages = site_pages(corpus, size, distinct)
        site = CorpusSite(pages, sitemap=[p.path for p in pages])
        with site.serve() as server, tempfile.TemporaryDirectory() as tmp:
            sources = Path(tmp) / "sources.toml"
            sources.write_text(sources_toml(server.base_url, size), encoding="utf-8")
            rss[size] = newsdesk_run(sources, Path(tmp) / "rss.db")
        print(
            f"(e) N={size} ({distinct or 'all'} distinct pages): {rss[size].seconds:.1f}s, "
            "peak RSS crawl process "
            f"{rss[size].peak_rss_mib:.0f} MiB, largest worker "
            f"{rss[size].peak_worker_rss_mib:.0f} MiB, all together "
            f"{rss[size].peak_tree_rss_mib:.0f} MiB",
            flush=True,
        )
    return rss


def measure_rss_variants(
    corpus: Path, sizes: list[int]
) -> tuple[dict[int, ChildRun], dict[int, ChildRun]]:
    """(e) on the smallest size's pages repeated, and on the whole corpus cycled.

    At the smallest size both sites are the same pages, so that run serves both.
    """
    small = min(sizes)
    same = measure_rss(corpus, sizes, distinct=small)
    whole = {small: same[small], **measure_rss(corpus, [s for s in sizes if s != small])}
    return same, whole


# -- the report -----------------------------------------------------------------


def rss_table(rss: dict[int, ChildRun]) -> list[str]:
    sizes = sorted(rss)
    lines = [
        "| pages | seconds | peak RSS, crawl process | largest extraction worker "
        "| crawl + workers together |",
        "|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        run = rss[size]
        lines.append(
            f"| {size} | {run.seconds:.1f} | {run.peak_rss_mib:.0f} MiB | "
            f"{run.peak_worker_rss_mib:.0f} MiB | {run.peak_tree_rss_mib:.0f} MiB |"
        )
    growth, worker_growth, tree_growth = rss_growth(rss)
    lines += [
        "",
        f"Growth from {sizes[0]} to {sizes[-1]} pages: crawl process {growth:+.1%}, "
        f"largest worker {worker_growth:+.1%}, everything together {tree_growth:+.1%}.",
    ]
    return lines


def rss_section(rss: dict[int, ChildRun], rss_whole: dict[int, ChildRun]) -> list[str]:
    small = min(rss)
    return [
        f"Same pages, more of them: the first {small} corpus pages, served again under new "
        "paths (/a/<n>.html) in the larger site, so they are fetched and extracted again "
        "and stored as syndicated copies (duplicate_of). Only the crawl's size changes.",
        "",
        *rss_table(rss),
        "",
        "The whole corpus, cycled (about 1,390 pages, then again under new paths): the "
        f"larger site also holds the pages past the first {small}, which are heavier (8 of "
        "the corpus's 20 pages over 1 MB, its 3 largest among them), so its peaks measure "
        "those pages as well as the crawl's size.",
        "",
        *rss_table(rss_whole),
        "",
        "Workers are replaced after NEWSDESK_EXTRACT_WORKER_PAGES (500) pages each, and the "
        "crawl process keeps glibc's mmap threshold fixed so that large response bodies do "
        "not fragment its heap. Peaks are read from /proc every 50 ms (VmHWM per process; "
        "the sum of VmRSS for the total).",
    ]


def rss_growth(rss: dict[int, ChildRun]) -> tuple[float, float, float]:
    """Peak growth from the smallest to the largest run: crawl process, largest worker,
    all processes together."""
    sizes = sorted(rss)
    lo, hi = rss[sizes[0]], rss[sizes[-1]]
    return (
        hi.peak_rss_mib / lo.peak_rss_mib - 1,
        hi.peak_worker_rss_mib / lo.peak_worker_rss_mib - 1,
        hi.peak_tree_rss_mib / lo.peak_tree_rss_mib - 1,
    )


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def report(r: Results) -> str:
    med = statistics.median
    a, b, c, d = med(r.bare), med(r.naive), med(r.newsdesk), med(r.second)
    per = 1000 / r.pages
    sizes = sorted(r.rss)
    growth, worker_growth, tree_growth = rss_growth(r.rss)
    whole = rss_growth(r.rss_whole)
    extract_share = r.extract_seconds / (c * CORES) if c else 0.0
    extract_ms = 1000 * r.extract_seconds / max(r.extract_articles, 1)
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` (`python -m bench.compare --pages {r.pages} "
        f"--repeat {r.repeat}`) on {platform.machine()} Linux, **{CORES} cores**, "
        f"Python {platform.python_version()}, trafilatura {trafilatura.__version__}; "
        f"{time.strftime('%Y-%m-%d', time.gmtime())}. Medians of {r.repeat} runs; every "
        "run of (b), (c), (d) is a fresh process against the same local site on 127.0.0.1 "
        "(robots.txt -> sitemap index -> gzipped sitemap), politeness off "
        "(AUTOTHROTTLE off, DOWNLOAD_DELAY 0, 32 concurrent requests). Load average "
        f"when the report was written: {os.getloadavg()[0]:.1f} (other work on the "
        "machine slows every column; compare the ratios of one run).",
        "",
        "| | what | median s | ms/page | runs (s) |",
        "|---|---|---:|---:|---|",
        f"| (a) | bare `trafilatura.extract` over the {r.pages} pages, one process | "
        f"{a:.2f} | {a * per:.1f} | {_runs(r.bare)} |",
        f"| (b) | naive Scrapy spider, trafilatura in the callback, JSON lines "
        f"({r.naive_lines} lines) | {b:.2f} | {b * per:.1f} | {_runs(r.naive)} |",
        f"| (c) | `newsdesk run`, first run ({r.articles_new} new articles) | "
        f"{c:.2f} | {c * per:.1f} | {_runs(r.newsdesk)} |",
        f"| (d) | `newsdesk run`, second run (article pages requested: "
        f"{r.second_article_requests}) | {d:.2f} | | {_runs(r.second)} |",
        "",
        "Ratios: "
        f"(c)/(b) = **{c / b:.2f}** (speed-up over the naive spider (b)/(c) = {b / c:.2f}x); "
        f"(c)/(a) = **{c / a:.2f}**; (c) / ((a)/{CORES} cores) = **{c / (a / CORES):.2f}**; "
        f"(d)/(c) = {d / c:.1%}.",
        "",
        "(c) does more than (a) and (b): besides trafilatura's extraction it cleans the "
        "body, resolves dates and canonical URLs, extracts statements and figures, and "
        "writes everything to SQLite with full-text indexes.",
        "",
        "## (e) Peak memory of (c)",
        "",
        *rss_section(r.rss, r.rss_whole),
        "",
        "## (f) The extractor's share",
        "",
        f"In (c), extraction (`extract_page`: trafilatura, cleaning, statements, figures) "
        f"took {r.extract_seconds:.1f} s of worker time over {r.pages} pages "
        f"({extract_ms:.1f} ms per stored article), "
        f"{extract_share:.0%} of the {CORES} cores x {c:.1f} s wall time the run had; "
        "the rest is downloading, discovery, the known-URL checks, pickling to and from "
        "the workers, SQLite writes and process start-up.",
        "",
        "## v_figures by day over a date range",
        "",
        "`SELECT day, COUNT(*), SUM(value) FROM v_figures WHERE day BETWEEN ? AND ? "
        "GROUP BY day` over a 7-day range holding the same rows in both databases "
        "(synthetic: 100 articles a day, 10 figures each; the larger database covers "
        "more days).",
        "",
        "| figures | median ms | plan |",
        "|---:|---:|---|",
    ]
    for q in r.queries:
        lines.append(f"| {q.figures:,} | {q.median_ms:.2f} | {'; '.join(q.plan)} |")
    q_growth = r.queries[-1].median_ms / r.queries[0].median_ms if len(r.queries) > 1 else 1
    full_scan = any(q.scans_figures for q in r.queries)
    lines += [
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
        f"| (c) at least 1.6x faster than (b) on 2 cores | {b / c:.2f}x on {CORES} cores | "
        f"{verdict(b / c >= 1.6)} |",
        f"| (c) within 1.3x of (a)/cores | {c / (a / CORES):.2f}x | "
        f"{verdict(c / (a / CORES) <= 1.3)} |",
        f"| peak RSS grows < 20% from {sizes[0]} to {sizes[-1]} pages (same pages) | "
        f"crawl process {growth:+.1%}, largest worker {worker_growth:+.1%}, all together "
        f"{tree_growth:+.1%} | {verdict(max(growth, worker_growth, tree_growth) < 0.2)} |",
        f"| the same, whole corpus cycled (heavier pages past the first {sizes[0]}) | "
        f"crawl process {whole[0]:+.1%}, largest worker {whole[1]:+.1%}, all together "
        f"{whole[2]:+.1%} | {verdict(max(whole) < 0.2)} |",
        f"| v_figures by day uses indexes (no full scan of figures) | "
        f"{'full scan' if full_scan else 'no full scan'} | {verdict(not full_scan)} |",
        f"| its time grows < 2x from 100,000 to 1,000,000 figures | {q_growth:.2f}x | "
        f"{verdict(q_growth < 2)} |",
        "",
        "Reproduce: `make bench` (full) or `make bench BENCH_ARGS=--quick`; needs "
        "../shared/corpus (or NEWSDESK_SHARED).",
        "",
    ]
    return "\n".join(lines)


def _runs(times: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rss-pages", type=int, nargs="+", default=None)
    parser.add_argument("--quick", action="store_true", help="200 pages, 1 run, small RSS runs")
    parser.add_argument("--rss-only", action="store_true", help="only (e); print its table")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "BENCHMARKS.md")
    args = parser.parse_args()
    corpus = corpus_dir()
    if not (corpus / "index.csv").exists():
        raise SystemExit(f"corpus not found at {corpus}; set NEWSDESK_SHARED")
    if args.quick:
        args.pages, args.repeat = min(args.pages, 200), 1
        rss_sizes, figures = args.rss_pages or [200, 1000], [10_000, 100_000]
    else:
        rss_sizes, figures = args.rss_pages or [1000, 5000], [100_000, 1_000_000]
    if args.rss_only:
        rss, rss_whole = measure_rss_variants(corpus, rss_sizes)
        print("\n".join(rss_section(rss, rss_whole)))
        return
    results = measure(corpus, args.pages, args.repeat, rss_sizes, figures)
    text = report(results)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
