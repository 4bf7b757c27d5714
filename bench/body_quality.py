"""Body quality of newsdesk against plain trafilatura on three annotated sets, in one run.

- trafilatura's own evaluation set (../shared/corpus/trafilatura, 990 annotated pages):
  snippets that must and must not appear in the body, scored as trafilatura's
  tests/eval_common.py does (whitespace-normalised substring matching, counts pooled over
  pages); per language (all, de, en) precision/recall/F1 of newsdesk's article body and of
  `trafilatura.extract` with its defaults on the same bytes, and the pages newsdesk
  refused with their reasons.
- AEB (scrapinghub/article-extraction-benchmark, 181 pages): body P/R/F1 as its
  evaluate.py computes them (token 4-gram shingles, macro-averaged over pages).
- fundus (101 pages): published day equal to the expected publishing date.

A page newsdesk refuses (`NotAnArticle`) is an empty body in every score.

    python -m bench.body_quality [--sets traf,aeb,fundus] [--only SUBSTR]... [--pages-out F]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import trafilatura

from bench.extract_speed import corpus_dir
from extract.article import NotAnArticle, extract_article

# --- trafilatura's evaluation set --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EvalPage:
    """One annotated page of trafilatura's evaluation set."""

    key: str
    path: Path
    url: str | None
    language: str
    must: tuple[str, ...]
    must_not: tuple[str, ...]


@dataclass(slots=True)
class Counts:
    """Snippet counts pooled over pages, as trafilatura's eval_common.py keeps them."""

    tp: int = 0  # a `with` snippet found
    fn: int = 0  # a `with` snippet missing
    fp: int = 0  # a `without` snippet found
    tn: int = 0  # a `without` snippet absent

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fn += other.fn
        self.fp += other.fp
        self.tn += other.tn

    def scores(self) -> tuple[float, float, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1


@dataclass(frozen=True, slots=True)
class PageResult:
    """Both extractors on one page, for the report and for iterating on failures."""

    key: str
    file: str
    language: str
    refused: str | None
    ours: Counts
    theirs: Counts
    missed: tuple[str, ...]  # `with` snippets newsdesk lost
    kept_boilerplate: tuple[str, ...]  # `without` snippets newsdesk kept


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def score_snippets(body: str, must: Iterable[str], must_not: Iterable[str]) -> Counts:
    """TP/FN over the snippets that must appear, FP/TN over those that must not."""
    text = _squeeze(body)
    counts = Counts()
    for snippet in must:
        if _squeeze(snippet) in text:
            counts.tp += 1
        else:
            counts.fn += 1
    for snippet in must_not:
        if _squeeze(snippet) in text:
            counts.fp += 1
        else:
            counts.tn += 1
    return counts


def eval_pages(corpus: Path) -> list[EvalPage]:
    """The annotated pages, in evaldata.json's order, with index.csv's language."""
    root = corpus / "trafilatura"
    evaldata = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    with (corpus / "index.csv").open(encoding="utf-8") as handle:
        languages = {row["path"]: row["language"] for row in csv.DictReader(handle)}
    pages = []
    for key, item in evaldata.items():
        path = root / "cache" / (item["file"] + ".gz")
        if not path.exists():
            path = root / "eval" / (item["file"] + ".gz")
        language = languages.get(path.relative_to(corpus).as_posix(), "")
        pages.append(
            EvalPage(
                key=key,
                path=path,
                url=key if key.startswith(("http://", "https://")) else None,
                language=language,
                must=tuple(s for s in item["with"] if s),
                must_not=tuple(s for s in item["without"] if s),
            )
        )
    return pages


def newsdesk_body(html: bytes, url: str | None) -> tuple[str, str | None]:
    """newsdesk's article body, or "" and the reason it refused the page."""
    try:
        return extract_article(html, url).body, None
    except NotAnArticle as refused:
        return "", refused.reason


def run_eval_set(pages: list[EvalPage]) -> Iterator[PageResult]:
    for page in pages:
        html = gzip.decompress(page.path.read_bytes())
        body, refused = newsdesk_body(html, page.url)
        theirs = trafilatura.extract(html) or ""
        text = _squeeze(body)
        yield PageResult(
            key=page.key,
            file=page.path.name,
            language=page.language,
            refused=refused,
            ours=score_snippets(body, page.must, page.must_not),
            theirs=score_snippets(theirs, page.must, page.must_not),
            missed=tuple(s for s in page.must if _squeeze(s) not in text),
            kept_boilerplate=tuple(s for s in page.must_not if _squeeze(s) in text),
        )


def eval_set_report(results: list[PageResult]) -> list[str]:
    """Markdown: P/R/F1 per language for both extractors, then the refused pages."""
    lines = [
        "| pages | newsdesk P / R / F1 | trafilatura P / R / F1 |",
        "|---|---|---|",
    ]
    for language in ("all", "de", "en"):
        chosen = [r for r in results if language in ("all", r.language)]
        ours, theirs = Counts(), Counts()
        for result in chosen:
            ours.add(result.ours)
            theirs.add(result.theirs)
        lines.append(
            f"| {language} {len(chosen)} | {_prf(ours)} | {_prf(theirs)} |",
        )
    refused = [r for r in results if r.refused]
    reasons = Counter(re.sub(r"\s*\(.*", "", r.refused or "") for r in refused)
    summary = ", ".join(f"{n} {reason}" for reason, n in reasons.most_common())
    lines.append("")
    lines.append(f"refused by newsdesk: {len(refused)} pages" + (f" ({summary})" * bool(summary)))
    lines.extend(f"- {r.file}: {r.refused}" for r in refused)
    return lines


def _prf(counts: Counts) -> str:
    return " / ".join(f"{v:.3f}" for v in counts.scores())


# --- AEB ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+")


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def aeb_tp_fp_fn(true: str, pred: str) -> tuple[float, float, float]:
    """One page's shingle TP/FP/FN, normalised to sum 1 (AEB's evaluate.py)."""
    t, p = _shingles(true), _shingles(pred)
    tp, fp, fn = sum((t & p).values()), sum((p - t).values()), sum((t - p).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def aeb_scores(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Macro precision (pages with a prediction), recall (pages with truth), their F1."""

    def precision(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean(precision(*r) for r in rows if r[0] + r[1] > 0)
    r = statistics.mean(recall(*r) for r in rows if r[0] + r[2] > 0)
    return p, r, 2 * p * r / (p + r)


def run_aeb(corpus: Path) -> list[str]:
    root = corpus / "aeb"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    ours, plain = [], []
    for key, item in truth.items():
        html = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        expected = item["articleBody"]
        ours.append(aeb_tp_fp_fn(expected, newsdesk_body(html, item.get("url"))[0]))
        plain.append(aeb_tp_fp_fn(expected, trafilatura.extract(html.decode("utf-8")) or ""))
    scores = {"newsdesk": aeb_scores(ours), "trafilatura": aeb_scores(plain)}
    parts = [f"{name} P/R/F1 {p:.5f} / {r:.5f} / {f:.5f}" for name, (p, r, f) in scores.items()]
    return [f"AEB body ({len(truth)} pages, macro): " + "; ".join(parts)]


# --- fundus dates ------------------------------------------------------------------------


def run_fundus(corpus: Path) -> list[str]:
    root = corpus / "fundus"
    pages = json.loads((root / "pages.json").read_text(encoding="utf-8"))
    right, wrong = 0, []
    for page in pages:
        expected = json.loads((root / page["expected"]).read_text(encoding="utf-8"))
        day = (expected[page["parser_version"]].get("publishing_date") or "")[:10]
        html = gzip.decompress((root / page["path"]).read_bytes())
        try:
            published = extract_article(html, page["url"]).published
        except NotAnArticle as refused:
            wrong.append(f"- {page['path']}: refused ({refused.reason})")
            continue
        if (published or "")[:10] == day:
            right += 1
        else:
            wrong.append(f"- {page['path']}: {published} (expected {day})")
    return [f"fundus published day: {right}/{len(pages)}", *wrong]


# --- command line -------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="traf,aeb,fundus", help="any of traf,aeb,fundus")
    parser.add_argument(
        "--only", action="append", default=[], help="trafilatura set: files containing this"
    )
    parser.add_argument("--pages-out", type=Path, help="trafilatura set: per-page JSON lines")
    args = parser.parse_args(argv)
    corpus = corpus_dir()
    if not (corpus / "trafilatura" / "evaldata.json").exists():
        print(f"body_quality: corpus not found at {corpus} (set NEWSDESK_SHARED)", file=sys.stderr)
        return 1
    sets = set(args.sets.split(","))
    if "traf" in sets:
        started = time.perf_counter()
        pages = eval_pages(corpus)
        if args.only:
            pages = [p for p in pages if any(o in p.path.name for o in args.only)]
        results = list(run_eval_set(pages))
        print(f"trafilatura evaluation set ({time.perf_counter() - started:.0f} s)")
        print("\n".join(eval_set_report(results)))
        if args.pages_out:
            with args.pages_out.open("w", encoding="utf-8") as out:
                for result in results:
                    out.write(json.dumps(asdict(result), ensure_ascii=False) + "\n")
    if "aeb" in sets:
        print("\n".join(run_aeb(corpus)))
    if "fundus" in sets:
        print("\n".join(run_fundus(corpus)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
