"""Number expressions in English news text: value, range, bound and attached unit.

`find_quantities(text)` finds every number expression ("more than three", "$2.3 billion",
"20-25", "hundreds of", "one-third", "10 per cent") and returns its value, its upper end
for ranges, its bound (extraction-spec section 3) and the unit the expression itself
carries (%, a currency, "times"). Units written as nouns after the number ("5 km",
"three weeks") are read by `unit_after`, because whether they belong to the figure is a
question of the words that follow, which `extract.figures` decides.

Everything language-specific is in extract/lexicons/number_words.toml,
bound_phrases.toml and unit_aliases.toml.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Literal, NamedTuple

from extract.records import Bound
from extract.segment import WordFinder

# How the number was written; figures.py treats word numbers ("the two") more strictly.
Form = Literal["digits", "words", "approximate", "fraction", "multiplier"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """One number expression. `start`/`end` include bound words and currency signs."""

    value: float
    value_max: float | None
    bound: Bound
    unit: str | None
    start: int
    end: int
    form: Form
    # Where the bare number starts and ends (without bound words or currency signs).
    core_start: int
    core_end: int
    # "4-1", "112-107": a dash pair whose second number is not larger (a score, a vote).
    descending_pair: bool = False


# The setters of Quantity's slots, for `_quantity`.
_QUANTITY_SETTERS = tuple(getattr(Quantity, f.name).__set__ for f in fields(Quantity))
_new_object = object.__new__


def _quantity(*values: object) -> Quantity:
    """`Quantity(*values)` in half the time: the frozen dataclass's own __init__ sets each
    field through object.__setattr__, which looks the slot up every time; a Quantity is
    made for every number of an article."""
    q = _new_object(Quantity)
    for set_field, value in zip(_QUANTITY_SETTERS, values, strict=True):
        set_field(q, value)
    return q


@dataclass(frozen=True, slots=True)
class UnitMatch:
    unit: str
    surface: str
    end: int
    kind: Literal["time", "measure", "currency"]
    hyphenated: bool  # "155-mm", "three-week": the unit modifies a following noun


def _lexicon(name: str) -> dict:
    return tomllib.loads(resources.files("extract").joinpath("lexicons", name).read_text("utf-8"))


def alternation(words: list[str]) -> str:
    """Regex alternation of `words` as a trie, so a failed match costs one character test.

    Spaces in a phrase match any run of spaces; longer words are tried before prefixes.
    """
    return _trie_regex(_trie(words))


_ASCII = "".join(map(chr, range(128)))


def _trie(words: list[str]) -> dict:
    trie: dict = {}
    for word in set(words):
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return trie


def alternation_ignorecase(words: list[str]) -> str:
    """`(?i:alternation(words))`, for a pattern compiled without IGNORECASE, faster to reject.

    Under IGNORECASE the engine cannot reject an alternative on its first character
    before entering it, and so enters every branch at every position it tries. Here each
    branch starts with a plain character instead, once for each ASCII form of its first
    character ("R", "r"), in the order of the branches, and one last branch, entered only
    at a non-ASCII character, is the whole alternation under IGNORECASE: the same matches,
    each decided as IGNORECASE decides it."""
    trie = _trie(words)
    depth = _depths(trie)
    whole = f"(?i:{_trie_regex(trie, depth)})"
    if "" in trie or " " in trie:
        return whole
    branches = []
    for ch in sorted(trie, key=lambda c: (-depth[id(trie[c])], c)):
        tail = _trie_regex(trie[ch], depth)
        for form in re.findall(f"(?i:{re.escape(ch)})", _ASCII):
            branches.append(re.escape(form) + (f"(?i:{tail})" if tail else ""))
    branches.append(rf"(?=[\x80-\U0010ffff]){whole}")
    return "(?:" + "|".join(branches) + ")"


def _trie_regex(node: dict, depth: dict[int, int] | None = None) -> str:
    """The regex of a trie's node; `depth` gives each node's depth (`_depths`)."""
    depth = _depths(node) if depth is None else depth
    branches = []
    for ch in sorted((c for c in node if c), key=lambda c: (-depth[id(node[c])], c)):
        head = r"\s+" if ch == " " else re.escape(ch)
        branches.append(head + _trie_regex(node[ch], depth))
    optional = "" in node
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if optional:
        return ("(?:" + body + ")?") if len(branches) == 1 else body + "?"
    return body


def _depths(node: dict, out: dict[int, int] | None = None) -> dict[int, int]:
    """The depth of `node` and of every node below it, by id: computed once for the trie,
    not again at every level that sorts the branches by it (most of the time the
    lexicons took to compile)."""
    out = {} if out is None else out
    for child in node.values():
        _depths(child, out)
    out[id(node)] = 1 + max((out[id(child)] for child in node.values()), default=0)
    return out


def literal_led(patterns: list[str]) -> str:
    """`"|".join(patterns)`, rewritten so that every alternative starts with a literal
    character and those that start with the same one share it: "(?:the )?last day" becomes
    "the last day|last day". At a position where none can match, the engine then rejects
    each alternative on one character instead of entering its groups, which makes a scan
    for a list of phrases about twice as fast. Where more than one alternative can match,
    they are tried in the same order, so the matches are the same. When a pattern does not
    lend itself (a class or an escape first, a repeated group, an unusual class), the
    patterns are joined as they are.

    For case-sensitive patterns only: under IGNORECASE "a" and "A" would be apart."""
    flat: list[str] = []
    for pattern in patterns:
        for alternative in _top_level(pattern) or [None]:
            expanded = _literal_first(alternative) if alternative is not None else None
            if expanded is None:
                return "|".join(patterns)
            flat.extend(expanded)
    groups: dict[str, list[str]] = {}
    for alternative in flat:
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return "|".join(
        re.escape(first) + (rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")")
        for first, rests in groups.items()
    )


_QUANTIFIERS = frozenset("?*+{")


def _literal_first(pattern: str) -> list[str] | None:
    """`pattern` (with no "|" outside groups) as alternatives, in the order the engine tries
    them, that each start with a letter, a digit or a space, not repeated; None when a
    leading part is anything else than such a character or a group "(?:...)", optional
    (greedy "?") or not."""
    if (pattern[:1].isalnum() or pattern[:1] == " ") and pattern[1:2] not in _QUANTIFIERS:
        return [pattern]
    if not pattern.startswith("(?:"):
        return None
    end = _group_end(pattern)
    inner = _top_level(pattern[3 : end - 1]) if end else None
    if end is None or inner is None:
        return None
    rest = pattern[end:]
    optional = rest[:1] == "?" and rest[1:2] not in _QUANTIFIERS
    if optional:
        rest = rest[1:]  # first with the group, then without it
    elif rest[:1] in _QUANTIFIERS:
        return None
    out: list[str] = []
    for part in [*inner, ""] if optional else inner:
        expanded = _literal_first(part + rest)
        if expanded is None or len(out) + len(expanded) > 500:
            return None
        out.extend(expanded)
    return out


def _group_end(pattern: str) -> int | None:
    """Where the group that `pattern` starts with ends (after its ")"); None when it does
    not close or holds an unusual class."""
    cuts = _cuts(pattern)
    if cuts is None:
        return None
    return next((i + 1 for i, depth, c in cuts if c == ")" and depth == 0), None)


def _top_level(pattern: str) -> list[str] | None:
    """`pattern` split at its "|" outside groups and classes; None for unusual classes or
    unbalanced groups."""
    cuts = _cuts(pattern)
    if cuts is None or (cuts and cuts[-1][1] != 0):
        return None
    parts, start = [], 0
    for i, depth, c in cuts:
        if c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


def _cuts(pattern: str) -> list[tuple[int, int, str]] | None:
    """The "(", ")" and "|" of `pattern` outside classes, each with its index and the group
    depth after it; None when a class starts with "]" or "^]" (read differently)."""
    out: list[tuple[int, int, str]] = []
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            if pattern[i + 1 : i + 2] == "]" or pattern[i + 1 : i + 3] == "^]":
                return None
            in_class = True
        elif c in "()|":
            depth += {"(": 1, ")": -1, "|": 0}[c]
            out.append((i, depth, c))
            if depth < 0:
                return None
        i += 1
    return None if in_class else out


@dataclass(frozen=True, slots=True)
class _Lexicon:
    small: dict[str, float]
    scales: dict[str, float]
    scale_abbr: dict[str, float]
    currency_abbr: dict[str, float]
    collectives: dict[str, float]
    fractions: dict[str, float]
    multipliers: dict[str, float]
    approximate: dict[str, float]
    bounds_before: dict[str, Bound]
    bounds_after: dict[str, Bound]
    percent: dict[str, str]
    currency_prefix: dict[str, str]
    currency_suffix_lower: dict[str, str]
    # "cents", "pence": hundredths of the currency named, converted (spec decision 3).
    currency_hundredths: dict[str, str]
    irregular_plurals: frozenset[str]
    metre_plurals: frozenset[str]
    vulgar: dict[str, float]
    vulgar_chars: re.Pattern[str]
    pairs: dict[str, float]
    units: dict[str, tuple[str, str]]  # lower-case surface -> (unit, kind)
    units_exact: dict[str, tuple[str, str]]  # short case-sensitive surfaces ("m", "MW")
    per_unit: dict[str, str]
    per_adverb: dict[str, str]
    per_adverb_after: re.Pattern[str]
    change_verbs: frozenset[str]
    number_word: WordFinder
    word_token: re.Pattern[str]
    scale_after: re.Pattern[str]
    currency_abbr_after: re.Pattern[str]
    percent_after: re.Pattern[str]
    currency_before: re.Pattern[str]
    currency_at: re.Pattern[str]
    currency_after: re.Pattern[str]
    bound_before: re.Pattern[str]
    # Last words of the phrases above: a cheap test before running the regex.
    bound_last: frozenset[str]
    vague_last: frozenset[str]
    currency_last: frozenset[str]
    bound_after: re.Pattern[str]
    # The ASCII characters (in either case) the words of scale_after, currency_abbr_after,
    # percent_after, currency_after and bound_after start with: see `_next_starts`.
    scale_first: frozenset[str]
    abbr_first: frozenset[str]
    percent_first: frozenset[str]
    currency_first: frozenset[str]
    bound_after_first: frozenset[str]
    vague_before: re.Pattern[str]
    unit_after: re.Pattern[str]
    # The ASCII characters a unit noun of `unit_after` can start with (in either case).
    unit_first: frozenset[str]
    per_after: re.Pattern[str]


def _ascii_starts(words: list[str]) -> frozenset[str]:
    """The ASCII characters that match the first character of one of `words` when case is
    ignored, as the regex engine ignores it."""
    first = "[" + "".join(re.escape(w[0]) for w in words if w) + "]"
    return frozenset(re.findall(first, _ASCII, re.IGNORECASE))


def _may_start(ch: str, ascii_starts: frozenset[str]) -> bool:
    """Whether the character `ch` (or "" at the end of the text) may start a word whose
    ASCII first characters are `ascii_starts`; any other character may."""
    return ch in ascii_starts or (ch != "" and not ch.isascii())


def _next_starts(text: str, pos: int) -> str:
    """The characters a word written after `pos` can start with: the one at `pos`, and the
    one after the whitespace or the hyphen there. A pattern that reads a word from `pos`
    on, after nothing, whitespace or a hyphen, can match only if one of these can start
    its word (`_may_follow`): a cheap test that spares most numbers a dozen regex calls."""
    c = text[pos : pos + 1]
    if c.isspace():
        j = pos + 1
        while text[j : j + 1].isspace():
            j += 1
        return c + text[j : j + 1]
    return c + text[pos + 1 : pos + 2] if c == "-" else c


def _may_follow(starts: str, ascii_starts: frozenset[str]) -> bool:
    """Whether one of `starts` (from `_next_starts`) may start a word whose ASCII first
    characters are `ascii_starts`; a non-ASCII character may always."""
    return not starts.isascii() or not ascii_starts.isdisjoint(starts)


def ends_before(text: str, lo: int, pos: int, endings: tuple[str, ...]) -> bool:
    """Whether text[lo:pos], trailing whitespace aside, may end with one of `endings`
    (lower-cased; none longer than 8): a cheap test before searching the window with a
    pattern that is anchored by `\\s+$` to phrases that end so. A non-ASCII character
    there may be read as a letter under IGNORECASE ("ſ" as "s"): then it may."""
    tail = text[lo:pos].rstrip()[-8:]
    return not tail.isascii() or tail.lower().endswith(endings)


def _invert(table: dict[str, list[str]]) -> dict[str, str]:
    return {alias: norm for norm, aliases in table.items() for alias in aliases}


@cache
def lexicon() -> _Lexicon:
    words = _lexicon("number_words.toml")
    bounds = _lexicon("bound_phrases.toml")
    units = _lexicon("unit_aliases.toml")

    def floats(table: dict) -> dict[str, float]:
        return {k.lower(): float(v) for k, v in table.items()}

    small, scales = floats(words["small"]), floats(words["scales"])
    fractions = {k: 1.0 / v for k, v in floats(words["fractions"]).items()}
    multipliers, approximate = floats(words["multipliers"]), floats(words["approximate_plurals"])
    collectives = floats(words["collectives"])
    pairs = floats(words["pairs"])
    number_words = [
        *small, *scales, *fractions, *collectives, *multipliers, *approximate, *pairs,
    ]  # fmt: skip
    cased = [*number_words, "twice"]
    cased_alt = alternation([f(w) for w in cased for f in (str.lower, str.capitalize, str.upper)])

    bounds_before = {p: b for b, ps in bounds["before"].items() for p in ps}
    bounds_after = {p: b for b, ps in bounds["after"].items() for p in ps}
    percent = _invert(units["percent"])
    prefix = _invert(units["currency_prefix"])
    suffix = _invert(units["currency_suffix"])
    hundredths = {k.lower(): v for k, v in _invert(units["currency_hundredths"]).items()}
    unit_table: dict[str, tuple[str, str]] = {}
    exact: dict[str, tuple[str, str]] = {}
    for kind in ("time", "measure"):
        for norm, aliases in units[kind].items():
            for alias in aliases:
                # Short abbreviations are case-sensitive: "5 MW" is not "5 mW", "4G" is a name.
                (exact if len(alias) <= 3 else unit_table)[
                    alias if len(alias) <= 3 else alias.lower()
                ] = (norm, kind)
    per_unit = _invert(units["per_unit"])
    unit_alt = alternation_ignorecase([*unit_table, *exact, *suffix])
    vague = words["vague_quantifiers"]["words"]
    scale_alt = alternation_ignorecase(list(scales))
    return _Lexicon(
        small=small,
        scales=scales,
        scale_abbr=floats(words["scale_abbreviations"]),
        currency_abbr=floats(words["currency_scale_abbreviations"]),
        collectives=collectives,
        fractions=fractions,
        multipliers=multipliers,
        approximate=approximate,
        bounds_before=bounds_before,
        bounds_after=bounds_after,
        percent=percent,
        currency_prefix=prefix,
        currency_suffix_lower={k.lower(): v for k, v in suffix.items()},
        currency_hundredths=hundredths,
        irregular_plurals=frozenset(words["irregular_plurals"]["words"]),
        metre_plurals=frozenset(words["metre_plurals"]["words"]),
        vulgar={k: float(v) for k, v in words["vulgar_fractions"].items()},
        vulgar_chars=re.compile("[" + "".join(words["vulgar_fractions"]) + "]"),
        pairs=pairs,
        units=unit_table,
        units_exact=exact,
        per_unit=per_unit,
        per_adverb=_invert(units["per_adverb"]),
        per_adverb_after=re.compile(
            rf"\s+({alternation_ignorecase(list(_invert(units['per_adverb'])))})\b"
        ),
        change_verbs=frozenset(words["change_verbs"]["words"]),
        # Where a number expression can start: digits, a number word, "a dozen", "twice".
        # Where a number word can start. Case-sensitive with each word's lower, Capitalised
        # and UPPER forms, and scanned apart from digits: both much faster on a whole article.
        number_word=WordFinder(cased_alt, r"\w", r"\b"),
        word_token=re.compile(rf"{alternation_ignorecase(number_words)}\b"),
        # "1.5 million", "2-million", "$77million"
        scale_after=re.compile(rf"(?:\s+|-|(?<=\d))({scale_alt})\b"),
        currency_abbr_after=re.compile(
            r"\s?(" + alternation([*floats(words["scale_abbreviations"])]) + r")\b"
        ),
        percent_after=re.compile(rf"\s?({alternation_ignorecase(list(percent))})(?!\w)"),
        currency_before=re.compile(rf"(?<![\w$])({alternation(list(prefix))})\s?$"),
        currency_at=re.compile(rf"({alternation(list(prefix))})\s?(?=\d)"),
        # "5 euros", "74.27 U.S. cents", "5€": a space, or none before a currency sign.
        currency_after=re.compile(
            rf"(?:\s+|(?=[€£¥₴₽]))({alternation_ignorecase([*suffix, *hundredths])})(?!\w)"
        ),
        bound_last=frozenset(p.split()[-1].lower() for p in bounds_before),
        vague_last=frozenset(p.split()[-1].lower() for p in vague),
        currency_last=frozenset(p.split()[-1] for p in prefix),
        bound_before=re.compile(rf"(?<![\w-])({alternation_ignorecase(list(bounds_before))})\s+$"),
        bound_after=re.compile(
            rf"(?:\s+|-)?({alternation_ignorecase(list(bounds_after))})(?![\w+])"
        ),
        vague_before=re.compile(rf"(?<![\w-])({alternation_ignorecase(vague)})\s+$"),
        scale_first=_ascii_starts(list(scales)),
        abbr_first=_ascii_starts(list(words["scale_abbreviations"])),
        percent_first=_ascii_starts(list(percent)),
        currency_first=_ascii_starts([*suffix, *hundredths]),
        bound_after_first=_ascii_starts(list(bounds_after)),
        unit_after=re.compile(rf"(\s+|-|)({unit_alt})(?![\w/²])"),
        unit_first=_ascii_starts([*unit_table, *exact, *suffix]),
        per_after=re.compile(
            r"\s*(?:/|\s(?:a|an|per|each)\s)\s*([A-Za-z][\w-]*(?:\s+(?:ton|tonne|hour))?)"
        ),
    )


# A run of digits with the separators glued to it ("1,000.5", "24/7" gives "24" and "7"):
# one candidate per run, not per digit. A digit glued to a digit, "." "," or "_" never
# starts a number, so the digits inside a run would only be rejected one by one. Led by
# a character class, the regex engine skips the text between runs in C.
_DIGIT_RUN = re.compile(r"\d[\d.,_]*")
_DIGITS = re.compile(r"(?:\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.\d+)?(?![\d])|\.\d+")
# "-to-" and "8- to 16-meter" before the bare dash, which would match their first character.
_RANGE_JOIN = re.compile(r"-to-|-?\s+(?:to|through)\s+|\s*(?:-|–|—|~)\s*", re.IGNORECASE)
_AND_JOIN = re.compile(r"\s+and\s+", re.IGNORECASE)
_BETWEEN = re.compile(r"(?<!\w)(between|from)\s+$", re.IGNORECASE)
_OF = re.compile(r"\s+of\b", re.IGNORECASE)
_NEGATIVE_LAST = frozenset({"minus", "negative"})
_BETWEEN_LAST = frozenset({"between", "from"})
_NEGATIVE_WORD = re.compile(r"(?<!\w)(?:minus|negative)\s+$", re.IGNORECASE)
_TIMES = re.compile(r"(?:\s+|-)(times|fold)\b", re.IGNORECASE)
_TWICE_OK = re.compile(
    r"\s+(?:as|the|that|(?:a|per|each|every)\s+(?:day|week|month|year|hour|night|season))\b",
    re.IGNORECASE,
)
_FRACTION_DIGITS = re.compile(r"(\s+)?(\d{1,2})/(\d{1,2})(?![\d/])")


class _Core(NamedTuple):
    # A named tuple, not a frozen dataclass: one is made for every number candidate, and a
    # named tuple is about twice as fast to build.
    value: float
    end: int
    form: Form
    bound: Bound = "exact"


def _parse_digits(text: str, pos: int, lex: _Lexicon, currency: bool) -> _Core | None:
    m = _DIGITS.match(text, pos)
    if not m:
        return None
    raw = m.group(0)  # digits, "," and "." only
    value = float(raw.replace(",", "") if "," in raw else raw)
    end = m.end()
    nxt = _next_starts(text, end)  # recomputed wherever `end` moves
    # _DIGITS never stops before a digit, so a fraction needs a space first ("2 1/2").
    spaced_digit = nxt[:1].isspace() and nxt[1:].isdigit()
    frac = _FRACTION_DIGITS.match(text, end) if spaced_digit else None
    if frac and frac.group(1) and "." not in raw:  # "2 1/2"
        num, den = int(frac.group(2)), int(frac.group(3))
        if 0 < num < den <= 16:
            value += num / den
            end = frac.end()
            nxt = _next_starts(text, end)
    elif text[end : end + 1] == "/" and text[pos - 1 : pos] not in ("/", "-"):
        simple = _SIMPLE_FRACTION.match(text, pos)
        num, den = (int(simple.group(1)), int(simple.group(2))) if simple else (0, 0)
        if 0 < num < den and den in _DENOMINATORS and math.gcd(num, den) == 1:
            # "1/2 pound", "a 1/4 inch gap"; "24/7", "9/11" (an event) and "a 6/8 feel" (not
            # in lowest terms: a time signature) are not fractions
            return _Core(num / den, simple.end(2), "fraction")
    elif text[end : end + 1] in lex.vulgar and "." not in raw:  # "2½"
        value, end = value + lex.vulgar[text[end]], end + 1
        nxt = _next_starts(text, end)
    exponent = _EXPONENT.match(text, end) if _may_follow(nxt, _EXP_FIRST) else None
    if exponent:  # "4e14", "2.48×10−5", "1.2 x 10^6"
        power = (exponent.group(1) or exponent.group(2) or exponent.group(3)).replace("−", "-")
        value, end = float(f"{value * 10.0 ** int(power):.12g}"), exponent.end()
        nxt = _next_starts(text, end)
    # Scale words and abbreviations multiply: "1.5 million", "2.3bn", "$10m".
    while True:
        s = lex.scale_after.match(text, end) if _may_follow(nxt, lex.scale_first) else None
        if s:
            value *= lex.scales[s.group(1).lower()]
            end = s.end()
            nxt = _next_starts(text, end)
            continue
        a = lex.currency_abbr_after.match(text, end) if _may_follow(nxt, lex.abbr_first) else None
        if a and a.group(1).lower() in lex.scale_abbr and (currency or len(a.group(1)) > 1):
            value *= lex.scale_abbr[a.group(1).lower()]
            end = a.end()
            nxt = _next_starts(text, end)
            continue
        # A letter glued to the digits: "$10m", "$2B"; without a currency only before a
        # plural noun ("35m devices", "10k runners"), since "a 30m vessel" is in metres.
        letter = text[end : end + 1].lower()
        if letter in lex.currency_abbr and text[end - 1].isdigit():
            after = text[end + 1 : end + 2]
            # "10k." and "10k," are thousands; "4k streaming" and "4K" name a resolution.
            alone = text[end] == "k" and not _NEXT_WORD.match(text, end + 1)
            range_dash = after == "-" and text[end + 2 : end + 3].isdigit()  # "5k-20k"
            metres = letter == "m" and _NEXT_WORD.match(text, end + 1)
            if metres and metres.group(1) in lex.metre_plurals:
                break  # "the 400m hurdles"
            # "4.3M", "2.5B": a capital M or B after a decimal is no unit ("573.15K" is kelvin)
            decimal_capital = text[end] in "MB" and "." in text[pos:end]
            if not (after.isalnum() or (after == "-" and not range_dash)) and (
                currency or alone or decimal_capital or _plural_follows(text, end + 1, lex)
            ):
                value *= lex.currency_abbr[letter]
                end += 1
                nxt = _next_starts(text, end)
                continue
        break
    return _Core(value, end, "digits")


# Denominators fractions are written with in news ("3/4 inch", "1/3 of", "7/16 inch").
_DENOMINATORS = frozenset({2, 3, 4, 5, 8, 10, 16, 32, 64, 100})
_SIMPLE_FRACTION = re.compile(r"(\d{1,2})/(\d{1,2})(?=\s+[A-Za-z])")
# A power of ten needs "^" or a sign after "x10": "3 x 105" is not a power.
_EXPONENT = re.compile(
    r"(?:[eE]([-+]?\d{1,3})|\s?[x×]\s?10(?:(?:\^|\*\*)([-+−]?\d{1,3})|([-−]\d{1,3})))(?![\w.])"
)
_NEXT_WORD = re.compile(r" ([a-z]+)\b")
# First characters for `_may_follow` ("e" and "x" of _EXPONENT; "×" is not ASCII).
_EXP_FIRST = frozenset("eEx")


def _plural_follows(text: str, pos: int, lex: _Lexicon) -> bool:
    """Whether a plural noun follows `pos` after one space: "devices", "people", "tons"."""
    m = _NEXT_WORD.match(text, pos)
    if not m:
        return False
    word = m.group(1)
    if word in lex.irregular_plurals:
        return True
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _word_at(text: str, pos: int, lex: _Lexicon) -> tuple[str, int] | None:
    m = lex.word_token.match(text, pos)
    return (m.group(0).lower(), m.end()) if m else None


_WORD_JOIN = re.compile(r"\s*-\s*|\s+", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
# "and a half", "and a quarter", "and three quarters", "and two thirds" after a whole number
_AND_A_HALF = re.compile(
    r"(?:\s+|-)and(?:\s+|-)(a|one|two|three)(?:\s+|-)(half|quarters?|thirds?)\b", re.IGNORECASE
)
_PART = {"a": 1, "one": 1, "two": 2, "three": 3, "half": 2, "quarter": 4, "third": 3}
_SPACES = re.compile(r"\s+")
# "half a million", "a quarter of a million", "two-thirds of a billion", "quarter-million"
_A_WORD = re.compile(r"(?:\s+(?:of\s+)?(?:an?\s+)?|-)(\w+)\b", re.IGNORECASE)
_NUMBER_NEXT = re.compile(
    r"\s*(?:than\s+)?(?:[-$€£]?\d|an?\s|one|two|three|four|five|six|seven|eight|nine|ten|twenty|hundred)",
    re.I,
)
_DOZENS = re.compile(r"\s+dozens?\b", re.IGNORECASE)
# First characters for `_may_follow`: of "dozen", "in"/"out of" (_OUT_OF), "times"/"fold",
# "or", and of _RANGE_JOIN's "to", "through" and dashes ("–", "—" are not ASCII).
_D, _IO, _TF, _O = frozenset("dD"), frozenset("iIoO"), frozenset("tTfF"), frozenset("oO")
_RANGE_FIRST = frozenset("tT-~")


def _parse_words(text: str, pos: int, lex: _Lexicon) -> _Core | None:
    """Cardinals in words: "twenty-five", "one hundred and five", "a dozen", "two-thirds"."""
    tok = _word_at(text, pos, lex)
    lead_a = False
    if tok is None:
        gap = _SPACES.match(text, pos + 1) if text[pos : pos + 1].lower() == "a" else None
        tok = _word_at(text, gap.end(), lex) if gap else None
        after_a = tok[0] if tok else ""
        if not (
            after_a in lex.scales
            or after_a in lex.fractions
            or after_a == "dozen"
            or after_a in lex.pairs
        ):
            return None  # "a" is a number only before "hundred", "dozen", "third"...
        lead_a = True
    word, end = tok
    if word in lex.pairs:
        # "a couple of years" is 2, about (spec); "a couple of hundred" is read as a vague
        # quantifier before "hundred", and "the couple" is two people, not a number.
        of = _OF.match(text, end)
        after_of = _word_at(text, of.end() + 1, lex) if of and of.end() < len(text) else None
        if not lead_a or not of or (after_of and after_of[0] in lex.scales):
            return None
        return _Core(lex.pairs[word], of.end(), "words", "about")
    if lead_a and word in lex.fractions:  # "a third", "a quarter", "a half"
        return _after_fraction(text, lex.fractions[word], end, lex)
    if not lead_a:
        if word in lex.approximate:
            return _parse_approximate(text, end, word, lex)
        if word in lex.multipliers:
            return _Core(lex.multipliers[word], end, "multiplier")
        if word == "half":
            return _after_fraction(text, 0.5, end, lex)
        if word in lex.fractions:
            scaled = _after_fraction(text, lex.fractions[word], end, lex)
            # "quarter million" scales; "third" alone is an ordinal
            return scaled if scaled.form == "words" and word in ("quarter", "third") else None
    total, current, last = 0.0, 0.0, ""
    # What was written before the last "and": "one hundred and three quarters" is 100 + 3/4.
    before_and, since_and = 0.0, 0.0
    while tok:
        word, word_end = tok
        if word in lex.small:
            v = lex.small[word]
            tens_then_unit = lex.small.get(last, 0) >= 20 and v < 10
            if last and not (last in lex.scales or last == "dozen" or tens_then_unit):
                break
            current += v
            since_and += v
        elif word in lex.scales:
            scale = lex.scales[word]
            if last in lex.scales and lex.scales[last] >= scale:
                break
            if scale == 100:
                current = (current or 1.0) * 100
            else:
                total += (current or 1.0) * scale
                current = 0.0
        elif word == "dozen":
            current = (current or 1.0) * 12
        elif word in lex.fractions and last in lex.small:
            # "two-thirds", "three quarters", "three halves": numerator over denominator. A
            # fraction is written in lowest terms, so "two quarters (of contraction)" and
            # "four quarters" count quarters: the number stops before them.
            denominator = round(1 / lex.fractions[word])
            if math.gcd(int(since_and), denominator) > 1:
                break
            value = before_and + since_and * lex.fractions[word]
            return _after_fraction(text, value, word_end, lex)
        else:
            break
        last, end = word, word_end
        half = _AND_A_HALF.match(text, end)
        part = (
            _PART[half.group(1).lower()] / _PART[half.group(2).lower().rstrip("s")] if half else 0
        )
        if half and 0 < part < 1:
            # "two and a half (million)", "five and a quarter"; "one million and a half" is
            # 1.5 million
            if last in lex.scales and lex.scales[last] > 100:
                return _Core(total + part * lex.scales[last], half.end(), "words")
            current += part
            end = half.end()
            scale_m = lex.scale_after.match(text, end)
            if scale_m:
                return _Core(
                    (total + current) * lex.scales[scale_m.group(1).lower()], scale_m.end(), "words"
                )
            break
        joiner = _AND.match(text, end) if last in lex.scales else None
        joiner = joiner or _WORD_JOIN.match(text, end)
        tok = _word_at(text, joiner.end(), lex) if joiner else None
        if tok and joiner and "and" in joiner.group(0).lower():
            if tok[0] not in lex.small:
                break
            before_and, since_and = total + current, 0.0
    value = total + current
    if value == 0 and last != "zero":
        return None
    return _Core(value, end, "words")


def _after_fraction(text: str, value: float, end: int, lex: _Lexicon) -> _Core:
    """A fraction may scale what follows: "half a million", "half million", "half a dozen"."""
    m = _A_WORD.match(text, end)
    if m:
        w = m.group(1).lower()
        # A scaled fraction is a count ("half a million visitors"), not a share of one.
        if w in lex.scales:
            return _Core(value * lex.scales[w], m.end(), "words")
        if w == "dozen":
            return _Core(value * 12, m.end(), "words")
    return _Core(value, end, "fraction")


def _parse_approximate(text: str, end: int, word: str, lex: _Lexicon) -> _Core | None:
    """ "hundreds of", "tens of thousands of", "hundreds of thousands": a lower bound."""
    value = lex.approximate[word]
    of = _OF.match(text, end)
    if word in ("tens", "scores") and not of:
        return None
    if of:
        nxt = _word_at(text, of.end() + 1, lex) if of.end() < len(text) else None
        if nxt and nxt[0] in lex.approximate:  # "hundreds of thousands"
            value *= lex.approximate[nxt[0]]
            end = nxt[1]
    return _Core(value, end, "approximate", "at_least")


def _parse_core(text: str, pos: int, lex: _Lexicon, currency: bool) -> _Core | None:
    if text[pos] in lex.vulgar:  # "a ¾ mile"
        return _Core(lex.vulgar[text[pos]], pos + 1, "fraction")
    if text[pos].isdigit() or text[pos] == ".":
        return _parse_digits(text, pos, lex, currency)
    if text[pos : pos + 5].lower() == "twice":
        # "twice as many", "twice the size"; "visited twice" is a frequency like "once".
        return _Core(2.0, pos + 5, "multiplier") if _TWICE_OK.match(text, pos + 5) else None
    return _parse_words(text, pos, lex)


def _left(text: str, pos: int, width: int = 40) -> str:
    return text[max(0, pos - width) : pos]


def _negative_sign(text: str, start: int) -> bool:
    """A minus sign glued to the number and standing alone: "-5%", not "Su-25"."""
    if start == 0 or text[start - 1] not in "-−":
        return False
    return start == 1 or text[start - 2] in " \n\t("


def _prev_word(text: str, pos: int) -> str:
    """The run of non-space characters before `pos` (skipping spaces): "than", "$", "UAH"."""
    j = pos
    while j > 0 and text[j - 1] in " \n":
        j -= 1
    lo = max(0, j - 20)
    return text[max(text.rfind(" ", lo, j), text.rfind("\n", lo, j), lo - 1) + 1 : j]


def _ends_with(
    pattern: re.Pattern[str], text: str, pos: int, last: frozenset[str], word: str
) -> re.Match[str] | None:
    """`pattern` ($-anchored) at the end of the text before `pos`, tried only when the
    word before `pos` (lower-cased, given) can end one of its phrases."""
    if word not in last:
        return None
    return pattern.search(_left(text, pos))


def _percent_unit(text: str, pos: int, lex: _Lexicon) -> tuple[str, int] | None:
    m = lex.percent_after.match(text, pos)
    if not m:
        return None
    return lex.percent[" ".join(m.group(1).lower().split())], m.end()


def parse_at(text: str, pos: int) -> Quantity | None:
    """The number expression whose bare number starts at `pos`, or None."""
    lex = lexicon()
    prev = _prev_word(text, pos)
    # The lower-cased word before `start`, recomputed only when `start` moves.
    word_at, word = pos, prev.lower()
    cur = None
    sign = 1 if pos >= 2 and text[pos - 1] in "-−" and text[pos - 2] in "$€£₴₽¥₹" else 0
    if sign:  # "$-50.8bn": the minus between the currency sign and the digits
        prev = _prev_word(text, pos - 1)
    if prev and (prev in lex.currency_last or prev[-1] in "$€£₴₽¥₹"):
        cur = lex.currency_before.search(_left(text, pos - sign))
    unit = lex.currency_prefix[" ".join(cur.group(1).split())] if cur else None
    start = pos - sign - len(cur.group(0)) if cur else pos
    core = _parse_core(text, pos, lex, unit is not None)
    if core is None:
        return None
    value, end, form, bound = core.value, core.end, core.form, core.bound
    value_max: float | None = None
    descending = False

    if cur and sign:
        value = -value
    elif form == "digits" and _negative_sign(text, start):
        value, start = -value, start - 1
    else:
        if start != word_at:
            word_at, word = start, _prev_word(text, start).lower()
        negw = _ends_with(_NEGATIVE_WORD, text, start, _NEGATIVE_LAST, word)
        if negw:
            value, start = -value, start - len(negw.group(0))

    # The characters a word after `end` may start with, recomputed only when `end` moves:
    # most numbers are followed by a word none of the patterns below can read.
    nxt_at, nxt = end, _next_starts(text, end)
    words_or_digits = form in ("digits", "words")
    dozens = _DOZENS.match(text, end) if words_or_digits and _may_follow(nxt, _D) else None
    if dozens:  # "three dozen", "3 dozens"
        value, end = value * 12, dozens.end()
        nxt_at, nxt = end, _next_starts(text, end)
    ratio = _ratio(text, end, value, form, lex) if unit is None and _may_follow(nxt, _IO) else None
    if ratio:  # "one out of three adults", "1 in 5 voters": a fraction
        value, end, form = ratio[0], ratio[1], "fraction"
        nxt_at, nxt = end, _next_starts(text, end)
    if form in ("digits", "words") and unit is None and _may_follow(nxt, _TF):
        times = _TIMES.match(text, end)
        if times:  # "three times", "tenfold"
            unit, end, form = "times", times.end(), "multiplier"
            nxt_at, nxt = end, _next_starts(text, end)
    if form == "multiplier" and unit is None:
        unit = "times"  # "double", "twice as many"
    if unit is None and _may_follow(nxt, lex.percent_first):
        pct = _percent_unit(text, end, lex)
        if pct:
            unit, end = pct
            nxt_at, nxt = end, _next_starts(text, end)

    # Ranges: "20-25", "20 to 25", "between 20 and 30", "$2 million to $3 million".
    # "from 20 to 30" is a change between two figures, not a range.
    if start != word_at:
        word_at, word = start, _prev_word(text, start).lower()
    between = _ends_with(_BETWEEN, text, start, _BETWEEN_LAST, word)
    joiner = _RANGE_JOIN.match(text, end) if _may_follow(nxt, _RANGE_FIRST) else None
    if joiner is None and between and between.group(1).lower() == "between":
        joiner = _AND_JOIN.match(text, end)
    is_change = bool(between and between.group(1).lower() == "from") and _change_before(
        text, start - len(between.group(0)), lex
    )
    if joiner and form in ("digits", "words") and not is_change:
        second = _range_end(text, joiner.end(), unit, form, lex)
        if second and _change_then_level(text, start, pos, core, joiner, second, lex):
            second = None  # "rose 0.7 percent to 6,327.80": a change and a level
        if second:
            v2, e2 = second.value, second.end
            scale = _trailing_scale(text, joiner.end(), second.end, lex)
            if scale and _trailing_scale(text, pos, core.end, lex) is None and value * scale <= v2:
                value *= scale  # "2-3 million": the scale written once applies to both ends
            if unit == "times":
                t2 = _TIMES.match(text, e2)
                e2 = t2.end() if t2 else e2
            if unit in (None, "%", "pp"):
                pct2 = _percent_unit(text, e2, lex)
                if pct2:
                    unit, e2 = pct2
            dash = joiner.group(0).strip() in ("-", "–", "—")
            if v2 > value:
                value_max, end = v2, e2
                if between:
                    start -= len(between.group(0))
            elif dash and form == "digits":
                descending, value_max, end = True, v2, e2  # "won 4-1", "112-107"
    elif form in ("digits", "words") and not between:
        # "three or four days", "about 10 or 15 minutes": an approximate range (spec).
        either = _OR_JOIN.match(text, end) if _may_follow(nxt, _O) else None
        second = _range_end(text, either.end(), unit, form, lex) if either else None
        if second and _approximate_pair(text, pos, core, either.end(), second, lex):
            scale = _trailing_scale(text, either.end(), second.end, lex)
            if scale and _trailing_scale(text, pos, core.end, lex) is None:
                value *= scale  # "two or three million"
            value_max, end, bound = second.value, second.end, "about"
            if unit in (None, "%", "pp"):
                pct2 = _percent_unit(text, end, lex)
                if pct2:
                    unit, end = pct2
            if start != word_at:
                word_at, word = start, _prev_word(text, start).lower()
            before = _ends_with(lex.bound_before, text, start, lex.bound_last, word)
            if before and lex.bounds_before[" ".join(before.group(1).lower().split())] == "about":
                start -= len(before.group(0))  # "about 10 or 11"

    if value_max is None and unit is None and form == "digits" and not is_change:
        repeated = _range_with_unit(text, start, end, value, between is not None, lex)
        if repeated:  # "44 mg to 50 mg", "between 5 km and 8 km": one range of one unit
            value_max, end = repeated
            if between:
                start -= len(between.group(0))

    if end != nxt_at:
        nxt_at, nxt = end, _next_starts(text, end)
    if unit is None and _may_follow(nxt, lex.currency_first):
        suffix = lex.currency_after.match(text, end)
        if suffix:  # "1.5 million hryvnias": the currency name belongs to the amount
            name = " ".join(suffix.group(1).lower().split())
            if name in lex.currency_hundredths:  # "10 cents" is 0.1 USD
                unit = lex.currency_hundredths[name]
                value = _hundredth(value)
                value_max = _hundredth(value_max) if value_max is not None else None
            else:
                unit = lex.currency_suffix_lower[name]
            end = suffix.end()
            if value_max is None and name not in lex.currency_hundredths:
                cents = _cents_after(text, end, unit, lex)
                if cents:  # "3 dollars 50 cents", "thirteen dollars and forty-five cents"
                    value, end = float(f"{value + cents[0]:.12g}"), cents[1]

    # Bound words: "more than three", "up to 20", "50 or more", "several thousand".
    if start != word_at:
        word = _prev_word(text, start).lower()
    before = _ends_with(lex.bound_before, text, start, lex.bound_last, word)
    if before and value_max is None:
        bound = lex.bounds_before[" ".join(before.group(1).lower().split())]
        start -= len(before.group(0))
    elif form == "words" and _is_bare_scale(text, pos, core.end, lex):
        vague = _ends_with(lex.vague_before, text, start, lex.vague_last, word)
        if vague:
            bound, start = "at_least", start - len(vague.group(0))
    if end != nxt_at:
        nxt = _next_starts(text, end)
    after = lex.bound_after.match(text, end) if _may_follow(nxt, lex.bound_after_first) else None
    if after and _NUMBER_NEXT.match(text, after.end()):
        after = None  # "above 1000 and below 1500": "and below" bounds the next number
    if after and value_max is None:
        bound, end = lex.bounds_after[after.group(1).lower()], after.end()

    return _quantity(value, value_max, bound, unit, start, end, form, pos, core.end, descending)


_CENTS_JOIN = re.compile(r"(?:,?\s+and)?\s+(?=[\da-z])", re.IGNORECASE)


def _cents_after(text: str, pos: int, unit: str, lex: _Lexicon) -> tuple[float, int] | None:
    """The cents written after an amount in the main unit: " and forty-five cents"."""
    join = _CENTS_JOIN.match(text, pos)
    if not join:
        return None
    core = _parse_core(text, join.end(), lex, False)
    if core is None or core.form not in ("digits", "words") or not 0 < core.value < 100:
        return None
    suffix = lex.currency_after.match(text, core.end)
    name = " ".join(suffix.group(1).lower().split()) if suffix else ""
    if name not in lex.currency_hundredths:
        return None
    if lex.currency_hundredths[name] != unit and name not in ("cents", "cent"):
        return None  # "5 euros 50 cents" is EUR, "5 pounds 50 cents" nothing known
    return _hundredth(core.value), suffix.end()


# What "N in M" is written with when it is a share: "one in five", "nine in ten", "1 in 100".
_RATIO_TOTALS = frozenset({2, 3, 4, 5, 6, 7, 8, 9, 10, 20, 25, 50, 100, 1000})
_OUT_OF = re.compile(r"\s+(?:out\s+of|in)\s+", re.IGNORECASE)


def _ratio(
    text: str, end: int, value: float, form: Form, lex: _Lexicon
) -> tuple[float, int] | None:
    """ "one out of three", "1 in 5": value / total, when a plural noun or "of" follows (so
    that "2 in 10 minutes" and "one in four days" stay counts)."""
    if form not in ("digits", "words") or value != int(value) or value <= 0:
        return None
    join = _OUT_OF.match(text, end)
    if join is None or join.end() >= len(text):
        return None
    total = _parse_core(text, join.end(), lex, False)
    if total is None or total.form != form or not value < total.value <= 1000:
        return None
    if total.value != int(total.value) or _trailing_scale(text, join.end(), total.end, lex):
        return None
    if "out" not in join.group(0).lower() and (value > 9 or total.value not in _RATIO_TOTALS):
        return None  # "one in five adults", but "number 1 in 40 countries" ranks
    follows = _NEXT_WORD.match(text, total.end)
    noun = follows and follows.group(1) not in lex.units and _plural_follows(text, total.end, lex)
    stop = text[total.end : total.end + 1]
    if not (noun or _OF.match(text, total.end) or (stop and stop in ",.;")):
        return None
    return value / total.value, total.end


def _hundredth(value: float) -> float:
    """value / 100 without binary noise: 74.27 cents is 0.7427, not 0.7426999999999999."""
    return float(f"{value / 100:.12g}")


_OR_JOIN = re.compile(r"\s+or\s+", re.IGNORECASE)
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def _range_end(text: str, pos: int, unit: str | None, form: Form, lex: _Lexicon) -> _Core | None:
    """The second number of "20-25", "20 to 25", "$2 million to $3 million", "three or four"."""
    cur = lex.currency_at.match(text, pos)
    if cur and lex.currency_prefix.get(" ".join(cur.group(1).split())) == unit:
        pos = cur.end()
    if pos >= len(text) or not (text[pos].isdigit() or form == "words"):
        return None
    second = _parse_core(text, pos, lex, unit is not None)
    return second if second and second.form == form else None


def _range_with_unit(
    text: str, start: int, end: int, value: float, between: bool, lex: _Lexicon
) -> tuple[float, int] | None:
    """The upper end of a range whose unit is written at both ends: "44 mg to 50 mg". After
    a verb of change, "gained 12 points to 3,100 points" is a change and a level."""
    first_unit = unit_after(text, end)
    if first_unit is None or first_unit.kind == "currency" or first_unit.hyphenated:
        return None
    joiner = _RANGE_JOIN.match(text, first_unit.end)
    if joiner is None and between:
        joiner = _AND_JOIN.match(text, first_unit.end)
    if joiner is None or not text[joiner.end() : joiner.end() + 1].isdigit():
        return None
    if joiner.group(0).strip().lower() == "to" and _change_before(text, start, lex):
        return None
    second = _parse_digits(text, joiner.end(), lex, False)
    if second is None or second.end == joiner.end():
        return None
    second_unit = unit_after(text, second.end)
    if second_unit is None or second_unit.unit != first_unit.unit:
        return None
    return (second.value, second.end) if second.value > value else None


def _change_then_level(
    text: str,
    start: int,
    pos: int,
    first: _Core,
    joiner: re.Match[str],
    second: _Core,
    lex: _Lexicon,
) -> bool:
    """Whether "X to Y" gives a change and then a level, not a range: "rose 0.7 percent to
    6,327.80" (the percent is written on the change only), "by $43.6 billion to $419.2
    billion" (a change "by" written whole), "from 2018 to 3.9 million" (a year, then an
    amount). "cut by 40 to 50 percent" stays a range: its unit is written once."""
    if joiner.group(0).strip().lower() != "to":
        return False
    whole = start < pos or _trailing_scale(text, pos, first.end, lex) is not None
    if _prev_word(text, start).lower() == "by" and whole:
        return True  # a currency sign or scale on the first number: "by $43.6 billion"
    first_pct = _percent_unit(text, first.end, lex)
    if first_pct and not _percent_unit(text, second.end, lex):
        return True
    if first_pct and _change_before(text, start, lex):
        return True  # "inflation rose 0.5% to 3.2%": each written whole after a change
    raw_first = text[pos : first.end]
    raw_second = text[joiner.end() : second.end]
    return bool(_YEAR.fullmatch(raw_first)) and not _YEAR.fullmatch(raw_second.lstrip("$€£"))


def _approximate_pair(
    text: str, pos: int, first: _Core, pos2: int, second: _Core, lex: _Lexicon
) -> bool:
    """Whether "A or B" is one approximate amount ("three or four", "10 or 15", "20 or 30")
    rather than two alternatives ("nine or fifteen nights", "2019 or 2020")."""
    if text[pos - 2 : pos] == ", " or first.value != int(first.value):
        return False  # "seven, ten or fourteen": a list
    low = first.value
    scale = _trailing_scale(text, pos2, second.end, lex)
    high = (
        second.value / scale
        if scale and _trailing_scale(text, pos, first.end, lex) is None
        else second.value
    )
    if high == low + 1:
        return 0 < low < 1000
    return low > 0 and low % 5 == 0 and high % 5 == 0 and low < high <= 2 * low


def _change_before(text: str, pos: int, lex: _Lexicon) -> bool:
    """Whether a verb of change precedes `pos` in its sentence ("rose ... from 20 to 30")."""
    lo = max(0, pos - 160)
    cut = max(text.rfind(". ", lo, pos), text.rfind("\n", lo, pos))
    words = re.findall(r"[a-z]+", text[max(lo, cut + 1) : pos].lower())
    return any(w in lex.change_verbs for w in words)


def _trailing_scale(text: str, pos: int, end: int, lex: _Lexicon) -> float | None:
    words = re.findall(r"[A-Za-z]+", text[pos:end].lower())
    for w in reversed(words):
        if w in lex.scales:
            return lex.scales[w]
        if w in lex.scale_abbr:
            return lex.scale_abbr[w]
    tail = text[end - 1 : end].lower()
    if tail in lex.currency_abbr:
        return lex.currency_abbr[tail]
    return None


def _is_bare_scale(text: str, pos: int, end: int, lex: _Lexicon) -> bool:
    words = re.findall(r"[A-Za-z]+", text[pos:end].lower())
    return bool(words) and all(w in lex.scales for w in words)


def find_quantities(text: str) -> list[Quantity]:
    """Every number expression in `text`, left to right, not overlapping."""
    lex = lexicon()
    found: list[Quantity] = []
    pos = 0
    # "½" and the like are rare: a test per character (a fast C search each) skips the
    # scan of the whole text for them nearly always.
    vulgar = (
        [m.start() for m in lex.vulgar_chars.finditer(text)]
        if not text.isascii() and any(c in text for c in lex.vulgar)
        else []
    )
    for start in sorted([*_candidates(text, lex), *_digit_starts(text), *vulgar]):
        if start < pos:
            continue
        if text[start].isdigit() or text[start] == ".":
            before = text[start - 1] if start else " "
            glued_currency = before.isalpha() and _prev_word(text, start) in lex.currency_last
            if (before.isalnum() or before in ".,_") and not glued_currency:
                continue  # inside a number or a word: "A320", "3.5"; but "RM6.2 million"
        q = parse_at(text, start)
        if q is None:
            continue
        if found and q.start < found[-1].end:
            q = _replace_start(q, max(q.start, found[-1].end))
        found.append(q)
        pos = q.end
    return found


def _digit_starts(text: str) -> list[int]:
    """Where a number in digits can start: a run of digits, or the "." before it (".45")."""
    starts = []
    for m in _DIGIT_RUN.finditer(text):
        start = m.start()
        starts.append(start - 1 if start and text[start - 1] == "." else start)
    return starts


def _candidates(text: str, lex: _Lexicon) -> Iterator[int]:
    """Starts of number words; "a hundred", "a dozen", "a third" start at the "a"."""
    for start, _ in lex.number_word.spans(text):
        if start >= 2 and text[start - 2] in "aA" and text[start - 1] == " ":
            if start == 2 or not text[start - 3].isalnum():
                yield start - 2  # parse_at tries "a twenty" and fails; then "twenty" follows
        yield start


def _replace_start(q: Quantity, start: int) -> Quantity:
    return _quantity(
        q.value, q.value_max, q.bound, q.unit, start, q.end, q.form, q.core_start, q.core_end,
        q.descending_pair,
    )  # fmt: skip


def parse_number(text: str) -> Quantity | None:
    """The first number expression in `text` (for one-line tests and callers with a phrase)."""
    found = find_quantities(text)
    return found[0] if found else None


def unit_after(text: str, pos: int) -> UnitMatch | None:
    """A unit noun written right after a number: "5 km", "155-mm", "three weeks", "5km"."""
    lex = lexicon()
    # Most numbers are followed by a word that is no unit: decided on its first character,
    # which the unit must start with after "", "-" or spaces (the regex decides the rest).
    first = text[pos : pos + 1]
    if not _may_start(first, lex.unit_first):
        if first == "-":
            if not _may_start(text[pos + 1 : pos + 2], lex.unit_first):
                return None
        elif first.isspace():
            j = pos + 1
            while text[j : j + 1].isspace() and not _may_start(text[j], lex.unit_first):
                j += 1
            if not _may_start(text[j : j + 1], lex.unit_first):
                return None
        else:
            return None
    m = lex.unit_after.match(text, pos)
    if not m:
        return None
    sep, surface = m.group(1), m.group(2)
    key = " ".join(surface.split())
    if sep == "" and not re.match(r"[A-Za-z%°º]", surface):
        return None
    if text[m.end() : m.end() + 1] == "-" and text[m.end() + 1 : m.end() + 2].isdigit():
        return None  # "five C-130s", "two F-16s": a model name, not a unit
    found = lex.units_exact.get(key) or lex.units.get(key.lower())
    if found:
        unit, kind = found
        # A compound modifier is singular ("a 20-foot wall"); "at 195-inches" is a plain
        # measure. "a 20-foot-deep well": the dimension word belongs to the modifier.
        hyphenated = sep == "-" and not _PLURAL_UNIT.search(key)
        end = m.end()
        dimension = _DIMENSION.match(text, end) if hyphenated or sep == "" else None
        if dimension:  # "a 30-foot-deep well", "a 2m-tall wall": a compound modifier
            hyphenated, end = True, dimension.end()
        return UnitMatch(unit, surface, end, kind, hyphenated)  # type: ignore[arg-type]
    cur = lex.currency_suffix_lower.get(key.lower())
    if cur and sep != "":
        return UnitMatch(cur, surface, m.end(), "currency", sep == "-")
    return None


_PLURAL_UNIT = re.compile(r"(?:[a-z]{3}s|feet)$")
_DIMENSION = re.compile(r"-(?:deep|long|high|wide|tall|thick|wide|square)\b")


def per_unit_after(text: str, pos: int) -> tuple[str, int] | None:
    """The "per quantity" half of a price: "a barrel" gives "barrel", "per share" "share",
    "/month" "month", "monthly" "month" (unit_aliases.toml, `per_unit` and `per_adverb`)."""
    lex = lexicon()
    m = lex.per_after.match(text, pos)
    if m is None:
        adverb = lex.per_adverb_after.match(text, pos)
        if adverb is None:
            return None
        return lex.per_adverb[" ".join(adverb.group(1).lower().split())], adverb.end()
    word = m.group(1)
    norm = lex.per_unit.get(word) or lex.per_unit.get(word.lower())
    if norm is None and word.isalpha() and word.islower() and word.endswith("s"):
        norm = lex.per_unit.get(word[:-1])  # "per bookings"
    return (norm, m.end()) if norm else None


# The joins of a coordinated list of numbers: "seven, ten, or fourteen", "nine or fifteen".
_LIST_JOIN = re.compile(r",\s*(?:(?:or|and)\s+)?|\s+(?:or|and)\s+", re.IGNORECASE)


def list_unit_after(text: str, pos: int) -> UnitMatch | None:
    """The unit written once after a coordinated list of numbers, for a number in the list
    that has none of its own: "seven, ten or fourteen-night holidays" gives each "night",
    "nine or fifteen nights" gives nine "night". The list must be joined by "or" or "and"
    ("3, 10 minutes later" is no list)."""
    lex = lexicon()
    coordinated = False
    for _ in range(6):
        join = _LIST_JOIN.match(text, pos)
        if join is None or join.end() >= len(text):
            return None
        coordinated = coordinated or bool(re.search(r"\b(?:or|and)\b", join.group(0), re.I))
        nxt = _parse_core(text, join.end(), lex, False)
        if nxt is None or nxt.form not in ("digits", "words"):
            return None
        unit = unit_after(text, nxt.end)
        if unit is not None:
            return unit if coordinated and unit.kind != "currency" else None
        pos = nxt.end
    return None
