"""Run the extractors over a gold set and score them (`newsdesk eval`).

Two gold formats (extract/evaluation.py): tests/gold's files point into texts that are
read in place from the shared corpus beside the checkout (or $NEWSDESK_SHARED) and are
never copied into the repository; files that carry their own `text` (../shared/gold-dev)
are scored on that text. Every unmatched item is classified (extract/miss_classes.py)
so the report can group misses by class.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from pathlib import Path

from extract.evaluation import (
    FileMatch,
    FileScore,
    GoldFile,
    GoldFormatError,
    MatchCounts,
    TextRef,
    locate,
    match_file,
    parse_gold,
    score_file,
    total,
    worst_files,
)
from extract.miss_classes import Miss, NumberItem, QuoteItem, classify_file
from extract.records import Figure, Statement
from extract.text import body_sha256, clean_body, seed_body

REPO_ROOT = Path(__file__).resolve().parents[1]


class TextUnavailable(Exception):
    """The text a gold file annotates cannot be read here (e.g. no shared corpus)."""


class ExtractorMissing(RuntimeError):
    """extract.statements / extract.figures are not importable."""


def default_gold_dir() -> Path:
    return REPO_ROOT / "tests" / "gold"


def shared_dir() -> Path:
    """The read-only corpus and seeds: $NEWSDESK_SHARED, else `shared` beside the checkout."""
    return Path(os.environ.get("NEWSDESK_SHARED", REPO_ROOT.parent / "shared"))


def load_gold_files(gold_dir: Path) -> list[GoldFile]:
    """Every *.json in gold_dir, parsed; raises GoldFormatError naming the bad file."""
    files = []
    for path in sorted(Path(gold_dir).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise GoldFormatError(f"{path.name}: not valid JSON ({exc})") from exc
        files.append(parse_gold(data, path.stem))
    return files


# --- text resolvers, one per text.kind ------------------------------------------------


@lru_cache(maxsize=4)
def _read_json(path: Path) -> object:
    if not path.exists():
        raise TextUnavailable(f"{path} not found")
    return json.loads(path.read_text(encoding="utf-8"))


def _aeb_text(key: str, shared: Path) -> str:
    ground_truth = _read_json(shared / "corpus" / "aeb" / "ground-truth.json")
    if key not in ground_truth:
        raise TextUnavailable(f"AEB id {key} not in ground-truth.json")
    return clean_body(ground_truth[key]["articleBody"])


def _fundus_text(key: str, shared: Path) -> str:
    root = shared / "corpus" / "fundus"
    pages = _read_json(root / "pages.json")
    page = next((p for p in pages if p["path"] == key), None)
    if page is None:
        raise TextUnavailable(f"fundus page {key} not in pages.json")
    expected = _read_json(root / page["expected"])[page["parser_version"]]
    body = expected["body"]
    parts = list(body.get("summary", []))
    for section in body.get("sections", []):
        parts += section.get("headline", []) + section.get("paragraphs", [])
    return clean_body("\n\n".join(parts))


def _seed_text(key: str, shared: Path) -> str:
    path = shared / "seeds" / key
    if not path.exists():
        raise TextUnavailable(f"{path} not found")
    return seed_body(path.read_text(encoding="utf-8"))[0]


def _demo_text(key: str, shared: Path) -> str:
    # The demo site ships inside the package, so it resolves on any machine.
    try:
        from jobs.demo import load_demo_articles

        articles = load_demo_articles()
    except (ImportError, OSError) as exc:
        raise TextUnavailable(f"demo articles cannot be loaded: {exc}") from exc
    article = next((a for a in articles if a.slug == key), None)
    if article is None:
        raise TextUnavailable(f"demo article {key} not found")
    return clean_body(article.body_text)


_RESOLVERS: dict[str, Callable[[str, Path], str]] = {
    "aeb": _aeb_text,
    "fundus": _fundus_text,
    "seed": _seed_text,
    "demo": _demo_text,
}


def resolve_text(ref: TextRef, shared: Path | None = None) -> str:
    """The cleaned text a gold file annotates; raises TextUnavailable with the reason."""
    return _RESOLVERS[ref.kind](ref.key, shared if shared is not None else shared_dir())


# --- evaluation -----------------------------------------------------------------------

Extractor = Callable[[str], tuple[Sequence[Statement], Sequence[Figure]]]


def default_extractor() -> Extractor:
    """extract_statements + extract_figures, imported only when an evaluation runs."""
    try:
        # Looked up at run time: the extractors are optional for loading and
        # validating gold files, and a clear message beats a bare ImportError.
        extract_statements = import_module("extract.statements").extract_statements
        extract_figures = import_module("extract.figures").extract_figures
    except (ImportError, AttributeError) as exc:
        raise ExtractorMissing(
            "newsdesk eval needs extract.statements.extract_statements and "
            f"extract.figures.extract_figures: {exc}"
        ) from exc

    def run(body: str) -> tuple[Sequence[Statement], Sequence[Figure]]:
        statements = list(extract_statements(body))
        return statements, list(extract_figures(body, statements))

    return run


@dataclass(frozen=True, slots=True)
class EvalReport:
    gold_dir: str
    files: tuple[FileScore, ...]
    skipped: tuple[tuple[str, str], ...]  # (gold file, reason the text is absent)
    stale: tuple[str, ...]  # gold files whose text_sha256 no longer matches the text
    statements: MatchCounts
    figures: MatchCounts
    misses: tuple[Miss, ...] = ()  # every unmatched gold or predicted item, classified

    @property
    def worst(self) -> list[FileScore]:
        return worst_files(self.files)


def _gold_body(gold: GoldFile, shared: Path | None) -> str:
    """The cleaned text the gold file annotates; TextUnavailable or StaleGold when unusable."""
    if gold.own_text is not None:
        # As `newsdesk extract --text` reads it, so scores agree with the official scorer.
        return clean_body(gold.own_text)
    assert gold.text is not None
    body = resolve_text(gold.text, shared)
    if body_sha256(body) != gold.text_sha256:
        raise StaleGold(gold.name)
    return body


class StaleGold(Exception):
    """The text changed since the gold file was annotated (text_sha256 differs)."""


def _located(body: str, snippets: Sequence[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Spans in body of own-text gold items, searched in text order (see locate)."""
    spans, cursor = [], 0
    for snippet, _, _ in snippets:
        span = locate(body, snippet, cursor)
        cursor = max(cursor, span[0])
        spans.append(span)
    return spans


def _gold_items(gold: GoldFile, body: str) -> tuple[list[QuoteItem], list[NumberItem]]:
    if gold.matched_by_content:
        quotes = [(s.quote or "", s.start, s.end) for s in gold.statements]
        numbers = [(f.text or "", f.start, f.end) for f in gold.figures]
        quote_spans, number_spans = _located(body, quotes), _located(body, numbers)
    else:
        quote_spans = [(s.start, s.end) for s in gold.statements]
        number_spans = [(f.start, f.end) for f in gold.figures]
    statements = [
        QuoteItem(s.speaker, s.speaker_role, s.kind, s.cue, s.quote or body[a:b], a, b)
        for s, (a, b) in zip(gold.statements, quote_spans, strict=True)
    ]
    figures = [
        NumberItem(f.value, f.value_max, f.unit, f.object, f.text or body[a:b], a, b)
        for f, (a, b) in zip(gold.figures, number_spans, strict=True)
    ]
    return statements, figures


def _classified_misses(
    gold: GoldFile,
    body: str,
    statements: Sequence[Statement],
    figures: Sequence[Figure],
    matched: FileMatch,
) -> list[Miss]:
    gold_quotes, gold_numbers = _gold_items(gold, body)
    predicted_quotes = [
        QuoteItem(s.speaker, s.speaker_role, s.kind, s.cue, s.quote, s.start, s.end)
        for s in statements
    ]
    predicted_numbers = [
        NumberItem(f.value, f.value_max, f.unit, f.object, f.text, f.start, f.end) for f in figures
    ]
    return classify_file(
        gold.name,
        body,
        gold_quotes,
        predicted_quotes,
        matched.statement_pairs,
        gold_numbers,
        predicted_numbers,
        matched.figure_pairs,
    )


def evaluate_gold(
    gold_dir: Path | str | None = None,
    *,
    shared: Path | None = None,
    extractor: Extractor | None = None,
) -> EvalReport:
    """Score the extractors on every gold file whose text is available and current."""
    gold_dir = Path(gold_dir) if gold_dir is not None else default_gold_dir()
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"gold directory {gold_dir} not found")
    scores, skipped, stale, misses = [], [], [], []
    for gold in load_gold_files(gold_dir):
        try:
            body = _gold_body(gold, shared)
        except TextUnavailable as exc:
            skipped.append((gold.name, str(exc)))
            continue
        except StaleGold:
            stale.append(gold.name)
            continue
        if extractor is None:
            extractor = default_extractor()
        statements, figures = extractor(body)
        matched = match_file(gold, body, statements, figures)
        scores.append(score_file(gold, body, statements, figures, matched))
        misses += _classified_misses(gold, body, statements, figures, matched)
    statement_total, figure_total = total(scores)
    return EvalReport(
        gold_dir=str(gold_dir),
        files=tuple(scores),
        skipped=tuple(skipped),
        stale=tuple(stale),
        statements=statement_total,
        figures=figure_total,
        misses=tuple(misses),
    )


def _prf(label: str, c: MatchCounts) -> str:
    return (
        f"{label:<11} P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}"
        f"  (gold {c.gold}, predicted {c.predicted}, matched {c.matched})"
    )


CROWDED_CLASS = 10

_MISS_GROUPS = (
    ("statement", "missed", "statements missed"),
    ("statement", "extra", "statements predicted but not in the gold"),
    ("figure", "missed", "figures missed"),
    ("figure", "extra", "figures predicted but not in the gold"),
)


def _miss_lines(misses: Sequence[Miss], list_items: bool, only: str | None) -> list[str]:
    """Per group, each class with its count (largest first), and its items when asked."""
    lines = []
    crowded = Counter()  # issue 12's bar: no class of misses with more than 10
    for item, side, title in _MISS_GROUPS:
        group = [m for m in misses if m.item == item and m.side == side]
        if not group:
            continue
        lines.append(f"{title}: {len(group)}, by class")
        counts = Counter(m.cls for m in group)
        if side == "missed":
            crowded[item] = sum(1 for n in counts.values() if n > CROWDED_CLASS)
        for cls, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {count:4}  {cls}")
            if list_items and (only is None or only.casefold() in cls.casefold()):
                lines += [f"          {m.file}: {m.summary}" for m in group if m.cls == cls]
    if misses:
        lines.append(
            f"classes with more than {CROWDED_CLASS} misses: statements {crowded['statement']}, "
            f"figures {crowded['figure']}"
        )
    return lines


def format_report(
    report: EvalReport, *, list_misses: bool = False, only_class: str | None = None
) -> str:
    """The text `newsdesk eval` prints; `list_misses` adds every miss under its class."""
    s, f = report.statements, report.figures
    both = s + f
    lines = [
        f"gold: {report.gold_dir}",
        f"files: {len(report.files)} scored, {len(report.skipped)} skipped, "
        f"{len(report.stale)} stale",
        _prf("statements", s),
        _prf("figures", f),
        f"attribute accuracy: {both.attribute_accuracy:.3f} overall; "
        f"statements (kind) {s.kind_accuracy:.3f}; figures (bound+unit) "
        f"{f.attribute_accuracy:.3f}, bound {f.bound_accuracy:.3f}, unit {f.unit_accuracy:.3f}",
        f"matched statements: kind {s.kind_accuracy:.3f}, cue {s.cue_accuracy:.3f}, "
        f"speaker_role {s.role_accuracy:.3f} (token F1 >= 0.5, null only equals null)",
    ]
    sources = sorted({score.source for score in report.files})
    if len(sources) > 1:
        # The demo texts are the project's own and easier; report the corpus apart.
        lines.append("by text source (P/R/F1 statements; P/R/F1 figures):")
        for source in sources:
            mine = [x for x in report.files if x.source == source]
            st, fi = total(mine)
            lines.append(
                f"  {source:<7} {len(mine):3} files  {st.precision:.3f}/{st.recall:.3f}/"
                f"{st.f1:.3f}; {fi.precision:.3f}/{fi.recall:.3f}/{fi.f1:.3f}"
            )
    lines += _miss_lines(report.misses, list_misses, only_class)
    if report.files:
        lines.append("worst files (F1 over statements and figures):")
        for score in report.worst:
            st, fi = score.statements, score.figures
            lines.append(
                f"  {score.name}: F1 {score.combined.f1:.3f}; statements {st.matched}/{st.gold} "
                f"matched, {st.predicted} predicted; figures {fi.matched}/{fi.gold} matched, "
                f"{fi.predicted} predicted"
            )
    for name, reason in report.skipped:
        lines.append(f"skipped {name}: {reason}")
    for name in report.stale:
        lines.append(f"stale {name}: text_sha256 differs from the current text, re-annotate")
    return "\n".join(lines)
