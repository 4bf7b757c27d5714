"""Does a reported clause follow a speech verb? Small tests on the words after it.

`extract.statements` asks these where a verb has no "that" or colon: "the ministry added
the attack was retaliation" reports a clause, "noted the importance of the dam" names an
object. A clause has its own finite verb (an auxiliary, a past-tense form in -ed, an
irregular past form from lexicons/speech_clause_verbs.txt) before its first comma and
before any relative or subordinate clause.
"""

from __future__ import annotations

import itertools
import re
from functools import cache

from extract.speakers import lexicon

WORD = re.compile(r"[\w'’-]+")
AUXILIARIES = frozenset(
    "is are was were will would had has have could can should must might may did does".split()
)
SUBJECT_PRONOUNS = frozenset(
    {"he", "she", "they", "it", "we", "i", "there", "there's", "it's", "that's", "he's", "she's"}
    | {"there’s", "it’s", "that’s", "he’s", "she’s"}
)
# Prepositions that end in -ing and so do not make a gerund ("added during the storm ...").
ING_PREPOSITIONS = frozenset(
    "during regarding including following concerning according pending".split()
)
# A finite verb after these belongs to a relative or subordinate clause.
_FINITE_STOPS = frozenset(
    "which who that whose so because when if while as before after until".split()
)
# A form in -ed after these qualifies a noun ("the increased risk").
_NOT_BEFORE_VERB = frozenset(
    "the a an this that these those his her its their our my your of in on at by for with "
    "from to into over under about as than".split()
)
# After an audience, these open no clause: "told staff to leave", "told her about it".
_NOT_AFTER_AUDIENCE = frozenset({"to", "about", "of", "for", "with", "from", "in", "on"})
_APPOSITIVE_INSIDE = re.compile(r",\s*(?:[A-Z]|(?:a|an|the)\s)[^,;:()]{0,40},")


def clause_head(text: str) -> str:
    """The words of a reported clause up to its first comma, an appositive skipped: in
    "Kowalski's daughter, Maria Kowalski, joined the trip" the verb comes after the name."""
    return re.split(r"[,;:(]", _APPOSITIVE_INSIDE.sub(" ", text, count=1), maxsplit=1)[0]


def clause_after_audience(rest: str, audience: re.Match[str]) -> int | None:
    """Where the clause after the audience starts in `rest`, or None.

    "told lawmakers it was his duty" has a clause after the audience; "told staff to
    leave", "told her about it" and "telling Acme lawyer X to wait" have none.
    """
    after = rest[audience.end() :]
    words = list(WORD.finditer(after))
    if len(words) < 4 or words[0].group(0).lower() in _NOT_AFTER_AUDIENCE:
        return None
    if audience.group(0).rstrip().endswith("that"):
        return audience.end()
    for word in words[:3]:
        if word.group(0).lower() in SUBJECT_PRONOUNS:
            return audience.end() + word.start()  # "told Acme executives he wants ..."
    head = clause_head(after)
    return audience.end() if has_finite_verb(WORD.findall(head)[:10]) else None


def has_finite_verb(words: list[str]) -> bool:
    """Whether a clause's own verb follows its first word: "the agency held a briefing",
    "the figures were revised" (not "the importance of", nor "the increased risk")."""
    for prev, word in itertools.pairwise(words):
        lower = word.lower()
        if lower in _FINITE_STOPS:
            return False  # a relative or subordinate clause: "the plan that was", "so X could"
        if lower in AUXILIARIES or lower.replace("’", "'").endswith("n't"):
            return True
        if prev.lower() in _NOT_BEFORE_VERB or not word.islower():
            continue
        if lower.endswith("ed") or lower in _clause_verbs():
            return True
    return False


@cache
def _clause_verbs() -> frozenset[str]:
    return frozenset(lexicon("speech_clause_verbs"))
