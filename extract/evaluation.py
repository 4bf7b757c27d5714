"""Scoring extractor output against the gold set (extraction-spec section 4).

Pure functions: the caller resolves the annotated text and runs the extractors
(see jobs/evaluate.py); this module only parses gold records and compares.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from extract.records import Bound, Figure, Statement, StatementKind

# The one key besides `kind` that locates the raw text (tests/gold/README.md).
TEXT_KEYS: Mapping[str, str] = {"aeb": "id", "fundus": "path", "seed": "file", "demo": "slug"}
KINDS: frozenset[str] = frozenset({"direct", "indirect"})
BOUNDS: frozenset[str] = frozenset({"exact", "at_least", "at_most", "about"})
QUOTE_F1_THRESHOLD = 0.5

# Last words that make a capitalised speaker an organisation rather than a person,
# so that "the General Staff" does not match a person called "Staff".
_ORG_HEADS = frozenset(
    """
    administration agency army association authority bank board bureau cabinet center centre
    church club command commission committee company corp corporation council court department
    depot federation force forces foundation government group guard house inc institute
    international league ltd ministry network news office organisation organization parliament
    party police post press service services staff times tribunal union university
    """.split()
)
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_LEADING_ARTICLES = frozenset({"the", "a", "an"})
_TOKEN = re.compile(r"\w+", re.UNICODE)


class GoldFormatError(ValueError):
    """A gold file does not follow tests/gold/README.md."""


@dataclass(frozen=True, slots=True)
class TextRef:
    """Where the annotated text comes from: `kind` plus its one locating key."""

    kind: str
    key: str


@dataclass(frozen=True, slots=True)
class GoldStatement:
    speaker: str
    speaker_role: str | None
    kind: StatementKind
    cue: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class GoldFigure:
    value: float
    value_max: float | None
    bound: Bound
    unit: str | None
    object: str | None
    action: str | None
    location: str | None
    period: str | None
    start: int
    end: int
    statement: int | None = None  # optional: index into the file's statements


@dataclass(frozen=True, slots=True)
class GoldFile:
    name: str
    text: TextRef
    text_sha256: str
    topic: str | None
    statements: tuple[GoldStatement, ...]
    figures: tuple[GoldFigure, ...]


def _span(item: Mapping[str, Any], where: str) -> tuple[int, int]:
    start, end = item.get("start"), item.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end:
        raise GoldFormatError(f"{where}: start/end must be integers with 0 <= start <= end")
    return start, end


def _opt_str(item: Mapping[str, Any], key: str, where: str) -> str | None:
    value = item.get(key)
    if value is not None and not isinstance(value, str):
        raise GoldFormatError(f"{where}: {key} must be a string or null")
    return value


def _opt_float(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise GoldFormatError(f"{where}: expected a number, got {value!r}")
    return float(value)


def parse_gold(data: Mapping[str, Any], name: str) -> GoldFile:
    """A gold record from the decoded JSON of one file; raises GoldFormatError."""
    text = data.get("text")
    if not isinstance(text, Mapping) or text.get("kind") not in TEXT_KEYS:
        raise GoldFormatError(f"{name}: text.kind must be one of {sorted(TEXT_KEYS)}")
    key = text.get(TEXT_KEYS[text["kind"]])
    if not isinstance(key, str) or not key:
        raise GoldFormatError(f"{name}: text.{TEXT_KEYS[text['kind']]} is missing")
    sha = data.get("text_sha256")
    if not isinstance(sha, str) or len(sha) != 64:
        raise GoldFormatError(f"{name}: text_sha256 must be a hex SHA-256")

    statements = []
    for i, item in enumerate(data.get("statements") or []):
        where = f"{name}: statements[{i}]"
        if not isinstance(item.get("speaker"), str) or not item["speaker"].strip():
            raise GoldFormatError(f"{where}: speaker is required")
        if item.get("kind") not in KINDS:
            raise GoldFormatError(f"{where}: kind must be one of {sorted(KINDS)}")
        start, end = _span(item, where)
        statements.append(
            GoldStatement(
                speaker=item["speaker"],
                speaker_role=_opt_str(item, "speaker_role", where),
                kind=item["kind"],
                cue=_opt_str(item, "cue", where),
                start=start,
                end=end,
            )
        )

    figures = []
    for i, item in enumerate(data.get("figures") or []):
        where = f"{name}: figures[{i}]"
        value = _opt_float(item.get("value"), where)
        if value is None:
            raise GoldFormatError(f"{where}: value is required")
        if item.get("bound") not in BOUNDS:
            raise GoldFormatError(f"{where}: bound must be one of {sorted(BOUNDS)}")
        statement = item.get("statement")
        if statement is not None and not (
            isinstance(statement, int) and 0 <= statement < len(statements)
        ):
            raise GoldFormatError(f"{where}: statement must index the file's statements")
        start, end = _span(item, where)
        figures.append(
            GoldFigure(
                value=value,
                value_max=_opt_float(item.get("value_max"), where),
                bound=item["bound"],
                unit=_opt_str(item, "unit", where),
                object=_opt_str(item, "object", where),
                action=_opt_str(item, "action", where),
                location=_opt_str(item, "location", where),
                period=_opt_str(item, "period", where),
                start=start,
                end=end,
                statement=statement,
            )
        )
    topic = data.get("topic")
    return GoldFile(
        name=name,
        text=TextRef(kind=text["kind"], key=key),
        text_sha256=sha,
        topic=topic if isinstance(topic, str) else None,
        statements=tuple(statements),
        figures=tuple(figures),
    )


# --- matching -------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def token_f1(gold: str, predicted: str) -> float:
    """Bag-of-tokens F1 of two strings (0.0 when either has no tokens)."""
    g, p = Counter(tokens(gold)), Counter(tokens(predicted))
    common = sum((g & p).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(g.values())
    return 2 * precision * recall / (precision + recall)


def _name_words(name: str) -> list[str]:
    # "Trump's" and "Trump" are the same speaker; a leading article says nothing.
    words = [re.sub(r"['’]s$", "", w) for w in re.findall(r"[\w'’.-]+", name)]
    words = [w.strip(".'’-") for w in words]
    words = [w for w in words if w]
    while words and words[0].casefold() in _LEADING_ARTICLES:
        words = words[1:]
    # "Patrick W. Carlineo Jr." is matched on Carlineo, not on the suffix.
    while len(words) > 1 and words[-1].casefold() in _NAME_SUFFIXES:
        words = words[:-1]
    return words


def _is_personal(words: Sequence[str]) -> bool:
    return (
        bool(words)
        and words[-1][:1].isupper()
        and words[-1].casefold() not in _ORG_HEADS
        and not words[-1].isupper()  # acronyms such as NASA, ISW are organisations
    )


def _head(words: Sequence[str]) -> str:
    """Head word of an organisation or description: the word before "of"/"for", else the last."""
    lowered = [w.casefold() for w in words]
    for i, w in enumerate(lowered):
        if w in {"of", "for", "at", "in"} and i > 0:
            return lowered[i - 1]
    return lowered[-1]


def _contains(longer: Sequence[str], shorter: Sequence[str]) -> bool:
    n = len(shorter)
    return any(list(longer[i : i + n]) == list(shorter) for i in range(len(longer) - n + 1))


def speakers_agree(gold: str, predicted: str) -> bool:
    """Spec section 4: case-insensitive; the last word of a personal name is enough.

    Organisations and descriptions ("the General Staff", "a spokesman for the
    company") match when one name is a run of the other's words with the same head
    word, so "General Staff" matches "the General Staff of the Armed Forces".
    """
    g, p = _name_words(gold), _name_words(predicted)
    if not g or not p:
        return False
    gl, pl = [w.casefold() for w in g], [w.casefold() for w in p]
    if gl == pl:
        return True
    if _is_personal(g) and _is_personal(p):
        return gl[-1] == pl[-1]
    longer, shorter = (gl, pl) if len(gl) >= len(pl) else (pl, gl)
    return _contains(longer, shorter) and _head(shorter) == _head(longer)


def _noun_forms(word: str) -> set[str]:
    """A noun and its plausible singular/plural twins ("attack"/"attacks", "city"/"cities")."""
    w = word.casefold()
    forms = {w, w + "s", w + "es"}
    if w.endswith("ies"):
        forms.add(w[:-3] + "y")
    if w.endswith("y"):
        forms.add(w[:-1] + "ies")
    if w.endswith("es"):
        forms.add(w[:-2])
    if w.endswith("s"):
        forms.add(w[:-1])
    if w.endswith("men"):
        forms.add(w[:-3] + "man")
    if w.endswith("man"):
        forms.add(w[:-3] + "men")
    return forms


def objects_agree(gold: str | None, predicted: str | None) -> bool:
    """The head noun (last word) of the gold object occurs in the predicted object."""
    gold_words = tokens(gold or "")
    if not gold_words:
        return True
    return bool(_noun_forms(gold_words[-1]) & set(tokens(predicted or "")))


def _same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def figures_agree(gold: GoldFigure, predicted: Figure) -> bool:
    return (
        _same_number(gold.value, predicted.value)
        and _same_number(gold.value_max, predicted.value_max)
        and objects_agree(gold.object, predicted.object)
    )


def _unit_key(unit: str | None) -> str:
    return (unit or "").strip().casefold()


def _span_overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Overlap of two character spans as a share of their union (0.0 when disjoint)."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if inter > 0 and union > 0 else 0.0


def _greedy(candidates: Iterable[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), best score first."""
    taken_gold: set[int] = set()
    taken_pred: set[int] = set()
    pairs = []
    for _, gi, pi in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if gi not in taken_gold and pi not in taken_pred:
            taken_gold.add(gi)
            taken_pred.add(pi)
            pairs.append((gi, pi))
    return pairs


def match_statements(
    body: str, gold: Sequence[GoldStatement], predicted: Sequence[Statement]
) -> list[tuple[int, int]]:
    """Matched (gold index, predicted index) pairs: speakers agree and quote token F1 >= 0.5."""
    candidates = []
    for gi, g in enumerate(gold):
        gold_quote = body[g.start : g.end]
        for pi, p in enumerate(predicted):
            if not speakers_agree(g.speaker, p.speaker):
                continue
            f1 = token_f1(gold_quote, body[p.start : p.end])
            if f1 >= QUOTE_F1_THRESHOLD:
                candidates.append((f1, gi, pi))
    return _greedy(candidates)


def match_figures(gold: Sequence[GoldFigure], predicted: Sequence[Figure]) -> list[tuple[int, int]]:
    """Matched pairs: same value(s) and gold head noun in the predicted object.

    Among equal values, the prediction whose span overlaps the gold span most wins,
    then the nearest one, so that repeated numbers pair with their own occurrence.
    """
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if figures_agree(g, p):
                overlap = _span_overlap((g.start, g.end), (p.start, p.end))
                distance = abs(g.start - p.start)
                candidates.append((overlap + 1.0 / (2.0 + distance), gi, pi))
    return _greedy(candidates)


# --- scores ---------------------------------------------------------------------------


def _ratio(num: int, den: int, empty: float) -> float:
    return num / den if den else empty


@dataclass(frozen=True, slots=True)
class MatchCounts:
    """Counts for one item type (statements or figures) in one file or in total.

    `attrs_ok` counts matched items whose attributes all agree: `kind` for
    statements, `bound` and `unit` for figures.
    """

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    attrs_ok: int = 0
    kind_ok: int = 0
    bound_ok: int = 0
    unit_ok: int = 0

    def __add__(self, other: MatchCounts) -> MatchCounts:
        return MatchCounts(
            *(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__)
        )

    @property
    def precision(self) -> float:
        # Nothing predicted is perfect precision only when there was nothing to find.
        return _ratio(self.matched, self.predicted, 1.0 if self.gold == 0 else 0.0)

    @property
    def recall(self) -> float:
        return _ratio(self.matched, self.gold, 1.0 if self.predicted == 0 else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def attribute_accuracy(self) -> float:
        return _ratio(self.attrs_ok, self.matched, 0.0)

    @property
    def kind_accuracy(self) -> float:
        return _ratio(self.kind_ok, self.matched, 0.0)

    @property
    def bound_accuracy(self) -> float:
        return _ratio(self.bound_ok, self.matched, 0.0)

    @property
    def unit_accuracy(self) -> float:
        return _ratio(self.unit_ok, self.matched, 0.0)


@dataclass(frozen=True, slots=True)
class FileScore:
    name: str
    statements: MatchCounts
    figures: MatchCounts

    @property
    def combined(self) -> MatchCounts:
        return self.statements + self.figures


def score_statements(
    body: str, gold: Sequence[GoldStatement], predicted: Sequence[Statement]
) -> MatchCounts:
    pairs = match_statements(body, gold, predicted)
    kind_ok = sum(gold[gi].kind == predicted[pi].kind for gi, pi in pairs)
    return MatchCounts(
        gold=len(gold),
        predicted=len(predicted),
        matched=len(pairs),
        attrs_ok=kind_ok,
        kind_ok=kind_ok,
    )


def score_figures(gold: Sequence[GoldFigure], predicted: Sequence[Figure]) -> MatchCounts:
    pairs = match_figures(gold, predicted)
    bound = [gold[gi].bound == predicted[pi].bound for gi, pi in pairs]
    unit = [_unit_key(gold[gi].unit) == _unit_key(predicted[pi].unit) for gi, pi in pairs]
    return MatchCounts(
        gold=len(gold),
        predicted=len(predicted),
        matched=len(pairs),
        attrs_ok=sum(b and u for b, u in zip(bound, unit, strict=True)),
        bound_ok=sum(bound),
        unit_ok=sum(unit),
    )


def score_file(
    gold: GoldFile, body: str, statements: Sequence[Statement], figures: Sequence[Figure]
) -> FileScore:
    """Scores of one gold file; `body` is the annotated text the offsets refer to."""
    return FileScore(
        name=gold.name,
        statements=score_statements(body, gold.statements, statements),
        figures=score_figures(gold.figures, figures),
    )


def total(scores: Iterable[FileScore]) -> tuple[MatchCounts, MatchCounts]:
    """Micro-averaged (summed) statement and figure counts over files."""
    statements, figures = MatchCounts(), MatchCounts()
    for score in scores:
        statements += score.statements
        figures += score.figures
    return statements, figures


def worst_files(scores: Iterable[FileScore], n: int = 5) -> list[FileScore]:
    """The n files with the lowest F1 over statements and figures together."""
    return sorted(scores, key=lambda s: (s.combined.f1, s.name))[:n]
