"""Text normalisation and body clean-up shared by every extractor (spec section 1).

Offsets of statements and figures refer to the text *after* `normalize_text`,
so every consumer must run the same function first.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

# Cyrillic letters that look exactly like Latin ones. Only folded when they sit
# inside an otherwise Latin word (the seed has "іnforms" with a Cyrillic і), so
# genuine Cyrillic text is left alone.
_CYRILLIC_LOOKALIKES = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
        "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l",
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O",
        "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J",
        "Ѕ": "S",
    }
)  # fmt: skip
_CYRILLIC = "\u0400-\u04ff\u0500-\u052f"
_WORD_WITH_CYRILLIC = re.compile(rf"[A-Za-z{_CYRILLIC}]*[{_CYRILLIC}][A-Za-z{_CYRILLIC}]*")
_LATIN = re.compile(r"[A-Za-z]")

# Spaces that look like a space: NBSP, narrow NBSP, figure space, thin spaces...
_SPACE_LIKE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Zero-width characters and the BOM carry nothing a reader sees.
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _fold_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if not _LATIN.search(word):
        return word  # a real Cyrillic word
    folded = word.translate(_CYRILLIC_LOOKALIKES)
    # Fold only if every Cyrillic letter had a Latin twin; otherwise it is mixed text.
    if re.search(f"[{_CYRILLIC}]", folded):
        return word
    return folded


def normalize_text(text: str) -> str:
    """NFC, Cyrillic look-alikes in Latin words folded, odd spaces folded."""
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _SPACE_LIKE.sub(" ", text)
    return _WORD_WITH_CYRILLIC.sub(_fold_word, text)


# Teaser and boilerplate paragraphs that trafilatura keeps: they link to other
# articles or to the newsletter, they are not the article's own words.
_TEASER = re.compile(
    r"""^\s*(?:
        (?:read|see)\s+(?:more|also)\b
      | also\s+read\b
      | related(?:\s+(?:news|articles?|stories|story|content))?\s*:
      | more\s+on\s+(?:this|the)\s+(?:topic|subject)\b
      | subscribe\s+to\s+(?:our|the)\b
      | sign\s+up\s+(?:for|to)\s+(?:our|the)\b
      | follow\s+(?:us|our)\s+on\b
      | share\s+(?:this|on)\b
      | (?:photo|image|video)\s*(?:credit)?\s*:
    )""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class _Boilerplate:
    """Furniture patterns from lexicons/boilerplate.toml, compiled once (see that file)."""

    prefix: re.Pattern[str] | None
    line: re.Pattern[str] | None
    short: re.Pattern[str] | None
    suffix: re.Pattern[str] | None
    short_max_chars: int


def _union(patterns: list[str], template: str) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile(template.format("|".join(f"(?:{p})" for p in patterns)), re.IGNORECASE)


@cache
def _boilerplate() -> _Boilerplate:
    data = tomllib.loads(
        files("extract").joinpath("lexicons/boilerplate.toml").read_text(encoding="utf-8")
    )
    groups = [v for v in data.values() if isinstance(v, dict)]

    def collect(kind: str) -> list[str]:
        return [p for group in groups for p in group.get(kind, [])]

    return _Boilerplate(
        prefix=_union(collect("prefix"), r"^(?:{})"),
        line=_union(collect("line"), r"^(?:{})$"),
        short=_union(collect("short"), r"(?:{})"),
        suffix=_union(collect("suffix"), r"(?:{})"),
        short_max_chars=int(data.get("short_max_chars", 300)),
    )


def is_teaser(paragraph: str) -> bool:
    """True for "Read more: ...", "Also read", "READ ALSO", newsletter and share lines,
    and for the furniture listed in lexicons/boilerplate.toml (labels, credits, captions)."""
    if _TEASER.match(paragraph):
        return True
    text = paragraph.strip()
    furniture = _boilerplate()
    if furniture.prefix and furniture.prefix.match(text):
        return True
    if furniture.line and furniture.line.match(text):
        return True
    return bool(
        furniture.short and len(text) < furniture.short_max_chars and furniture.short.search(text)
    )


def _strip_suffix(paragraph: str) -> str:
    """Drop trailing widgets ("... Click To Tweet") from a paragraph that is kept."""
    suffix = _boilerplate().suffix
    return suffix.sub("", paragraph).strip() if suffix else paragraph


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of a text whose paragraphs are separated by line breaks."""
    paragraphs = (re.sub(r"[ \t]+", " ", p).strip() for p in re.split(r"\n\s*\n|\n", text))
    return [p for p in paragraphs if p]


def clean_body(text: str) -> str:
    """Normalised body: paragraphs separated by one blank line, teasers dropped."""
    paragraphs = (_strip_suffix(p) for p in split_paragraphs(normalize_text(text)))
    return "\n\n".join(p for p in paragraphs if p and not is_teaser(p))


_WORD = re.compile(r"\w+")
# A body must have this share of a language's function words to be called that language.
_MIN_STOPWORD_SHARE = 0.12


@cache
def _stopwords() -> dict[str, frozenset[str]]:
    data = tomllib.loads(
        files("extract").joinpath("lexicons/stopwords.toml").read_text(encoding="utf-8")
    )
    return {lang: frozenset(words) for lang, words in data.items()}


def stopword_language(text: str) -> str | None:
    """ISO 639-1 code of the listed language whose function words dominate `text`.

    None when no language reaches `_MIN_STOPWORD_SHARE` of the words or two languages are
    too close to tell apart (a cheap check, not a language identifier).
    """
    words = Counter(w.lower() for w in _WORD.findall(text[:20000]))
    total = words.total()
    if total < 30:
        return None
    # each distinct word is looked up once per language, not each occurrence
    scores = sorted(
        (
            (sum(n for w, n in words.items() if w in stop) / total, lang)
            for lang, stop in _stopwords().items()
        ),
        reverse=True,
    )
    (best, lang), (second, _) = scores[0], scores[1]
    if best < _MIN_STOPWORD_SHARE or best < 1.5 * second:
        return None
    return lang


def has_stopword_list(language: str) -> bool:
    return language in _stopwords()


def body_sha256(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


# Two bodies are one story, revised, when paragraphs they share hold at least this share
# of the shorter one: a correction or an added paragraph keeps most of the text, while
# two different articles share at most a furniture line that cleaning left in.
SAME_STORY_SHARE = 0.5


def same_story(body: str, other: str) -> bool:
    """True when two cleaned bodies are the same article, identical or revised."""
    if body == other:
        return True
    mine, theirs = body.split("\n\n"), set(other.split("\n\n"))
    shared = sum(len(p) for p in mine if p in theirs)
    shorter = min(len(body), len(other))
    return shorter > 0 and shared >= SAME_STORY_SHARE * shorter


_SEED_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+")


def seed_body(text: str) -> tuple[str, str | None]:
    """Body and date of a seed text file (a "date YYYY-MM-DD" header, then the article)."""
    match = _SEED_HEADER.match(text)
    date = match.group(1) if match else None
    return clean_body(text[match.end() :] if match else text), date
