"""Run the extractors over the gold set and score them (`newsdesk eval`).

The gold files live in tests/gold (format: tests/gold/README.md); the texts they
annotate are read in place from the shared corpus beside the checkout (or
$NEWSDESK_SHARED) and are never copied into the repository.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from pathlib import Path

from extract.evaluation import (
    FileScore,
    GoldFile,
    GoldFormatError,
    MatchCounts,
    TextRef,
    parse_gold,
    score_file,
    total,
    worst_files,
)
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

    @property
    def worst(self) -> list[FileScore]:
        return worst_files(self.files)


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
    scores, skipped, stale = [], [], []
    for gold in load_gold_files(gold_dir):
        try:
            body = resolve_text(gold.text, shared)
        except TextUnavailable as exc:
            skipped.append((gold.name, str(exc)))
            continue
        if body_sha256(body) != gold.text_sha256:
            stale.append(gold.name)
            continue
        if extractor is None:
            extractor = default_extractor()
        statements, figures = extractor(body)
        scores.append(score_file(gold, body, statements, figures))
    statement_total, figure_total = total(scores)
    return EvalReport(
        gold_dir=str(gold_dir),
        files=tuple(scores),
        skipped=tuple(skipped),
        stale=tuple(stale),
        statements=statement_total,
        figures=figure_total,
    )


def _prf(label: str, c: MatchCounts) -> str:
    return (
        f"{label:<11} P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}"
        f"  (gold {c.gold}, predicted {c.predicted}, matched {c.matched})"
    )


def format_report(report: EvalReport) -> str:
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
    ]
    kinds = sorted({score.name.split("-", 1)[0] for score in report.files})
    if len(kinds) > 1:
        # The demo texts are the project's own and easier; report the corpus apart.
        lines.append("by text source (F1 statements / figures):")
        for kind in kinds:
            st, fi = total([x for x in report.files if x.name.split("-", 1)[0] == kind])
            count = sum(1 for x in report.files if x.name.split("-", 1)[0] == kind)
            lines.append(f"  {kind:<7} {count:3} files  {st.f1:.3f} / {fi.f1:.3f}")
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
