"""Outlets an article says it relies on ("as Censor.NET informs citing Ukrinform").

Precision over recall: a name counts only after a citing cue ("citing X", "according to
X", "reported by X", "X reported", "told X") and only when it is in the outlet lexicon
(extract/lexicons/news_agencies.txt) or, after the strongest cues, when it has the shape
of an outlet name ("... News Agency", "Kyiv Times", "Example.net").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib.resources import files

# Words that end an outlet's name: "Kyiv Times", "Reuters News Agency", "Channel 5 TV".
_OUTLET_HEAD = (
    r"(?:News|Agency|Times|Post|Journal|Gazette|Herald|Tribune|Telegraph|Press|Daily|"
    r"Radio|TV|Television|Broadcasting|Channel|Media|Review|Observer|Chronicle)"
)
_NAME_WORD = r"[A-Z][\w'’.&-]*"
# Capitalised words ending in an outlet word, or a domain-like name ("Censor.NET").
_OUTLET_SHAPE = (
    rf"(?:{_NAME_WORD}\s+){{0,3}}{_OUTLET_HEAD}\b"
    r"|[A-Z][\w-]*\.(?:com|net|org|info|ua|ru|pl|de|uk)\b"
)
_ARTICLE = r"(?:[Tt]he\s+)?"
# Cues after which an outlet-shaped name is enough.
_STRONG_BEFORE = r"(?i:\b(?:citing|quoting|with\s+reference\s+to|(?:as\s+)?reported\s+by)\s+)"
# Cues after which the name must be in the lexicon ("according to him" is not an outlet).
_WEAK_BEFORE = (
    r"(?i:\b(?:according\s+to|told|said\s+to|in\s+an\s+interview\s+with|"
    r"(?:informed|reported|writes|wrote|reports)\s+by|via)\s+)"
)
_AFTER = r"(?:\s+(?:news\s+agency|agency))?\s+(?:reported|reports|informs|informed|writes|wrote)\b"


@cache
def _lexicon() -> dict[str, str]:
    """Alias -> name to report, from the outlet lexicon."""
    aliases: dict[str, str] = {}
    text = files("extract").joinpath("lexicons/news_agencies.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        names = [n.strip() for n in line.split("|") if n.strip()]
        for alias in names:
            aliases[alias] = names[0]
    return aliases


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    names = "|".join(re.escape(a) for a in sorted(_lexicon(), key=len, reverse=True))
    known = rf"(?P<known>(?<![\w.-])(?:{names})(?![\w-]|\.\w))"
    shaped = rf"(?P<shaped>{_OUTLET_SHAPE})"
    before = re.compile(
        rf"(?:{_STRONG_BEFORE}{_ARTICLE}(?:{known}|{shaped}))"
        rf"|(?:{_WEAK_BEFORE}{_ARTICLE}{known.replace('known', 'known2')})"
    )
    after = re.compile(rf"{known}{_AFTER}")
    return before, after


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def cited_sources(body: str, exclude: Iterable[str | None] = ()) -> tuple[str, ...]:
    """Outlets cited in `body`, in order of first mention, without the publishing site.

    `exclude` holds the site's own names (site name, host label): "as Censor.NET informs
    citing Ukrinform" on censor.net gives only Ukrinform.
    """
    own = {_squash(name) for name in exclude if name and _squash(name)}
    before, after = _patterns()
    found: list[tuple[int, str]] = []
    for pattern in (before, after):
        for match in pattern.finditer(body):
            group = next((g for g, v in match.groupdict().items() if v), None)
            if group is None:
                continue
            name = match.group(group)
            found.append((match.start(group), _lexicon().get(name, name).strip()))
    result: list[str] = []
    for _, name in sorted(found):
        key = _squash(name)
        if key in own or any(key and (key in o or o in key) for o in own if len(o) >= 4):
            continue
        if name not in result:
            result.append(name)
    return tuple(result)
