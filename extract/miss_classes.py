"""Which class of error an evaluation miss or false positive belongs to (issue 12's lists).

`newsdesk eval` prints misses grouped by class so that each extractor change is measured
against a class over the whole gold set, not against one article. The heuristics are
deliberately transparent: each class is one test over the gold item, the prediction
nearest to it and the sentence around it, tried from the most specific class to the
least, and anything no test explains goes to the group's "other" class. Word lists
live in lexicons/miss_classes.toml. docs/extraction.md ("Evaluation") lists the classes.

Pure functions over plain values: jobs/evaluate.py builds the items from gold files
and extractor output.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from extract.evaluation import (
    QUOTE_F1_THRESHOLD,
    head_noun_in,
    speakers_share_last_word,
    token_f1,
    tokens,
)

ItemType = Literal["statement", "figure"]
Side = Literal["missed", "extra"]

# Statements the extractor did not find at all.
MISSED_NESTED = "missed: nested in another speaker's statement"
MISSED_SINGLE_QUOTES = "missed: single quotation marks"
MISSED_CONTINUATION = "missed: interview/monologue continuation"
MISSED_DOCUMENT = "missed: document speaker"
MISSED_GENERIC = "missed: generic/plural/collective speaker"
MISSED_FRAGMENT = "missed: whole-content fragment"
MISSED_TRAILING = "missed: honorific/trailing attribution"
MISSED_UNKNOWN_CUE = "missed: cue not in the speech-verb lexicon"
MISSED_BARE_CLAUSE = "missed: reported clause without that"
MISSED_OTHER = "missed: other"
# Statements found with the right words but the wrong speaker.
SPEAKER_PRONOUN = "speaker: pronoun"
SPEAKER_ROLE_SPLIT = "speaker: role-name split"
SPEAKER_ABSORBED = "speaker: absorbed words"
SPEAKER_SURNAME = "speaker: surname"
SPEAKER_DESCRIPTION = "speaker: description vs named"
SPEAKER_OTHER = "speaker: other"
# Right speaker, quote boundaries too far apart (split, merged or cut).
QUOTE_SPAN = "quote span: right speaker, quote too different"
# Statements predicted that the gold does not have.
EXTRA_WRONG_SPEAKER = "extra: wrong speaker (see speaker: classes)"
EXTRA_QUOTE_SPAN = "extra: quote span (see quote span)"
EXTRA_NOT_SPEECH = "extra: thinking, non-clausal or negated"
EXTRA_SHORT_QUOTE = "extra: name or scare quotes"
EXTRA_STATEMENT_OTHER = "extra: other statement"
# Figures whose number was not read (or read with another value).
NUMBER_RANGE = "number: range/change-level"
NUMBER_GLUED = "number: glued units/scale"
NUMBER_SIGN = "number: signs"
NUMBER_CURRENCY = "number: currency"
NUMBER_WORDS = "number: number words/fractions"
NUMBER_AGE = "number: age without year-old"
NUMBER_OTHER = "number: other"
# Figures whose number was read but attached to the wrong object.
OBJECT_FRACTION = "object: fraction unit"
OBJECT_UNIT = "object: unit as object"
OBJECT_PERIOD = "object: location/period"
OBJECT_CROSS_PARAGRAPH = "object: cross-paragraph"
OBJECT_VAGUE_LIST = "object: vague/list"
OBJECT_COMPOUND = "object: compound modifier/rate"
OBJECT_CHANGE = "object: change/level subject"
OBJECT_NONE = "object: none predicted"
OBJECT_REPEATED = "object: right, taken by an identical figure elsewhere"
OBJECT_OTHER = "object: other"
# Figures predicted that the gold does not have.
EXTRA_WRONG_OBJECT = "extra: wrong object (see object: classes)"
EXTRA_MISREAD = "extra: misread number next to a gold figure"
EXTRA_NAME_NUMBER = "extra: number in a name"
EXTRA_DATE_TIME = "extra: date, year or clock time"
EXTRA_ONE = "extra: one as determiner or pronoun"
EXTRA_FIGURE_OTHER = "extra: other figure"

# How far (characters) a prediction may sit from a gold figure and still be "its" reading.
_NEAR = 40
_FRAGMENT_MAX_WORDS = 8
# A question-and-answer label opening a paragraph: "Q:", "A:", "Lee:", "Ann Lee:".
_INTERVIEW_LABEL = re.compile(r"\s*(?:Q|A|[A-Z][\w.]+(?: [A-Z][\w.]+)?)\s*:")
_VAGUE = re.compile(r"\b(?:hundreds|dozens|thousands|millions|billions|tens|scores) of\b")
_LEVEL_UNITS = frozenset({"%", "point", "pp", "percentage point"})


@dataclass(frozen=True, slots=True)
class QuoteItem:
    """A gold or predicted statement; start/end in the body, -1 when not located."""

    speaker: str
    speaker_role: str | None
    kind: str
    cue: str | None
    quote: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class NumberItem:
    """A gold or predicted figure; start/end in the body, -1 when not located."""

    value: float
    value_max: float | None
    unit: str | None
    object: str | None
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Miss:
    """One unmatched item with its class, for the grouped report."""

    item: ItemType
    side: Side
    cls: str
    file: str
    summary: str


@dataclass(frozen=True, slots=True)
class _Words:
    document_heads: frozenset[str]
    generic_heads: frozenset[str]
    generic_openers: frozenset[str]
    pronouns: frozenset[str]
    honorifics: frozenset[str]
    not_speech_cues: frozenset[str]
    unit_words: frozenset[str]
    period_words: frozenset[str]
    change_words: frozenset[str]
    number_words: frozenset[str]
    name_followers: frozenset[str]
    currency_codes: frozenset[str]
    currency_marks: frozenset[str]


@cache
def speech_cue_words() -> frozenset[str]:
    """Every word of every form in lexicons/speech_verbs.txt (the extractor's own cues)."""
    text = resources.files("extract").joinpath("lexicons", "speech_verbs.txt").read_text("utf-8")
    words: set[str] = set()
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            form, _, rest = line.partition("|")
            cue = rest.partition("|")[0]
            words.update(tokens(form) + tokens(cue))
    return frozenset(words)


@cache
def _words() -> _Words:
    raw = tomllib.loads(
        resources.files("extract").joinpath("lexicons", "miss_classes.toml").read_text("utf-8")
    )
    return _Words(**{key: frozenset(w.casefold() for w in raw[key]) for key in raw})


# --- text around an item --------------------------------------------------------------


def paragraph_at(body: str, start: int, end: int) -> tuple[int, int]:
    """Span of the paragraph (blank-line separated) holding start..end."""
    if start < 0:
        return 0, 0
    left = body.rfind("\n\n", 0, start)
    right = body.find("\n\n", end)
    return (left + 2 if left >= 0 else 0), (right if right >= 0 else len(body))


_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+(?=[\"“‘'A-Z0-9])|\n")


def sentence_at(body: str, start: int, end: int) -> str:
    """The sentence(s) holding start..end, cut at . ! ? before a capital, or a line break."""
    if start < 0:
        return ""
    para_start, para_end = paragraph_at(body, start, end)
    left = para_start
    for m in _SENTENCE_END.finditer(body, para_start, start):
        left = m.end()
    m = _SENTENCE_END.search(body, end, para_end)
    return body[left : (m.start() + 1 if m else para_end)]


def _spans_touch(a_start: int, a_end: int, b_start: int, b_end: int, slack: int = 0) -> bool:
    return a_start >= 0 and b_start >= 0 and a_start <= b_end + slack and b_start <= a_end + slack


def _looks_personal(name: str) -> bool:
    """Capitalised words only, no institution or document head: "Ann Lee", not "the
    ministry" or "Defence Ministry"."""
    w = _words()
    words = re.findall(r"[\w’'.-]+", name)
    return (
        bool(words)
        and all(word[:1].isupper() for word in words)
        and words[-1].casefold() not in w.generic_heads | w.document_heads
    )


def _is_description(name: str) -> bool:
    """Written with a lower-case word first ("a source", "the spokesperson")."""
    words = name.split()
    return bool(words) and words[0][:1].islower()


# --- statements -----------------------------------------------------------------------


def _wrong_speaker_class(body: str, gold: QuoteItem, rival: QuoteItem) -> str:
    w = _words()
    predicted_words, gold_words = tokens(rival.speaker), tokens(gold.speaker)
    # The attribution around the quote, not the quoted words ("he said" inside a quote
    # says nothing about who is quoted).
    sentence = sentence_at(body, gold.start, gold.end).casefold()
    attribution = sentence.replace(gold.quote.casefold(), " ")
    if set(predicted_words) <= w.pronouns:
        return SPEAKER_PRONOUN
    if _is_description(gold.speaker) != _is_description(rival.speaker):
        return SPEAKER_DESCRIPTION
    if gold.cue and re.search(
        rf"\b(?:he|she|they|we)\s+(?:\w+\s+)?{re.escape(gold.cue.casefold())}\b"
        rf"|\b{re.escape(gold.cue.casefold())}\s+(?:he|she|they|we)\b"
        r"|according to (?:him|her|them)\b",
        attribution,
    ):
        return SPEAKER_PRONOUN
    role_words = set(tokens(gold.speaker_role or ""))
    if (role_words and set(predicted_words) & role_words) or re.search(
        re.escape(rival.speaker.casefold())
        + r"\W+(?:[\w’'.-]+\W+){0,3}?"
        + re.escape(gold_words[-1]),
        sentence,
    ):
        return SPEAKER_ROLE_SPLIT
    shared = set(predicted_words) & set(gold_words)
    if shared and _looks_personal(gold.speaker) and _looks_personal(rival.speaker):
        return SPEAKER_SURNAME  # another person of the same name, or the name half-resolved
    if shared:
        return SPEAKER_ABSORBED  # a name run together with a neighbouring word
    return SPEAKER_OTHER


def _has_quote_before(body: str, start: int, marks: str) -> bool:
    before = body[max(0, start - 2) : start].rstrip()
    return bool(before) and before[-1] in marks


def rival_statement(gold: QuoteItem, predicted: Sequence[QuoteItem]) -> QuoteItem | None:
    """The prediction with the most words in common with gold's quote, if F1 >= 0.5."""
    best = max(predicted, key=lambda p: token_f1(gold.quote, p.quote), default=None)
    return best if best and token_f1(gold.quote, best.quote) >= QUOTE_F1_THRESHOLD else None


def classify_missed_statement(
    body: str,
    gold: QuoteItem,
    predicted: Sequence[QuoteItem],
    other_gold: Sequence[QuoteItem] = (),
) -> str:
    """Class of a gold statement no prediction matched (module docstring)."""
    w = _words()
    rival = rival_statement(gold, predicted)
    if rival is not None:
        if speakers_share_last_word(gold.speaker, rival.speaker):
            return QUOTE_SPAN  # its prediction went to another gold statement: merged
        return _wrong_speaker_class(body, gold, rival)
    if any(
        _spans_touch(gold.start, gold.end, p.start, p.end)
        and speakers_share_last_word(gold.speaker, p.speaker)
        for p in predicted
    ):
        return QUOTE_SPAN
    containers = [*other_gold, *predicted]
    if any(
        c.start <= gold.start and gold.end <= c.end and (c.start, c.end) != (gold.start, gold.end)
        for c in containers
        if c.start >= 0 and not speakers_share_last_word(gold.speaker, c.speaker)
    ):
        return MISSED_NESTED
    if gold.kind == "direct" and _has_quote_before(body, gold.start, "‘'"):
        return MISSED_SINGLE_QUOTES
    para_start, _ = paragraph_at(body, gold.start, gold.end)
    if gold.cue is None or (
        gold.kind == "direct"
        and re.match(r"\s*(?:Q|A|[A-Z][\w.]+(?: [A-Z][\w.]+)?)\s*:", body[para_start : gold.start])
    ):
        return MISSED_CONTINUATION
    speaker_words = tokens(gold.speaker)
    if speaker_words and (
        speaker_words[-1] in w.document_heads
        or speaker_words[0] in w.document_heads  # "report from X", "research by Y"
        or (gold.cue or "").casefold() == "according to"
        and set(speaker_words) & w.document_heads
    ):
        return MISSED_DOCUMENT
    if speaker_words and (
        speaker_words[0] in w.generic_openers
        or (_is_description(gold.speaker) and speaker_words[-1].endswith("s"))
        or speaker_words[-1] in w.generic_heads
    ):
        return MISSED_GENERIC
    sentence = sentence_at(body, gold.start, gold.end)
    if gold.kind == "direct" and len(tokens(gold.quote)) <= _FRAGMENT_MAX_WORDS:
        opening = sentence.find(gold.quote)
        if opening > 0 and len(tokens(sentence[:opening])) >= 2:
            return MISSED_FRAGMENT
    if _trailing_or_honorific(body, gold, sentence):
        return MISSED_TRAILING
    cue_words = tokens(gold.cue or "")
    if cue_words and not set(cue_words) <= speech_cue_words():
        return MISSED_UNKNOWN_CUE
    if gold.kind == "indirect" and cue_words and gold.start >= 0:
        between = body[max(0, gold.start - 30) : gold.start].casefold()
        if re.search(rf"\b{re.escape(cue_words[-1])}\W+$", between):
            return MISSED_BARE_CLAUSE
    return MISSED_OTHER


def _trailing_or_honorific(body: str, gold: QuoteItem, sentence: str) -> bool:
    """An honorific with a full stop near the attribution, or words after `X said`."""
    w = _words()
    abbreviations = {m.casefold() for m in re.findall(r"\b([A-Za-z]{1,5})\.", sentence)}
    if abbreviations & w.honorifics:
        return True
    if gold.end < 0 or not gold.cue:
        return False
    para_start, para_end = paragraph_at(body, gold.start, gold.end)
    after = body[gold.end : para_end]
    m = re.search(rf"\b{re.escape(gold.cue)}\b([^.!?\n]*)", after[:160], re.IGNORECASE)
    return bool(m) and len(tokens(m.group(1))) >= 2


def classify_extra_statement(body: str, pred: QuoteItem, gold: Sequence[QuoteItem]) -> str:
    """Class of a predicted statement no gold statement matched."""
    w = _words()
    overlaps = [(token_f1(pred.quote, g.quote), g) for g in gold]
    if any(
        f1 >= QUOTE_F1_THRESHOLD and not speakers_share_last_word(g.speaker, pred.speaker)
        for f1, g in overlaps
    ):
        return EXTRA_WRONG_SPEAKER
    if any(
        _spans_touch(g.start, g.end, pred.start, pred.end)
        and speakers_share_last_word(g.speaker, pred.speaker)
        for g in gold
    ):
        return EXTRA_QUOTE_SPAN
    sentence = sentence_at(body, pred.start, pred.end).casefold()
    cue = (pred.cue or "").casefold()
    if cue and (
        cue.split()[-1] in w.not_speech_cues
        or re.search(rf"\b(?:not|n[’']t|never)\s+(?:\w+\s+)?{re.escape(cue)}\b", sentence)
        or re.search(rf"\b{re.escape(cue)}\s+(?:\w+\s+){{0,3}}?(?:to|of|with|as|about)\s", sentence)
        and not re.search(rf"\b{re.escape(cue)}\s+(?:\w+\s+){{0,3}}?that\b", sentence)
    ):
        return EXTRA_NOT_SPEECH
    if pred.kind == "direct" and len(tokens(pred.quote)) <= 4:
        return EXTRA_SHORT_QUOTE
    return EXTRA_STATEMENT_OTHER


# --- figures --------------------------------------------------------------------------


def _same_numbers(a: NumberItem, b: NumberItem) -> bool:
    def eq(x: float | None, y: float | None) -> bool:
        if x is None or y is None:
            return x is None and y is None
        return abs(x - y) <= 1e-6 * max(1.0, abs(x), abs(y))

    return eq(a.value, b.value) and eq(a.value_max, b.value_max)


def _head(phrase: str | None) -> str:
    words = tokens(phrase or "")
    return words[-1] if words else ""


def _attachment_class(body: str, gold: NumberItem, rival: NumberItem) -> str:
    w = _words()
    if head_noun_in(gold.object, rival.object):
        return OBJECT_REPEATED
    if (gold.unit or "").casefold() == "fraction":
        return OBJECT_FRACTION
    if not tokens(rival.object or ""):
        return OBJECT_NONE
    predicted_head = _head(rival.object)
    if (
        predicted_head
        and (
            predicted_head in w.unit_words
            or predicted_head == (rival.unit or "").casefold()
            or (rival.object or "").strip() == "%"
        )
        and _head(gold.object) not in w.unit_words
    ):
        return OBJECT_UNIT
    if predicted_head in w.period_words:
        return OBJECT_PERIOD
    para_start, para_end = paragraph_at(body, gold.start, gold.end)
    if rival.object and rival.object.casefold() not in body[para_start:para_end].casefold():
        return OBJECT_CROSS_PARAGRAPH
    text = gold.text.casefold()
    if re.search(
        r"\b(?:hundreds|dozens|thousands|millions|billions|tens|scores) of\b", text
    ) or re.search(r",| and | or ", gold.object or ""):
        return OBJECT_VAGUE_LIST
    if re.search(r"\d-\w|\w-(?:a|per)-\w|\bper\b|\ba (?:day|week|month|year)\b", text) or "/" in (
        gold.unit or ""
    ):
        return OBJECT_COMPOUND
    sentence_words = set(tokens(sentence_at(body, gold.start, gold.end)))
    if (gold.unit or "") in {
        "%",
        "point",
        "pp",
        "percentage point",
    } or sentence_words & w.change_words:
        return OBJECT_CHANGE
    return OBJECT_OTHER


def rival_figure(gold: NumberItem, predicted: Sequence[NumberItem]) -> NumberItem | None:
    """A prediction with gold's value(s) at or near its place: the same number read."""
    same = [
        p
        for p in predicted
        if _same_numbers(gold, p) and _spans_touch(gold.start, gold.end, p.start, p.end, _NEAR)
    ]
    inside = [p for p in same if _spans_touch(gold.start, gold.end, p.start, p.end)]
    return (inside or same or [None])[0]


def _has_mark(text: str, mark: str) -> bool:
    """`mark` in text; a mark made of letters ("rm", "yen") only as a word of its own."""
    if not mark.isalpha():
        return mark in text
    return re.search(rf"(?<![a-z]){re.escape(mark)}(?![a-z])", text) is not None


def classify_missed_figure(body: str, gold: NumberItem, predicted: Sequence[NumberItem]) -> str:
    """Class of a gold figure no prediction matched (module docstring)."""
    w = _words()
    rival = rival_figure(gold, predicted)
    if rival is not None:
        return _attachment_class(body, gold, rival)
    near = [p for p in predicted if _spans_touch(gold.start, gold.end, p.start, p.end, _NEAR)]
    text = gold.text
    lowered = text.casefold()
    words = set(tokens(text))
    if (
        gold.value_max is not None
        or any(p.value == gold.value and p.value_max != gold.value_max for p in near)
        or re.search(r"\b(?:to|from|between)\b|\d\s*[-–]\s*\d", lowered)
    ):
        return NUMBER_RANGE
    if re.search(r"[+−]\d|(?<![\w-])-\s?\$?\d|\bminus\b|\$-\d", text):
        return NUMBER_SIGN
    if re.search(r"\d-?(?:[a-zA-Z]{1,6})\b", text):
        return NUMBER_GLUED
    unit = (gold.unit or "").casefold()
    if unit in w.currency_codes or any(_has_mark(lowered, mark) for mark in w.currency_marks):
        return NUMBER_CURRENCY
    if unit == "fraction" or "/" in text or words & w.number_words:
        return NUMBER_WORDS
    if tokens(gold.object or "") == ["age"]:
        return NUMBER_AGE
    return NUMBER_OTHER


def classify_extra_figure(body: str, pred: NumberItem, gold: Sequence[NumberItem]) -> str:
    """Class of a predicted figure no gold figure matched."""
    w = _words()
    near = [g for g in gold if _spans_touch(g.start, g.end, pred.start, pred.end)]
    if any(_same_numbers(g, pred) for g in near):
        return EXTRA_WRONG_OBJECT
    if near:
        return EXTRA_MISREAD
    if pred.value == 1 and pred.value_max is None and tokens(pred.text) == ["one"]:
        return EXTRA_ONE
    before = body[max(0, pred.start - 20) : max(0, pred.start)]
    after = body[pred.end : pred.end + 12] if pred.end >= 0 else ""
    following = tokens(after)[:1]
    if (
        re.search(r"[A-Za-z&][\w&.-]*[ -]?$", before)
        and re.search(r"[A-Z&]", before.split()[-1] if before.split() else "")
        and pred.unit is None
        or (following and following[0] in w.name_followers)
        or re.match(r"[A-Za-z]", after)
        and pred.text[-1:].isdigit()
    ):
        return EXTRA_NAME_NUMBER
    month_near = set(tokens(before[-12:] + " " + after)) & (w.period_words - {"quarter", "season"})
    if (
        pred.unit is None
        and pred.value_max is None
        and (1900 <= pred.value <= 2100 and float(pred.value).is_integer() or month_near)
    ):
        return EXTRA_DATE_TIME
    return EXTRA_FIGURE_OTHER


# --- a whole file ---------------------------------------------------------------------


def _quote_summary(q: QuoteItem) -> str:
    return f"[{q.speaker}] ({q.kind}, {q.cue}) {q.quote[:110]}"


def _number_summary(n: NumberItem) -> str:
    value = f"{n.value:g}" + (f"-{n.value_max:g}" if n.value_max is not None else "")
    return f"{value} {n.unit or ''} of {n.object!r}: {n.text[:80]}".replace("  ", " ")


def classify_file(
    name: str,
    body: str,
    gold_statements: Sequence[QuoteItem],
    predicted_statements: Sequence[QuoteItem],
    statement_pairs: Sequence[tuple[int, int]],
    gold_figures: Sequence[NumberItem],
    predicted_figures: Sequence[NumberItem],
    figure_pairs: Sequence[tuple[int, int]],
) -> list[Miss]:
    """Every unmatched gold and predicted item of one file, classified, in text order."""
    misses: list[Miss] = []
    matched_gold = {gi for gi, _ in statement_pairs}
    matched_pred = {pi for _, pi in statement_pairs}
    for gi, g in enumerate(gold_statements):
        if gi not in matched_gold:
            others = [o for oi, o in enumerate(gold_statements) if oi != gi]
            cls = classify_missed_statement(body, g, predicted_statements, others)
            rival = rival_statement(g, predicted_statements)
            note = f" <- predicted [{rival.speaker}]" if rival else ""
            misses.append(Miss("statement", "missed", cls, name, _quote_summary(g) + note))
    for pi, p in enumerate(predicted_statements):
        if pi not in matched_pred:
            cls = classify_extra_statement(body, p, gold_statements)
            misses.append(Miss("statement", "extra", cls, name, _quote_summary(p)))
    matched_gold = {gi for gi, _ in figure_pairs}
    matched_pred = {pi for _, pi in figure_pairs}
    for gi, g in enumerate(gold_figures):
        if gi not in matched_gold:
            cls = classify_missed_figure(body, g, predicted_figures)
            rival = rival_figure(g, predicted_figures)
            note = f" <- predicted object {rival.object!r}" if rival else ""
            misses.append(Miss("figure", "missed", cls, name, _number_summary(g) + note))
    for pi, p in enumerate(predicted_figures):
        if pi not in matched_pred:
            cls = classify_extra_figure(body, p, gold_figures)
            misses.append(Miss("figure", "extra", cls, name, _number_summary(p)))
    return misses
