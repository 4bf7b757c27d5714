"""Figures: numbers that count or measure something (extraction-spec section 3).

`extract_figures(body, statements)` finds number expressions with `extract.numbers`,
drops what is not a figure (dates, years, clock times, ordinals, identifiers, scores,
phone numbers, page furniture, idioms) and ties each one to its sentence: what it
counts or measures, the verb that governs it, a place and a time phrase, and the
statement it was said in.

Rule-based and fast: patterns are compiled once, lexicons read once
(extract/lexicons/figure_*.{toml,txt} plus those of extract.numbers), and the costly
searches run on a window around each number rather than over the whole article.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import NamedTuple

from extract.number_roles import is_instance_one, is_name_number, stated_age
from extract.numbers import (
    Quantity,
    UnitMatch,
    alternation,
    alternation_ignorecase,
    ends_before,
    find_quantities,
    list_unit_after,
    literal_led,
    per_unit_after,
    unit_after,
)
from extract.records import Figure, Statement
from extract.segment import sentence_spans

# Words (with "U.S." and hyphenated compounds kept whole), numbers, single punctuation.
# "U.S." is written `[A-Z]\.(?:[A-Z]\.)+`, not `(?:[A-Z]\.){2,}`: an alternative that starts
# with a class is rejected on one character test, while a repeated group is entered (and
# its counter allocated) at every character the scan tries.
_WORD = re.compile(r"[A-Z]\.(?:[A-Z]\.)+|[A-Za-z][\w'’.-]*\w|[A-Za-z]|\d[\d,.]*|[^\w\s]")
_YEAR_DIGITS = re.compile(r"(?:1[89]|20)\d\d")
_CLOCK = re.compile(
    r"\b\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?!\d)|\b\d{1,2}:\d{2}\b|\b\d{1,2}\s*[ap]\.?m\.?(?!\w)"
    r"|\b\d{1,2}\s+o['’]clock\b",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b\d{1,2}/\d{1,2}\b")
_PHONE = re.compile(
    r"(?<![\w.])\+?\(?\d{2,4}\)?(?:[\s.-]\d{2,4}){2,4}(?![\w.])|\+\d[\d\s()-]{7,}\d"
)
# Marks of a URL or an e-mail address in the token around a number.
_URL_MARK = re.compile(r"://|www\.|@|\.(?:com|org|net|html)")
_AGE_AFTER = re.compile(
    r"[-\s](year|month|week|day)s?[-\s]old\b|\s+(year|month)s?\s+of\s+age\b", re.IGNORECASE
)
_AGE_BEFORE = re.compile(r"(?:\baged|\bages?(?: of)?|\bturn(?:s|ed|ing)?)\s+$", re.IGNORECASE)
_AGE_BEFORE_ENDS = ("aged", "age", "ages", "of", "turn", "turns", "turned", "turning")
# "as young as 14", "as old as 90": an age (spec: bound exact)
_AS_YOUNG_AS = re.compile(r"\bas\s+(?:young|old)\s+as\s+$", re.IGNORECASE)
# "Kamala was 12 when her mother ...", "he was 17 at the time": a person's age then.
_AGE_WHEN_BEFORE = re.compile(r"(?:\b[A-Z][a-z]+|\b[Hh]e|\b[Ss]he|\bI)\s+(?:was|is|turned)\s+$")
# "I'm 74 and ...", "She was 15.": a person's age, said of the person.
_AGE_PRONOUN_BEFORE = re.compile(
    r"(?:\bI['’]m|\bI\s+(?:am|was)|\b(?:[Hh]e|[Ss]he)(?:['’]s|\s+is|\s+was|\s+turned)"
    r"|\b[Yy]ou(?:['’]re|\s+are|\s+were)|\bNow)\s+$"
)
_AGE_PRONOUN_AFTER = re.compile(
    r"\s*(?:[.;!?]|,(?!\s+(?:and|or)\b)|\s(?:and|when|but|at\s+the\s+time)\b)"
)
_AGE_WHEN_AFTER = re.compile(r"\s+(?:in\s+(?:1[89]|20)\d\d\s+)?(?:when|at\s+the\s+time)\b")
_NAME_COMMA = re.compile(r"[A-Z][\w'’.-]*,\s$")
_AGE_AFTER_NAME = re.compile(r",|\s+\(|\s+(?:of|from)\s+[A-Z]")
_IDENT_BEFORE = re.compile(r"(?:[A-Za-z]\d*-|#|\b[Nn]o\.\s?|\b[Nn]os?\.\s?)$")
_HYPHEN_WORD = re.compile(r"-([a-z]+)\b")
_FREQUENCY = re.compile(
    r"\s+(?:a|per|each|every)\s+(?:day|week|month|year|hour|minute|night|season)\b", re.I
)
_AGO = re.compile(r"\s+ago\b")
# "131 of the 148 drones", "a third of WeWork's 12,000 employees"
_NESTED_NUMBER = re.compile(
    r"(?:(?:[A-Za-z][\w.-]*['’]s|his|her|its|their|our|my|your)\s+)?(?:[a-z]+-[a-z]+\s+(?=\d))?"
    r"(?:(?:approximately|about|around|some|nearly|roughly|almost|over|more\s+than)\s+)?"
    r"(?:\d[\d,.]*\s+)?"
)
_PARENTHESIS = re.compile(r"\s*\([^()]{1,40}\)|\s*\)")  # a conversion, or the end of one
_OF_DET = re.compile(
    r"\s+of\s+(?:the\s+|their\s+|its\s+|his\s+|her\s+|our\s+|all\s+|these\s+|those\s+)?",
    re.IGNORECASE,
)
_OF_PRONOUN = re.compile(r"\s+of\s+(?:them|us|those|these|which|whom|it)\b")
_MONEY_LINK = re.compile(
    r"\s+(?:in|for|of|on|worth\s+of)\s+(?:(?:some|all|most|part|much|each|one)\s+of\s+)?"
    r"(?:(?:the|its|their|his|her|our|new)\s+)?",
    re.IGNORECASE,
)
_ARTICLE_OF_BEFORE = re.compile(r"\b(?:[Aa]n?|[Tt]he)\s+(?:[\w-]+\s+){0,2}([a-z][\w-]*)\s+of\s+$")
_OF_BEFORE = re.compile(r"\b([a-z][\w-]*)\s+of\s+$")
_COMPARATIVE = re.compile(r"\s+(?:more|less|fewer|higher|lower)\s+(?!than\b)", re.IGNORECASE)
_POSSESSOR_BEFORE = re.compile(r"\b[A-Z][\w.-]*(?:s['’]|['’]s)\s+$")
_HYPHEN_RATE = re.compile(r"-(?:a|an|per)-([a-z]+)\b")
_CLOSING = re.compile(r"\s*[—–)]")
_THAN = re.compile(r"\s+than\b")
# After "N times", words that make it a multiplier: "three times as long", "four times
# the size", "twice that of", "five times bigger".
_MULTIPLIES = re.compile(
    r"\s+(?:as|more|less|fewer|the|that|what|its|their|over|[a-z]+er\b(?!\s+(?:and|or)\b))",
    re.IGNORECASE,
)
_AS_MUCH = re.compile(r"\s+as\s+(?:much|many)\s+", re.IGNORECASE)
# Clause marks: ", " "; " ": " "— " "– " " - " (and, to end a clause, ". " "! " "? ").
# Written as one character class followed by look-behinds, the same as
# `[,;:—–]\s|\s-\s|[.!?](?:\s|$)`, so that the engine skips to candidates in C; they are
# scanned for every figure.
_CLAUSE_END = re.compile(r"[,;:—–\s.!?](?:(?<=[,;:—–])\s|(?<=\s)-\s|(?<=[.!?])(?:\s|$))")
_CLAUSE_MARK = re.compile(r"[,;:—–\s](?:(?<=[,;:—–])\s|(?<=\s)-\s)")
_FOLLOW_PLACE = re.compile(r"(?:It|This|They)\s+(?:is|was|were|are)\s+")
_INFINITIVE = re.compile(r"\s+to\s+([a-z]+)\b")
_WEEKDAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
# One word of a place name: "Kyiv", "Mary's", "St.", "U.S." (an abbreviation only when
# another capitalised word follows, so that a sentence-final "in Kyiv." ends there), never
# with a digit ("from R11bn").
_PLACE_WORD = (
    r"(?:(?:[A-Z]\.){2,}(?=\s+[A-Z])|[A-Z][a-z]{1,2}\.(?=\s+[A-Z])"
    r"|[A-Z](?![\w'’-]*\d)[\w'’-]*\w(?:’s|'s)?)"
)
_TIME_HEADS = frozenset(
    "year years month months week weeks day days quarter summer winter spring autumn period"
    " time hours season".split()
)
# Words that open the object of a verb: "hit the depot", "cost them".
_OBJECT_STARTS = frozenset(
    "the a an its their his her our my your them him it us me this that these those".split()
)
# Words after which a following "-ing" word is a verb, not part of the noun phrase.
_VERB_FOLLOWERS = frozenset(
    "in on at to for from with by the a an their his her its into through across against".split()
)


@dataclass(frozen=True, slots=True)
class _Context:
    np_stops: frozenset[str]
    np_openers: frozenset[str]
    ly_adjectives: frozenset[str]
    change_verbs: frozenset[str]
    pronouns: frozenset[str]
    transparent_heads: frozenset[str]
    quantity_heads: frozenset[str]
    relational_heads: frozenset[str]
    comparatives: frozenset[str]
    attach_preps: frozenset[str]
    linking: frozenset[str]
    not_actions: frozenset[str]
    actions: frozenset[str]
    verb_only_forms: frozenset[str]
    people_verbs: frozenset[str]
    identifier_words: frozenset[str]
    auxiliaries: frozenset[str]
    particles: frozenset[str]
    gap_words: frozenset[str]
    instruments: frozenset[str]
    months: frozenset[str]
    place_nouns: frozenset[str]
    number_words: frozenset[str]
    attack_nouns: frozenset[str]
    model_words: frozenset[str]
    score_words: frozenset[str]
    duration_preps: frozenset[str]
    periods: re.Pattern[str]  # case-insensitive
    periods_lower: re.Pattern[str]  # the same, case-sensitive, for lower-cased text
    location: re.Pattern[str]
    idioms: re.Pattern[str]
    dates: re.Pattern[str]  # dates with month names
    furniture: re.Pattern[str]


def _data(name: str) -> str:
    return resources.files("extract").joinpath("lexicons", name).read_text("utf-8")


def _alt(words: Sequence[str]) -> str:
    return alternation(list(words))


@cache
def _context() -> _Context:
    ctx = tomllib.loads(_data("figure_context.toml"))
    verbs = tomllib.loads(_data("figure_actions.toml"))
    months = _alt(ctx["month_names"])
    time_names = _alt([*ctx["month_names"], *_WEEKDAYS, *ctx["time_names"]])
    place = (
        rf"(?<![\w-]){alternation_ignorecase(ctx['place_prepositions'])}\s+"
        r"(?:(?:the|this|that|these|those|a|several|many)\s+)?"
        rf"(?:(?:{_alt(ctx['place_adjectives'])})\s+)?"
        # A name of a time ("in October", "on Monday") is a period, never a place; an
        # abbreviation ("St. Mary's", "U.S.") does not end the name.
        rf"(?:(?!(?:{time_names})\b){_PLACE_WORD}(?:\s+{_PLACE_WORD})*"
        r"(?:,\s(?:and\s)?[A-Z][\w'’-]+(?=[,.;:)]|\s+and\s|$))*"
        rf"(?:\s+(?:{_alt(ctx['place_nouns'])})\b)?"
        rf"|(?:[a-z-]+\s+){{0,2}}(?:{_alt(ctx['place_nouns'])})\b(?:\s+of\s+the\s+[a-z]+)?)"
    )
    periods = r"(?<!\w)(?:" + "|".join(ctx["periods"]) + r")(?!\w)"
    lower_periods = literal_led([_lower_literals(p) for p in ctx["periods"]])
    dates = [
        # "November 27", "27 November", "Nov. 27, 2023", "the 27th of November"
        rf"\b(?:{months})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?",
        rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{months})\b(?:,?\s+\d{{4}})?",
        rf"\b(?:{months})\s+\d{{4}}\b",
    ]
    return _Context(
        np_stops=frozenset(ctx["np_stops"]),
        np_openers=frozenset(ctx["np_openers"]),
        ly_adjectives=frozenset(ctx["ly_adjectives"]),
        change_verbs=frozenset(ctx["measure_verbs"]),
        pronouns=frozenset(ctx["pronouns"]),
        transparent_heads=frozenset(ctx["transparent_heads"]),
        quantity_heads=frozenset(ctx["transparent_heads"] + ctx["quantity_heads"]),
        relational_heads=frozenset(ctx["quantity_heads"] + ctx["change_nouns"]),
        comparatives=frozenset(ctx["comparatives"]),
        attach_preps=frozenset(ctx["attach_prepositions"]),
        linking=frozenset(ctx["linking_verbs"]),
        not_actions=frozenset(ctx["not_actions"]),
        actions=frozenset(verbs["verbs_only"]) | frozenset(verbs["also_nouns"]),
        verb_only_forms=frozenset(verbs["verbs_only"]),
        people_verbs=frozenset(verbs["people_verbs"]),
        identifier_words=frozenset(ctx["identifier_words"]),
        auxiliaries=frozenset(ctx["auxiliaries"]),
        particles=frozenset(ctx["particles"]),
        gap_words=frozenset(ctx["verb_gap_words"]),
        instruments=frozenset(ctx["instruments"]),
        months=frozenset(ctx["month_names"]),
        place_nouns=frozenset(ctx["place_nouns"]),
        # Another number ends a noun phrase: "the five companies join nine others".
        number_words=frozenset(tomllib.loads(_data("number_words.toml"))["small"]),
        attack_nouns=frozenset(ctx["attack_nouns"]),
        model_words=frozenset(ctx["model_words"]),
        score_words=frozenset(ctx["score_words"]),
        duration_preps=frozenset(ctx["duration_prepositions"]),
        periods=re.compile(periods, re.IGNORECASE),
        periods_lower=re.compile(r"(?<!\w)(?:" + lower_periods + r")(?!\w)"),
        location=re.compile(place),
        idioms=re.compile(rf"\b{alternation_ignorecase(ctx['idioms'])}\b"),
        dates=re.compile("|".join(dates)),
        furniture=re.compile("|".join(ctx["furniture"]), re.IGNORECASE | re.MULTILINE),
    )


def _lower_literals(pattern: str) -> str:
    """`pattern` with its capital letters lower-cased; escapes (\\W, \\S) stay as they are."""

    def lower(m: re.Match[str]) -> str:
        return m.group(0) if m.group(0).startswith("\\") else m.group(0).lower()

    return re.sub(r"\\.|[A-Z]", lower, pattern)


class _Token(NamedTuple):
    # A named tuple, not a dataclass: tokens are made by the thousand and this is the
    # cheapest record Python builds.
    text: str
    start: int
    end: int
    lower: str
    is_word: bool


# The named tuple's own constructor is a Python function around this one: called directly,
# a token costs half as much to make.
_new_tuple = tuple.__new__


def _tokens(text: str, start: int, end: int, limit: int = 1000) -> list[_Token]:
    """The first `limit` tokens of text[start:end] (rules reading forward need only a few)."""
    out = []
    for m in _WORD.finditer(text, start, end):
        word = m.group(0)
        s, e = m.span()
        out.append(_new_tuple(_Token, (word, s, e, word.lower(), word[0].isalpha())))
        if len(out) == limit:
            break
    return out


class _Lazy:
    """Tokens from a position on, made only as far as a rule reads: a noun phrase or a verb
    group ends after a few words, and making tokens is most of the cost of the rules."""

    __slots__ = ("_found", "_matches")

    def __init__(self, text: str, start: int, end: int) -> None:
        self._matches = _WORD.finditer(text, start, end)
        self._found: list[_Token] = []

    def get(self, i: int) -> _Token | None:
        found = self._found
        while len(found) <= i:
            m = next(self._matches, None)
            if m is None:
                return None
            word = m.group(0)
            s, e = m.span()
            found.append(_new_tuple(_Token, (word, s, e, word.lower(), word[0].isalpha())))
        return found[i]


def _is_verb(tok: _Token, ctx: _Context) -> bool:
    return _is_verb_word(tok.text, tok.lower, ctx)


def _is_verb_word(word: str, low: str, ctx: _Context) -> bool:
    """`_is_verb` on a token's text and its lower-cased form."""
    if not word[0].isalpha() or low in ctx.not_actions or not word.islower() or "-" in low:
        return False
    return low in ctx.actions or (len(low) > 4 and low.endswith("ed"))


# --- what is not a figure ---------------------------------------------------------------


def _word_before(text: str, pos: int, lo: int) -> tuple[str, int]:
    """The space-delimited word ending before `pos` (not before `lo`) and where it starts."""
    j = pos
    while j > lo and text[j - 1] == " ":
        j -= 1
    i = text.rfind(" ", lo, j) + 1 or lo
    i = max(i, text.rfind("\n", lo, j) + 1, lo)
    return text[i:j], i


# Spaces, then letters, digits (`[^\W_]` is str.isalnum), hyphens and apostrophes: one
# class, which the engine repeats in C, and the word cut at its first "_" (a \w, not alnum).
_WORD_AFTER = re.compile(r" *([\w'’-]*)")


def _word_after(text: str, pos: int) -> str:
    """The word after `pos`, without trailing punctuation."""
    word = _WORD_AFTER.match(text, pos).group(1)
    return word.partition("_")[0] if "_" in word else word


_FURNITURE_NEXT = frozenset(
    "min minute minutes comments comment shares share views likes replies".split()
)
_FURNITURE_PREV = frozenset("photo image slide page picture".split())
_CLOCK_AFTER = re.compile(r"[:.]\d\d|\s*[ap]\.?m\b|\s+o['’]clock", re.IGNORECASE)


def _excluded(body: str, q: Quantity, line_start: int) -> bool:
    """Whether the number lies in a date, clock time, phone number, URL, idiom or furniture.

    Cheap tests on the neighbouring characters and words decide which patterns can apply,
    and those run on a narrow window only: run over a whole article they would cost more
    than everything else together.
    """
    ctx = _context()
    start, end = q.core_start, q.core_end
    if q.form in ("words", "fraction"):
        lo, hi = max(line_start, start - 25), min(len(body), end + 25)
        return any(m.start() < end and start < m.end() for m in ctx.idioms.finditer(body, lo, hi))
    if q.form != "digits":
        return False
    before = body[max(0, start - 2) : start]
    after = body[end : end + 2]
    prev_word = _word_before(body, start, max(0, start - 30))[0]
    next_word = _word_after(body, end)
    patterns: list[re.Pattern[str]] = []
    if before[-1:] == ":" or _CLOCK_AFTER.match(body, end):
        patterns.append(_CLOCK)
    if (after[:1] in ("/", ".", "-") and after[1:2].isdigit()) or (
        before[-1:] in ("/", ".", "-") and before[:1].isdigit()
    ):
        patterns.append(_NUMERIC_DATE)
    if (
        before[-1:] in ("+", "(")
        or (after[:1] in " .-" and after[1:2].isdigit())
        or (before[-1:] in " .-" and before[:1].isdigit())
    ):
        patterns.append(_PHONE)
    if prev_word.rstrip(".,") in ctx.months or next_word in ctx.months:
        patterns.append(ctx.dates)
    if (
        start == line_start
        or before[-1:] == "("
        or next_word.lower() in _FURNITURE_NEXT
        or prev_word.lower() in _FURNITURE_PREV
        or body[start:end] == "911"
    ):
        patterns.append(ctx.furniture)
    if patterns:
        lo, hi = max(line_start, start - 24), min(len(body), end + 24)
        for pattern in patterns:
            for m in pattern.finditer(body, lo, hi):
                if m.start() < end and start < m.end():
                    return True
    left = body.rfind(" ", 0, start) + 1
    right = body.find(" ", end)
    return _URL_MARK.search(body, left, right if right >= 0 else len(body)) is not None


_STREET_AFTER = re.compile(
    r"(?:\s+[A-Z][\w'’.-]*){1,3}\s+(?:Street|St\.|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?"
    r"|Lane|Drive|Dr\.|Place|Terrace|Highway)\b"
)
_OPENS_TEXT = re.compile(r"[:“\"‘(\n—–]\s*$")


def _ident_mark(tail: str) -> bool:
    """Whether the last three characters before a number hold the "-", "#" or "." that
    every `_IDENT_BEFORE` ends with (a cheap test before the search)."""
    return "-" in tail or "#" in tail or "." in tail


def _is_name_part(body: str, q: Quantity, sent_start: int, ctx: _Context) -> bool:
    """Su-25, No. 5, Boeing 737, 737 Max, "Ten Hag", "One Home Depot": names, not counts."""
    bare = q.start == q.core_start and q.unit is None
    while sent_start < q.start and not body[sent_start].isalnum():
        sent_start += 1  # an opening quotation mark does not start a word
    if (
        q.form == "digits"
        and bare
        and _ident_mark(body[max(0, q.core_start - 3) : q.core_start])
        and _IDENT_BEFORE.search(body, max(0, q.core_start - 12), q.core_start)
    ):
        return True
    next_word = _word_after(body, q.end)
    if next_word in ctx.model_words:
        return True
    if bare and q.form == "digits":
        prev, prev_start = _word_before(body, q.start, sent_start)
        if prev and prev[:1].isupper() and prev.isalpha():
            if prev_start > sent_start and prev not in ctx.months and prev not in _WEEKDAYS:
                return True  # Boeing 737, Article 5, Windows 10
            if len(prev) > 1 and prev.isupper():
                return True  # "NBC 5 has edited ...": an acronym names a station or a model
        if prev.lower() in ctx.identifier_words:
            return True  # "section 232", "size 9"
        if _STREET_AFTER.match(body, q.end):
            return True  # "520 Third Street": an address
    if q.form in ("words", "fraction") and bare:
        prev = _word_before(body, q.start, sent_start)[0]
        if prev.lower() in ctx.identifier_words:
            return True  # "grade eight", "chapter two"
    if q.form in ("words", "fraction") and body[q.core_start].isupper():
        opens = _OPENS_TEXT.search(body, max(0, q.core_start - 4), q.core_start)
        if q.core_start > sent_start and not (opens and not next_word[:1].isupper()):
            # "Erik Ten Hag", "the Big Ten", '‘Half Life’'; but 'the patient: “Two months'
            return True
        if q.value == 1 and next_word[:1].isupper():
            return True  # "One Home Depot"
    return False


def _is_year(text: str, q: Quantity) -> bool:
    """An unformatted integer from 1800 to 2099 without bound or unit is a year ("2023"),
    and so are both ends of "between 2015 and 2017"."""
    raw = text[q.core_start : q.core_end]
    if len(raw) != 4 or not _YEAR_DIGITS.fullmatch(raw) or q.unit is not None:
        return False
    if q.bound != "exact":  # "up to 2027." is a year, "up to 2000 people" a count
        return not re.match(r"\s*[A-Za-z]", text[q.end : q.end + 3])
    if q.value_max is not None:
        return 1800 <= q.value_max < 2100
    return q.start == q.core_start


# --- noun phrases -------------------------------------------------------------------------


def _noun_phrase(text: str, pos: int, limit: int, ctx: _Context) -> tuple[str | None, int]:
    """The noun phrase starting at `pos` ("enemy attacks"), and where it ends."""
    toks = _Lazy(text, pos, min(limit, pos + 70))
    words: list[_Token] = []
    i = 0
    while (tok := toks.get(i)) is not None and len(words) < 8:
        low = tok.lower
        # The next token is read only by the rules that need it: most phrases end at a
        # token that decides alone.
        if tok.text == "," or low in ("and", "or"):
            if words and (
                _list_continues(words, tok, toks.get(i + 1), ctx, toks.get(i + 2))
                or (tok.text == "," and _closed_list(toks, i + 1, ctx))
            ):
                words.append(tok)
                i += 1
                continue
            break
        if tok.text in _QUOTES:
            nxt = toks.get(i + 1)
            if nxt is not None and nxt.is_word and nxt.lower not in ctx.np_stops:
                i += 1  # 140 million active “businesses”: quoted words stay in the phrase
                continue
            break
        if not tok.is_word:
            break
        if (low in ctx.number_words and words) or tok.text[0].isdigit():
            # "the five companies join nine others": a verb stands before the next number
            if len(words) > 1 and words[-1].text.islower() and not _singular(words[-2]):
                words.pop()
            break
        apostrophe = "'" in low or "’" in low  # spares most words the regex
        if apostrophe and _CONTRACTION.search(low) and _CONTRACTION.split(low)[0] in ctx.pronouns:
            break  # "the information you’re seeing"
        acronym = tok.text.isupper() and len(tok.text) > 1  # "US troops", not "us"
        if low in ctx.np_stops and not acronym and not (not words and low in ctx.np_openers):
            break
        if low.endswith("ly") and len(low) > 4 and low not in ctx.ly_adjectives:
            break
        if "-" not in low:
            if low.endswith("ed") and len(low) > 3:
                # "injured people" but not "people injured"
                nxt = toks.get(i + 1)
                if words or nxt is None or not nxt.is_word or nxt.lower in ctx.np_stops:
                    break
            elif low.endswith("ing") and len(low) > 4:
                # "soldiers fighting in ..." but "one in-person meeting with ..."
                after_noun = not words or words[-1].lower.endswith("s")
                nxt = toks.get(i + 1)
                if nxt is not None and nxt.lower in _VERB_FOLLOWERS and after_noun:
                    break
            elif low in ctx.verb_only_forms:
                break  # "20 flew over"
            elif low in ctx.actions:
                # "five drones hit the depot", but "600 strike drones", "the total cost"
                nxt = toks.get(i + 1)
                if nxt is None or nxt.lower in _OBJECT_STARTS:
                    break
        words.append(tok)
        i += 1
    while words and (not words[-1].is_word or words[-1].lower in ("and", "or")):
        words.pop()
    if not words or (len(words) == 1 and words[0].lower in ctx.np_openers):
        return None, pos  # "nearly four more than his average"
    end = words[-1].end
    # "units of equipment", "days of mourning": keep the complement, it names the thing.
    of = _OF_DET.match(text, end)
    if of and len(words) < 4 and not _OF_PRONOUN.match(text, end):
        tail, tail_end = _noun_phrase(text, of.end(), limit, ctx)
        if tail:
            end = tail_end
    elif words[-1].lower in ctx.relational_heads:
        # "a 0.3-point drop in the unemployment rate", "a $9.99 monthly rate for its
        # subscription": the complement names what the change or rate is of.
        link = _RELATION_LINK.match(text, end)
        if link:
            tail, tail_end = _noun_phrase(text, link.end(), limit, ctx)
            if tail:
                end = tail_end
    return text[words[0].start : end], end


_CONTRACTION = re.compile(r"['’](?:re|s|ll|ve|d|m)$")
_QUOTES = frozenset('“”"‘’«»')
_RELATION_LINK = re.compile(r"\s+(?:in|for|on)\s+(?:(?:the|its|their|his|her|our)\s+)?")


def _closed_list(toks: _Lazy, i: int, ctx: _Context) -> bool:
    """Whether the words from toks[i] on finish a list closed by "and"/"or": "guest rooms,
    suites and signature cabins", "new cars, trucks and SUVs" are one thing counted."""
    for j in range(i, i + 8):
        tok = toks.get(j)
        if tok is None:
            return False
        if tok.lower in ("and", "or"):
            nxt = toks.get(j + 1)
            return j > i and nxt is not None and nxt.is_word and nxt.lower not in ctx.np_stops
        if tok.text == ",":
            continue
        if not tok.is_word or tok.lower in ctx.np_stops or not _noun_like(tok, ctx):
            return False
        if tok.lower.endswith("ly"):
            return False
    return False


def _list_continues(
    words: list[_Token], tok: _Token, nxt: _Token | None, ctx: _Context, after: _Token | None = None
) -> bool:
    """Whether "," or "and" continues one noun phrase: "air, sea and ground-launched
    missiles", "tanks and infantry fighting vehicles", "US and Filipino troops"."""
    if nxt is None or not nxt.is_word or nxt.lower in ctx.np_stops:
        return False
    if nxt.lower.endswith("ed") and "-" not in nxt.lower or nxt.lower in ctx.verb_only_forms:
        return False
    if nxt.lower.endswith("ing") and "-" not in nxt.lower:
        # "arresting 210 people and confiscating 3.7 tons": a verb with its object; but
        # "maintenance and cleaning workers"
        if after is None or not after.is_word or after.lower in ctx.np_stops:
            return False
    prev = words[-1]
    if tok.text == ",":
        return False  # only a list closed by "and" goes on past a comma (_closed_list)
    # "tanks and infantry fighting vehicles", "US and Filipino troops", "cars and SUVs"
    return nxt.text.islower() or prev.text[:1].isupper() or nxt.text.rstrip("s").isupper()


def _verb_follows(text: str, pos: int, limit: int, ctx: _Context) -> bool:
    """Whether the number is itself the subject: "five are still missing", "20 flew over"."""
    return _verb_next(text, pos, min(limit, pos + 30), ctx)


def _verb_next(text: str, pos: int, end: int, ctx: _Context) -> bool:
    """Whether the first token of text[pos:end] is an auxiliary or a verb."""
    m = _WORD.search(text, pos, end)
    if m is None:
        return False
    word = m.group(0)
    low = word.lower()
    return low in ctx.auxiliaries or _is_verb_word(word, low, ctx)


def _noun_like(tok: _Token, ctx: _Context) -> bool:
    low = tok.lower
    return (
        tok.is_word
        and low not in ctx.np_stops
        and low not in ctx.actions
        and not low.endswith(("ed", "ing"))
    )


def _counted_after(text: str, q: Quantity, limit: int, ctx: _Context) -> tuple[str | None, int]:
    """What a count counts: "4 enemy attacks", "hundreds of people", "131 of the 148 drones"."""
    pos = q.end
    if _OF_PRONOUN.match(text, pos):
        return None, pos  # "11 of them": the noun is elsewhere
    of = _OF_DET.match(text, pos)
    if of:
        pos = of.end()
        pos = _NESTED_NUMBER.match(text, pos).end()
    hyphen = _HYPHEN_WORD.match(text, pos)
    if hyphen:  # "a 14-man injury list", "a .45-caliber handgun"
        noun, end = _noun_phrase(text, hyphen.end(), limit, ctx)
        return (noun, end) if noun else (hyphen.group(1), hyphen.end())
    return _noun_phrase(text, pos, limit, ctx)


def _measured_after(
    text: str, pos: int, limit: int, money: bool, ctx: _Context
) -> tuple[str | None, int]:
    """What a percentage or amount is of: "62% of the budget", "$2.3 billion for air defense",
    "a 10% stake", "3.5% less electricity"."""
    if _OF_PRONOUN.match(text, pos):
        return None, pos
    link = (_MONEY_LINK if money else _OF_DET).match(text, pos)
    if link is None and (closing := _CLOSING.match(text, pos)):
        link = (_MONEY_LINK if money else _OF_DET).match(text, closing.end())  # "31% — of"
    if link:
        after = link.end()
        noun, end = _noun_phrase(text, _NESTED_NUMBER.match(text, after).end(), limit, ctx)
        if noun and not _TIME_HEADS.intersection(noun.lower().split()):
            return noun, end
        return None, pos
    comparative = _COMPARATIVE.match(text, pos)
    start = comparative.end() if comparative else pos
    noun, end = _noun_phrase(text, start, limit, ctx)
    if noun and (noun.split()[-1].lower() in _TIME_HEADS or noun.lower() in ctx.np_openers):
        return None, pos  # "12% more than in September"
    comparative = noun and noun.split()[0].lower() in ctx.comparatives and " " not in noun
    if noun and (comparative or _THAN.match(text, end)):
        # "closed 0.2% higher", "23% less likely than men": an adjective, not a noun; the
        # thing measured is before the number.
        return None, pos
    return noun, end


def _thing_before(
    text: str,
    lo: int,
    start: int,
    ctx: _Context,
    linked_only: bool = False,
    measured: bool = False,
    sent_start: int | None = None,
    count: bool = False,
    apposition: bool = False,
) -> str | None:
    """The thing a measure is about, written before it: "consumer prices rose by 10.4%",
    "the dugout is 3 metres deep", "a relocation payment of UAH 10,800", "the death toll
    from that strike had risen to 21". With `linked_only`, a verb or link word must stand
    between them ("took place about 9.3km" says nothing about the place). With `measured`
    (money, percentages), no other verb may: "the minister allocated R4bn" is not the
    minister's size; with `count` (a bare count), no other verb either. With
    `sent_start`, a clause that is only a relative pronoun, a participle or a dash before
    the number borrows the noun of the clause it hangs on."""
    if _POSSESSOR_BEFORE.search(text, max(lo, start - 40), start):
        return None  # "Humphreys’ 31.6 percent": an owner, not the thing measured
    # Quotation marks never stand between a thing and its measure: women are “23% ...
    toks = [
        t._replace(is_word=False) if t.is_word and _amount_token(t.text) else t
        for t in _tokens(text, max(lo, start - 100), start)
        if t.text not in _QUOTES
    ]  # "cut from R11bn to R5.5bn": R11bn is a number, not a word
    j = len(toks) - 1
    linked = worth = agent = False
    # "a budget of $449,000", "a prison term of five years": the noun before "of" is what
    # the measure is (and nothing it hangs on), unless it only names a quantity ("a total
    # of", "a high of"): then the walk goes on to the verb and its subject.
    of_link = via_quantity = seen_verb = False
    while j >= 0 and toks[j].is_word:
        low = toks[j].lower
        if low == "of" and j == len(toks) - 1:
            of_link = True
            j -= 1
        elif _CONTRACTED_RELATIVE.fullmatch(low):
            linked = True  # "an engine that’s 20% more powerful": "that" + "is"
            break
        elif of_link and low in ctx.transparent_heads and not linked and not agent:
            # "scaled a new all-time high of 40,816", "a total of": go on to the verb, which
            # then only links the subject to its level
            of_link = False
            via_quantity = True
            phrase = _phrase_ending_at(toks, j - 1, ctx)
            j = toks.index(phrase[0]) - 1 if phrase else j - 1
            while j >= 0 and toks[j].lower in _DETERMINERS:
                j -= 1
        elif low in ctx.gap_words or (low.endswith("ly") and len(low) > 4):
            j -= 1
        elif not (linked or agent) and (k := _adverbial_start(toks, j, ctx)) is not None:
            j = k - 1  # "shares closed in New York on Tuesday at $185": skip to the verb
        elif (
            seen_verb
            and low in ctx.actions
            and low not in ctx.verb_only_forms
            and low not in ctx.auxiliaries
            and low not in ctx.linking
            and low not in ctx.change_verbs
        ):
            break  # "the death toll from that strike had risen": a noun before the verb
        elif (
            low in ctx.linking
            or low in ctx.auxiliaries
            or low in ctx.change_verbs
            or _is_verb(toks[j], ctx)
            or (j > 0 and toks[j].text.islower() and toks[j - 1].lower in _MODALS)
            or (j == len(toks) - 1 and low.endswith("ing") and toks[j].text.islower())
        ):
            seen_verb = seen_verb or low not in ctx.gap_words
            link = low in ctx.linking or low in ctx.change_verbs or via_quantity
            via_quantity = False
            linked = linked or link
            agent = agent or not (link or low in ctx.auxiliaries)
            if low in _BE_FORMS and j + 1 < len(toks) and _PARTICIPLE.search(toks[j + 1].lower):
                agent = False  # a passive: "allocations have been cut by R2bn"
            worth = worth or low == "worth"
            j -= 1
        else:
            break
    of_link = of_link and not linked and not agent and j >= 0
    if of_link and (measured or _singular(toks[j])):
        linked = True  # but "waves of 20-25" are not what is counted
    else:
        of_link = False
        if linked_only and not linked:
            return None  # "the column moved 6 km": the distance is not the column's
    if count and agent:
        return None  # "the attack killed 1,200": the attack is not what is counted
    if (
        j >= 0
        and _HAS_DIGIT.search(toks[j].text)
        and j < len(toks) - 1
        and not any(
            t.lower in ctx.change_verbs or t.lower in _BE_FORMS or _is_verb(t, ctx)
            for t in toks[j + 1 :]
        )
    ):
        return None  # "from 16 currently to 80": another figure; the chain rule decides

    if j >= 0 and _CONTRACTED_RELATIVE.fullmatch(toks[j].lower):
        words = [toks[j]]
        relative = True
    else:
        words = _phrase_ending_at(toks, j, ctx)
        relative = len(words) == 1 and words[0].lower in _RELATIVES
        rest = text[words[1].start : words[-1].end] if len(words) > 1 else ""
        if words and not words[0].is_word and _unnamed(rest or None) and not seen_verb:
            return None  # "from 0.90 percent to 1.23 percent": another figure's unit
    if linked and words and not relative:
        # "The death toll from a fire that left two buildings in ruins rose to 10": the
        # subject is what stands before the relative clause
        first = words[0].start
        wide = [t for t in _tokens(text, lo, first) if t.text not in _QUOTES]
        r = next((i for i, t in enumerate(wide) if t.lower in _RELATIVES), None)
        if r and not any(_is_clause_verb(t, ctx) for t in wide[:r]):
            host = _phrase_ending_at(wide, r - 1, ctx)
            if host and host[-1].is_word:
                toks, words = wide, host
    if sent_start is not None and (relative or (lo > sent_start and not words)):
        borrowed = _clause_host(
            text, sent_start, words[0].start if relative else lo, words, toks, ctx, apposition
        )
        if borrowed is not None:
            return borrowed
    # A phrase after "of/from/in ..." hangs on the noun before it: "the death toll from
    # the ruins in the city of Valencia" counts the death toll; but "the number of peers"
    # counts the peers (spec F2), so a quantity noun keeps its complement.
    climbs = 0 if worth or (of_link and j == len(toks) - 2) else 4
    for _ in range(climbs):  # "bonds worth $1 billion" are the bonds
        if not words:
            break
        k = toks.index(words[0]) - 1
        while k >= 0 and toks[k].lower in _DETERMINERS:
            k -= 1
        if k >= 2 and toks[k].lower == "by" and _PARTICIPLE.search(toks[k - 1].lower):
            k -= 1  # "the cost borne by the government for ...": past the participle
        elif k < 1 or toks[k].lower not in ctx.attach_preps:
            break
        if toks[k].lower == "to" and k + 1 == toks.index(words[0]) and words[0].text.islower():
            break  # "plans to boost spending": an infinitive, not "exports to China"
        head = _phrase_ending_at(toks, k - 1, ctx)
        if not any(w.is_word and w.text not in ctx.months for w in head):
            break  # "a peak in the summer of 2020": no noun to hang on
        if toks[k].lower == "of" and head[-1].lower in ctx.quantity_heads:
            words = head + words  # "the number of peers", "the price of wheat"
            break
        if toks[k].lower == "for" and head[-1].lower in ctx.quantity_heads:
            words = [head[-1], *words]  # "prices for a standard drone to fall to $300"
            break
        words = head
    # Digits stay only as part of a name ("Britain's FTSE 100", "the CAC 40").
    words = [
        w
        for k, w in enumerate(words)
        if w.is_word or (k > 0 and words[k - 1].is_word and words[k - 1].text[:1].isupper())
    ]
    if not words or words[-1].text in ctx.months or words[-1].text in _WEEKDAYS:
        return None
    if (
        len(words) == 1
        and words[0].lower in ("it", "they")
        and sent_start is not None
        and not agent
        and not text[sent_start : words[0].start].strip(' “"')
    ):
        # "The X4 will go 300 miles. It will start at $44,000": the subject of the
        # sentence before, in the same paragraph
        return _previous_subject(text, sent_start, ctx)
    if measured and agent and (words[0].text[:1].isupper() or words[-1].text[:1].isupper()):
        return None  # a named agent: "Godongwana has allocated R4bn"
    if any(re.split(r"['’]", w.lower)[0] in ctx.pronouns for w in words):
        return None  # "it", "we’ll", "she's"
    return text[words[0].start : words[-1].end]


def _previous_subject(text: str, sent_start: int, ctx: _Context) -> str | None:
    """The subject of the sentence before `sent_start`, unless a paragraph ends between."""
    before = text[max(0, sent_start - 300) : sent_start].rstrip()
    if not before or "\n" in text[max(0, sent_start - 300) + len(before) : sent_start]:
        return None
    offset = max(0, sent_start - 300)
    cut = max(before.rfind(". ", 0, len(before) - 1), before.rfind("\n"))
    if cut < 0 and offset > 0:
        return None
    start = offset + cut + 1
    while start < sent_start and text[start] in ' \n“"':
        start += 1
    return _sentence_subject(text, start, sent_start, ctx)


def _is_clause_verb(tok: _Token, ctx: _Context) -> bool:
    """Whether a token is a verb that would make the words before a relative pronoun a
    clause of their own ("He said that ...") rather than a subject."""
    low = tok.lower
    if low in ctx.auxiliaries or low in ctx.not_actions or low in ctx.verb_only_forms:
        return True
    return tok.text.islower() and low.endswith("ed") and "-" not in low


def _singular(tok: _Token) -> bool:
    return not _plural(tok.lower)


def _plural(word: str) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))


# After these, a lower-case word is a verb: "which can save", "will cost".
_MODALS = frozenset("can could will would may might must should shall".split())
_CONTRACTED_RELATIVE = re.compile(r"(?:that|which|who)['’](?:s|re)")
_RELATIVES = frozenset("which that who".split())
_CLAUSE_LEAD = re.compile(r"[\s,]*(?:[—–(,]|\s-)\s*$")


def _clause_host(
    text: str,
    sent_start: int,
    lo: int,
    words: list[_Token],
    toks: list[_Token],
    ctx: _Context,
    apposition: bool = False,
) -> str | None:
    """The noun a clause starting at `lo` hangs on, when the clause has none of its own:
    "the youth category, which jumped by 98,700" (a relative pronoun), "the bond weakened,
    hitting 16%" (a participle: the sentence subject), "significant wealth — at least
    $500,000 —" (an apposition after a dash)."""
    before = text[max(sent_start, lo - 120) : lo]
    if len(words) == 1 and (
        words[0].lower in _RELATIVES or _CONTRACTED_RELATIVE.fullmatch(words[0].lower)
    ):
        return _host_phrase(text, sent_start, lo, ctx)
    if not words and toks and toks[0].lower.endswith("ing") and toks[0].lower in ctx.change_verbs:
        return _sentence_subject(text, sent_start, lo, ctx)
    lead = _CLAUSE_LEAD.search(before)
    if not words and not toks and lead and (apposition or "," not in lead.group(0)):
        # after a comma only a multiplier is an apposition ("a long dissent, three times as
        # long"); a count or a percentage there is a list item ("77 percent were aged ...")
        return _host_phrase(text, sent_start, lo, ctx)
    return None


def _host_phrase(text: str, sent_start: int, lo: int, ctx: _Context) -> str | None:
    """The noun phrase that ends right before `lo` (within its sentence), unless it is a
    pronoun: what a relative or an apposition after it hangs on."""
    host = _tokens(text, max(sent_start, lo - 120), lo)
    while host and not host[-1].is_word:
        host.pop()
    phrase = [w for w in _phrase_ending_at(host, len(host) - 1, ctx) if w.is_word]
    if phrase and phrase[-1].lower not in ctx.pronouns:
        return text[phrase[0].start : phrase[-1].end]
    return None


def _sentence_subject(text: str, sent_start: int, end: int, ctx: _Context) -> str | None:
    """The words of a sentence before its first verb, when they make a short noun phrase:
    "WeWork's 2025 bond" in "WeWork's 2025 bond has weakened sharply, hitting 16%"."""
    toks = _tokens(text, sent_start, end, 8)
    words: list[_Token] = []
    for tok in toks:
        if tok.lower in ctx.auxiliaries or _is_verb(tok, ctx) or tok.lower in ctx.change_verbs:
            break
        if not (tok.is_word or tok.text[0].isdigit()) or tok.lower in ctx.np_stops:
            if tok.lower not in ("the", "a", "an"):
                return None
            continue
        words.append(tok)
    else:
        return None
    if not words or any(w.lower in ctx.pronouns for w in words):
        return None
    return text[words[0].start : words[-1].end]


_ADVERBIAL_PREPS = frozenset("in on at near from across outside during since by".split())


def _adverbial_start(toks: list[_Token], j: int, ctx: _Context) -> int | None:
    """Where a place or time phrase ending at toks[j] starts ("in New York", "on Tuesday"),
    when toks[j] ends one; else None."""
    k = j
    while k >= 0 and (toks[k].text[:1].isupper() or toks[k].lower == "the"):
        k -= 1
    if k == j or k < 1 or toks[k].lower not in _ADVERBIAL_PREPS:
        return None
    return k


_HAS_DIGIT = re.compile(r"\d")
# A word token that is an amount ("R11bn", "RM5m", "Rs24"), not a name with a digit ("CLc1").
_AMOUNT_TOKEN = re.compile(r"(?:[A-Z]{1,2}|Rs)\d[\d.,]*[a-z]{0,3}")


def _amount_token(word: str) -> bool:
    """Whether a word token is an amount ("R11bn", "UAH10"); its digits start at the second
    or third character, a test that spares nearly every word the regex."""
    return (word[1:2].isdigit() or word[2:3].isdigit()) and bool(_AMOUNT_TOKEN.fullmatch(word))


_PARTICIPLE = re.compile(
    r"(?:ed|en|ne|wn|cut|set|put|paid|sold|spent|hit|lost|made|held|shot|run|won|led|kept)$"
)
_BE_FORMS = frozenset("be been being is are was were".split())
_DETERMINERS = frozenset("the a an that this its their his her our".split())


def _phrase_ending_at(toks: list[_Token], j: int, ctx: _Context) -> list[_Token]:
    words: list[_Token] = []
    while j >= 0 and len(words) < 5:
        tok = toks[j]
        if not (tok.is_word or tok.text[0].isdigit()):
            break
        verb = tok.lower in ctx.verb_only_forms or (
            tok.lower.endswith("ed") and "-" not in tok.lower and tok.text.islower()
        )
        if tok.lower in ctx.np_stops or verb or tok.lower in ctx.pronouns:
            if not (tok.lower in ctx.pronouns and not words):
                break
            words.insert(0, tok)
            break
        words.insert(0, tok)
        j -= 1
    return words


# --- the verb ---------------------------------------------------------------------------


def _verb_end(words: list[str], lows: list[str], i: int, ctx: _Context) -> int | None:
    """Where the verb group at words[i] ends (an index), with its particle and a coordinated
    verb ("destroyed and jammed"); None when words[i] is not a verb."""
    n = len(words)
    if i >= n or not _is_verb_word(words[i], lows[i], ctx):
        return None
    end = i + 1
    if end < n and lows[end] in ctx.particles:
        end += 1
    if (
        end + 1 < n
        and lows[end] in ("and", "or")
        and _is_verb_word(words[end + 1], lows[end + 1], ctx)
    ):
        end += 2
        if end < n and lows[end] in ctx.particles:
            end += 1
    return end


def _action_before(text: str, clause_start: int, start: int, ctx: _Context) -> str | None:
    """The verb before the number: "repelled 4", "carried out 508", "killed at least two"."""
    # Runs for every candidate figure: plain strings from findall, not _Token records.
    words = _WORD.findall(text, max(clause_start, start - 45), start)
    lows = [w.lower() for w in words]
    j = len(words) - 1
    while j >= 0 and lows[j] in ctx.gap_words and lows[j] not in ctx.particles:
        j -= 1
    if j < 0:
        return None
    if lows[j] in ctx.particles and j > 0 and _is_verb_word(words[j - 1], lows[j - 1], ctx):
        j -= 1
    if j >= 2 and lows[j - 1] in ("and", "or") and _is_verb_word(words[j - 2], lows[j - 2], ctx):
        j -= 2  # "destroyed and jammed 549 drones"
    end = _verb_end(words, lows, j, ctx)
    return " ".join(words[j:end]) if end else None


def _action_after(text: str, pos: int, limit: int, ctx: _Context) -> str | None:
    """The verb after the counted noun: "attacks were repelled", "19 missiles failed to reach"."""
    if not _verb_next(text, pos, min(limit, pos + 50), ctx):
        return None  # the common case, decided on one token
    toks = _tokens(text, pos, min(limit, pos + 50), 7)
    i = 0
    while i < len(toks) and toks[i].lower in ctx.auxiliaries:
        i += 1
    words, lows = [t.text for t in toks], [t.lower for t in toks]
    end = _verb_end(words, lows, i, ctx)
    if end is None:
        return None
    phrase = " ".join(words[i:end])
    infinitive = _INFINITIVE.match(text, toks[end - 1].end)
    if infinitive and phrase.endswith("ed") and infinitive.group(1) not in ctx.np_stops:
        phrase = f"{phrase} to {infinitive.group(1)}"
    return phrase


# --- place and time ---------------------------------------------------------------------


def _location(
    text: str,
    sent: tuple[int, int],
    clause: tuple[int, int],
    nxt: tuple[int, int] | None,
    matches: list[re.Match[str]],
) -> str | None:
    """A named place in the clause, else one fronted in the sentence ("In the Bakhmut
    direction, ..."), else one the next sentence gives ("It is near Sinkivka"), else an
    unnamed place in the clause ("in this direction")."""

    def named(m: re.Match[str]) -> bool:
        return any(w[:1].isupper() for w in m.group(0).split()[1:])

    def in_clause(m: re.Match[str]) -> bool:
        return clause[0] <= m.start() < clause[1]

    def fronted(m: re.Match[str]) -> bool:
        before = text[sent[0] : m.start()].strip()
        return text[m.end() : m.end() + 1] == "," and (
            not before or before.lower().endswith(("that", ","))
        )

    for m in matches:
        if named(m) and in_clause(m):
            return m.group(0)
    for m in matches:
        if named(m) and fronted(m):
            return m.group(0)
    if nxt is not None:
        follow = _FOLLOW_PLACE.match(text, nxt[0])
        if follow:
            m = _context().location.match(text, follow.end(), nxt[1])
            if m and named(m):
                return m.group(0)
    for m in matches:
        if in_clause(m) or fronted(m):
            return m.group(0)
    return None


_NEXT_WORD = re.compile(r"\s+([a-z][a-z-]*)\b")
_ON_PLACE = re.compile(r"^[Oo]n\s")


def _is_place(text: str, m: re.Match[str], ctx: _Context) -> bool:
    """Whether a place-shaped phrase is a place: not a name used as a modifier ("in Israeli
    custody", "on Chinese goods", "across Facebook's platforms"), and "on" + a name only
    after an attack ("an attack on Kyiv", not "a post on Instagram")."""
    phrase = m.group(0)
    if phrase.split()[-1][:1].isupper():
        nxt = _NEXT_WORD.match(text, m.end())
        if (
            nxt
            and nxt.group(1) not in ctx.np_stops
            and not _is_verb_word(nxt.group(1), nxt.group(1), ctx)
        ):
            return False
    if _ON_PLACE.match(phrase) and phrase.split()[-1].lower() not in ctx.place_nouns:
        before = text[max(0, m.start() - 20) : m.start()].split()
        return bool(before) and before[-1].lower().strip(",") in ctx.attack_nouns
    return True


def _period_spans(
    body: str, lowered: str, sent: tuple[int, int], ctx: _Context
) -> list[tuple[int, int]]:
    """Spans of the time phrases in a sentence.

    They are matched in the lower-cased body, case-sensitively: IGNORECASE makes every
    character test slower. str.lower() never shortens a string, so when the length is
    unchanged the offsets are the body's.
    """
    if len(lowered) == len(body):
        return [m.span() for m in ctx.periods_lower.finditer(lowered, *sent)]
    return [m.span() for m in ctx.periods.finditer(body, *sent)]


def _period(text: str, spans: list[tuple[int, int]], pos: int) -> str | None:
    """The time phrase of the sentence nearest to the number."""
    best: tuple[int, int, int] | None = None
    for start, end in spans:
        distance = abs(start - pos)
        if best is None or distance < best[0]:
            best = (distance, start, end)
    return text[best[1] : best[2]] if best else None


# --- putting it together -----------------------------------------------------------------


class _Reading(NamedTuple):
    """What a number measures, read from the words around it (a named tuple: one per
    number, and cheaper to build than a frozen dataclass)."""

    unit: str | None
    object: str | None
    object_end: int
    period: str | None = None


def _read(
    body: str,
    q: Quantity,
    sent: tuple[int, int],
    clause_start: int,
    ctx: _Context,
    antecedent: str | None = None,
) -> _Reading | None:
    """Unit, object and (for durations) period of a number; None when it is not a figure.

    `antecedent` is what the previous count in this or the last sentence counted: "19 of
    them", "a third of which" and "five are still missing" count the same thing."""
    limit = sent[1]
    age = _AGE_AFTER.match(body, q.end)
    if (
        age
        or (
            ends_before(body, max(0, q.start - 10), q.start, _AGE_BEFORE_ENDS)
            and _AGE_BEFORE.search(body, max(0, q.start - 10), q.start)
        )
        or (
            ends_before(body, max(0, q.start - 16), q.core_start, ("as",))
            and _AS_YOUNG_AS.search(body, max(0, q.start - 16), q.core_start)
        )
        or stated_age(body, q)
    ):
        unit = ((age.group(1) or age.group(2)).lower() if age else None) or "year"
        return _Reading(unit, "age", age.end() if age else q.end)
    if (
        q.form in ("digits", "words")
        and q.unit is None
        and 0 < q.value < 120
        and q.value == int(q.value)
        # Each test reads after the number first: a match there is cheaper than a search
        # of the window before it, and fails more often.
        and (
            (
                _AGE_AFTER_NAME.match(body, q.end)
                and _NAME_COMMA.search(body, max(0, q.start - 30), q.start)
            )
            or (
                _AGE_WHEN_AFTER.match(body, q.end)
                and _AGE_WHEN_BEFORE.search(body, max(0, q.start - 25), q.start)
            )
            or (
                _AGE_PRONOUN_AFTER.match(body, q.end)
                and _AGE_PRONOUN_BEFORE.search(body, max(0, q.start - 12), q.start)
            )
        )
    ):
        return _Reading("year", "age", q.end)  # "Svitlana Onofryichuk, 55, who ..."

    if q.unit == "times":
        freq = _FREQUENCY.match(body, q.end)
        if freq:  # "100 times a day", "twice a year": a frequency, counted in times
            return _Reading(None, "times", q.end, freq.group(0).strip())
        much = _AS_MUCH.match(body, q.end) or _COMPARATIVE.match(body, q.end)
        if much:  # "twice as much water", "three times more drones"
            noun, end = _noun_phrase(body, much.end(), limit, ctx)
            return _Reading("times", noun, end)
        nxt = _tokens(body, q.end, min(limit, q.end + 20))
        if q.form == "multiplier" and nxt and _noun_like(nxt[0], ctx):
            noun, end = _noun_phrase(body, q.end, limit, ctx)
            if noun and _plural(noun.split()[-1].lower()):
                return _Reading(None, noun, end)  # "triple taillights": three of them
            return None  # "double album", "triple threat"
        verb_like = body[q.core_start : q.core_end].lower() in _MULTIPLIER_VERBS
        if verb_like and nxt and nxt[0].lower in _VERB_PARTICLES:
            return None  # "double down", "pods that double as cabins": verbs, not multipliers
        if body[q.start : q.end].lower().endswith("times") and not _MULTIPLIES.match(body, q.end):
            verb = _WORD.findall(body, max(clause_start, q.start - 25), q.start)
            if not (verb and verb[-1].lower() in ctx.change_verbs):
                # "was intercepted three times", "has visited 42 times": a count of
                # occasions, not a multiplier ("sales grew three times", "three times as long")
                return _Reading(None, "times", q.end)
        return _Reading(
            "times",
            _thing_before(body, clause_start, q.start, ctx, sent_start=sent[0], apposition=True),
            q.end,
        )

    fraction = _is_fraction(q)
    if q.unit is not None and not fraction:  # a percentage or an amount of money
        money = q.unit not in ("%", "pp")
        per = per_unit_after(body, q.end) if money else None
        rate = _HYPHEN_RATE.match(body, q.end) if money and per is None else None
        if rate:  # "a $6.99-a-month service": a rate inside a compound modifier
            per_word = per_unit_after(" a " + rate.group(1), 0)
            per = (per_word[0], rate.end()) if per_word else None
        unit = f"{q.unit}/{per[0]}" if per else q.unit
        after = per[1] if per else q.end
        of_before = _OF_BEFORE.search(body, max(clause_start, q.start - 30), q.start)
        if of_before and of_before.group(1) not in ctx.transparent_heads:
            # "a budget of $449,000", "a price of $20 for sex": the noun before "of" is
            # what the amount is (a quantity noun such as "a total of" is skipped).
            noun = _thing_before(body, clause_start, q.start, ctx, sent_start=sent[0])
            if noun is not None:
                return _Reading(unit, noun, after)
        noun, end = _measured_after(body, after, limit, money, ctx)
        if noun is None:
            noun = _thing_before(
                body, clause_start, q.start, ctx, measured=not per, sent_start=sent[0]
            )
            end = after
        tail = body[q.core_end : q.end]
        if (
            noun is None
            and money
            and any(c.isalpha() for c in tail)
            and not _HAS_DIGIT.search(tail)
        ):
            noun = body[q.start : q.end].split()[-1]  # "a few hundred hryvnias"
        return _Reading(unit, noun, end)

    unit_m = unit_after(body, q.end) or list_unit_after(body, q.end)
    if unit_m is not None:
        return _read_unit(body, q, unit_m, sent, clause_start, ctx)

    if q.form == "fraction" and body[q.start : q.start + 2].lower() == "a ":
        nxt = _tokens(body, q.end, min(limit, q.end + 20))
        if nxt and nxt[0].is_word and nxt[0].lower not in ctx.np_stops:
            return None  # "a third undisclosed buyer" is an ordinal
    noun, end = _counted_after(body, q, limit, ctx)
    if (
        noun is None
        and q.start == q.core_start
        and _DEFINITE_BEFORE.search(body, max(sent[0], q.start - 30), q.start)
    ):
        return None  # spec: bare "the two", "These 11 had until ...", "the selected five"
    if noun is not None and noun.lower() in _ANAPHORIC and antecedent:
        noun = antecedent  # "the five companies join nine others"
    if (
        noun is None
        and antecedent
        and (_OF_PRONOUN.match(body, q.end) or _verb_follows(body, q.end, limit, ctx))
    ):
        noun = antecedent
    if noun is None and q.form == "fraction":  # "oil revenues have fallen by a quarter"
        noun = _thing_before(body, clause_start, q.start, ctx, linked_only=True, sent_start=sent[0])
    if noun is None:
        lo = max(sent[0], q.start - 80)
        label = (
            _LABEL_BEFORE.search(body, lo, q.start)
            if ends_before(body, lo, q.start, (":",))
            else None
        )
        if label and _LINE_START.match(body, label.start()):
            # a fact line "Foeticide cases in the state (2023): 20": the label's noun
            noun, _ = _noun_phrase(body, label.start(), label.end(), ctx)
    lo = max(sent[0], q.start - 30)
    seats = None
    if noun is None and ends_before(body, lo, q.start, ("for",)):
        seats = _FOR_N_BEFORE.search(body, lo, q.start)
    if seats:
        noun = seats.group(1)  # "seating for four", "a table for two"
    if noun is None and q.form in ("words", "fraction"):
        return None  # bare "the two", "half"
    if noun is None:
        noun = _thing_before(body, clause_start, q.start, ctx, sent_start=sent[0], count=True)
    # Spec F3: a fraction is a share of its object, never a count of it ("half of the
    # soldiers" is not 0.5 soldiers), so that a SUM over counts never adds it.
    return _Reading("fraction" if fraction else None, noun, end)


def _is_fraction(q: Quantity) -> bool:
    """A share below one: "half", "a third", "two-thirds". "half a million" and "two and a
    half" are read as fractions too, but they are counts."""
    return (q.form == "fraction" or q.unit == "fraction") and 0 < q.value < 1


def _read_unit(
    body: str,
    q: Quantity,
    unit_m: UnitMatch,
    sent: tuple[int, int],
    clause_start: int,
    ctx: _Context,
) -> _Reading | None:
    """A number with a unit noun: "three weeks", "5 km", "155-mm shells", "1.5 million pounds"."""
    limit = sent[1]
    if unit_m.kind == "currency":
        noun, end = _measured_after(body, unit_m.end, limit, True, ctx)
        if noun is None:
            noun = _thing_before(body, clause_start, q.start, ctx, sent_start=sent[0])
        return _Reading(unit_m.unit, noun or unit_m.surface, max(end, unit_m.end))
    if _AGO.match(body, unit_m.end):
        return None  # "three years ago" dates an event
    glued = unit_m.hyphenated or body[q.end : q.end + 1].isalpha()
    # Spec F1: a measure inside a compound modifier gives the modified noun: "a four-year
    # war", "a 55-kilometre zone", "a 30 min walk", "a 275 horsepower electric motor".
    modifier = glued or _ARTICLE_BEFORE.search(body, max(0, q.start - 4), q.start)
    if unit_m.kind == "time":
        if modifier:
            noun, end = _modified_noun(body, unit_m.end, limit, ctx)
            if noun and noun.split()[0].lower() in ctx.instruments:
                return None  # "10-year notes" name an instrument
            if noun:
                return _Reading(unit_m.unit, noun, end)
            if unit_m.hyphenated:
                return _Reading(unit_m.unit, unit_m.surface, unit_m.end)
        period = None
        before = _tokens(body, max(sent[0], q.start - 12), q.start)
        if before and before[-1].lower in ctx.duration_preps:
            period = body[before[-1].start : unit_m.end]  # "for more than three weeks"
        of = _OF_DET.match(body, unit_m.end)
        if of:  # "three weeks of fighting": spec F1, "N unit of X" gives X
            tail, tail_end = _noun_phrase(body, of.end(), limit, ctx)
            words = tail.split() if tail else []
            verbal = (
                words
                and words[0].lower().endswith("ing")
                and (len(words) > 1 or _LETTER_NEXT.match(body, tail_end))
            )
            if tail and not verbal:  # but "three months of feeling tired" lasts three months
                return _Reading(unit_m.unit, tail, tail_end, period)
        of_before = _ARTICLE_OF_BEFORE.search(body, max(clause_start, q.start - 40), q.start)
        if of_before and of_before.group(1) not in ctx.transparent_heads:
            # "a prison term of up to five years": the term is what lasts five years (but
            # "my husband of 20 years" is 20 years)
            noun = _thing_before(body, clause_start, q.start, ctx, sent_start=sent[0])
            if noun and noun.split()[-1].lower() not in _TIME_HEADS:
                return _Reading(unit_m.unit, noun, unit_m.end)
        return _Reading(unit_m.unit, unit_m.surface, unit_m.end, period)
    noun, end = _modified_noun(body, unit_m.end, limit, ctx)
    if noun and (modifier or _measure_modifies(body, unit_m.end)):
        # "155-mm shells", "a 30m vessel", "a five-story residential building", "an 82 kWh
        # lithium-ion battery"
        return _Reading(unit_m.unit, noun, end)
    if unit_m.hyphenated:
        return None  # "155-mm" with nothing counted is a calibre
    # "406 lb-ft of torque": a compound unit's tail stands before "of"
    tail_end = _UNIT_TAIL.match(body, unit_m.end).end()
    paren = _PARENTHESIS.match(body, tail_end)
    of = _OF_DET.match(body, paren.end() if paren else tail_end)
    if of:  # "10 tonnes of grain", "2 inches (50.8 millimeters) of rain"
        tail, tail_end = _noun_phrase(body, of.end(), limit, ctx)
        if tail:
            return _Reading(unit_m.unit, tail, tail_end)
    thing = _thing_before(body, clause_start, q.start, ctx, linked_only=True, sent_start=sent[0])
    return _Reading(unit_m.unit, thing or unit_m.surface, unit_m.end)


_LETTER_NEXT = re.compile(r"\s+[A-Za-z]")
_UNIT_TAIL = re.compile(r"(?:-[a-z]{1,3}\b)?")
_ARTICLE_BEFORE = re.compile(r"\b(?:[Aa]n?|[Tt]he)\s+\$?$")
# What may stand between a measure and the noun it modifies: a hyphenated tail ("-long",
# "-deep") and further measures ("a 149 horsepower, 2-liter four-cylinder engine").
_MODIFIER_GAP = re.compile(r"(?:-[a-z]+)?(?:,?\s+\d[\d.,]*-[A-Za-z]+(?:-[a-z]+)?)*")
# Words that follow a measure without being modified by it ("6 km south of the town").
_NOT_MODIFIED = frozenset(
    "north south east west northeast northwest southeast southwest away apart wide long deep"
    " high tall thick".split()
)


def _modified_noun(text: str, pos: int, limit: int, ctx: _Context) -> tuple[str | None, int]:
    """The noun a measure modifies, when one follows it."""
    pos = _MODIFIER_GAP.match(text, pos).end()
    noun, end = _noun_phrase(text, pos, limit, ctx)
    first = noun.split()[0].lower() if noun else ""
    comparative = first in ctx.comparatives and (" " not in noun or _THAN.match(text, end))
    if noun is None or first in _NOT_MODIFIED or comparative:
        return None, pos  # "two inches wider than", but "an 8.6-inch lower display"
    return noun, end


def _measure_modifies(text: str, pos: int) -> bool:
    """Whether a measure written apart ("82 kWh") is followed by a noun it modifies rather
    than by the rest of the clause: the next word is lower-case or another measure."""
    return _MODIFIER_WORD.match(text, pos) is not None


_MODIFIER_WORD = re.compile(r",?\s+(?:\d[\d.,]*-|[a-z][a-z-]*\s+[a-z])")


# A number standing alone: not glued to a word or a "." before it. The look-behind comes
# after the first digit so that the scan skips to digits in C ("(?<![\w.])\d..." would
# run the look-behind at every character).
_NUMBER_TOKEN = re.compile(r"\d(?<![\w.].)[\d,.]*(?![\w])")
_ANY_TOKEN = re.compile(r"\S+")


def _is_table_row(body: str, sent: tuple[int, int]) -> bool:
    """A "sentence" that is mostly numbers is a table row or a spec sheet ("19 Paul Menard
    777 0 0 0 4"): its numbers have no sentence around them to say what they count."""
    numbers = len(_NUMBER_TOKEN.findall(body, *sent))
    if numbers < 4:
        return False
    return numbers >= 0.4 * len(_ANY_TOKEN.findall(body, *sent))


def _indefinite_one(
    body: str, q: Quantity, reading: _Reading, action: str | None, ctx: _Context
) -> bool:
    """Whether "one" is an indefinite determiner or a pronoun rather than a count (spec:
    "one" as a determiner or pronoun is not a figure): "One friend has labelled herself
    ...", "If one analyst ...", "one electrocuted and one starved". As the subject of a
    casualty verb it counts ("One person was killed"), and so it does wherever else it
    stands ("only one title", "after one series", "had one meeting", "three depots and
    one command post")."""
    if q.form != "words" or q.value != 1 or q.value_max is not None or reading.unit is not None:
        return False
    if body[q.end : q.end + 1] == "-" or _BOUND_ONE.search(body, max(0, q.start - 12), q.start):
        return False  # "a one-game lead", "only one"
    if _VERB_AFTER_ONE.match(body, q.end) or _INDEFINITE_AFTER_ONE.match(body, q.end):
        # a pronoun ("one electrocuted"), a quoted word, or "one person who ...": someone
        # unspecified, not a count
        return not (action and action.split()[0].lower() in ctx.people_verbs)
    if not _SUBJECT_ONE.search(body, max(0, q.start - 12), q.start):
        return False
    return not (action and action.split()[0].lower() in ctx.people_verbs)


_MULTIPLIER_VERBS = frozenset("double triple quadruple halve".split())
_VERB_PARTICLES = frozenset("down up as back over".split())
# "Label (2023): 20" at the start of a line, and "seating for four".
_LABEL_BEFORE = re.compile(r"[A-Z][\w ,'’-]{2,60}(?:\s\([^()]{1,20}\))?:\s+$")
_LINE_START = re.compile(r"(?<=\n)|(?<!.)", re.DOTALL)
_FOR_N_BEFORE = re.compile(r"\b(seating|seats|room|space|table|tables|beds|places)\s+for\s+$", re.I)
_DEFINITE_BEFORE = re.compile(
    r"\b(?:[Tt]he|[Tt]hese|[Tt]hose)\s+(?:[a-z]+ly\s+)?(?:[a-z]+(?:ed|ing)\s+)?$"
)
# Counted nouns that stand for the previous count's noun.
_ANAPHORIC = frozenset("others more others' ones".split())
_BOUND_ONE = re.compile(r"\b(?:only|just|exactly|single|least|than|all\s+but)\s+$", re.IGNORECASE)
# "one person who attended", "one mother, who knew", "the “Starts with one” campaign"
_INDEFINITE_AFTER_ONE = re.compile(
    r"(?:\s+[a-z][\w-]*){1,2},?\s+(?:who|whom|whose|which|where)\b|[”’\"]"
    r"|\s+[a-z]+\s+to\s+another\b"  # "from one room to another"
)
# Where a subject starts: the start of a sentence or line, after a clause mark or a word
# that opens a clause ("If one analyst ...", "— one electrocuted").
_SUBJECT_ONE = re.compile(
    r"(?:^|[\n.!?:;,—–“”\"’(]|\b(?:[Ii]f|[Tt]hat|[Ww]hen|[Ww]here|[Ww]hile|[Bb]ecause|[Bb]ut|can|could"
    r"|will|would|should|may|might|[Aa]s|[Yy]et|So|Still|Then|And|Now|Instead)\b)\s*$"
)
_VERB_AFTER_ONE = re.compile(r"\s+[a-z]+(?:ed|en)\b(?!\s+[a-z]+(?:s|ion|ment)\b)")


# What may stand between two figures of one chain of changes and levels: "2.7% to $60.73",
# "$9.1 billion in 2018, down from $19.5 billion", "from 16 currently to as many as 80".
_CHAIN = re.compile(
    r"(?:\s*(?:,|;|—|–|\(|\)|\bor\b|\band\b|\bto\b|\bfrom\b|\bdown\b|\bup\b|\bversus\b"
    r"|\bvs\.|\bcompared\s+(?:with|to)\b|\bagainst\b|\bthen\b|\bnow\b|\bcurrently\b"
    r"|\b[A-Z][\w.-]*(?:s['’]|['’]s)(?=\s)|\b[a-z]+ed\s+by\b"
    r"|\bpreviously\b|\bat\b|\b[a-z]+ly\b|\b(?:a|per)\s+[a-z]+\b|\bin\s+(?:1[89]|20)\d\d\b"
    r"|\b(?:the\s+)?(?:previous|prior|last|a)\s+(?:day|week|month|quarter|year)(?:\s+(?:earlier|ago|before))?\b"
    r"))*\s*",
    re.IGNORECASE,
)


_AGE_LIST = re.compile(r"\s*(?:,\s*)?(?:and|or|to|,)\s*")


_OPEN_PAREN = re.compile(r"\s*\(\s*")
_TWO_WORDS = re.compile(r"\s+([a-z]+\s+[a-z]+)\b")


def _words_after(text: str, pos: int) -> str:
    """The two lower-case words after a number, to recognise a parallel clause."""
    m = _TWO_WORDS.match(text, pos)
    return m.group(1) if m else ""


def _is_level(unit: str | None) -> bool:
    """Whether a unit is one of changes and levels: a percentage, points, an amount of money,
    or none (a count: "grow from 16 currently to as many as 80")."""
    return unit is None or unit in ("%", "pp", "point") or unit[:3].isupper()


def _unnamed(obj: str | None) -> bool:
    """Whether an object says nothing of its own: none, or only a unit word ("points")."""
    if obj is None:
        return True
    if obj.lower() in _PERCENT_WORDS:
        return True
    return " " not in obj and unit_after(" " + obj, 0) is not None


_PERCENT_WORDS = frozenset(["percent", "per cent", "pct", "percentage points", "%"])


def extract_figures(body: str, statements: Sequence[Statement] = ()) -> list[Figure]:
    """Figures of an article body (offsets into `body`), in text order."""
    ctx = _context()
    sentences = sentence_spans(body) or [(0, len(body))]
    sent_starts = [s for s, _ in sentences]
    st_spans = sorted((s.start, s.end, i) for i, s in enumerate(statements))
    st_starts = [start for start, _, _ in st_spans]
    figures: list[Figure] = []
    prev: tuple[int, str | None, int] | None = None  # (object end, action, sentence index)
    # Place and time phrases of a sentence, found once for all its figures.
    per_sentence: dict[int, tuple[list[re.Match[str]], list[tuple[int, int]]]] = {}
    lowered = body.lower()
    last_count: tuple[int, str] | None = None  # (sentence index, object) of the last count
    # (sentence index, end, object) of the last figure with an object, for a chain of
    # changes and levels.
    last_measure: tuple[int, int, str, str] | None = None
    last_age: tuple[int, int] | None = None  # (sentence index, end) of an age just read
    tables: dict[int, bool] = {}  # sentence index -> whether it is a row of figures

    for q in find_quantities(body):
        si = max(0, bisect.bisect_right(sent_starts, q.core_start) - 1)
        sent = sentences[si]
        if not sent[0] <= q.core_start < sent[1]:
            sent = (q.start, min(len(body), q.end + 200))
        if si not in tables:
            tables[si] = _is_table_row(body, sent)
        if tables[si]:
            continue
        if q.descending_pair or _is_year(body, q) or _excluded(body, q, sent[0]):
            continue
        after_char = body[q.end : q.end + 1]
        if after_char == "/" and q.unit is not None and per_unit_after(body, q.end):
            pass  # "$12/month": a price per period
        elif after_char == "/" or body[q.core_start - 1 : q.core_start] == "/":
            continue  # 24/7, 9/11
        if body[q.core_start - 1 : q.core_start] in ("’", "'") and q.core_end - q.core_start == 2:
            continue  # "summer ’80", "the class of '99": a year
        if (
            after_char.isalpha()
            and q.unit is None
            and q.form == "digits"
            and unit_after(body, q.end) is None
        ):
            continue  # 3rd, 1990s, 4G, F-16s
        if q.form in ("fraction", "multiplier") and after_char == "-":
            continue  # half-brother, double-decker
        if _is_name_part(body, q, sent[0], ctx):
            continue
        if is_name_number(body, q) or is_instance_one(body, q):
            continue  # "S&P 500", "520 Harbour Street", "in one interview"
        if q.value_max is not None:
            near = {t.lower for t in _tokens(body, max(sent[0], q.start - 30), q.start)}
            if near & ctx.score_words:
                continue  # "won 4-1"

        clause_start = max(sent[0], q.start - 200)  # a clause is never longer
        for m in _CLAUSE_MARK.finditer(body, clause_start, q.start):
            clause_start = m.end()
        clause_end_m = _CLAUSE_END.search(body, q.end, sent[1])
        clause_end = clause_end_m.start() if clause_end_m else sent[1]

        antecedent = last_count[1] if last_count and si - last_count[0] <= 1 else None
        reading = _read(body, q, sent, clause_start, ctx, antecedent)
        if reading is None:
            continue
        if (
            last_age
            and last_age[0] == si
            and reading.unit is None
            and _AGE_LIST.fullmatch(body, last_age[1], q.start)
        ):
            reading = _Reading("year", "age", q.end)  # "two daughters aged 11 and 7"
        if (
            last_measure
            and last_measure[0] == si
            and _unnamed(reading.object)
            and (
                _is_level(reading.unit)
                or (reading.unit and _OPEN_PAREN.fullmatch(body, last_measure[1], q.start))
            )
            and body[last_measure[1] : q.start].strip()
        ):
            # Spec F2: "Brent crude fell 2.7% to $60.73 a barrel", "dropped to $9.1 billion,
            # down from $19.5 billion": the level after a change measures the same thing.
            between = body[last_measure[1] : q.start]
            if _OPEN_PAREN.fullmatch(between) and reading.unit is not None:
                # a conversion measures the same thing: "winds gusting to 55 mph (88.5 kph)"
                reading = reading._replace(object=last_measure[2])
            # a count in parentheses is a citation or a breakdown ("441 calories (34)",
            # "two players (2 for Smith, 3 for Jones)"), not the level after a change
            cited = reading.unit is None and ("(" in between or ")" in between)
            if (not cited and _CHAIN.fullmatch(body, last_measure[1], q.start)) or (
                last_measure[3] and last_measure[3] == _words_after(body, q.end)
            ):
                # ... and a parallel clause that repeats the words after the first
                # measure: "are 23% less likely than men to ..., and 8% less likely to"
                reading = reading._replace(object=last_measure[2])
        action = _action_before(body, clause_start, q.start, ctx)
        if action is None and prev and prev[2] == si:
            if body[prev[0] : q.start].strip().lower() in ("and", ",", ", and", "or"):
                action = prev[1]  # "included 600 strike drones and 90 missiles"
        if action is None and reading.object != "age":
            action = _action_after(body, reading.object_end, sent[1], ctx)
        if reading.object is None and reading.unit is None and action is None:
            if q.bound == "exact" and q.unit is None:
                continue  # a bare number: nothing says what it counts
        if _indefinite_one(body, q, reading, action, ctx):
            continue
        if (
            reading.object is None
            and reading.unit is None
            and action is not None
            and action.split()[0].lower() in ctx.people_verbs
            and _action_before(body, clause_start, q.start, ctx) == action
        ):
            # "the attack killed 1,200", "wounded more than 40": casualties are people
            reading = reading._replace(object="people")

        if si not in per_sentence:
            per_sentence[si] = (
                [
                    m
                    for m in ctx.location.finditer(body, sent[0], sent[1])
                    if _is_place(body, m, ctx)
                ],
                _period_spans(body, lowered, sent, ctx),
            )
        places, periods = per_sentence[si]
        nxt = sentences[si + 1] if si + 1 < len(sentences) else None
        location = _location(body, sent, (clause_start, clause_end), nxt, places)
        period = reading.period or _period(body, periods, q.start)
        statement = None
        k = bisect.bisect_right(st_starts, q.core_start) - 1
        while k >= 0 and statement is None:  # statements may nest: look back to the start
            s_start, s_end, idx = st_spans[k]
            if s_start <= q.core_start < s_end:
                statement = idx
            k -= 1
        figures.append(
            Figure(
                value=q.value,
                value_max=q.value_max,
                bound=q.bound,
                # A fraction has unit "fraction" (spec section 3), so that sums over counts
                # never add half an attack.
                unit=reading.unit or ("fraction" if q.form == "fraction" else None),
                object=reading.object,
                action=action,
                location=location,
                period=period,
                text=body[q.start : q.end],
                start=q.start,
                end=q.end,
                statement=statement,
            )
        )
        prev = (reading.object_end, action, si)
        last_age = (si, q.end) if reading.object == "age" else None
        if not _unnamed(reading.object) and reading.object != "age":
            end = max(q.end, reading.object_end)
            last_measure = (si, end, reading.object, _words_after(body, q.end))
        else:
            last_measure = None  # "..., and Brent was last at $60.73, down 2.7%": not chained
        # A count, an amount or a share ("half of the soldiers ... 19 of them").
        counted = reading.unit in (None, "fraction") or reading.unit.isupper()
        if counted and reading.object not in (None, "times", "age"):
            last_count = (si, reading.object)
    return figures
