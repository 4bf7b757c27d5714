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
    find_quantities,
    list_unit_after,
    per_unit_after,
    unit_after,
)
from extract.records import Figure, Statement
from extract.segment import sentence_spans

# Words (with "U.S." and hyphenated compounds kept whole), numbers, single punctuation.
_WORD = re.compile(r"(?:[A-Z]\.){2,}|[A-Za-z][\w'’.-]*\w|[A-Za-z]|\d[\d,.]*|[^\w\s]")
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
_AGE_BEFORE = re.compile(r"(?:\baged|\bage(?: of)?|\bturn(?:s|ed|ing)?)\s+$", re.IGNORECASE)
_NAME_COMMA = re.compile(r"[A-Z][\w'’.-]*,\s$")
_AGE_AFTER_NAME = re.compile(r",|\s+\(|\s+(?:of|from)\s+[A-Z]")
_IDENT_BEFORE = re.compile(r"(?:[A-Za-z]\d*-|#|\b[Nn]o\.\s?|\b[Nn]os?\.\s?)$")
_HYPHEN_WORD = re.compile(r"-([a-z]+)\b")
_FREQUENCY = re.compile(
    r"\s+(?:a|per|each|every)\s+(?:day|week|month|year|hour|minute|night|season)\b", re.I
)
_AGO = re.compile(r"\s+ago\b")
# "131 of the 148 drones", "a third of WeWork's 12,000 employees"
_NESTED_NUMBER = re.compile(r"(?:[A-Z][\w.-]*['’]s\s+)?(?:\d[\d,.]*\s+)?")
_PARENTHESIS = re.compile(r"\s*\([^()]{1,40}\)|\s*\)")  # a conversion, or the end of one
_OF_DET = re.compile(
    r"\s+of\s+(?:the\s+|their\s+|its\s+|his\s+|her\s+|our\s+|all\s+|these\s+|those\s+)?",
    re.IGNORECASE,
)
_OF_PRONOUN = re.compile(r"\s+of\s+(?:them|us|those|these|which|whom|it)\b")
_MONEY_LINK = re.compile(r"\s+(?:in|for|of|on|worth\s+of)\s+(?:the\s+|new\s+)?", re.IGNORECASE)
_COMPARATIVE = re.compile(r"\s+(?:more|less|fewer|higher|lower)\s+(?!than\b)", re.IGNORECASE)
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
    attach_preps: frozenset[str]
    linking: frozenset[str]
    not_actions: frozenset[str]
    actions: frozenset[str]
    verb_only_forms: frozenset[str]
    identifier_words: frozenset[str]
    auxiliaries: frozenset[str]
    particles: frozenset[str]
    gap_words: frozenset[str]
    instruments: frozenset[str]
    months: frozenset[str]
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
    place = (
        rf"(?<![\w-])(?i:{_alt(ctx['place_prepositions'])})\s+"
        r"(?:(?:the|this|that|these|those|a|several|many)\s+)?"
        rf"(?:(?:{_alt(ctx['place_adjectives'])})\s+)?"
        r"(?:[A-Z][\w'’-]*\w(?:’s|'s)?(?:\s+[A-Z][\w'’-]*\w)*"
        r"(?:,\s(?:and\s)?[A-Z][\w'’-]+(?=[,.;:)]|\s+and\s|$))*"
        rf"(?:\s+(?:{_alt(ctx['place_nouns'])})\b)?"
        rf"|(?:[a-z-]+\s+){{0,2}}(?:{_alt(ctx['place_nouns'])})\b(?:\s+of\s+the\s+[a-z]+)?)"
    )
    periods = r"(?<!\w)(?:" + "|".join(ctx["periods"]) + r")(?!\w)"
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
        attach_preps=frozenset(ctx["attach_prepositions"]),
        linking=frozenset(ctx["linking_verbs"]),
        not_actions=frozenset(ctx["not_actions"]),
        actions=frozenset(verbs["verbs_only"]) | frozenset(verbs["also_nouns"]),
        verb_only_forms=frozenset(verbs["verbs_only"]),
        identifier_words=frozenset(ctx["identifier_words"]),
        auxiliaries=frozenset(ctx["auxiliaries"]),
        particles=frozenset(ctx["particles"]),
        gap_words=frozenset(ctx["verb_gap_words"]),
        instruments=frozenset(ctx["instruments"]),
        months=frozenset(ctx["month_names"]),
        model_words=frozenset(ctx["model_words"]),
        score_words=frozenset(ctx["score_words"]),
        duration_preps=frozenset(ctx["duration_prepositions"]),
        periods=re.compile(periods, re.IGNORECASE),
        periods_lower=re.compile(_lower_literals(periods)),
        location=re.compile(place),
        idioms=re.compile(rf"\b(?:{_alt(ctx['idioms'])})\b", re.IGNORECASE),
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


def _tokens(text: str, start: int, end: int, limit: int = 1000) -> list[_Token]:
    """The first `limit` tokens of text[start:end] (rules reading forward need only a few)."""
    out = []
    for m in _WORD.finditer(text, start, end):
        word = m.group(0)
        out.append(_Token(word, m.start(), m.end(), word.lower(), word[0].isalpha()))
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
            found.append(_Token(word, m.start(), m.end(), word.lower(), word[0].isalpha()))
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


# Spaces, then letters, digits (`[^\W_]` is str.isalnum), hyphens and apostrophes.
_WORD_AFTER = re.compile(r" *((?:[^\W_]|[-'’])*)")


def _word_after(text: str, pos: int) -> str:
    """The word after `pos`, without trailing punctuation."""
    return _WORD_AFTER.match(text, pos).group(1)


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


def _is_name_part(body: str, q: Quantity, sent_start: int, ctx: _Context) -> bool:
    """Su-25, No. 5, Boeing 737, 737 Max, "Ten Hag", "One Home Depot": names, not counts."""
    bare = q.start == q.core_start and q.unit is None
    while sent_start < q.start and not body[sent_start].isalnum():
        sent_start += 1  # an opening quotation mark does not start a word
    if (
        q.form == "digits"
        and bare
        and _IDENT_BEFORE.search(body, max(0, q.core_start - 12), q.core_start)
    ):
        return True
    next_word = _word_after(body, q.end)
    if next_word in ctx.model_words:
        return True
    if bare and q.form == "digits":
        prev, prev_start = _word_before(body, q.start, sent_start)
        if prev and prev_start > sent_start and prev[:1].isupper() and prev.isalpha():
            if prev not in ctx.months:
                return True  # Boeing 737, Article 5, Windows 10
        if prev.lower() in ctx.identifier_words:
            return True  # "section 232", "size 9"
    if q.form == "words" and body[q.core_start].isupper():
        if q.core_start > sent_start:
            return True  # "Erik Ten Hag", "the Big Ten"
        if q.value == 1 and next_word[:1].isupper():
            return True  # "One Home Depot"
    return False


def _is_year(text: str, q: Quantity) -> bool:
    """An unformatted integer from 1800 to 2099 without bound or unit is a year ("2023"),
    and so are both ends of "between 2015 and 2017"."""
    raw = text[q.core_start : q.core_end]
    if not _YEAR_DIGITS.fullmatch(raw) or q.unit is not None:
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
            if words and _list_continues(words, tok, toks.get(i + 1), ctx):
                words.append(tok)
                i += 1
                continue
            break
        if not tok.is_word:
            break
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
    return text[words[0].start : end], end


def _list_continues(words: list[_Token], tok: _Token, nxt: _Token | None, ctx: _Context) -> bool:
    """Whether "," or "and" continues one noun phrase: "air, sea and ground-launched
    missiles", "tanks and infantry fighting vehicles", "US and Filipino troops"."""
    if nxt is None or not nxt.is_word or nxt.lower in ctx.np_stops:
        return False
    if nxt.lower.endswith("ed") and "-" not in nxt.lower or nxt.lower in ctx.verb_only_forms:
        return False
    prev = words[-1]
    if tok.text == ",":
        plural = prev.lower.endswith("s") and not prev.lower.endswith(("ss", "us"))
        return not plural or prev.text.isupper()
    return nxt.text.islower() or prev.text[:1].isupper()


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
    return noun, end


def _thing_before(
    text: str, lo: int, start: int, ctx: _Context, linked_only: bool = False, measured: bool = False
) -> str | None:
    """The thing a measure is about, written before it: "consumer prices rose by 10.4%",
    "the dugout is 3 metres deep", "a relocation payment of UAH 10,800", "the death toll
    from that strike had risen to 21". With `linked_only`, a verb or link word must stand
    between them ("took place about 9.3km" says nothing about the place). With `measured`
    (money, percentages), no other verb may: "the minister allocated R4bn" is not the
    minister's size."""
    toks = _tokens(text, max(lo, start - 100), start)
    j = len(toks) - 1
    linked = worth = agent = False
    while j >= 0 and toks[j].is_word:
        low = toks[j].lower
        if low in ctx.gap_words or (low.endswith("ly") and len(low) > 4):
            j -= 1
        elif low in ctx.linking or low in ctx.auxiliaries or _is_verb(toks[j], ctx):
            link = low in ctx.linking or low in ctx.change_verbs
            linked = linked or link
            agent = agent or not (link or low in ctx.auxiliaries)
            worth = worth or low == "worth"
            j -= 1
        else:
            break
    if linked_only and not linked:
        return None  # "the column moved 6 km": the distance is not the column's

    words = _phrase_ending_at(toks, j, ctx)
    # A phrase after "of/from/in ..." hangs on the noun before it: "the death toll from
    # the ruins in the city of Valencia" counts the death toll.
    for _ in range(0 if worth else 4):  # "bonds worth $1 billion" are the bonds
        if not words:
            break
        k = toks.index(words[0]) - 1
        while k >= 0 and toks[k].lower in ("the", "a", "an", "that", "this", "its", "their"):
            k -= 1
        if k < 1 or toks[k].lower not in ctx.attach_preps:
            break
        head = _phrase_ending_at(toks, k - 1, ctx)
        if not head:
            break
        words = head
    words = [w for w in words if w.is_word]
    if not words or words[-1].text in ctx.months or words[-1].text in _WEEKDAYS:
        return None
    if measured and agent and words and words[0].text[:1].isupper():
        return None  # a named agent: "Godongwana has allocated R4bn"
    if any(re.split(r"['’]", w.lower)[0] in ctx.pronouns for w in words):
        return None  # "it", "we’ll", "she's"
    return text[words[0].start : words[-1].end]


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
    if age or _AGE_BEFORE.search(body, max(0, q.start - 10), q.start) or stated_age(body, q):
        unit = ((age.group(1) or age.group(2)).lower() if age else None) or "year"
        return _Reading(unit, "age", age.end() if age else q.end)
    if (
        q.form in ("digits", "words")
        and q.unit is None
        and 0 < q.value < 120
        and q.value == int(q.value)
        and _NAME_COMMA.search(body, max(0, q.start - 30), q.start)
        and _AGE_AFTER_NAME.match(body, q.end)
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
            return None  # "double album", "triple threat"
        return _Reading("times", _thing_before(body, clause_start, q.start, ctx), q.end)

    if q.unit is not None:  # a percentage or an amount of money
        money = q.unit not in ("%", "pp")
        unit = q.unit
        if money:
            per = per_unit_after(body, q.end)
            if per:
                return _Reading(
                    f"{q.unit}/{per[0]}", _thing_before(body, clause_start, q.start, ctx), per[1]
                )
        noun, end = _measured_after(body, q.end, limit, money, ctx)
        if noun is None:
            noun, end = _thing_before(body, clause_start, q.start, ctx, measured=True), q.end
        if noun is None and money and any(c.isalpha() for c in body[q.core_end : q.end]):
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
        and antecedent
        and (_OF_PRONOUN.match(body, q.end) or _verb_follows(body, q.end, limit, ctx))
    ):
        noun = antecedent
    if noun is None and q.form == "fraction":  # "oil revenues have fallen by a quarter"
        noun = _thing_before(body, clause_start, q.start, ctx, linked_only=True)
    if noun is None and q.form in ("words", "fraction"):
        return None  # bare "the two", "half"
    if noun is None:
        noun = _thing_before(body, clause_start, q.start, ctx)
    return _Reading(None, noun, end)


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
            noun = _thing_before(body, clause_start, q.start, ctx)
        return _Reading(unit_m.unit, noun or unit_m.surface, max(end, unit_m.end))
    if _AGO.match(body, unit_m.end):
        return None  # "three years ago" dates an event
    glued = unit_m.hyphenated or body[q.end : q.end + 1].isalpha()
    if unit_m.kind == "time":
        if unit_m.hyphenated:
            noun, _ = _noun_phrase(body, unit_m.end, limit, ctx)
            if noun and noun.split()[0].lower() in ctx.instruments:
                return None  # "10-year notes" name an instrument
            return _Reading(unit_m.unit, unit_m.surface, unit_m.end)
        period = None
        before = _tokens(body, max(sent[0], q.start - 12), q.start)
        if before and before[-1].lower in ctx.duration_preps:
            period = body[before[-1].start : unit_m.end]  # "for more than three weeks"
        noun = unit_m.surface
        of = _OF_DET.match(body, unit_m.end)
        end = unit_m.end
        if of:
            tail, tail_end = _noun_phrase(body, of.end(), limit, ctx)
            if tail:
                noun, end = body[body.find(unit_m.surface, q.end) : tail_end], tail_end
        return _Reading(unit_m.unit, noun, end, period)
    if glued:  # "155-mm shells", "a 30m vessel", "a five-story residential building"
        noun, end = _noun_phrase(body, unit_m.end, limit, ctx)
        if noun:
            return _Reading(unit_m.unit, noun, end)
        if unit_m.hyphenated:
            return None  # "155-mm" with nothing counted is a calibre
    paren = _PARENTHESIS.match(body, unit_m.end)
    of = _OF_DET.match(body, paren.end() if paren else unit_m.end)
    if of:  # "10 tonnes of grain", "2 inches (50.8 millimeters) of rain"
        tail, tail_end = _noun_phrase(body, of.end(), limit, ctx)
        if tail:
            return _Reading(unit_m.unit, f"{unit_m.surface} of {tail}", tail_end)
    thing = _thing_before(body, clause_start, q.start, ctx, linked_only=True)
    return _Reading(unit_m.unit, thing or unit_m.surface, unit_m.end)


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
        action = _action_before(body, clause_start, q.start, ctx)
        if action is None and prev and prev[2] == si:
            if body[prev[0] : q.start].strip().lower() in ("and", ",", ", and", "or"):
                action = prev[1]  # "included 600 strike drones and 90 missiles"
        if action is None and reading.object != "age":
            action = _action_after(body, reading.object_end, sent[1], ctx)
        if reading.object is None and reading.unit is None and action is None:
            if q.bound == "exact" and q.unit is None:
                continue  # a bare number: nothing says what it counts

        if si not in per_sentence:
            per_sentence[si] = (
                list(ctx.location.finditer(body, sent[0], sent[1])),
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
        counted = reading.unit is None or reading.unit.isupper()  # a count or an amount
        if counted and reading.object not in (None, "times", "age"):
            last_count = (si, reading.object)
    return figures
