"""What a number in running text is, beyond its value: part of a name, an address or a
clock time ("S&P 500", "520 Harbour Street", "0415 GMT"), "one" naming an instance rather
than counting ("in one interview"), or a person's age stated without "-year-old" ("she was
15 when ..."). extract.figures asks these questions of each number extract.numbers finds.

The words are data in extract/lexicons/name_numbers.toml.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from extract.numbers import Quantity, alternation, ends_before, unit_after

_NEXT_WORD = re.compile(r" ([a-z]+)\b")


def _lexicon(name: str) -> dict:
    return tomllib.loads(resources.files("extract").joinpath("lexicons", name).read_text("utf-8"))


@dataclass(frozen=True, slots=True)
class _NameLexicon:
    street: re.Pattern[str]
    time_zone: re.Pattern[str]
    hyphen_names: dict[str, frozenset[str]]
    kind_compound: re.Pattern[str]


@cache
def _names() -> _NameLexicon:
    data = _lexicon("name_numbers.toml")
    street = alternation(data["street_words"])
    return _NameLexicon(
        street=re.compile(rf" (?:[A-Z][\w'’-]*\.? ){{1,3}}(?:{street})(?![\w])"),
        time_zone=re.compile(rf" (?:{alternation(data['time_zones'])})\b"),
        hyphen_names={k: frozenset(v) for k, v in data["hyphen_names"].items()},
        kind_compound=re.compile(rf"-[a-z]+ (?:{alternation(data['kind_heads']['words'])})\b"),
    )


# "S&P 500", "NBC 5", "FTSE 100", "CA 90069": an upper-case name or code right before.
_CODE_BEFORE = re.compile(r"(?<![\w&.])[A-Z][A-Z&.]*[A-Z]\.? $")
# "iPhone 11", "eBay 2": a word with a capital inside it.
_CAMEL_BEFORE = re.compile(r"(?<![\w])[a-z]+[A-Z]\w* $")
# "(Destiny 2 is free)": a capitalised word opening a parenthesis. (Not after a quotation
# mark: "“Only 5 came," she said' counts.)
_TITLE_BEFORE = re.compile(r"\([A-Z][a-z]+ $")
_CLOCK_DIGITS = re.compile(r"[0-2]\d[0-5]\d")
_OF_SCORE = re.compile(r"-of-\d")  # "20-of-24 passing"


def is_name_number(text: str, q: Quantity) -> bool:
    """Whether a number is part of a name, an address, a clock time or a score rather than a
    count (extraction-spec section 3, "Not figures"): "S&P 500", "iPhone 11", "520 Harbour
    Street", "0401 GMT", "20-of-24 passing", "zero-hours contracts", "Half Life"."""
    names = _names()
    raw = text[q.core_start : q.core_end]
    if q.form == "digits" and q.start == q.core_start and q.unit is None:
        left = text[max(0, q.core_start - 20) : q.core_start]
        # Each of these names has a capital letter (a cheap test before the searches).
        capital = left.lower() != left
        if capital and (
            _CODE_BEFORE.search(left) or _CAMEL_BEFORE.search(left) or _TITLE_BEFORE.search(left)
        ):
            return True
        if names.street.match(text, q.core_end):
            return True
        if _CLOCK_DIGITS.fullmatch(raw) and names.time_zone.match(text, q.core_end):
            return True
        if _OF_SCORE.match(text, q.core_end) or left.endswith("-of-"):
            return True
        if left[-1:] in ("’", "'") and len(raw) == 2 and left[-2:-1] in (" ", "\n"):
            return True  # "summer ’80", "the class of '99": a year
        if q.value == 0 and q.value_max is not None:
            speed = unit_after(text, q.end)
            if speed and speed.unit in ("mph", "km/h"):
                return True  # "0-60 mph in 5 seconds" names a test, not a speed range
    if text[q.core_end : q.core_end + 1] == "-":
        if names.kind_compound.match(text, q.core_end) and unit_after(text, q.core_end) is None:
            return True  # "a two-tier system", "the one-child policy"
        glued = re.match(r"-(\w+)", text[q.core_end : q.core_end + 30])
        if glued and glued.group(1).lower() in names.hyphen_names.get(raw.lower(), ()):
            return True
    if q.form in ("fraction", "multiplier") and raw[:1].isupper():
        before = text[max(0, q.core_start - 3) : q.core_start].rstrip(" ")
        nxt = text[q.core_end : q.core_end + 2]
        mid_sentence = bool(before) and before[-1] not in ".!?:\n\"“‘'("
        if nxt[:1] == " " and nxt[1:2].isupper() and (mid_sentence or raw != raw.upper()):
            return True  # "'Half Life: Alyx'", "Double Fine"
    return False


# Ages a number gives without "-year-old" (extraction-spec section 3: unit year, object
# age): "as young as 14", "kids ages 5 to 12", "two daughters aged 11 and 7" (the 7), and
# a person's age by a copula when the clause ends after the number: "I'm 74 and ...",
# "she was 15 when ...", "Marisol was 11 in 1994", "who was about 10 or 11 at the time".
_AGE_WORDS_BEFORE = re.compile(
    r"(?:\bas (?:young|old) as|\bages(?: of)?|\baged \d{1,3}(?:, \d{1,3})*(?:,? and|,))\s+$",
    re.IGNORECASE,
)
_AGE_WORDS_ENDS = ("as", "ages", "of", "and", ",")
_AGE_COPULA_BEFORE = re.compile(
    r"\b(?:I['’]m|I am|I was|(?:[Hh]e|[Ss]he|[A-Z][a-z]+) (?:is|was)|(?:[Hh]e|[Ss]he)['’]s)\s+$"
)
_WAS_BEFORE = re.compile(r"\b(?:was|were)\s+$")
_AT_THE_TIME = re.compile(r"\s+at\s+the\s+time\b")
_AGE_CLAUSE_END = re.compile(r"[.,;!?]|\s+(?:and|when|at|or|but|now|then|in)\b")


def stated_age(text: str, q: Quantity) -> bool:
    """Whether the number is a person's age stated without "-year-old" (see above)."""
    if q.unit is not None or q.form not in ("digits", "words") or not 0 < q.value < 120:
        return False
    if q.value != int(q.value):
        return False
    # Each test reads after the number before it searches the window before it: a match
    # there is cheaper, and fails more often.
    if _AT_THE_TIME.match(text, q.end) and _WAS_BEFORE.search(text, max(0, q.start - 8), q.start):
        return True  # "who was about 10 or 11 at the time"
    if q.start != q.core_start:
        return False
    lo = max(0, q.start - 30)
    if ends_before(text, lo, q.start, _AGE_WORDS_ENDS) and _AGE_WORDS_BEFORE.search(
        text, lo, q.start
    ):
        return True
    return bool(
        _AGE_CLAUSE_END.match(text, q.end)
        and _AGE_COPULA_BEFORE.search(text, max(0, q.start - 30), q.start)
        and unit_after(text, q.end) is None
    )


# "one" before a noun that names an instance rather than counts: "in one interview", "from
# one room to another", "there was one occasion", and a speaker described by "one":
# "according to one estimate", "said one legal expert", "spoke to one mother". (Subjects
# such as "One friend said" are read in extract.figures; "after one season" and "and one
# radar station" count.)
_ONE_INSTANCE_BEFORE = re.compile(
    r"(?:\b(?:in|from)|\bthere (?:is|was|are|were)|\b(?:according|spoke|speaking|talked) to"
    r"|\b(?:said|says|told|wrote|added|noted|explained|quipped|recalled))\s+$",  # said one aide
    re.IGNORECASE,
)
_FOR_BEFORE = re.compile(r"\bfor\s+$", re.IGNORECASE)
_ONE_TO_ANOTHER = re.compile(r"(?:\s+[a-z]+){1,3}\s+(?:to|or)\s+(?:another|the other)\b")


def is_instance_one(text: str, q: Quantity) -> bool:
    """Whether "one" + noun names an instance, not a count of one (spec: "one" as a
    determiner is not a figure): "in one interview", "from one room to another"."""
    if q.form != "words" or q.value != 1 or q.value_max is not None or q.unit is not None:
        return False
    if q.start != q.core_start or text[q.core_start : q.core_end].lower() != "one":
        return False
    if not _NEXT_WORD.match(text, q.core_end):
        return False
    unit = unit_after(text, q.core_end)
    if unit is not None:  # "one night" is a time, like "one day"; "for one night" a stay
        return unit.unit == "night" and not _FOR_BEFORE.search(
            text, max(0, q.core_start - 8), q.core_start
        )
    if _ONE_TO_ANOTHER.match(text, q.core_end):
        return True
    return bool(_ONE_INSTANCE_BEFORE.search(text, max(0, q.core_start - 20), q.core_start))
