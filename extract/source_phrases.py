"""Speaker phrases that name no person: documents and groups.

Extraction-spec Decision 1 lets documents speak ("a UN report found that ...", "the
indictment claims ..."), and section 2 lets a description speak when no name is given
("Residents say ...", "Backers of the plan argue ..."). `extract.speakers` reads names,
roles and organisations; this module reads the rest: a noun phrase whose head noun is in
lexicons/speech_sources.txt, with its modifiers before it ("Police investigations", "a
recent poll", "the province's public defender's office") and a short complement after it ("a
report from Example Equities"). It is a fallback, tried where the speaker parser finds no
phrase, so it never changes a speaker that parser reads. `noun_phrase_before` reads the
antecedent of a relative pronoun ("employers who said"), and a quantifier standing for
people ("Some in Kestrivka") is a group too.
"""

from __future__ import annotations

import re
from functools import cache

from extract.speakers import Phrase, lexicon

_TOKEN = re.compile(r"\d[\d,.]*\d|[\w'’&.\-]+|[,;:()\"“”«»—–]")
_STOPS = frozenset(',;:()"“”«»—–')
# Words that open a clause: the subject phrase starts after them.
_CLAUSE_WORDS = frozenset(
    "that which who whom whose what and but or while as because when if so though although since "
    "where whereas after before until".split()
)
_ARTICLES = frozenset({"the", "a", "an"})
_APPOSITIVE_OPENERS = frozenset({"a", "an", "the", "including", "which", "who", "led", "based"})
_QUANTIFIERS = frozenset(
    "this these those its their his her our my your some many most several other another all "
    "both few each every one two three four five six seven eight nine ten dozens hundreds "
    "thousands".split()
)
# Words that cannot stand before the head noun of a subject: verbs, pronouns, prepositions.
_NOT_MODIFIERS = frozenset(
    "is are was were be been being has have had will would can could should may might must "
    "do does did not no to than then there here it he she they we i you him them us me also "
    "in on at by with from of for into over under about against during through across "
    "what how why just only even still now among between like than including".split()
)
_SENTENCE_ADVERBS = frozenset(
    "however meanwhile instead moreover furthermore nevertheless yet still last next "
    "separately additionally earlier later".split()
)
# What may follow the head noun before the verb: "a report from X", "a poll of 1,500
# voters conducted by X", "research by X and Y".
_COMPLEMENT_OPENERS = frozenset(
    "of from by for on in at into conducted published released commissioned issued filed "
    "obtained reviewed seen led backed carried prepared across among close familiar loyal "
    "near".split()
)
# "friends close to the mayor", "engineers familiar with the dam".
_COMPLEMENT_STOPS = (
    _NOT_MODIFIERS - _COMPLEMENT_OPENERS - {"it", "also", "even", "still", "to", "with"}
)


@cache
def _nouns() -> dict[str, str]:
    # Organisation nouns ("the public defender's office") speak too, as organisations.
    nouns = {word.lower(): "org" for word in lexicon("speaker_orgs")}
    for line in lexicon("speech_sources"):
        noun, _, kind = (part.strip() for part in line.partition("|"))
        nouns[noun.lower()] = kind or "group"
    return nouns


@cache
def _adverbs() -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon("speech_adverbs"))


def is_source_noun(word: str) -> bool:
    """Whether `word` heads a document, group or organisation phrase ("report", "Studies")."""
    return _word(word) in _nouns()


def _word(tok: str) -> str:
    return tok.lower().replace("’", "'")


def is_modifier(tok: str) -> bool:
    """A word that can stand before the head noun of a subject phrase."""
    word = _word(tok)
    if word in _ARTICLES or word in _QUANTIFIERS or word.endswith(("'s", "s'")):
        return True
    if word in _NOT_MODIFIERS or word in _CLAUSE_WORDS:
        return False
    if tok[0].isupper():
        # Months and other capitalised words the name lexicon rejects qualify a noun here
        # ("a March 2019 study"); sentence adverbs do not.
        return word not in _SENTENCE_ADVERBS
    return not word.endswith("ly")


def _phrase(text: str, toks: list[re.Match[str]], head: int, end: int) -> Phrase:
    """The phrase from its first word to `end` (exclusive), without a leading article."""
    first = 0
    while first < head and _word(toks[first].group(0)) in _ARTICLES:
        first += 1
    words = text[toks[first].start() : toks[end - 1].end()].rstrip(".")
    kind = _nouns()[_word(toks[head].group(0))]
    # The phrase starts at its article, as the speaker parser's do ("the ministry").
    return Phrase(kind, words, None, toks[0].start())  # type: ignore[arg-type]


def _complement_end(toks: list[re.Match[str]], head: int, limit: int) -> int | None:
    """End of an acceptable complement after the head (`head + 1` when there is none)."""
    if head + 1 == limit:
        return limit
    if head + 2 == limit and toks[head + 1].group(0)[0].isdigit():
        return limit  # "Article 5", "Section 3"
    opener = _word(toks[head + 1].group(0))
    if opener not in _COMPLEMENT_OPENERS or limit - head > 18:
        return None
    if opener.endswith("ed") and (
        head + 2 >= limit or _word(toks[head + 2].group(0)) not in _COMPLEMENT_OPENERS
    ):
        return None  # "a poll conducted by X", not "the Authority published a notice"
    if any(
        t.group(0).islower() and _word(t.group(0)) in _COMPLEMENT_STOPS
        for t in toks[head + 1 : limit]
    ):
        return None  # a verb or pronoun: a clause, not a complement ("May" is a month)
    return limit


def noun_phrase_before(text: str) -> Phrase | None:
    """The noun phrase ending `text`, before a relative pronoun ("employers who said",
    "a notice that said"): a group, or the kind its head noun has in the lexicon."""
    toks = list(_TOKEN.finditer(text))
    if not toks or not toks[-1].group(0).islower() or not is_modifier(toks[-1].group(0)):
        return None
    start = len(toks) - 1
    while start > 0 and len(toks) - start < 7:
        word = _word(toks[start - 1].group(0))
        if word == "and" and start > 1 and is_modifier(toks[start - 2].group(0)):
            start -= 1  # "restaurant owners and other employers"
            continue
        tok = toks[start - 1].group(0)
        if tok in _STOPS or not is_modifier(tok):
            break
        if tok.islower() and tok.endswith("ed") and start < len(toks) - 1:
            break  # "published a notice": a verb, unless it qualifies the head ("leaked memo")
        start -= 1
    seg = toks[start:]
    first = 1 if _word(seg[0].group(0)) in _ARTICLES and len(seg) > 1 else 0
    words = text[seg[first].start() : seg[-1].end()]
    kind = _nouns().get(_word(seg[-1].group(0)), "group")
    return Phrase(kind, words, None, seg[0].start())  # type: ignore[arg-type]


def source_before(text: str) -> Phrase | None:
    """The document or group phrase that ends `text` (the words before a speech verb)."""
    toks = list(_TOKEN.finditer(text))
    while toks and _word(toks[-1].group(0)) in _adverbs():
        toks.pop()
    # "Most economists, however, argue", "a study by X, a London think tank, concluded",
    # "investigations, including an autopsy, have concluded": a parenthetical before the verb.
    if len(toks) >= 3 and toks[-1].group(0) == ",":
        comma = max(k for k in range(len(toks) - 1) if toks[k].group(0) in _STOPS or k == 0)
        inner = [t.group(0) for t in toks[comma + 1 : -1]]
        adverb = 0 < len(inner) <= 2 and all(w.islower() for w in inner)
        appositive = bool(inner) and _word(inner[0]) in _APPOSITIVE_OPENERS
        if toks[comma].group(0) == "," and (adverb or appositive):
            toks = toks[:comma]
    if not toks or toks[-1].group(0) in _STOPS:
        return None
    start = len(toks)
    while start > 0 and toks[start - 1].group(0) not in _STOPS:
        word = _word(toks[start - 1].group(0))
        # "Nowak and Kowalski": "and" between two names joins them.
        joint = word == "and" and 1 < start < len(toks) and toks[start].group(0)[0].isupper()
        if word in _CLAUSE_WORDS and not (joint and toks[start - 2].group(0)[0].isupper()):
            break
        start -= 1
    seg = toks[start:]
    if not seg or len(seg) > 24:
        return None
    for head, tok in enumerate(seg):
        if _word(tok.group(0)) in _nouns():
            end = _complement_end(seg, head, len(seg))
            if end is not None:
                return _phrase(text, seg, head, end)
        if not is_modifier(tok.group(0)) or head >= 6:
            return None
        if tok.group(0).endswith("ed") and tok.group(0).islower() and head + 1 < len(seg):
            # "leaked report" is a phrase; "the minister visited the report" a clause.
            if _word(seg[head + 1].group(0)) not in _nouns():
                return None
    return None


# "Some in Kestrivka", "Many of the residents": a quantifier standing for people.
_SOME_OF = re.compile(
    r"\s*(?:Some|Many|Most|Others|Several|Few|Some\s+of\s+them)\s+(?:in|of|from|at)\s+"
    r"(?:the\s+)?[\w'’-]+(?:\s+[A-Z][\w'’-]*)*"
)


def source_after(text: str) -> tuple[Phrase, int] | None:
    """The document or group phrase that starts `text` ("said a report from X."), and its end."""
    some = _SOME_OF.match(text)
    if some:
        start = len(text) - len(text.lstrip())
        return Phrase("group", some.group(0).strip(), None, start), some.end()
    toks = []
    for tok in _TOKEN.finditer(text):
        if tok.group(0) in _STOPS or len(toks) > 16:
            break
        toks.append(tok)
    for head, tok in enumerate(toks):
        if _word(tok.group(0)) in _nouns():
            end = head + 1
            if end < len(toks) and _word(toks[end].group(0)) in _COMPLEMENT_OPENERS:
                end = len(toks)
                if _complement_end(toks, head, end) is None:
                    return None
            phrase = _phrase(text, toks, head, end)
            return phrase, toks[end - 1].end() - (1 if toks[end - 1].group(0).endswith(".") else 0)
        if not is_modifier(tok.group(0)) or head >= 6:
            return None
    return None
