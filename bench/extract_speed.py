"""How much do statements and figures cost next to trafilatura? (target: <= 15%)

Runs, on the same corpus articles in one process: trafilatura's extraction of the
HTML, then newsdesk's statement and figure extractors on the extracted body. Prints
medians per article and the ratio of the medians, and the ratio of the totals.

Times are CPU time of this process (time.process_time), so that other work on a shared
machine counts less, and the two sides are timed article by article, so that what
disturbs one disturbs the other too. Each side keeps its fastest of R repeats. The
segmenter caches its results per text (the statement and figure extractors share them),
so a repeat on the same body skips segmentation unless --cold clears that cache first.

    python -m bench.extract_speed [--limit N] [--repeat R] [--cold]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import statistics
import time
from functools import partial
from pathlib import Path

import trafilatura

from extract.figures import extract_figures
from extract.segment import clear_caches
from extract.statements import extract_statements
from extract.text import clean_body

REPO_ROOT = Path(__file__).resolve().parents[1]


def corpus_dir() -> Path:
    return Path(os.environ.get("NEWSDESK_SHARED", REPO_ROOT.parent / "shared")) / "corpus"


def english_pages(limit: int) -> list[bytes]:
    rows = csv.DictReader((corpus_dir() / "index.csv").open(encoding="utf-8"))
    paths = [r["path"] for r in rows if r["language"] == "en"][:limit]
    return [gzip.decompress((corpus_dir() / p).read_bytes()) for p in paths]


def best_of(repeat: int, func, *args, before=None) -> float:
    """The fastest of `repeat` timings: the least disturbed by the rest of the machine.
    `before` runs untimed ahead of each repeat."""
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.process_time()
        func(*args)
        times.append(time.process_time() - started)
    return min(times)


def analyse(body: str) -> None:
    extract_figures(body, extract_statements(body))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--cold", action="store_true", help="segment each body anew in every repeat"
    )
    parser.add_argument(
        "--with-metadata",
        action="store_true",
        help="time trafilatura as newsdesk runs it (with metadata) instead of its default",
    )
    args = parser.parse_args()
    baseline = partial(trafilatura.extract, with_metadata=args.with_metadata)
    if not (corpus_dir() / "index.csv").exists():
        raise SystemExit(f"corpus not found at {corpus_dir()}; set NEWSDESK_SHARED")
    pages = english_pages(args.limit)
    traf_times, ours_times, chars = [], [], 0
    for html in pages:
        text = trafilatura.extract(html, with_metadata=False)
        if not text or len(text) < 200:
            continue
        body = clean_body(text)
        chars += len(body)
        traf_times.append(best_of(args.repeat, baseline, html))
        cold = clear_caches if args.cold else None
        ours_times.append(best_of(args.repeat, analyse, body, before=cold))
    n = len(traf_times)
    traf_median, ours_median = statistics.median(traf_times), statistics.median(ours_times)
    print(f"articles: {n} (English corpus pages with a body of 200+ chars), {chars} body chars")
    label = "trafilatura (metadata)" if args.with_metadata else "trafilatura.extract"
    print(f"{label:<26} median {traf_median * 1000:8.2f} ms/article")
    print(f"statements + figures       median {ours_median * 1000:8.2f} ms/article")
    print(f"ratio of medians           {ours_median / traf_median:8.1%}  (target <= 15%)")
    print(f"ratio of totals            {sum(ours_times) / sum(traf_times):8.1%}")


if __name__ == "__main__":
    main()
