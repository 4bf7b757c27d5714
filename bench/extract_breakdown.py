"""Where `extract_page` spends its time, next to plain `trafilatura.extract`, per page.

Runs both over the same corpus pages in one process, page by page in turn (so that what
disturbs one disturbs the other), after a warm-up pass; CPU time (time.process_time).
Then one more pass of `extract_page` with its steps timed: each step is wrapped in a
timer for this measurement only (the wrappers add well under 1% here).

    python -m bench.extract_breakdown [--pages N] [--repeat R]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import trafilatura

import extract.article
import extract.page
from bench.compare import site_pages
from bench.extract_speed import corpus_dir
from extract.article import NotAnArticle

# (module, function name, label): the steps of extract_page, outermost first.
STEPS = (
    (extract.article, "_parse", "decode and parse the HTML"),
    (extract.article, "_main_text", "trafilatura: main text"),
    (extract.article, "page_metadata", "trafilatura: metadata (title, author, date...)"),
    (extract.article, "clean_body", "clean the body"),
    (extract.article, "_looks_like_listing", "listing checks"),
    (extract.article, "_published", "published date"),
    (extract.article, "_language", "language"),
    (extract.article, "cited_sources", "cited sources"),
    (extract.page, "analyse_body", "statements and figures"),
)


def _page(html: bytes, url: str) -> None:
    try:
        extract.page.extract_page(html, url)
    except NotAnArticle:
        pass


def _timed(spent: Counter[str], label: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - started

    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pages = [
        (p.html, f"http://127.0.0.1/a/{i}.html")
        for i, p in enumerate(site_pages(corpus_dir(), args.pages))
    ]
    for html, url in pages:  # warm-up: lazy imports, compiled patterns, lexicons
        _page(html, url)
        trafilatura.extract(html, with_metadata=True)
    # trafilatura.extract as (a) of bench.compare runs it (with metadata), and bare.
    baselines = {
        "trafilatura.extract(html, with_metadata=True)": {"with_metadata": True},
        "trafilatura.extract(html)": {},
    }
    ratios: dict[str, list[float]] = {name: [] for name in baselines}
    for rep in range(args.repeat):
        spent_on = dict.fromkeys(baselines, 0.0)
        ours = 0.0
        for html, url in pages:
            for name, options in baselines.items():
                started = time.process_time()
                trafilatura.extract(html, **options)
                spent_on[name] += time.process_time() - started
            started = time.process_time()
            _page(html, url)
            ours += time.process_time() - started
        print(f"run {rep + 1}: extract_page {1000 * ours / len(pages):.1f} ms/page")
        for name, seconds in spent_on.items():
            ratios[name].append(ours / seconds)
            per_page = 1000 * seconds / len(pages)
            print(f"  {name}: {per_page:.1f} ms/page, ratio {ours / seconds:.2f}")
    for name, values in ratios.items():
        print(f"median ratio extract_page / {name}: {statistics.median(values):.2f}")

    spent: Counter[str] = Counter()
    for module, name, label in STEPS:
        setattr(module, name, _timed(spent, label, getattr(module, name)))
    started = time.process_time()
    for html, url in pages:
        _page(html, url)
    total = time.process_time() - started
    print(f"\nextract_page, one pass over {len(pages)} pages: {1000 * total / len(pages):.1f} ms")
    for label, seconds in spent.most_common():
        print(f"  {1000 * seconds / len(pages):6.2f} ms  {seconds / total:5.1%}  {label}")
    rest = total - sum(spent.values())
    print(f"  {1000 * rest / len(pages):6.2f} ms  {rest / total:5.1%}  the rest")


if __name__ == "__main__":
    main()
