"""What kind of speaker a stored speaker string names, and the forms it is compared in.

The extractor writes a speaker as a string ("Mariana Holtvyn", "General Staff", "a source",
"survey by the Grain Union"). Linking speakers across articles (crawler/speaker_links.py)
needs to know from the string alone whether it names a person, an organisation, a document
or a group, or only describes someone ("the spokesperson"): the phrase kind the extractor
saw is not stored, and databases written before the linker existed must be linked without
a recrawl. The knowledge is the extractor's own lexicons (speaker_orgs, speech_sources,
speaker_roles, speaker_honorifics) and its first-name table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from extract.speakers import first_name_gender, lexicon

SpeakerKind = Literal["person", "organisation", "document", "group", "description"]

# Kinds whose name means the same one across articles. Groups ("officials", "Klymarenko and
# Marquand") and descriptions ("a source", "the spokesperson") are someone else each time.
LINKABLE: frozenset[str] = frozenset({"person", "organisation", "document"})

_OPENERS = frozenset(
    "a an one some two three four several many most few another other his her their its our "
    "my your this that these those all both each every".split()
)
# Words after which the head noun of "report from X" / "study by X" has been read.
_HEAD_ENDS = frozenset("of by from for in on at to with who which that about over".split())
_PARTICLES = frozenset("de da van von der bin al di del la le ibn abu".split())
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Short titles before a surname ("Mr Solvay", "Dr. Roe"); longer ones are role nouns.
_SHORT_TITLES = frozenset("mr mrs ms miss dr prof sen rep gen col capt lt sgt gov".split())
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"'})
_SPACE = re.compile(r"\s+")


@cache
def _source_nouns() -> dict[str, str]:
    nouns = {}
    for line in lexicon("speech_sources"):
        noun, _, kind = (part.strip() for part in line.partition("|"))
        nouns[noun.lower()] = kind or "group"
    return nouns


@cache
def _words(name: str) -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon(name))


def _titles() -> frozenset[str]:
    return _words("speaker_roles") | _SHORT_TITLES


# Bounded caches: a database has many speakers, but each string is read again and again.
@lru_cache(maxsize=1 << 16)
def normalise(name: str) -> str:
    """The form names are compared in: one kind of quote, single spaces, no leading "the",
    no trailing dot, case folded ("the General Staff" = "General Staff")."""
    text = _SPACE.sub(" ", name.translate(_QUOTES)).strip().strip('"').strip()
    if text[:4].lower() == "the ":
        text = text[4:]
    return text.rstrip(".,;:").casefold()


def _bare(word: str) -> str:
    return word.lower().strip(".,'\"").removesuffix("'s").removesuffix("’s")


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or (word[:1].isdigit() and len(word) > 1)


def _head(words: list[str]) -> str:
    """The head noun: the last word before "of", "by", "from", ... ("report from X")."""
    cut = next((i for i, w in enumerate(words) if i and _bare(w) in _HEAD_ENDS), len(words))
    return _bare(words[cut - 1])


@dataclass(frozen=True, slots=True)
class NameForm:
    """A speaker string read as a name: its kind, and for a person the surname it ends in.

    `surname_only` is set for a person named by title and surname ("Mr Holtvyn",
    "President Solvay"): such a form may stand for any person of that surname. A `lone`
    word ("Holtvyn", "Maya", "Reuters") is a surname when some full name ends in it, which
    only the linker knows; else a first name alone (`first_name`) or an organisation.
    """

    kind: SpeakerKind
    surname: str | None = None
    surname_only: bool = False
    proper: bool = True  # a document or organisation with a name of its own
    lone: bool = False
    first_name: bool = False
    core: str = ""  # normalised, without leading titles: "Captain Ihor Pletin" -> ihor pletin


@lru_cache(maxsize=1 << 16)
def read_name(name: str) -> NameForm:
    """Classify a speaker string. Persons are told by their shape (capitalised words, a
    first name, a title), the rest by the head noun and the extractor's lexicons."""
    text = _SPACE.sub(" ", name.translate(_QUOTES)).strip()
    if text[:4].lower() == "the ":
        text = text[4:]
    words = text.split()
    if not words:
        return NameForm("description", proper=False)
    low = [_bare(w) for w in words]
    head = _head(words)
    noun_kind = _source_nouns().get(head)
    has_caps = any(_capitalised(w) for w in words[1:]) or (
        _capitalised(words[0]) and low[0] not in _OPENERS
    )
    if low[0] in _OPENERS or not has_caps:
        return NameForm("group" if noun_kind == "group" else "description", proper=False)
    if noun_kind == "document":
        # "Scott Lassiter filing", "NCRB's report": proper when more than its first word is
        # capitalised; "Studies", "Preliminary investigation" are any study or investigation.
        return NameForm("document", proper=any(_capitalised(w) for w in words[1:]))
    if " and " in f" {text} " or "," in text or "&" in words and len(words) == 3:
        return NameForm("group", proper=False)  # joint speakers: "Varnytska and Tarvid"
    orgs = _words("speaker_orgs")
    if any(w in orgs for w in low) or (len(words) == 1 and words[0].isupper()):
        return NameForm("organisation")
    if noun_kind == "group" or head in _titles() and not _capitalised(words[-1]):
        return NameForm("group" if noun_kind == "group" else "description", proper=False)
    if not all(_capitalised(w) or w.lower() in _PARTICLES for w in words):
        return NameForm("description", proper=False)  # "China's health chiefs"
    last = low[-2] if low[-1] in _SUFFIXES and len(low) > 1 else low[-1]
    if low[0] in _words("speaker_honorifics"):
        # "Prince Andrew": the title and a given name, not a surname any Andrew may share.
        return NameForm("person", core=normalise(text))
    titles = _titles()
    lead = next((i for i, w in enumerate(low) if w not in titles), len(low))
    if lead and lead == len(words) - 1:
        return NameForm("person", surname=last, surname_only=True, core=last)  # "Mr Solvay"
    if len(words) == 1:
        if low[0] in titles:
            return NameForm("description", proper=False)  # "President", a title alone
        first = first_name_gender(words[0]) is not None
        kind: SpeakerKind = "person" if first else "organisation"
        return NameForm(kind, surname=last, lone=True, first_name=first, core=last)
    core = normalise(" ".join(words[lead:])) if lead < len(words) else normalise(text)
    return NameForm("person", surname=last, core=core)
