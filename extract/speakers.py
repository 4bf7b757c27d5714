"""Who speaks: parse a speaker phrase, find names, resolve pronouns and descriptions.

A speaker phrase is the noun phrase next to a speech verb. `phrase_before(text)` reads the
phrase that ends `text` ("..., the head of the service Volodymyr Fityo"), `phrase_after(text)`
the one that starts it ("Fityo on the air of ..."). Both return a `Phrase`: its kind
(`person`, `org`, `pronoun`, `description`), the name or description as written, the role the
phrase gives, and where it starts in `text`. `Resolver` then turns phrases into final speaker
names in article order: the fullest name form, pronouns by salience (the latest sentence
naming a fitting person, its subject first), descriptions to the person they describe, "the
company" to the business the story is about. Knowledge lives in lexicons/speaker_*.txt, plus
two maintained tables: nameparser's titles (role nouns) and, where the optional extra
`names` is installed, gender-guesser's first names (whether a word is a first name, and its
gender where clear).
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from extract.segment import sentence_spans

# "document" and "group" come from extract.source_phrases ("a UN report", "Residents"): they
# speak as written.
PhraseKind = Literal["person", "org", "pronoun", "description", "document", "group"]


@cache
def lexicon(name: str) -> tuple[str, ...]:
    """Non-comment lines of lexicons/<name>.txt, stripped (loaded once per process)."""
    text = resources.files("extract").joinpath(f"lexicons/{name}.txt").read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return tuple(line for line in lines if line)


@cache
def _words(name: str) -> frozenset[str]:
    return frozenset(line.lower() for line in lexicon(name))


@cache
def _pronouns() -> dict[str, str]:
    return dict(line.split() for line in lexicon("speaker_pronouns"))


@cache
def _first_names() -> dict[str, str]:
    return dict(line.split() for line in lexicon("speaker_first_names"))


@cache
def _gender_detector():  # gender_guesser ships no type hints
    """gender-guesser's table of about 40,000 first names (loaded once, on first need), or
    None where it is not installed: it is GPLv3, so newsdesk (MIT) takes it only as the
    optional extra `names`; without it lexicons/speaker_first_names.txt alone decides."""
    try:
        from gender_guesser.detector import Detector
    except ImportError:
        return None
    return Detector(case_sensitive=False)


_GUESSED = {"male": "he", "female": "she"}  # "mostly_*" and "andy" fit both


@lru_cache(maxsize=8192)
def first_name_gender(word: str) -> str | None:
    """ "he", "she" or "" for a known first name (lexicon first, then gender-guesser), else None.

    "" is a first name used for both ("Kim"): it makes a name personal but fits any pronoun.
    """
    word = word.lower()
    if "-" in word and not word.startswith("-"):
        word = word.split("-", 1)[0]  # "David-Alexandre", "Anne-Marie"
    listed = _first_names().get(word)
    if listed:
        return listed
    if len(word) < 3 or not word.isalpha():
        return None  # the table's two-letter entries ("Go", "Le") are mostly other words
    detector = _gender_detector()
    if detector is None or detector.get_gender(word) == "unknown":
        return None
    # Known somewhere in the world makes it a first name; a gender only where the name is
    # clearly one in the United States (English-language news): worldwide, "Ilhan" is a
    # man's name and "Dali" a woman's, and the people in the news may be the other.
    return _GUESSED.get(detector.get_gender(word, "usa"), "")


def _fits(pronoun: str, name: str, guess: bool = True) -> bool:
    """Whether a he/she pronoun can stand for a name (unknown first names fit both).

    With `guess` False only lexicons/speaker_first_names.txt counts, not gender-guesser.
    """
    first = name.split()[0] if " " in name else ""
    gender = first_name_gender(first) if guess else _first_names().get(first.lower())
    return (
        not gender
        or pronoun not in ("he", "him", "she", "her")
        or (gender == ("he" if pronoun in ("he", "him") else "she"))
    )


@cache
def _agencies() -> frozenset[str]:
    names = set()
    for line in lexicon("news_agencies"):
        names.update(part.strip() for part in line.split("|"))
    return frozenset(names)


_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ž\u0400-\u04ff0-9][\w'’.\-]*|[,;:()\"“”«»]")
_PARTICLES = frozenset(
    {"de", "da", "van", "von", "der", "den", "bin", "al", "el", "di", "du", "del"}
)
_CONNECT = frozenset({"of", "for", "at", "the", "and", "in", "on", "to", "from"})
_ARTICLES = frozenset({"the", "a", "an"})
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_DETERMINERS = _ARTICLES | frozenset({"its", "his", "her", "their", "our", "one", "another"})
_SUBORDINATORS = frozenset({"and", "but", "so", "while", "as", "because", "when", "where", "if"})
# Verbs that end a description: "diplomats from EU states will meet".
_AUXILIARY_VERBS = frozenset(
    "will would can could should may might must is are was were has have had did does do"
    " says said say".split()
)
# What may join the rest of a description to its head: "a source inside the camp", "an
# official close to the talks", "a diplomat familiar with the plan".
_DESCRIPTION_LINKS = _CONNECT | frozenset(
    {"inside", "within", "close", "familiar", "near", "with", "among", "outside", "across"}
)
# A name right after one of these is a place or an object, not the subject ("in Sweden").
_PLACE_PREPOSITIONS = frozenset(
    {"in", "at", "from", "to", "near", "across", "into", "over", "within", "by", "with",
     "against", "after", "before", "on", "about", "under", "toward", "towards", "around"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Phrase:
    """A parsed speaker phrase. `start` is its offset in the text it was read from."""

    kind: PhraseKind
    text: str
    role: str | None
    start: int


def is_not_name(word: str) -> bool:
    """A capitalised word that starts a sentence but names nobody ("Last", "However")."""
    return word.lower() in _words("speaker_not_names")


def _word(token: str) -> str:
    return token.lower().rstrip(".").replace("’", "'")


def _is_cap(token: str) -> bool:
    return token[0].isupper()


def _is_initial(token: str) -> bool:
    return len(token) == 2 and token[0].isupper() and token[1] == "."


@cache
def _nameparser_titles() -> frozenset[str]:
    """nameparser's titles (about 800: "ambassador", "economist", "rabbi") as role nouns,
    without the words that only qualify a title or that our lexicons know as organisations,
    places or sentence openers."""
    from nameparser.config import CONSTANTS

    return (
        frozenset(CONSTANTS.titles)
        - _words("speaker_not_roles")
        - _words("speaker_orgs")
        - _words("speaker_place_words")
        - _words("speaker_not_names")
    )


# Keyed by token: bounded, since a long crawl meets an unbounded vocabulary.
@lru_cache(maxsize=8192)
def _is_role(token: str) -> bool:
    word = _word(token)
    if (
        word in _words("speaker_roles")
        or word in _nameparser_titles()
        or word.split("-")[-1] in _words("speaker_roles")
        or _is_anaphor(word)
    ):
        return True
    # Plurals of role nouns: "executives", "bosses" ("executive", "boss").
    singular = word[:-2] if word.endswith(("sses", "shes", "ches")) else word[:-1]
    return (
        word.endswith("s")
        and len(word) > 4
        and word.islower() == token.islower()
        and (singular in _words("speaker_roles") or singular in _nameparser_titles())
    )


def _is_anaphor(word: str) -> bool:
    """ "man", "56-year-old": a description that can only point back to a named person."""
    word = word.lower()
    return word in _words("speaker_anaphors") or word.endswith("year-old")


@lru_cache(maxsize=8192)
def _is_org_word(token: str) -> bool:
    return _word(token) in _words("speaker_orgs")


def _is_possessive(token: str) -> bool:
    return token.endswith(("'s", "’s", "s'", "s’"))


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN.finditer(text))


def _clean_role(text: str) -> str | None:
    """A role as the article gives it, without its article, a relative clause ("who led
    the study") or a dangling preposition ("deputy director of")."""
    words = text.strip(" ,").split()
    while words and words[0].lower() in _ARTICLES:
        words = words[1:]
    for k, w in enumerate(words):
        if k and w.lower() in ("who", "which", "whose", "whom"):
            words = words[:k]
            break
    while words and words[-1].lower() in _CONNECT:
        words = words[:-1]
    return " ".join(words) or None


def _strip_article(text: str) -> str:
    words = text.split()
    if len(words) > 1 and words[0].lower() in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def _classify(text: str, toks: list[re.Match[str]]) -> Phrase | None:
    """Classify the tokens of one comma-free phrase (all of `toks` belong to it)."""
    if not toks:
        return None
    words = [t.group(0).rstrip(".") if not _is_initial(t.group(0)) else t.group(0) for t in toks]
    start = toks[0].start()
    if len(words) == 1 and words[0].lower() in _pronouns():
        return Phrase("pronoun", words[0].lower(), None, start)
    # The trailing run of capitalised words (with name particles and joint "and").
    i = len(words)
    while i > 0:
        w = words[i - 1]
        if _is_cap(w) or (
            i < len(words)
            and i > 1
            and (w.lower() in _PARTICLES or w == "and")
            and _is_cap(words[i - 2])
        ):
            i -= 1
            continue
        break
    run = words[i:]
    if run:
        split = _name_start(words, i)
        name = words[split:]
        before = words[:split]
        proper = _proper_phrase(words, i)
        office_cut = split >= i + 1 and words[i - 1].lower() in _CONNECT if i else False
        after_the = (i > 0 and words[i - 1].lower() == "the" and len(run) == 1) or (
            len(run) == 2 and run[0] == "The"
        )
        if after_the and _is_role(run[-1]):
            return _description(text, toks, words)  # "the King said", "the Minister added"
        org = (
            not name
            or any(_is_org_word(w) for w in name)
            or " ".join(name) in _agencies()
            or (i > 0 and words[i - 1].lower() == "the" and split == i)
            or run[0].lower() == "the"
            # "Office for the Western District of New York": the run ends an org's name.
            or (
                not office_cut
                and proper[0] < i
                and any(_is_org_word(w) for w in words[proper[0] : i])
            )
        )
        if org:
            head = words[: proper[0]]
            if head and any(_is_role(w) for w in head) and head[-1].lower() in _CONNECT:
                return _description(text, toks, words)
            org_words = words[proper[0] :]
            while org_words and (
                org_words[0].lower() in _ARTICLES
                or (len(org_words) > 1 and is_not_name(org_words[0]))
            ):
                org_words = org_words[1:]  # "Friday Russia's Defense Ministry": no "Friday"
            if "of" in org_words[1:4]:
                # "Dag Vik of Fjord Research Inc.": a person and their organisation.
                of = org_words.index("of")
                person = org_words[:of]
                if (
                    len(person) >= 2
                    and first_name_gender(person[0]) is not None
                    and not any(_is_org_word(w) or _is_role(w) for w in person)
                ):
                    first = len(words) - len(org_words)
                    affiliation = text[toks[first + of].start() : toks[-1].end()]
                    return Phrase(
                        "person", " ".join(person), _clean_role(affiliation), toks[first].start()
                    )
            if not org_words:
                return None
            first = proper[0]
            if first > 0 and words[first - 1].lower() in _ARTICLES:
                first -= 1  # "the Air Force" starts at "the"
            return Phrase("org", " ".join(org_words), None, toks[first].start())
        if len(name) > 4 or (len(name) == 1 and is_not_name(name[0])):
            return None
        place = i > 0 and words[i - 1].lower() in _PLACE_PREPOSITIONS
        if i > 1 and words[i - 1].lower() in ("both", "either"):
            place = words[i - 2].lower() in _PLACE_PREPOSITIONS  # "in both Ohio and Utah"
        if (
            split == i
            and i >= 2
            and words[i - 1].lower() in ("of", "for")
            and _is_role(words[i - 2])
            and first_name_gender(words[i]) is None
        ):
            # "president of Chapter Verse": the organisation of a role, not a person.
            return _description(text, toks, words)
        if split == i and place:
            # "my colleague from Norrland": a place after a preposition names nobody.
            return _description(text, toks, words)
        role = _role_suffix(before)
        return Phrase(
            "person",
            " ".join(name),
            role,
            toks[split - len(role.split()) if role else split].start(),
        )
    return _description(text, toks, words)


def _name_start(words: list[str], run_start: int) -> int:
    """Index where the personal name starts inside the capitalised run at `run_start`."""
    run = words[run_start:]
    after_of = run_start > 0 and words[run_start - 1].lower() in {"of", "for", "to"}
    if run_start > 1 and words[run_start - 1].lower() == "the":
        after_of = words[run_start - 2].lower() in {"of", "for", "to"}
    if after_of and len(run) >= 3:
        # "Secretary of State Antony Blinken", "... of Ukraine Volodymyr Fityo": the name is
        # the last two words (three with a middle initial); the rest names the office.
        keep = 3 if len(run) >= 4 and _is_initial(run[-2]) else 2
        return len(words) - keep
    split = run_start
    not_names = _words("speaker_not_names")
    for k, w in enumerate(run[:-1]):
        if w == "and":
            continue  # joint speakers: "Vindman and Williams"
        if _is_role(w) or _is_possessive(w) or w.lower() in not_names:
            split = run_start + k + 1
    return split


def _proper_phrase(words: list[str], run_start: int) -> tuple[int, int]:
    """Extend a capitalised run backwards over "of (the) X" links: "Ministry of Defence"."""
    i = run_start
    while i >= 2:
        j = i - 1
        if words[j].lower() == "the":
            j -= 1
        if j < 1 or words[j].lower() not in {"of", "for"} or not _is_cap(words[j - 1]):
            break
        k = j - 1
        while k > 0 and _is_cap(words[k - 1]):
            k -= 1
        i = k
    return i, len(words)


def _is_modifier(word: str) -> bool:
    """A word that can qualify a title: "Russian", "Ukraine's", "foreign", "regional"."""
    lower = word.lower()
    # Pronouns and sentence adverbs ("I then heard President X") end the title.
    return lower not in _SUBORDINATORS and (lower in _ARTICLES or not is_not_name(word))


# Words that end a clause before a title: "The first witness was Hawks head X" gives the
# role "Hawks head", "a trial against former president X" gives "former president".
_ROLE_BREAKERS = (_PLACE_PREPOSITIONS - {"at", "in", "on"}) | frozenset(
    "was were is are be been being has have had by who which that than like said says told"
    " said: also then when after week month year day today yesterday heard saw".split()
)


def _role_suffix(words: list[str]) -> str | None:
    """The role at the end of the words before a name: from its first role noun on.

    Only the words after the last clause word count, so a role never reaches back into
    the rest of the sentence ("... was Hawks head"); "major" is a rank only capitalised.
    """
    for k in range(len(words) - 1, -1, -1):
        if k > 0 and _is_role(words[k - 1]) and words[k].lower() in _CONNECT:
            continue  # "ambassador to Britain", "adviser to the president"
        word = words[k]
        if (
            word.lower() in _ROLE_BREAKERS
            or word.endswith(("?", "!"))
            or word in ("—", "–", "-")
            or (word.islower() and word.endswith("ed") and not _is_role(word))
        ):
            # "threatened to kill Rep. X": the verb after "to" goes too.
            words = words[k + 2 :] if word.lower() == "to" else words[k + 1 :]
            break
    for k, w in enumerate(words):
        if _is_role(w) and w != "major":
            # Keep up to three modifiers before the role noun ("Ukraine's Defense Minister").
            start = k
            while start > 0 and k - start < 3 and _is_modifier(words[start - 1]):
                if words[start - 1].lower() in _ARTICLES:
                    start -= 1
                    break
                start -= 1
            return _clean_role(" ".join(words[start:]))
    return None


def _description(text: str, toks: list[re.Match[str]], words: list[str]) -> Phrase | None:
    """A description headed by a role or organisation noun: "a spokesman of the Ground Forces"."""
    roles = [k for k, w in enumerate(words) if _is_role(w)]
    orgs = [k for k, w in enumerate(words) if _is_org_word(w)]
    if not roles and not orgs:
        return None
    # The head is the first role noun (or, without one, organisation noun) that everything
    # after it hangs off through a preposition; "state emergency service" is headed by
    # "service", as "state" is followed by a plain word.
    for head in (roles or []) + [k for k in orgs if not roles or k > roles[0]]:
        # Compounds: "police spokesman", "prosecutor's office" end at their last noun.
        while head + 1 < len(words) and (
            _is_role(words[head + 1]) or _is_org_word(words[head + 1])
        ):
            head += 1
        if head + 1 == len(words) or words[head + 1].lower() in _DESCRIPTION_LINKS:
            break
    else:
        return None
    # "the ambassador to Britain accused the UK of ... and": the verb ends the description.
    for k in range(head + 2, len(words)):
        w = words[k]
        if (
            w.islower()
            and (w.endswith("ed") or w in _AUXILIARY_VERBS)
            and not (_is_role(w) or _is_org_word(w))
        ):
            words, toks = words[:k], toks[:k]
            break
    start = head
    while start > 0 and head - start < 3:
        prev = words[start - 1]
        if prev.lower() in _DETERMINERS:
            start -= 1
            break
        if _is_possessive(prev):
            # "Norland's public defender's office": a possessive may have its own owner.
            start -= 1
            if (
                start == 0
                or not (_is_possessive(words[start - 1]) or _is_modifier(words[start - 1]))
                or words[start - 1].lower() in _CONNECT
            ):
                break
            continue
        if prev.lower() in _SUBORDINATORS or prev.lower() in _CONNECT:
            break
        if prev.islower() and prev.endswith("ed") and not (_is_role(prev) or _is_org_word(prev)):
            break  # "prompted some Twitter users": a verb ends the description
        start -= 1
    if _is_possessive(words[start]) and _is_cap(words[start]):
        # "Chartered Accountants of Norland's chief economist": the owner's whole name.
        while start > 0 and (
            _is_cap(words[start - 1])
            or (
                start > 1
                and words[start - 1].lower() in ("of", "for", "and", "the")
                and _is_cap(words[start - 2])
            )
        ):
            start -= 1
    if start > 0 and words[start - 1].lower() in _ARTICLES:
        start -= 1
    phrase = " ".join(words[start:])
    kind: PhraseKind = "description" if _is_role(words[head]) else "org"
    return Phrase(kind, _strip_article(phrase), None, toks[start].start())


# "Russia's Defense Ministry on Sunday confirmed": a time phrase between speaker and verb.
_TRAILING_TIME = re.compile(
    r"(?:\s+(?:on|last|this|late|early|earlier)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|week|month|year|night|morning|evening|afternoon|weekend)"
    r"(?:\s+(?:morning|night|evening|afternoon))?|\s+(?:yesterday|today|tonight)|"
    r"\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))+\s*$"
)
# The words _TRAILING_TIME can end with: unless the text's last word is one of them, the
# pattern cannot match, and `sub` would try it at every space of the text for nothing.
_TRAILING_TIME_LAST = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday week month year night morning"
    " evening afternoon weekend yesterday today tonight".split()
)
# Tokens (see _TOKEN) that end the phrase before a verb: punctuation that closes a clause.
_STOP_TOKENS = frozenset(',;:()"“”«»')


def _without_adverbs(toks: list[re.Match[str]]) -> list[re.Match[str]]:
    """`toks` without the speech adverbs that end it ("X said earlier": "earlier")."""
    while toks and _word(toks[-1].group(0)) in _words("speech_adverbs"):
        toks.pop()
    return toks


def phrase_before(text: str) -> Phrase | None:
    """The speaker phrase that ends `text` (the words right before a speech verb)."""
    last = text.rsplit(None, 1)[-1:]
    if last and last[0] in _TRAILING_TIME_LAST:
        text = _TRAILING_TIME.sub("", text)
    if "(" in text:
        # "the Civil Aviation Authority of Nepal (CAAN)": blank the acronym, keep the offsets.
        text = _ACRONYM.sub(lambda m: " " * len(m.group(0)), text)
    # The phrase lies after the last stop character (each is a token of its own): tokenise
    # only that tail, unless the rules below need what comes before it (a comma or a
    # relative pronoun at the end).
    tail_start = max(map(text.rfind, _STOP_TOKENS)) + 1
    toks = _without_adverbs(list(_TOKEN.finditer(text, tail_start)))
    if tail_start and (not toks or toks[-1].group(0).lower() in ("who", "which")):
        toks = _without_adverbs(_tokens(text))
    if not toks or _is_possessive(toks[-1].group(0)):
        return None  # "Editor's note:": a possessive modifies a noun, it never speaks
    if toks[-1].group(0).lower() in ("of", "the", "a", "an", "for"):
        return None  # "heads of state": a word after "of" is a noun, not a speech verb
    if (
        len(toks) >= 3
        and toks[-1].group(0).lower() in ("who", "which")
        and toks[-2].group(0) == ","
    ):
        # "said Tester, who also says ...": the relative pronoun stands for the name.
        head = text[: toks[-2].start()]
        inverted = _INVERTED_TAIL.search(head)
        if inverted:
            found = phrase_after(head[inverted.end() :])
            if found:
                return Phrase(
                    found[0].kind, found[0].text, found[0].role, found[0].start + inverted.end()
                )
        return phrase_before(head)
    if toks[-1].group(0) == ",":
        return _appositive(text, toks)
    cut = len(toks)
    while cut > 0 and toks[cut - 1].group(0) not in _STOP_TOKENS:
        cut -= 1
    seg = toks[cut:]
    # "But Smith", "and the ministry": a leading conjunction is not part of the phrase.
    while seg and _word(seg[0].group(0)) in _SUBORDINATORS:
        seg = seg[1:]
    infinitive = False
    while seg and seg[-1].group(0).lower() in ("to", "and"):
        infinitive = infinitive or seg[-1].group(0).lower() == "to"
        seg = seg[:-1]  # "prompted some users to argue": the infinitive's subject
    if len(seg) > 22:
        seg = seg[-22:]
    phrase = _classify(text, seg)
    if (
        infinitive
        and phrase is not None
        and seg
        and phrase.text.split()[-1] != seg[-1].group(0).rstrip(".")
    ):
        return None  # "diplomats will meet within days to discuss": not the subject of it
    if phrase is None or phrase.kind == "pronoun":
        if seg and _word(seg[-1].group(0)) in _pronouns() and len(seg) > 1:
            # "Holmes said he": only a pronoun right at a clause start is the subject.
            return None
        return phrase
    # The phrase must reach back to the clause start, except after a clause that reports
    # ("Holmes said he heard Trump" ends with the name of the inner speaker).
    lead = seg[: _index_of(seg, phrase.start)]
    if lead and not all(_is_cap(t.group(0)) for t in lead) and phrase.kind != "person":
        return None
    if lead and _word(lead[-1].group(0)) in _PLACE_PREPOSITIONS:
        return None
    return phrase


def _index_of(toks: list[re.Match[str]], start: int) -> int:
    for k, t in enumerate(toks):
        if t.start() >= start:
            return k
    return len(toks)


def _appositive(text: str, toks: list[re.Match[str]]) -> Phrase | None:
    """A name with appositives before the verb.

    "John Smith, the mayor of X, said", "Yevhen Zosin, 74, a resident, said",
    "Jeremy Hunt, who replaced X as chancellor, said", "The mayor of X, John Smith, said".
    """
    commas = [k for k, t in enumerate(toks) if t.group(0) in ',;:()"“”«»']
    if len(commas) < 2:
        return None
    bounds = [-1, *commas]
    segments = [toks[a + 1 : b] for a, b in zip(bounds, bounds[1:], strict=False)]
    # segments[-1] ends right before the verb; walk back over at most three appositives.
    for n in range(2, min(len(segments), 5) + 1):
        head = segments[-n]
        appositives = segments[-n + 1 :]
        while head and _word(head[0].group(0)) in _SUBORDINATORS:
            head = head[1:]
        if not head or not all(_is_appositive(a) for a in appositives):
            continue
        if appositives[0] and appositives[0][0].group(0) == "and":
            continue  # "..., in Munich, Germany, and co-author of X,": an earlier head
        if segments[-n - 1 :] and n < len(segments) and _ends_in_place(segments[-n - 1]):
            continue  # "in Munich, Germany": the country belongs to the place before it
        if _word(head[0].group(0)) in _PLACE_PREPOSITIONS:
            continue  # "from Tynemouth" is itself an appositive of an earlier name
        first = _classify(text, head)
        if first is None:
            continue
        if first.kind == "person":
            role = first.role
            for appos in appositives:
                if role is None and appos and any(_is_role(t.group(0)) for t in appos[:8]):
                    if appos[0].group(0).lower() not in ("who", "which", "that"):
                        role = _clean_role(text[appos[0].start() : appos[-1].end()])
            return Phrase("person", first.text, role, first.start)
        if first.kind == "description" and len(appositives) == 1:
            second = _classify(text, appositives[0])
            if second and second.kind == "person":
                role = _clean_role(text[first.start : head[-1].end()])
                return Phrase("person", second.text, role, first.start)
        # "a fellow at X in Munich, Germany, and ...", "president of Acme, a design
        # agency,": the head is itself an appositive of a name further back.
        continue
    return None


def _ends_in_place(toks: list[re.Match[str]]) -> bool:
    """A segment that ends with a place phrase: "... at the institute in Munich"."""
    words = [t.group(0) for t in toks]
    k = len(words)
    while k > 0 and _is_cap(words[k - 1]):
        k -= 1
    return 0 < k < len(words) and words[k - 1].lower() in _PLACE_ONLY


def _is_appositive(toks: list[re.Match[str]]) -> bool:
    """An age, a description, a relative clause or a name set off by commas."""
    if not toks:
        return False
    first = toks[0].group(0)
    if len(toks) <= 2 and all(t.group(0).islower() for t in toks):
        return True  # "meanwhile", "however", "in turn"
    return (
        first.isdigit()
        or first.lower() in _DETERMINERS
        or first.lower() in _PLACE_PREPOSITIONS
        or first.lower() in ("who", "which")
        or _is_possessive(first)
        or _is_cap(first)
        or any(_is_role(t.group(0)) for t in toks[:8])
    )


def _describes(seg: list[re.Match[str]]) -> bool:
    """Whether the phrase so far is a role with a complement ("the head of the Tamarynsk")."""
    words = [t.group(0) for t in seg]
    return any(
        _is_role(w) and k + 1 < len(words) and words[k + 1].lower() in ("of", "for")
        for k, w in enumerate(words)
    )


_AFTER_TOKENS = 23  # a speaker phrase after the verb is never longer


def phrase_after(text: str) -> tuple[Phrase, int] | None:
    """The speaker phrase that starts `text`, and where it ends (inverted "said Fityo")."""
    # The loop below reads at most 23 tokens and looks one ahead: the rest of a long
    # sentence is never tokenised.
    toks = list(itertools.islice(_TOKEN.finditer(text), _AFTER_TOKENS + 1))
    seg: list[re.Match[str]] = []
    for k, t in enumerate(toks):
        tok = t.group(0)
        if tok in ',;:()"“”«»':
            break
        if (
            tok == "the"
            and seg
            and first_name_gender(seg[-1].group(0)) is not None
            and k + 1 < len(toks)
            and toks[k + 1].group(0).islower()
            and not _is_role(toks[k + 1].group(0))
            and not _is_org_word(toks[k + 1].group(0))
        ):
            # "According to Ann the best time is ...": after a name, the clause starts.
            break
        if (
            seg
            and not _is_cap(tok)
            and _is_cap(seg[-1].group(0))
            and tok.lower() not in _CONNECT
            and not _is_role(tok)
            and not _describes(seg)
        ):
            break
        if seg and tok.lower() in {"on", "in", "at", "to", "from"} and _is_cap(seg[-1].group(0)):
            break
        seg.append(t)
        if len(seg) == 1 and tok.lower() in _pronouns():
            break
        if len(seg) >= _AFTER_TOKENS:
            return None
    while seg and seg[-1].group(0).lower() in _CONNECT:
        seg.pop()
    phrase = _classify(text, seg)
    if phrase is None:
        return None
    if phrase.kind == "description" and phrase.text.split()[-1] != seg[-1].group(0).rstrip("."):
        return None  # "said top diplomats will meet ...": a clause, not a speaker after "said"
    lead = text[seg[0].start() : phrase.start].split()
    if phrase.kind != "person" and any(w.lower() not in _ARTICLES for w in lead):
        return None
    if any(w.lower() in ("that", "which", "who", "whom") for w in lead):
        return None  # "new modelling that Minister X will use": X is not the source
    end = seg[-1].end()
    if text[end - 1] == "." and not _is_initial(seg[-1].group(0)):
        end -= 1
    # "by the mayor of Ulmany, Lesia Hordiyenko, at ...": the name follows the office.
    if phrase.kind in ("description", "org") or (
        phrase.kind == "person" and " " not in phrase.text and phrase.start > seg[0].start()
    ):
        named = _APPOSITIVE_NAME.match(text, end)
        if named:
            # "..., Lieutenant Colonel Dmytro Ostapyr,": the rank is not part of the name;
            # "..., White House Russia adviser Fiona Hill.": a title may come with it.
            toks = _tokens(named.group(1))
            person = _classify(named.group(1), toks)
            if person and person.kind == "person" and " " in person.text:
                role = _clean_role(text[seg[0].start() : end])
                return Phrase("person", person.text, role, seg[0].start()), named.end(1)
    # "said John Smith, the mayor of X." gives the role after the comma.
    if phrase.kind == "person" and phrase.role is None:
        rest = text[end:]
        match = re.match(r"\s*,\s*([^,;:.\"“”()]{3,120})", rest)
        if match:
            appos = _tokens(match.group(1))
            if appos and any(_is_role(t.group(0)) for t in appos[:6]):
                words = match.group(1).split()
                # "the mayor", "Mayor of X", "senior fellow at Y": a role among the first words.
                if (
                    words[0].lower() in _DETERMINERS
                    or _is_cap(words[0])
                    or any(_is_role(w) for w in words[:3])
                ):
                    phrase = Phrase(
                        "person", phrase.text, _clean_role(match.group(1)), phrase.start
                    )
    if _is_possessive(phrase.text) and phrase.kind in ("person", "org"):
        # "according to Statistics Ruritania's labour force survey": the document speaks,
        # with its author (spec section 2, decision 1).
        owned = _OWNED.match(text, end)
        if owned:
            return Phrase("org", f"{phrase.text} {owned.group(1)}", None, phrase.start), owned.end()
    return phrase, end


# Lower-case nouns after a possessive name, up to punctuation or a participle ("released").
_OWNED = re.compile(r"\s+((?:(?![\w-]+ed\b)[a-z][\w-]*)(?:\s+(?![\w-]+ed\b)[a-z][\w-]*){0,5})")
_INVERTED_TAIL = re.compile(r"\b(?:said|says|added|wrote)\s+(?=[A-Z][^,]*$)")
_ACRONYM = re.compile(r"\s*\([A-Z][A-Za-z&.]{1,9}\)")
_QUOTE_CHARS = frozenset("\"“”«»„'‘’")
# ", Lieutenant Colonel Dmytro Ostapyr," or ", former White House adviser Ann Lee.": a
# name, maybe with its title, set off after a description.
_APPOSITIVE_NAME = re.compile(
    r"\s*,\s*((?:(?:former|then|acting)\s+)?(?:[A-Z][\w'’-]+|[A-Z]\.)"
    r"(?:\s+(?:[\w'’-]+|[A-Z]\.)){1,6}?)(?=\s*(?:[,.;]|$))"
)
_ORG_BEFORE_ACRONYM = re.compile(
    r"([A-Z][\w'’&.-]*(?:\s+(?:(?:of|for|and|&)\s+(?:the\s+)?)?[A-Z][\w'’&.-]*){0,8})\s*$"
)
_ORG_NAME = re.compile(
    r"[A-Z](?<![\w'’.-][A-Z])[\w'’&.-]*(?:[ \t]+(?:(?:of|for|and|&)[ \t]+(?:the[ \t]+)?)?"
    r"[A-Z][\w'’&.-]*){0,8}"
)
# The pattern opens with a bare character class so the regex engine can skip ahead to
# capitals quickly; the look-behind that follows checks the word start (twice as fast as
# opening with the look-behind). A word is taken whole (`++`, possessive): giving back
# letters could never let the following space match, and a lone capitalised word (most
# sentence starts) would otherwise be retried letter by letter.
_NAME = re.compile(
    r"[A-Z](?<![\w'’.][A-Z])(?:[\w'’-]++|\.)(?:[ \t]+(?:(?:de|da|van|von|der|bin|al|di|del)[ \t]+)?"
    r"[A-Z](?:[\w'’-]++|\.)){1,5}"
)


@dataclass(frozen=True, slots=True)
class _Names:
    """Person names the article introduces, by last and first word, and every mention."""

    by_last: dict[str, list[tuple[int, str]]]
    by_first: dict[str, list[tuple[int, str]]]
    mentions: list[tuple[int, str]]  # (offset, fullest name), in body order
    titled: list[tuple[int, str, str]]  # (offset, name, role) where a title precedes a name
    places: frozenset[str]  # capitalised names seen after "in", "near", ...


def _word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] in "'’-.")


def _find_names(body: str, quoted: list[tuple[int, int]]) -> _Names:
    by_last: dict[str, list[tuple[int, str]]] = {}
    by_first: dict[str, list[tuple[int, str]]] = {}
    mentions: list[tuple[int, str]] = []
    titled: list[tuple[int, str, str]] = []
    personal: set[str] = set()
    places: set[str] = set()
    quote_starts = [a for a, _ in quoted]
    place_words = _words("speaker_place_words")
    org_words = _words("speaker_orgs")
    agencies = _agencies()
    for match in _NAME.finditer(body):
        at = match.start()
        k = bisect.bisect_right(quote_starts, at)
        if k and at < quoted[k - 1][1]:
            continue  # names inside quotations are not what a pronoun outside points to
        if body[at - 1 : at] in _QUOTE_CHARS:
            continue  # a title in quotes: the "Veldania Live" TV marathon
        pre = body[max(0, at - 30) : at].split()
        prev = pre[-1].lower() if pre else ""
        words = match.group(0).split()
        # "ambassador to Britain Liu Wei": the office's place, then the name.
        office = prev in ("of", "to") and len(words) >= 3 and len(pre) > 1 and _is_role(pre[-2])
        # "Marketing Manager at Ocean Florida Abby Dunn": an organisation, then a first name.
        inner = next(
            (
                k
                for k in range(1, len(words) - 1)
                if len(words) - k <= 3
                and first_name_gender(words[k]) is not None
                and not _is_role(words[k])
                and first_name_gender(words[0]) is None
            ),
            0,
        )
        if inner and prev in ("at", "of", "for", "to") and len(pre) > 1 and _is_role(pre[-2]):
            office = True
        # "spokesman of the Veldanian Air Force Yurii Ostrozh": "the" opens the office's
        # organisation, and the person's name follows it in the same capitalised run.
        if inner and prev == "the" and any(w.lower() in org_words for w in words[:inner]):
            office = True
        if prev in _PLACE_ONLY and not office:
            places.add(match.group(0).rstrip(".,"))  # "in Hong Kong": a place all along
        if (prev in ("the", "a", "an", "as", "at") or prev in _PLACE_ONLY) and not office:
            # "the Irish Open", "a Forest Hill hotel", "in New York", "as Demo News
            # informs": not a person
            continue
        if _is_possessive(words[-1]):  # "Anwar Ibrahim’s travels"
            words[-1] = words[-1][:-2]
        if office and inner:
            cut, words = words[:inner], words[inner:]
        elif prev in ("of", "to") and len(words) >= 3:
            cut, words = words[:-2], words[-2:]  # "... of Ukraine Volodymyr Fityo"
        else:
            split = _name_start(words, 0)
            cut, words = words[:split], words[split:]
        if (
            len(words) >= 3
            and (
                at == 0
                or body[at - 1] == "\n"
                or body[max(0, at - 2) : at] in (". ", ": ", "? ", "! ")
            )
            and first_name_gender(words[0]) is None
            and first_name_gender(words[1]) is not None
            and not _is_role(words[0])
        ):
            # "Brave Marina Lacerda has described ...": a headline's first word is no name.
            cut, words = [*cut, words[0]], words[1:]
            at = body.find(words[0], at)
        honorific = None
        if len(words) == 1 and cut and cut[-1].lower() in _words("speaker_honorifics"):
            if first_name_gender(words[0]) is not None:  # "Prince Andrew", not "King Street"
                honorific = cut[-1]
                cut, words = cut[:-1], [honorific, words[0]]
        if len(words) < 2:
            continue
        lowered = [w.lower().rstrip(".") for w in words]
        if not (org_words.isdisjoint(lowered) and place_words.isdisjoint(lowered)):
            continue  # "Armed Forces", "United States", "Northern Ireland"
        name = " ".join(words)
        if name in agencies:
            continue
        # "Minister of Finance Olena Varnytska": the title right before the name.
        role = honorific
        if honorific:
            titled.append((at, name, honorific))
        elif cut or prev in ("of", "for") or (pre and _is_role(pre[-1])):
            before = body[max(0, at - 100) : at]
            abbreviated = []  # "Rep. Ilhan Omar": the title's own dot ends no clause
            if pre and pre[-1].endswith(".") and _is_role(pre[-1]):
                abbreviated = [pre[-1]]
                before = before[: before.rstrip().rfind(pre[-1])]
            clause = re.split(r"[,.;:?!()\"“”\n]", before)
            role = _role_suffix(clause[-1].split() + abbreviated + cut)
            if role:
                titled.append((at, name, role))
        if role is None:
            # "Julie Grahn, a health officer in Ostby, ...": the role after the name;
            # "David Watt of Rosenberg Research said": the affiliation.
            role = _appositive_role(body, match.end())
            if role is None:
                affiliation = _AFFILIATION.match(body, match.end())
                if affiliation and any(_is_org_word(w) for w in affiliation.group(1).split()):
                    role = _clean_role(affiliation.group(0))
            if role:
                titled.append((at, name, role))
        last = words[-2] if lowered[-1] in _NAME_SUFFIXES and len(words) > 2 else words[-1]
        by_last.setdefault(last, []).append((at, name))
        # Only names that look personal can be what "he" or "she" points to, or be called
        # by their first word alone ("Fahmi"): a known first name or a title before it
        # ("Communications Minister Fahmi Fadzil"), not "Sierra Nevada", "Tottenham Hotspur".
        if first_name_gender(lowered[0]) is not None or role or _followed_by_pronoun(body, at):
            personal.add(last)
            mentions.append((at, name))
            by_first.setdefault(words[0], []).append((at, name))
    # Later mentions by the last name alone ("Putin said he ..."), or by a first name that
    # only one person has ("Fahmi also clarified ..."); str.find is far cheaper than another
    # regex pass over the body.
    firsts = {
        first
        for first, forms in by_first.items()
        if len({n for _, n in forms}) == 1 and first not in by_last and len(first) > 2
    }
    for last in personal | firsts:
        is_first = last in firsts
        at = body.find(last)
        while at >= 0:
            end = at + len(last)
            possessive = body[end : end + 2] in ("'s", "’s")  # "Lee's lawyers"
            full_name = (
                is_first and body[end : end + 1] == " " and body[end + 1 : end + 2].isupper()
            )
            if (
                not _word_char(body, at - 1)  # "Leeds" is not "Lee"
                and (possessive or not _word_char(body, end))
                and not full_name  # "Anna Reed": found as the full name already
            ):
                k = bisect.bisect_right(quote_starts, at)
                if not (k and at < quoted[k - 1][1]):
                    mentions.append((at, last))
            at = body.find(last, end)
    # "Hege is the CEO of DH": a role given by "is" / "was" to a person named before.
    named = {name for _, name, _ in titled}
    for at, last, phrase in _copular_roles(body):
        if last not in personal or not any(_is_role(w) for w in phrase.split()[:4]):
            continue
        name = max((n for _, n in by_last.get(last, [])), key=len, default=None)
        if name and name not in named:
            role = _clean_role(phrase)
            if role:
                titled.append((at, name, role))
                named.add(name)
    mentions.sort()
    if places:
        # A name also seen after "in" is a place ("Hong Kong"), whatever its first word.
        lasts = {p.split()[-1] for p in places}
        mentions = [(at, n) for at, n in mentions if n not in places and n not in lasts]
    return _Names(by_last, by_first, mentions, titled, frozenset(places))


_COPULAS = (" is the ", " was the ", " is a ", " was a ", " is an ", " was an ")
# Greedy, then back to the stop: the lazy form tried the look-ahead after every character.
# Only trailing spaces can differ, and every reader of the phrase splits it into words.
_COPULAR_PHRASE = re.compile(r"([^,.;:!?\"“”()\n]{3,80})(?=\s*[,.;:])")


def _copular_roles(body: str) -> list[tuple[int, str, str]]:
    """(offset, capitalised word, phrase) for "Holt is the CEO of X," (str.find: cheap)."""
    found = []
    for copula in _COPULAS:
        at = body.find(copula)
        while at >= 0:
            words = body[max(0, at - 40) : at].split()
            phrase = _COPULAR_PHRASE.match(body, at + len(copula))
            if words and phrase and words[-1][:1].isupper():
                found.append((at, words[-1], phrase.group(1)))
            at = body.find(copula, at + 1)
    return found


_AFFILIATION = re.compile(
    r" of ((?:the )?[A-Z][\w&.’'-]*(?:(?: (?:&|and|of|for|the))? [A-Z][\w&.’'-]*){0,5})"
)
# Greedy for speed, as _COPULAR_PHRASE (the role is read word by word).
_APPOSITIVE_ROLE = re.compile(r",\s+(?:\d{1,3},\s+)?([^,;:.!?\"“”()]{3,120})(?=\s*[,.;:])")


def _appositive_role(body: str, end: int) -> str | None:
    """The role an appositive gives right after a name (", a spokeswoman for X,"), or None."""
    match = _APPOSITIVE_ROLE.match(body, end)
    if not match:
        return None
    words = match.group(1).split()
    if not words:
        return None  # ",    ,": spaces only
    first = words[0].lower()
    if first in ("who", "which", "that", "and", "but", "said", "says") or not any(
        _is_role(w) for w in words[:6]
    ):
        return None
    if not (first in _DETERMINERS or _is_cap(words[0]) or _is_role(words[0])):
        if not any(_is_role(w) for w in words[:3]):
            return None
    return _clean_role(match.group(1))


_PERSONAL_PRONOUN = re.compile(r"\b(?:he|she|his|her|him|himself|herself)\b")


def _followed_by_pronoun(body: str, at: int) -> bool:
    """A name that opens a sentence which goes on with "he", "she", "her" ("Duduzile
    Zuma-Sambudla pleaded not guilty when she appeared ..."): a person, known name or not."""
    if at and body[at - 1] not in "\n" and body[max(0, at - 2) : at] not in (". ", "? ", "! "):
        return False
    end = body.find(".", at, at + 250)
    newline = body.find("\n", at, at + 250)
    stop = min(x for x in (end, newline, at + 250) if x >= 0)
    return bool(_PERSONAL_PRONOUN.search(body, at, stop))


def _whole_word_at(body: str, word: str) -> list[int]:
    """Offsets where `word` stands as a whole word in `body` (str.find, no regex)."""
    found = []
    at = body.find(word)
    while at >= 0:
        end = at + len(word)
        before = body[at - 1] if at else " "
        after = body[end] if end < len(body) else " "
        if not (before.isalnum() or before in "_-") and not (after.isalnum() or after in "_-"):
            found.append(at)
        at = body.find(word, end)
    return found


def _in_order(letters: str, word: str) -> bool:
    """Whether `letters` occur in `word` in that order ("vw" in "volkswagen")."""
    rest = iter(word)
    return all(letter in rest for letter in letters)


def _find_orgs(body: str) -> list[tuple[int, str]]:
    """(offset, name) of capitalised organisation names ("Russia's Defense Ministry")."""
    orgs = []
    for match in _ORG_NAME.finditer(body):
        words = match.group(0).split()
        while words and words[0].lower() in _ARTICLES:
            words = words[1:]
        if words and (any(_is_org_word(w) for w in words) or " ".join(words) in _agencies()):
            orgs.append((match.start(), " ".join(words)))
    return orgs


# A name after one of these is a place, never a person ("in Hong Kong").
_PLACE_ONLY = frozenset({"in", "near", "across", "throughout", "outside"})
# A capitalised run of words: a candidate name of an organisation ("Big Machine").
_CAP_RUN = re.compile(r"[A-Z][\w'’&.-]*(?:[ \t]+(?:of[ \t]+|&[ \t]+)?[A-Z][\w'’&.-]*){0,4}")
# "one mother", "a local man": an unnamed person brought into a sentence (head noun last).
_INDEFINITE_PERSON = re.compile(r"\b(?:[Oo]ne|[Aa]n?)\s+(?:[a-z][\w'-]*\s+){0,2}?([a-z][\w'-]+)\b")
# News leads attribute to "an expert" and name them after: the lead's first sentences.
_LEAD_SENTENCES = 3
# How far back (characters) a pronoun looks for the person it stands for.
_ANTECEDENT_REACH = 1500
# Words that may come before the subject at the start of a sentence.
_OPENERS = frozenset({"also", "then", "meanwhile", "however", "yet", "still", "now", "later"})
# A name right after one of these is an object, not who a following pronoun is about.
_OBJECT_PREPOSITIONS = _PLACE_PREPOSITIONS | frozenset({"of", "for", "how", "that"})


class Resolver:
    """Turns phrases into speakers in article order.

    Keeps the names the article introduces (so "Fityo" becomes "Volodymyr Fityo"), the role
    each speaker was given, and the last person and organisation that spoke.
    """

    def __init__(self, body: str, quoted: list[tuple[int, int]] | None = None) -> None:
        """`quoted`: (start, end) of the article's quotations, in order."""
        self._body = body
        self._quoted = quoted or []
        self._names: _Names | None = None
        self._orgs: list[tuple[int, str]] | None = None
        self._roles: dict[str, str] = {}
        self._last_person: str | None = None
        self._last_person_pos = -1
        self._last_org: str | None = None
        self._last_any: str | None = None
        self._last_any_pos = -1
        # (body offset, speaker) of every person resolved so far: what a later "he" can
        # point back to even where the name itself is not repeated ("He said ..." twice).
        self._spoken: list[tuple[int, str]] = []
        self._personal: set[str] | None = None  # last words of the persons named
        self._starts: list[int] | None = None  # sentence starts, on first need
        self._genders: dict[str, str] = {}  # last name -> the pronoun it was resolved from
        self._org_names: dict[str, str | None] = {}  # capitalised run -> organisation
        self._counts: dict[str, int] = {}  # organisation -> times named
        self._spelled: dict[str, str | None] = {}  # acronym -> the name it abbreviates
        self._full_at: dict[tuple[str, int], str] = {}  # (mention, offset) -> fullest name
        self._documents: dict[str, str] = {}  # head noun -> the document as first named

    @property
    def names(self) -> _Names:
        if self._names is None:  # built on first need: many articles never need it
            self._names = _find_names(self._body, self._quoted)
        return self._names

    def _fullest(self, name: str, pos: int) -> str:
        if " " in name:
            return name
        forms = self.names.by_last.get(name) or self.names.by_first.get(name)
        if not forms:
            forms = self.names.by_last.get(self._misspelt_last(name) or "")
        if not forms:
            return name
        before = [f for p, f in forms if p <= pos]
        return max(before or [f for _, f in forms], key=len)

    def _misspelt_last(self, name: str) -> str | None:
        """The one introduced surname a never-introduced one is a typo of ("Jansen" for
        "Janzen"): same length, first and last letters, at most two letters changed.

        Articles misspell a name on second mention more often than they bring in a new
        person by surname alone; short names are left alone (too many near neighbours).
        """
        if len(name) < 5 or not name.isalpha() or not name[0].isupper():
            return None
        if name in self.names.places or first_name_gender(name) is not None:
            return None
        near = {
            last
            for last in self.names.by_last
            if len(last) == len(name)
            and last[0] == name[0]
            and last[-1] == name[-1]
            and sum(a != b for a, b in zip(last, name, strict=True)) <= 2
        }
        return near.pop() if len(near) == 1 else None

    def _fullest_at(self, name: str, at: int) -> str:
        """`_fullest`, memoised: pronouns look at the same mentions again and again."""
        full = self._full_at.get((name, at))
        if full is None:
            full = self._full_at[(name, at)] = self._fullest(name, at)
        return full

    def _key(self, speaker: str) -> str:
        return speaker.split()[-1].lower()

    def _antecedent(self, pos: int, pronoun: str, guess: bool = True) -> str | None:
        """The person a "he" or "she" at `pos` stands for, by salience.

        The candidates are the persons named or quoted before `pos` that fit the pronoun.
        The latest sentence holding one wins; inside it, its subject wins over a name in a
        subordinate place ("Lee went into detail about how Kim recruited them. She said":
        Lee), and a possessive or a name after a preposition comes last ("Ann Roe's
        sister, Joan Doe, told CNN she ...": Joan Doe).
        """
        starts = self._sentence_starts()
        mentions = self.names.mentions
        k = bisect.bisect_left(mentions, (pos, ""))
        floor = pos - _ANTECEDENT_REACH
        candidates = [(at, name, False) for at, name in mentions[max(0, k - 12) : k] if at >= floor]
        candidates += [(at, name, True) for at, name in self._spoken[-6:] if floor <= at < pos]
        best: tuple[int, int, int, int] | None = None
        chosen = None
        here = bisect.bisect_right(starts, pos) - 1
        for at, name, spoke in candidates:
            full = name if spoke else self._fullest_at(name, at)
            if not self._fits(pronoun, full, guess):
                continue
            sentence = bisect.bisect_right(starts, at) - 1
            s_start = starts[sentence] if sentence >= 0 else 0
            # "Lee" found inside "Ann Lee" is demoted where "Ann Lee" is.
            whole = self._whole_start(at, name, full)
            demoted = not spoke and self._demoted(whole, full)
            if demoted and self._pronoun_before(s_start, whole, pronoun):
                # "Times reported she was into Ann Lee. But she had ...": the sentence is
                # about whoever its own "she" is, not the name after a preposition.
                continue
            if not spoke and sentence == here and self._agent_at(at, name, full):
                # "Under questioning by (Ann) Lee, he said": the one acting on the subject
                # in its own sentence is someone else ("While it did not appeal to Lee, she
                # said" can be Lee: only "by" rules a name out).
                continue
            subject = spoke or self._opens(s_start, at)
            rank = (-sentence, int(demoted), int(not subject), at)
            if best is None or rank < best:
                best, chosen = rank, full
        return chosen

    def _sentence_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [a for a, _ in sentence_spans(self._body)]
        return self._starts

    def _fits(self, pronoun: str, name: str, guess: bool = True) -> bool:
        """`_fits`, but a person the article already called "she" (or "he") stays so."""
        said = self._genders.get(self._key(name))
        if said and pronoun in ("he", "him", "she", "her"):
            return said == ("he" if pronoun in ("he", "him") else "she")
        return _fits(pronoun, name, guess)

    def _opens(self, s_start: int, at: int) -> bool:
        """Whether a name at `at` opens its sentence (after a conjunction or an opener)."""
        lead = self._body[s_start:at].strip(" \"“”‘’'")
        if not lead:
            return True
        if len(lead) < 60 and lead.endswith(","):
            return True  # "In 2022, Lee said"
        return all(w.lower() in _SUBORDINATORS or w.lower() in _OPENERS for w in lead.split())

    def _described_before(self, pos: int, pronoun: str) -> str | None:
        """An unnamed person the sentence before `pos` brings in ("spoke to one mother,"),
        when no one is named or spoken of there or since: what "she" then stands for."""
        starts = self._sentence_starts()
        here = bisect.bisect_right(starts, pos) - 1
        if here < 1:
            return None
        begin = starts[here - 1]
        mentions = self.names.mentions  # in body order: the first one from `begin` on
        k = bisect.bisect_left(mentions, (begin, ""))
        if (k < len(mentions) and mentions[k][0] < pos) or any(
            begin <= at < pos for at, _ in self._spoken
        ):
            return None
        for match in _INDEFINITE_PERSON.finditer(self._body, begin, starts[here]):
            head = match.group(1)
            if self._quoted_at(match.start()):
                continue
            if pronoun == "they":
                # "A couple boarded a bus": a group "they" can stand for, not "a couple of".
                if head in _words("speaker_collectives") and not re.match(
                    r"\s+of\b", self._body[match.end() : match.end() + 4]
                ):
                    return _strip_article(match.group(0))
                continue
            if not (_is_anaphor(head) or _is_role(head)):
                continue
            if head.endswith("s") and not head.endswith("ss"):
                continue  # "a few residents": more than the one "she" is
            if self._pronoun_before(begin, match.start(), pronoun):
                return None  # "He was made a judge": the description is of someone named
            return _strip_article(match.group(0))
        return None

    def _pronoun_before(self, s_start: int, at: int, pronoun: str) -> bool:
        """Whether `pronoun` (or another form of it) occurs between `s_start` and `at`."""
        forms = {"he": "he|him|his", "she": "she|her", "him": "he|him|his", "her": "she|her"}
        if pronoun not in forms:
            return False
        return re.search(rf"\b(?:{forms[pronoun]})\b", self._body[s_start:at], re.I) is not None

    def _whole_start(self, at: int, name: str, full: str) -> int:
        """Where the full name starts when the mention of `name` at `at` is its end
        ("Lee" found inside "Ann Lee"), else `at`."""
        whole = at - (len(full) - len(name))
        return whole if self._body[whole : at + len(name)] == full else at

    def _agent_at(self, at: int, name: str, full: str) -> bool:
        """Whether the mention of `name` at `at` (maybe the end of `full`) follows "by"."""
        whole = self._whole_start(at, name, full)
        return self._body[max(0, whole - 4) : whole].lower() == " by "

    def _demoted(self, at: int, name: str) -> bool:
        """A possessive ("Lee's sister") or a name after a preposition ("with Lee")."""
        end = at + len(name)
        if self._body[end : end + 2] in ("'s", "’s"):
            return True
        before = self._body[max(0, at - 60) : at].split()
        if before and before[-1].islower() and _is_role(before[-1]):
            # "owned by talent manager Ann Lee": the title sits between preposition and name.
            title = 0
            while title < 3 and len(before) > 1 and before[-1].islower():
                if before[-1].lower() in _OBJECT_PREPOSITIONS:
                    break
                before, title = before[:-1], title + 1
        return bool(before) and before[-1].lower() in _OBJECT_PREPOSITIONS

    def resolve(
        self, phrase: Phrase, pos: int, remember: bool = True
    ) -> tuple[str, str | None] | None:
        """Final (speaker, role) for a phrase found at body offset `pos`, None if unknown.

        With `remember` False the speaker does not become the one that pronouns and
        continuations point to (speech quoted inside another statement).
        """
        if not remember:
            state = (
                self._last_person,
                self._last_person_pos,
                self._last_org,
                self._last_any,
                self._last_any_pos,
            )
            spoken = len(self._spoken)
            try:
                return self.resolve(phrase, pos)
            finally:
                (
                    self._last_person,
                    self._last_person_pos,
                    self._last_org,
                    self._last_any,
                    self._last_any_pos,
                ) = state
                del self._spoken[spoken:]
        if not phrase.text.strip():
            return None
        if phrase.kind == "document":
            return self._document(phrase.text, pos)
        if phrase.kind == "group":
            return self._remember(phrase.text, None, "any", pos)
        if phrase.kind == "pronoun":
            want = _pronouns()[phrase.text]
            described = None
            if phrase.text in ("he", "she", "they"):
                described = self._described_before(pos, phrase.text)
            if described:
                # "WIRED spoke to one mother, who ... "...," she said": no name to stand for.
                return self._remember(described, None, "description", pos)
            if want == "person":
                speaker = self._antecedent(pos, phrase.text) or self._last_person
                if speaker and not self._fits(phrase.text, speaker):
                    speaker = None
                if speaker is None:
                    # gender-guesser knows names by their most common use and can be wrong
                    # for the person at hand ("Oleksa"): with no one else, trust the text.
                    speaker = self._antecedent(pos, phrase.text, guess=False)
                if speaker and phrase.text in ("he", "him", "she", "her"):
                    # The article called this person "she": "he" is someone else from now.
                    gender = "he" if phrase.text in ("he", "him") else "she"
                    self._genders.setdefault(self._key(speaker), gender)
            elif want == "org":
                # "it says": the organisation the last sentences are about.
                speaker = self._salient_org(pos, subject_only=True, last=2) or self._last_org
            else:
                # "Big Machine denied it. "...," they said": an organisation that opens the
                # sentence before; otherwise whoever spoke last.
                speaker = None
                if not self._people_before(pos) and not self._spoke_recently(pos):
                    speaker = self._salient_org(pos, subject_only=True, last=2)
                speaker = speaker or self._last_any
            if speaker is None:
                return None
            return self._remember(speaker, None, "person" if want == "person" else "any", pos)
        if phrase.kind == "description":
            last = self._last_person
            # "a Google spokesperson" introduces someone new unless it shares the last
            # speaker's service ("A spokesman of the Ground Forces" after the head of it).
            definite = not re.match(r"(?:an?|another|one)\s", self._body[pos : pos + 8], re.I)
            if last and self._compatible(phrase.text, self._role_of(last), definite):
                return self._remember(last, None, "person", pos)
            if self._body[pos : pos + 4].lower() == "the " and _is_anaphor(phrase.text.split()[-1]):
                # "The 56-year-old said": whom the last sentences are about, like "he".
                named = self._antecedent(pos, "they")
                if named:
                    return self._remember(named, None, "person", pos)
            head = next((w for w in phrase.text.lower().split() if _is_role(w)), "")
            plural = head.endswith("s") and not head.endswith("ss")  # "the authors"
            if self._body[pos : pos + 4].lower() == "the " and not plural:
                # "the minister" after "Minister of Finance Olena Varnytska" was named.
                named = self._titled_before(phrase.text, pos)
                if named:
                    return self._remember(named[0], named[1], "person", pos)
                # "the government spokesman said" right after that person's statements,
                # unless the article brought in someone else with that noun: "the officer"
                # after "a police officer called" and a neighbour's quotes is
                # the officer, as first described; a generic "the expert" is not.
                first = None
                if head not in _words("speaker_generic_roles"):
                    first = self._first_described(head, pos)
                if first and last and self._role_of(last):
                    return self._remember(first, None, "description", pos)
                if last and pos - self._last_person_pos < 1500:
                    return self._remember(last, None, "person", pos)
                if first:
                    return self._remember(first, None, "description", pos)
            # "China's envoy to Ruritania accused ..." before "China's envoy to Ruritania
            # Liu Wei has said": the same title given to a person named later.
            named = self._titled_as(phrase.text)
            if named:
                return self._remember(named[0], named[1], "person", pos)
            lead = bisect.bisect_right(self._sentence_starts(), pos) <= _LEAD_SENTENCES
            if not definite and not plural and lead:
                # "..., an expert has claimed. Royal commentator Ann Lee was discussing":
                # the lead's "an expert" is the person the next sentences bring in (further
                # down, "a person familiar with it" is a source of its own).
                ahead = self._introduced_next(pos)
                if ahead:
                    return self._remember(ahead, None, "person", pos)
            if not plural and re.match(r"(?:his|her|their)\s", self._body[pos : pos + 6], re.I):
                # "His lawyer described how ... Ann Lee said:": named in the next sentence.
                ahead = self._introduced_next(pos, reach=1)
                if ahead:
                    return self._remember(ahead, None, "person", pos)
            return self._remember(phrase.text, None, "description", pos)
        if phrase.text.isupper() and " " not in phrase.text and len(phrase.text) > 1:
            # "the OBR" after "Office for Budget Responsibility (OBR)".
            if phrase.text not in self._spelled:
                self._spelled[phrase.text] = self._expand_acronym(phrase.text) or self._spelled_out(
                    phrase.text
                )
            full = self._spelled[phrase.text]
            if full:
                return self._remember(full, None, "org", pos)
        if phrase.kind == "org":
            head = phrase.text.split()[-1]
            if (
                phrase.text.islower()
                and self._body[pos : pos + 4].lower() == "the "
                and (_is_org_word(head) or head in _words("speaker_company_nouns"))
            ):
                # "the utility said", "the ministry added": the organisation named before.
                named = self._org_before(phrase.text.split()[-1], pos)
                if named:
                    return self._remember(named, None, "org", pos)
            return self._remember(phrase.text, None, "org", pos)
        return self._remember(self._fullest(phrase.text, pos), phrase.role, "person", pos)

    def _document(self, text: str, pos: int) -> tuple[str, str | None]:
        """A document speaks as written; "the report" is the report named before it, and
        "the statement" after "X said in a statement" is X's."""
        head = text.split()[-1].lower()
        definite = self._body[pos : pos + 4].lower() == "the " and " " not in text
        if definite and head in self._documents:
            return self._remember(self._documents[head], None, "org", pos)
        before = self._body[max(0, pos - 400) : pos].lower()
        if definite and self._last_any and f" in a {head}" in before:
            return self._remember(self._last_any, None, "any", pos)
        self._documents[head] = text
        return self._remember(text, None, "org", pos)

    def _introduced_next(self, pos: int, reach: int = 3) -> str | None:
        """The person named for the first time as the subject of one of the next `reach`
        sentences after `pos`, if no other person is brought in before them."""
        starts = self._sentence_starts()
        here = bisect.bisect_right(starts, pos) - 1
        if here + 1 >= len(starts):
            return None
        after = here + 1 + reach
        stop = starts[after] if after < len(starts) else len(self._body)
        seen = {self._key(n) for at, n in self.names.mentions if at < starts[here + 1]}
        for at, name in self.names.mentions:
            if at < starts[here + 1] or self._key(name) in seen:
                continue
            if at >= stop or " " not in name:
                return None
            sentence = bisect.bisect_right(starts, at) - 1
            lead = self._body[starts[sentence] : at]
            # The subject, maybe after its title: "Royal commentator Ann Lee was ...".
            titled = (
                len(lead.split()) <= 4
                and not re.search(r"[,;:\"“”]", lead)
                and any(_is_role(w) for w in lead.split())
            )
            opens = not lead.strip() or all(w.lower() in _OPENERS for w in lead.split())
            if titled or (opens and first_name_gender(name.split()[0]) is not None):
                return name
            return None
        return None

    def _role_of(self, speaker: str) -> str | None:
        role = self._roles.get(self._key(speaker))
        if role is None:
            for _, name, title in self.names.titled:
                if name == speaker:
                    return title
        return role

    def _titled_before(self, description: str, pos: int) -> tuple[str, str] | None:
        """The last person named with a title that fits the description, before `pos`."""
        for start, name, title in reversed(self.names.titled):
            if start < pos and self._compatible(description, title):
                return name, title
        return None

    def _first_described(self, head: str, pos: int) -> str | None:
        """ "a police officer" where "the officer" was first brought in ("a/an ... <head>")."""
        pattern = rf"\b(?:an?|another|one)\s+((?:[\w'’-]+\s+){{0,3}}?{re.escape(head)})\b"
        match = re.search(pattern, self._body[max(0, pos - _ANTECEDENT_REACH) : pos], re.I)
        if not match or self._quoted_at(max(0, pos - _ANTECEDENT_REACH) + match.start()):
            return None
        return match.group(0)

    def _titled_as(self, description: str) -> tuple[str, str] | None:
        """The one person the article gives exactly this title (a description of 3+ words)."""
        want = _strip_article(description).lower()
        if len(want.split()) < 3:
            return None
        found = {(name, title) for _, name, title in self.names.titled if title.lower() == want}
        return found.pop() if len(found) == 1 else None

    def _spelled_out(self, acronym: str) -> str | None:
        """The one name in the article an unexplained acronym abbreviates: its initials
        ("GM": General Motors) or, for a single word, its letters in order ("VW": Volkswagen).
        """
        if not 2 <= len(acronym) <= 5 or not acronym.isalpha():
            return None
        letters = acronym.lower()
        found = set()
        for match in _CAP_RUN.finditer(self._body):
            words = [w for w in match.group(0).split() if w.lower() not in ("of", "&", "and")]
            if words and _is_possessive(words[-1]):
                words[-1] = words[-1][:-2]
            if len(words) == len(letters) > 1:
                if "".join(w[0].lower() for w in words) == letters:
                    found.add(" ".join(words))
            elif len(words) == 1 and len(words[0]) >= 2 * len(letters) + 2:
                word = words[0].lower()
                if word[0] == letters[0] and not word.isupper() and _in_order(letters, word):
                    found.add(words[0])
        places = _words("speaker_place_words")
        found = {n for n in found if places.isdisjoint(w.lower() for w in n.split())}
        return found.pop() if len(found) == 1 else None  # "US" stays: a place, not a speaker

    def _expand_acronym(self, acronym: str) -> str | None:
        """The name an acronym was introduced for: "Office for Budget Responsibility (OBR)"."""
        at = self._body.find(f"({acronym})")
        if at < 0:
            return None
        match = _ORG_BEFORE_ACRONYM.search(self._body, max(0, at - 120), at)
        if not match:
            return None
        words = match.group(1).split()
        while words and words[0].lower() in _ARTICLES:
            words = words[1:]
        return " ".join(words) or None

    def _org_before(self, head: str, pos: int) -> str | None:
        """The organisation a generic "the <head>" points to, or None."""
        if self._orgs is None:  # built on first need, like the names
            self._orgs = _find_orgs(self._body)
        named = [(p, n) for p, n in self._orgs if p < pos]
        for _, name in reversed(named):
            if head in name.lower().split():
                return name
        if head in _words("speaker_company_nouns"):
            salient = self._salient_org(pos)
            if salient:
                return salient
        if self._last_org and not self._last_org.islower():
            return self._last_org
        # The outlet that reports the story is not the organisation it writes about.
        named = [(p, n) for p, n in named if n not in _agencies()]
        return named[-1][1] if named else None

    def _salient_org(self, pos: int, subject_only: bool = False, last: int = 0) -> str | None:
        """The organisation the text just before `pos` is about ("Strava", "Big Machine").

        A capitalised name that names no person or place, is used at least twice in the
        article (the company a story is about is named again), outside quotations. The
        latest sentence holding one wins, its subject first; with `subject_only`, only a
        name that opens its sentence counts (what "they said" may stand for); with `last`,
        only names in the last that many sentences before `pos`.
        """
        body = self._body
        starts = self._sentence_starts()
        floor = max(0, pos - _ANTECEDENT_REACH)
        if last:
            here = bisect.bisect_right(starts, pos) - 1
            floor = max(floor, starts[max(0, here - last)] if here >= 0 else 0)
        best: tuple[int, int, int] | None = None
        chosen = None
        for match in _CAP_RUN.finditer(body, floor, pos):
            at = match.start()
            if _word_char(body, at - 1) or self._quoted_at(at):
                continue
            run = match.group(0)
            if run not in self._org_names:
                self._org_names[run] = self._org_name(run)
            name = self._org_names[run]
            if not name:
                continue
            at += match.group(0).find(name)
            sentence = bisect.bisect_right(starts, at) - 1
            subject = self._opens(starts[sentence] if sentence >= 0 else 0, at)
            if subject_only and not subject:
                continue
            count = self._counts.get(name)
            if count is None:
                count = len(_whole_word_at(body, name))
                self._counts[name] = count
            if count < 2 and not any(_is_org_word(w) for w in name.split()):
                continue
            rank = (-count, -sentence, int(not subject), at)
            if best is None or rank < best:
                best, chosen = rank, name
        if chosen and chosen.isupper():
            # "PG&E" after "Pacific Gas & Electric Co. (PG&E)": one name per organisation.
            chosen = self._expand_acronym(chosen) or chosen
        return chosen

    def _spoke_recently(self, pos: int) -> bool:
        """Whether the last speaker was attributed in this sentence or the one before."""
        starts = self._sentence_starts()
        here = bisect.bisect_right(starts, pos) - 1
        return self._last_any_pos >= starts[max(0, here - 1)] if here >= 0 else False

    def _people_before(self, pos: int) -> bool:
        """Whether the sentence before `pos` opens with people ("Analysts expect ...")."""
        starts = self._sentence_starts()
        here = bisect.bisect_right(starts, pos) - 1
        for k in range(here - 1, max(-1, here - 3), -1):
            words = self._body[starts[k] : starts[k] + 40].split()[:2]
            if any(_is_role(w) and w.lower().endswith("s") for w in words):
                return True
        return False

    def _org_name(self, run: str) -> str | None:
        """The organisation a capitalised run names, or None (a person, place, title)."""
        words = run.split()
        if words and _is_possessive(words[-1]):
            words[-1] = words[-1][:-2]
        words = [w.rstrip(".") if not _is_initial(w) else w for w in words]
        while words and (is_not_name(words[0]) or _is_role(words[0])):
            words = words[1:]  # "But Strava", "CEO"
        if not words or any(w.lower() in _words("speaker_place_words") for w in words):
            return None
        org = any(_is_org_word(w) for w in words)
        if first_name_gender(words[0]) is not None and len(words) > 1 and not org:
            return None  # "Anna Reed", but not "Dick Clark Productions"
        if self._personal is None:
            self._personal = {name.split()[-1] for _, name in self.names.mentions}
        if words[-1] in self._personal and not org:
            return None  # a person named before ("Reed", "Anna Reed")
        name = " ".join(words)
        if name in _agencies() or any(is_not_name(w) for w in words):
            return None
        if name in self.names.places:
            return None  # "in Nepal"
        if name.isupper() and len(name) <= 3:
            return None  # "AI", "LED", "SUV": more often a thing than a company
        body = self._body
        if " " not in name and not any(
            at > 1 and body[at - 1] == " " and (body[at - 2].isalnum() or body[at - 2] == ",")
            for at in _whole_word_at(body, name)
        ):
            return None  # capitalised only where it opens a sentence: "Fires broke out"
        return name

    def _quoted_at(self, at: int) -> bool:
        k = bisect.bisect_right(self._quoted, (at, len(self._body))) - 1
        return k >= 0 and self._quoted[k][0] <= at < self._quoted[k][1]

    def continuation(self) -> tuple[str, str | None] | None:
        """The speaker a quote-only paragraph continues (the last one that spoke)."""
        if self._last_any is None:
            return None
        return self._last_any, self._roles.get(self._key(self._last_any))

    @staticmethod
    def _compatible(description: str, role: str | None, definite: bool = True) -> bool:
        """Whether a description can name the last person ("the speaker", same service)."""
        words = [w for w in re.findall(r"[\w'’-]+", description.lower()) if w not in _CONNECT]
        if definite and words in (["speaker"], ["official"], ["spokesman"], ["spokesperson"]):
            return True
        if not role:
            return False
        role_words = set(re.findall(r"[\w'’-]+", role.lower())) - _CONNECT
        content = [w for w in words if w not in _words("speaker_roles")]
        if set(content) & role_words:
            return True
        return definite and any(w in role_words for w in words)

    def _remember(
        self, speaker: str, role: str | None, kind: str, pos: int
    ) -> tuple[str, str | None]:
        key = self._key(speaker)
        if role:
            self._roles.setdefault(key, role)
        if kind == "person":
            if key not in self._roles:
                title = self._role_of(speaker)
                if title:
                    self._roles[key] = title
            self._last_person = speaker
            self._last_person_pos = max(self._last_person_pos, pos)
            self._spoken.append((pos, speaker))
        elif kind == "org":
            self._last_org = speaker
        self._last_any = speaker
        self._last_any_pos = pos
        return speaker, self._roles.get(key)
