"""Scoring extractor output against a gold set (extraction-spec section 4).

Two gold formats (tests/gold/README.md):

- offsets: the file points at a text elsewhere (`text` is an object) and marks items by
  character offsets into it (tests/gold);
- own text: the file carries its `text` as a string and gives each quote and figure as a
  substring, without offsets (../shared/gold-dev). These are matched by content exactly as
  the official scorer ../shared/tools/score_gold.py does, so that the two numbers agree.

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
    quote: str | None = None  # own-text gold: the quote itself (start/end located in the text)


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
    text: str | None = None  # own-text gold: the figure's text (start/end located in the text)


@dataclass(frozen=True, slots=True)
class GoldFile:
    """One gold file; `own_text` is set for the own-text format, `text` for the offsets one."""

    name: str
    text: TextRef | None
    text_sha256: str | None
    topic: str | None
    statements: tuple[GoldStatement, ...]
    figures: tuple[GoldFigure, ...]
    own_text: str | None = None
    text_source: str | None = None  # own-text gold: "aeb", "fundus", ...

    @property
    def matched_by_content(self) -> bool:
        return self.own_text is not None

    @property
    def source(self) -> str:
        """Where the text comes from, for the per-source split of the report."""
        if self.text_source:
            return self.text_source
        return self.text.kind if self.text is not None else self.name.split("-", 1)[0]


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


def _gold_figure(
    item: Mapping[str, Any], where: str, value: float, start: int, end: int, **extra: Any
) -> GoldFigure:
    """The figure fields both gold formats share; `extra` is the format's own (text or
    statement)."""
    return GoldFigure(
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
        **extra,
    )


def _opt_float(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise GoldFormatError(f"{where}: expected a number, got {value!r}")
    return float(value)


def locate(text: str, snippet: str, start: int = 0) -> tuple[int, int]:
    """Span of `snippet` in `text`, first at or after `start`, else anywhere; (-1, -1) if absent.

    Own-text gold lists items in text order, so searching on from the previous item
    finds the right one of two identical snippets.
    """
    at = text.find(snippet, start)
    if at < 0:
        at = text.find(snippet)
    return (at, at + len(snippet)) if at >= 0 else (-1, -1)


def _required_str(item: Mapping[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise GoldFormatError(f"{where}: {key} is required")
    return value


def _parse_own_text_gold(data: Mapping[str, Any], name: str) -> GoldFile:
    """The own-text format of ../shared/gold-dev/README.md: items are substrings of `text`."""
    text: str = data["text"]
    statements = []
    cursor = 0
    for i, item in enumerate(data.get("statements") or []):
        where = f"{name}: statements[{i}]"
        speaker = _required_str(item, "speaker", where)
        if item.get("kind") not in KINDS:
            raise GoldFormatError(f"{where}: kind must be one of {sorted(KINDS)}")
        quote = _required_str(item, "quote", where)
        start, end = locate(text, quote, cursor)
        if start < 0:
            raise GoldFormatError(f"{where}: quote is not a substring of text")
        cursor = start
        statements.append(
            GoldStatement(
                speaker=speaker,
                speaker_role=_opt_str(item, "speaker_role", where),
                kind=item["kind"],
                cue=_opt_str(item, "cue", where),
                start=start,
                end=end,
                quote=quote,
            )
        )
    figures = []
    cursor = 0
    for i, item in enumerate(data.get("figures") or []):
        where = f"{name}: figures[{i}]"
        value = _opt_float(item.get("value"), where)
        if value is None:
            raise GoldFormatError(f"{where}: value is required")
        if item.get("bound") not in BOUNDS:
            raise GoldFormatError(f"{where}: bound must be one of {sorted(BOUNDS)}")
        snippet = _required_str(item, "text", where)
        start, end = locate(text, snippet, cursor)
        if start < 0:
            raise GoldFormatError(f"{where}: text is not a substring of the file's text")
        cursor = start
        figures.append(_gold_figure(item, where, value, start, end, text=snippet))
    source = data.get("text_source")
    topic = data.get("topic")
    return GoldFile(
        name=str(data.get("name") or name),
        text=None,
        text_sha256=None,
        topic=topic if isinstance(topic, str) else None,
        statements=tuple(statements),
        figures=tuple(figures),
        own_text=text,
        # "aeb articleBody" -> "aeb": the corpus, not the field it came from.
        text_source=source.split()[0] if isinstance(source, str) and source.split() else None,
    )


def parse_gold(data: Mapping[str, Any], name: str) -> GoldFile:
    """A gold record from the decoded JSON of one file, either format; raises GoldFormatError."""
    if isinstance(data.get("text"), str):
        return _parse_own_text_gold(data, name)
    text = data.get("text")
    if not isinstance(text, Mapping) or text.get("kind") not in TEXT_KEYS:
        raise GoldFormatError(
            f"{name}: text must be the annotated text itself or an object whose kind is one "
            f"of {sorted(TEXT_KEYS)}"
        )
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
        figures.append(_gold_figure(item, where, value, start, end, statement=statement))
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
    # lower(), not casefold(): the official scorer's tokens, so both count alike.
    return _TOKEN.findall(text.lower())


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


# --- matching by content (own-text gold), as ../shared/tools/score_gold.py does -------
#
# Looser than the offsets matching above on speakers (any last word of one name inside
# the other), stricter on figures (no preference for the prediction at the same place:
# ties go to the earlier gold item, then the earlier prediction). Kept identical to the
# official scorer on purpose: `newsdesk eval` must print the numbers the issue quotes.


def speakers_share_last_word(gold: str, predicted: str) -> bool:
    """Same words, or the last word of either name occurs in the other."""
    g, p = tokens(gold), tokens(predicted)
    if not g or not p:
        return False
    return g == p or g[-1] in p or p[-1] in g


def _singular(word: str) -> str:
    for suffix, replacement in (("ies", "y"), ("ses", "s"), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)] + replacement
    return word


def head_noun_in(gold_object: str | None, predicted_object: str | None) -> bool:
    """The gold object's last word, singular, is one of the predicted object's words."""
    gold_words = tokens(gold_object or "")
    if not gold_words:
        return True
    return _singular(gold_words[-1]) in {_singular(w) for w in tokens(predicted_object or "")}


def _equal_numbers(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def match_statements_by_content(
    gold: Sequence[GoldStatement], predicted: Sequence[Statement]
) -> list[tuple[int, int]]:
    """Pairs whose speakers share a last word and whose quotes have token F1 >= 0.5."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if speakers_share_last_word(g.speaker, p.speaker):
                f1 = token_f1(g.quote or "", p.quote)
                if f1 >= QUOTE_F1_THRESHOLD:
                    candidates.append((f1, gi, pi))
    return _greedy(candidates)


def match_figures_by_content(
    gold: Sequence[GoldFigure], predicted: Sequence[Figure]
) -> list[tuple[int, int]]:
    """Pairs with equal value and value_max whose predicted object holds the gold head noun."""
    candidates = [
        (1.0, gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(predicted)
        if _equal_numbers(g.value, p.value)
        and _equal_numbers(g.value_max, p.value_max)
        and head_noun_in(g.object, p.object)
    ]
    return _greedy(candidates)


# --- attributes of matched items ------------------------------------------------------


def _normalised(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def cues_agree(gold: str | None, predicted: str | None) -> bool:
    """The cue as written, compared without case and spacing; null only equals null."""
    return _normalised(gold) == _normalised(predicted)


ROLE_F1_THRESHOLD = 0.5


def roles_agree(gold: str | None, predicted: str | None) -> bool:
    """speaker_role: both null, or token F1 >= 0.5 once articles are dropped.

    Roles are free text ("Acme CEO", "chief executive of Acme"), so equality would be
    unfair; half the words in common says the same role without rewarding fragments
    such as "heard President" for "President of Ruritania".
    """
    if not _normalised(gold) or not _normalised(predicted):
        return not _normalised(gold) and not _normalised(predicted)
    g = " ".join(w for w in tokens(gold or "") if w not in _LEADING_ARTICLES)
    p = " ".join(w for w in tokens(predicted or "") if w not in _LEADING_ARTICLES)
    return token_f1(g, p) >= ROLE_F1_THRESHOLD


# --- scores ---------------------------------------------------------------------------


def _ratio(num: int, den: int, empty: float) -> float:
    return num / den if den else empty


@dataclass(frozen=True, slots=True)
class MatchCounts:
    """Counts for one item type (statements or figures) in one file or in total.

    `attrs_ok` counts matched items whose spec-section-4 attributes all agree: `kind`
    for statements, `bound` and `unit` for figures. `cue_ok` and `role_ok` (statements)
    are reported beside it (see cues_agree, roles_agree).
    """

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    attrs_ok: int = 0
    kind_ok: int = 0
    bound_ok: int = 0
    unit_ok: int = 0
    cue_ok: int = 0
    role_ok: int = 0

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

    @property
    def cue_accuracy(self) -> float:
        return _ratio(self.cue_ok, self.matched, 0.0)

    @property
    def role_accuracy(self) -> float:
        return _ratio(self.role_ok, self.matched, 0.0)


@dataclass(frozen=True, slots=True)
class FileScore:
    name: str
    statements: MatchCounts
    figures: MatchCounts
    source: str = ""

    @property
    def combined(self) -> MatchCounts:
        return self.statements + self.figures


@dataclass(frozen=True, slots=True)
class FileMatch:
    """What one gold file's items were paired with: (gold index, predicted index) pairs."""

    statement_pairs: tuple[tuple[int, int], ...]
    figure_pairs: tuple[tuple[int, int], ...]


def match_file(
    gold: GoldFile, body: str, statements: Sequence[Statement], figures: Sequence[Figure]
) -> FileMatch:
    """Pairs by the matching the gold file's format calls for (module docstring)."""
    if gold.matched_by_content:
        statement_pairs = match_statements_by_content(gold.statements, statements)
        figure_pairs = match_figures_by_content(gold.figures, figures)
    else:
        statement_pairs = match_statements(body, gold.statements, statements)
        figure_pairs = match_figures(gold.figures, figures)
    return FileMatch(tuple(statement_pairs), tuple(figure_pairs))


def count_statements(
    gold: Sequence[GoldStatement], predicted: Sequence[Statement], pairs: Sequence[tuple[int, int]]
) -> MatchCounts:
    kind_ok = sum(gold[gi].kind == predicted[pi].kind for gi, pi in pairs)
    return MatchCounts(
        gold=len(gold),
        predicted=len(predicted),
        matched=len(pairs),
        attrs_ok=kind_ok,
        kind_ok=kind_ok,
        cue_ok=sum(cues_agree(gold[gi].cue, predicted[pi].cue) for gi, pi in pairs),
        role_ok=sum(
            roles_agree(gold[gi].speaker_role, predicted[pi].speaker_role) for gi, pi in pairs
        ),
    )


def count_figures(
    gold: Sequence[GoldFigure], predicted: Sequence[Figure], pairs: Sequence[tuple[int, int]]
) -> MatchCounts:
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


def score_statements(
    body: str, gold: Sequence[GoldStatement], predicted: Sequence[Statement]
) -> MatchCounts:
    return count_statements(gold, predicted, match_statements(body, gold, predicted))


def score_figures(gold: Sequence[GoldFigure], predicted: Sequence[Figure]) -> MatchCounts:
    return count_figures(gold, predicted, match_figures(gold, predicted))


def score_file(
    gold: GoldFile,
    body: str,
    statements: Sequence[Statement],
    figures: Sequence[Figure],
    matched: FileMatch | None = None,
) -> FileScore:
    """Scores of one gold file; `body` is the annotated text the offsets refer to."""
    matched = matched or match_file(gold, body, statements, figures)
    return FileScore(
        name=gold.name,
        statements=count_statements(gold.statements, statements, matched.statement_pairs),
        figures=count_figures(gold.figures, figures, matched.figure_pairs),
        source=gold.source,
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
