"""Paragraph, sentence and quotation spans of a cleaned article body.

Stable interface (figures.py and statements.py rely on it):

- `paragraph_spans(text) -> list[tuple[int, int]]`: one `(start, end)` per paragraph, where
  paragraphs are separated by a blank line (a single line break stays inside the paragraph);
  spans exclude the surrounding whitespace, so `text[start:end]` is the paragraph.
- `sentence_spans(text) -> list[tuple[int, int]]`: sentences of the whole text, never crossing a
  paragraph; `text[start:end]` runs from the first character to the final punctuation
  (closing quotes and brackets included).
- `quote_spans(text) -> list[QuoteSpan]`: matched quotation marks, ordered by position.

All offsets index the string passed in; nothing is copied or normalised here. Results for
the last few texts are cached (the statement and figure extractors segment the same body
one after the other), and each call returns a fresh list.

News typography that the rules survive: curly and straight quotes, guillemets, German
„...“, a space before a closing straight quote (`Kupiansk, "said X`), abbreviations
("Mr.", "U.S.", "Lt. Col.", "No. 5"), initials, ellipses inside quotes, a full stop inside
brackets ("(the enemy. Ed.)"), and a quote that runs over several paragraphs (an opening mark
with no close before the paragraph ends yields a span to the paragraph end, `closed=False`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")

# A sentence may end after . ! ? or an ellipsis, possibly followed by closing quotes or
# brackets, then whitespace, then something that can start a sentence (capital, digit,
# opening quote or bracket). A lower-case word after the full stop never starts a sentence,
# which keeps "intentions... go to" and `it. "said X` together.
_BOUNDARY = re.compile(
    r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«„(\[]*[0-9A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐ])",
)
_INITIAL = re.compile(r"^(?:[A-Z]|[A-Z]\.[A-Z]|(?:[A-Za-z]\.)+[A-Za-z])$")


@cache
def _abbreviations() -> frozenset[str]:
    """Lower-cased abbreviations without their final dot (lexicon file, loaded once)."""
    text = (
        resources.files("extract")
        .joinpath("lexicons/speech_abbreviations.txt")
        .read_text(encoding="utf-8")
    )
    words = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(w.lower().rstrip(".") for w in words if w)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the blank-line separated paragraphs of `text`, trimmed of outer spaces."""
    return list(_paragraphs(text))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of `text`, paragraph by paragraph (a sentence never spans two)."""
    return list(_sentences(text))


def quote_spans(text: str) -> list[QuoteSpan]:
    """Double and single quotations in `text`, ordered by position.

    Straight double quotes alternate open/close within a paragraph, so their direction is
    inferred from their order, not from the spaces around them. Single quotes are paired
    only when they look like quotation marks, because the same character is an apostrophe.
    """
    return list(_quotes(text))


# The statement and figure extractors segment the same body one after the other; a small
# cache keyed by the text makes the second call free. Results are tuples, so a caller
# cannot change what the next caller gets.
@lru_cache(maxsize=4)
def _paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    spans = []
    for match in _PARAGRAPH.finditer(text):
        start, end = match.span()
        while text[start] in " \t":
            start += 1
        while text[end - 1] in " \t":
            end -= 1
        spans.append((start, end))
    return tuple(spans)


def _is_abbreviation(text: str, dot: int, para_start: int) -> bool:
    """Whether the full stop at `dot` ends an abbreviation or an initial, not a sentence."""
    if text[dot] != "." or (dot + 1 < len(text) and text[dot + 1] == "."):
        return False
    # The word before the dot, found with C-level rfind rather than a regex per boundary.
    space = text.rfind(" ", para_start, dot)
    # Only a line break after that space matters; searching no further back than the space
    # keeps this from scanning a long paragraph to its start.
    space = max(space, text.rfind("\n", space + 1, dot))
    word = text[max(space + 1, para_start) : dot].lstrip("\"'“‘«(")
    if not word:
        return False
    if _INITIAL.match(word):
        return True
    return word.lower() in _abbreviations()


def _sentences_in(
    text: str, start: int, end: int, boundaries: list[re.Match[str]]
) -> list[tuple[int, int]]:
    spans = []
    begin = start
    for match in boundaries:
        stop = match.end()
        if _is_abbreviation(text, match.start(), start):
            continue
        # A full stop inside brackets ("(the enemy. Ed.)") does not end the sentence.
        if text.count("(", begin, stop) > text.count(")", begin, stop):
            continue
        spans.append((begin, stop))
        begin = stop
        while begin < end and text[begin].isspace():
            begin += 1
    if begin < end:
        spans.append((begin, end))
    return spans


@lru_cache(maxsize=4)
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    # One scan for candidate boundaries over the whole text; a paragraph without one is a
    # single sentence and costs nothing more.
    found = list(_BOUNDARY.finditer(text))
    starts = [m.start() for m in found]
    spans: list[tuple[int, int]] = []
    for start, end in _paragraphs(text):
        lo = bisect.bisect_left(starts, start)
        hi = bisect.bisect_left(starts, end, lo)
        inside = [m for m in found[lo:hi] if m.end() < end] if lo < hi else None
        if inside:
            spans.extend(_sentences_in(text, start, end, inside))
        else:
            spans.append((start, end))
    return tuple(spans)


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quotation: `start`/`end` cover its words, `mark_start`/`mark_end` the marks too.

    The words exclude the marks, the spaces inside them and a trailing comma
    (`"..., Kupiansk, "said` gives words ending at "Kupiansk"). When the quote is still open
    at the end of its paragraph, `closed` is False and `mark_end` is the paragraph end.
    """

    start: int
    end: int
    mark_start: int
    mark_end: int
    closed: bool
    double: bool


_DOUBLE_MARKS = re.compile(r"[\"“”«»„‟]")
# Two single marks in a row ('' or ’’) are a double quotation mark typed the old way; this
# slower pattern is used only in paragraphs that contain such a pair.
_DOUBLE_MARKS_PAIRED = re.compile(r"[\"“”«»„‟]|''|’’|‘‘")
_PAIRED = frozenset({"''", "’’", "‘‘"})
# A single mark between two letters or digits is an apostrophe ("don't", "Kyiv’s") and never
# a quotation mark; most single marks in news text are, so the pattern leaves them out. The
# assertions follow the character class so that the scan skips to marks in C.
_SINGLE_MARKS = re.compile(r"['‘’‹›‚](?:(?<![^\W_].)|(?![^\W_]))")
_OPEN_LEFT = set(" \t\n([{—–-/\"“«„'‘")  # characters after which a mark opens a quote
_CLOSING_PUNCT = frozenset(",.!?…;:")
_STRICT_OPEN = {"“", "«", "„", "‟"}
_STRICT_CLOSE = {"”", "»"}


def _make_span(
    text: str, open_at: int, open_len: int, close_at: int, close_len: int, double: bool
) -> QuoteSpan:
    """Span of a quotation; `close_len` is 0 when it runs to its paragraph end unclosed."""
    start, end = open_at + open_len, close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return QuoteSpan(start, end, open_at, close_at + close_len, close_len > 0, double)


def _previous_visible(text: str, i: int, floor: int) -> str:
    """The last non-space character before `i` (not before `floor`), or ""."""
    j = i - 1
    while j >= floor and text[j].isspace():
        j -= 1
    return text[j] if j >= floor else ""


def _double_quotes(text: str, p_start: int, p_end: int, paired: bool) -> list[QuoteSpan]:
    """`paired`: whether the text has two single marks in a row anywhere."""
    spans = []
    open_at, open_len = -1, 0
    nested = False  # inside a straight-quoted phrase within an open quotation
    paired = paired and _has_paired(text, p_start, p_end)
    marks = _DOUBLE_MARKS_PAIRED if paired else _DOUBLE_MARKS
    for match in marks.finditer(text, p_start, p_end):
        i, size = match.start(), len(match.group(0))
        mark = '"' if size == 2 else text[i]  # two single marks act as one straight double
        left = text[i - 1] if i > p_start else " "
        right = text[i + size] if i + size < p_end else " "
        if nested:
            nested = False
            continue
        if (
            open_at >= 0
            and mark == '"'
            and text[open_at] == '"'
            and left == " "
            and right.isalnum()
            and _previous_visible(text, i, p_start) not in _CLOSING_PUNCT
        ):
            # 'in so-called "meat waves" and': a quote inside the quotation, not its end
            # (an end written with a space before it follows punctuation: 'it, "said').
            nested = True
            continue
        if open_at < 0:
            # A closing curly mark with nothing open is bad typography used as an opener
            # (”text”); it only opens when it sits where an opening mark would.
            if mark in _STRICT_CLOSE and not (left in _OPEN_LEFT and not right.isspace()):
                continue
            open_at, open_len = i, size
            continue
        opener = text[open_at]
        closes = (
            mark not in _STRICT_OPEN
            or (opener == "„" and mark == "“")
            or (not left.isspace() and (right.isspace() or not right.isalnum()))
        )
        if closes:
            if i > open_at + open_len:
                spans.append(_make_span(text, open_at, open_len, i, size, True))
            open_at = -1
        else:
            # A second opening mark: the first was never closed, so it is dropped.
            open_at, open_len = i, size
    if open_at >= 0 and open_at + open_len < p_end:
        spans.append(_make_span(text, open_at, open_len, p_end, 0, True))
    return spans


def _single_quotes(text: str, p_start: int, p_end: int) -> list[QuoteSpan]:
    """Single quotation marks; an apostrophe inside a word ("don't", "Kyiv’s") is skipped."""
    spans = []
    open_at = -1
    for match in _SINGLE_MARKS.finditer(text, p_start, p_end):
        i = match.start()
        left = text[i - 1] if i > p_start else " "
        right = text[i + 1] if i + 1 < p_end else " "
        if text[i : i + 2] in _PAIRED or text[i - 1 : i + 1] in _PAIRED:
            continue  # half of a double mark typed as two singles
        opening = left in _OPEN_LEFT and (right.isalnum() or right in '"“….')
        closing = not left.isspace() and not right.isalnum()
        if open_at < 0:
            if opening and text[i] not in "’›":
                open_at = i
        elif closing:
            spans.append(_make_span(text, open_at, 1, i, 1, False))
            open_at = -1
    # British style: a quotation opened after a colon or at the paragraph start and still
    # open at its end runs on into the next paragraph, as a double quotation does.
    if open_at >= 0 and (open_at == p_start or _previous_visible(text, open_at, p_start) == ":"):
        spans.append(_make_span(text, open_at, 1, p_end, 0, False))
    return spans


@lru_cache(maxsize=4)
def _quotes(text: str) -> tuple[QuoteSpan, ...]:
    # Most paragraphs hold no quotation mark at all: find the marks once over the whole text
    # and visit only the paragraphs that have some.
    doubles = [m.start() for m in _DOUBLE_MARKS.finditer(text)]
    singles = [m.start() for m in _SINGLE_MARKS.finditer(text)]
    paired = _has_paired(text, 0, len(text))
    spans: list[QuoteSpan] = []
    for p_start, p_end in _paragraphs(text):
        k = bisect.bisect_left(doubles, p_start)
        if k < len(doubles) and doubles[k] < p_end or paired:
            spans.extend(_double_quotes(text, p_start, p_end, paired))
        k = bisect.bisect_left(singles, p_start)
        if k < len(singles) and singles[k] < p_end:
            spans.extend(_single_quotes(text, p_start, p_end))
    spans.sort(key=lambda q: q.mark_start)
    return tuple(spans)


def clear_caches() -> None:
    """Forget the cached segmentations (for benchmarks that time a cold start)."""
    _paragraphs.cache_clear()
    _sentences.cache_clear()
    _quotes.cache_clear()


def _has_paired(text: str, start: int, end: int) -> bool:
    return any(text.find(pair, start, end) >= 0 for pair in _PAIRED)


class WordFinder:
    """Finds the words of a list where they start a word, as fast as a regex scan can.

    `pattern` is `(?<![not_before])(?:words)tail`, and `spans(text)` gives the spans of its
    `finditer`. Scanned as is, the look-behind runs at every character of the text. Instead,
    one scan looks for the words after a space (a literal the engine finds in C), another
    after any other character that may precede a word, and `match` tries the start of the
    text. Where two of the matches overlap (possible only when a multi-word entry runs into
    another entry), the plain scan decides, so the spans are always those of `finditer`.
    """

    def __init__(self, words: str, not_before: str, tail: str = "") -> None:
        """`words`: a regex alternation; `not_before`: the inside of a character class."""
        self.pattern = re.compile(rf"(?<![{not_before}])(?:{words}){tail}")
        self._after_space = re.compile(rf" (?:{words}){tail}")
        # Any other character that may precede a word, as a class of plain ranges (a class
        # with \w needs a Unicode lookup for every character of the text); non-ASCII
        # characters are let in and checked by the look-behind that follows.
        before = re.compile(rf"[^{not_before} ]")
        ascii_other = "".join(re.escape(c) for c in map(chr, range(128)) if before.match(c))
        self._after_other = re.compile(
            rf"[{ascii_other}\x80-\U0010ffff](?<![{not_before}])(?:{words}){tail}"
        )

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of `pattern.finditer(text)`."""
        found = [(m.start() + 1, m.end()) for m in self._after_space.finditer(text)]
        found += [(m.start() + 1, m.end()) for m in self._after_other.finditer(text)]
        first = self.pattern.match(text)
        if first:
            found.append(first.span())
        found.sort()
        end = 0
        for start, stop in found:
            if start < end:
                return [m.span() for m in self.pattern.finditer(text)]
            end = stop
        return found
