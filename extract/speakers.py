"""Who speaks: parse a speaker phrase, find names, resolve pronouns and descriptions.

A speaker phrase is the noun phrase next to a speech verb. `phrase_before(text)` reads the
phrase that ends `text` ("..., the head of the service Volodymyr Fityo"), `phrase_after(text)`
the one that starts it ("Fityo on the air of ..."). Both return a `Phrase`: its kind
(`person`, `org`, `pronoun`, `description`), the name or description as written, the role the
phrase gives, and where it starts in `text`. `Resolver` then turns phrases into final speaker
names in article order (fullest name form, pronouns and descriptions to the last speaker).
Knowledge lives in lexicons/speaker_*.txt.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

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


def _fits(pronoun: str, name: str) -> bool:
    """Whether a he/she pronoun can stand for a name (unknown first names fit both)."""
    gender = _first_names().get(name.split()[0].lower())
    return (
        gender is None
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


# Keyed by token: bounded, since a long crawl meets an unbounded vocabulary.
@lru_cache(maxsize=8192)
def _is_role(token: str) -> bool:
    word = _word(token)
    return (
        word in _words("speaker_roles")
        or word.split("-")[-1] in _words("speaker_roles")
        or _is_anaphor(word)
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
    words = text.strip(" ,").split()
    while words and words[0].lower() in _ARTICLES:
        words = words[1:]
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
            while org_words and org_words[0].lower() in _ARTICLES:
                org_words = org_words[1:]
            if not org_words:
                return None
            first = proper[0]
            if first > 0 and words[first - 1].lower() in _ARTICLES:
                first -= 1  # "the Air Force" starts at "the"
            return Phrase("org", " ".join(org_words), None, toks[first].start())
        if len(name) > 4 or (len(name) == 1 and is_not_name(name[0])):
            return None
        if split == i and i > 0 and words[i - 1].lower() in _PLACE_PREPOSITIONS:
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
    after_of = run_start > 0 and words[run_start - 1].lower() in {"of", "for"}
    if run_start > 1 and words[run_start - 1].lower() == "the":
        after_of = words[run_start - 2].lower() in {"of", "for"}
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


def _role_suffix(words: list[str]) -> str | None:
    """The role at the end of the words before a name: from its first role noun on."""
    for k, w in enumerate(words):
        if _is_role(w):
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
    head = roles[0] if roles else orgs[0]
    # Compounds: "police spokesman", "prosecutor's office" end at their last noun.
    while head + 1 < len(words) and (_is_role(words[head + 1]) or _is_org_word(words[head + 1])):
        head += 1
    # Everything after the head must hang off it through a preposition.
    if head + 1 < len(words) and words[head + 1].lower() not in _CONNECT:
        return None
    start = head
    while start > 0 and head - start < 3:
        prev = words[start - 1]
        if prev.lower() in _DETERMINERS or _is_possessive(prev):
            start -= 1
            break
        if prev.lower() in _SUBORDINATORS or prev.lower() in _CONNECT:
            break
        if prev.islower() and prev.endswith("ed") and not (_is_role(prev) or _is_org_word(prev)):
            break  # "prompted some Twitter users": a verb ends the description
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
# A name right after one of these is a place or an object, not the subject ("in Sweden").
_PLACE_PREPOSITIONS = frozenset(
    {"in", "at", "from", "to", "near", "across", "into", "over", "within", "by", "with",
     "against", "after", "before", "on", "about", "under", "toward", "towards", "around"}
)  # fmt: skip
# Tokens (see _TOKEN) that end the phrase before a verb: punctuation that closes a clause.
_STOP_TOKENS = frozenset(',;:()"“”«»')


def phrase_before(text: str) -> Phrase | None:
    """The speaker phrase that ends `text` (the words right before a speech verb)."""
    last = text.rsplit(None, 1)[-1:]
    if last and last[0] in _TRAILING_TIME_LAST:
        text = _TRAILING_TIME.sub("", text)
    if "(" in text:
        # "the Civil Aviation Authority of Nepal (CAAN)": blank the acronym, keep the offsets.
        text = _ACRONYM.sub(lambda m: " " * len(m.group(0)), text)
    toks = _tokens(text)
    while toks and _word(toks[-1].group(0)) in _words("speech_adverbs"):
        toks.pop()
    if not toks:
        return None
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
    while seg and seg[-1].group(0).lower() in ("to", "and"):
        seg = seg[:-1]  # "prompted some users to argue": the infinitive's subject
    if len(seg) > 22:
        seg = seg[-22:]
    phrase = _classify(text, seg)
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
    for n in range(2, min(len(segments), 4) + 1):
        head = segments[-n]
        appositives = segments[-n + 1 :]
        while head and _word(head[0].group(0)) in _SUBORDINATORS:
            head = head[1:]
        if not head or not all(_is_appositive(a) for a in appositives):
            continue
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
        return None
    return None


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


def phrase_after(text: str) -> tuple[Phrase, int] | None:
    """The speaker phrase that starts `text`, and where it ends (inverted "said Fityo")."""
    toks = _tokens(text)
    seg: list[re.Match[str]] = []
    for t in toks:
        tok = t.group(0)
        if tok in ',;:()"“”«»':
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
        if len(seg) > 22:
            return None
    while seg and seg[-1].group(0).lower() in _CONNECT:
        seg.pop()
    phrase = _classify(text, seg)
    if phrase is None:
        return None
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
                if words[0].lower() in _DETERMINERS or _is_role(words[0]) or _is_cap(words[0]):
                    phrase = Phrase(
                        "person", phrase.text, _clean_role(match.group(1)), phrase.start
                    )
    return phrase, end


_INVERTED_TAIL = re.compile(r"\b(?:said|says|added|wrote)\s+(?=[A-Z][^,]*$)")
_ACRONYM = re.compile(r"\s*\([A-Z][A-Za-z&.]{1,9}\)")
_QUOTE_CHARS = frozenset("\"“”«»„'‘’")
_APPOSITIVE_NAME = re.compile(
    r"\s*,\s*((?:[A-Z][\w'’-]+|[A-Z]\.)(?:\s+(?:[\w'’-]+|[A-Z]\.)){1,6}?)(?=\s*(?:[,.;]|$))"
)
_ORG_BEFORE_ACRONYM = re.compile(
    r"([A-Z][\w'’&.-]*(?:\s+(?:(?:of|for|and|&)\s+(?:the\s+)?)?[A-Z][\w'’&.-]*){0,8})\s*$"
)
_ORG_NAME = re.compile(
    r"[A-Z](?<![\w'’.-][A-Z])[\w'’&.-]*(?:\s+(?:(?:of|for|and|&)\s+(?:the\s+)?)?[A-Z][\w'’&.-]*){0,8}"
)
# The pattern opens with a bare character class so the regex engine can skip ahead to
# capitals quickly; the look-behind that follows checks the word start (twice as fast as
# opening with the look-behind). A word is taken whole (`++`, possessive): giving back
# letters could never let the following space match, and a lone capitalised word (most
# sentence starts) would otherwise be retried letter by letter.
_NAME = re.compile(
    r"[A-Z](?<![\w'’.][A-Z])(?:[\w'’-]++|\.)(?:\s+(?:(?:de|da|van|von|der|bin|al|di|del)\s+)?"
    r"[A-Z](?:[\w'’-]++|\.)){1,5}"
)


@dataclass(frozen=True, slots=True)
class _Names:
    """Person names the article introduces, by last and first word, and every mention."""

    by_last: dict[str, list[tuple[int, str]]]
    by_first: dict[str, list[tuple[int, str]]]
    mentions: list[tuple[int, str]]  # (offset, fullest name), in body order
    titled: list[tuple[int, str, str]]  # (offset, name, role) where a title precedes a name


def _word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] in "'’-.")


def _find_names(body: str, quoted: list[tuple[int, int]]) -> _Names:
    by_last: dict[str, list[tuple[int, str]]] = {}
    by_first: dict[str, list[tuple[int, str]]] = {}
    mentions: list[tuple[int, str]] = []
    titled: list[tuple[int, str, str]] = []
    personal: set[str] = set()
    quote_starts = [a for a, _ in quoted]
    place_words = _words("speaker_place_words")
    org_words = _words("speaker_orgs")
    first_names = _first_names()
    agencies = _agencies()
    for match in _NAME.finditer(body):
        at = match.start()
        k = bisect.bisect_right(quote_starts, at)
        if k and at < quoted[k - 1][1]:
            continue  # names inside quotations are not what a pronoun outside points to
        if body[at - 1 : at] in _QUOTE_CHARS:
            continue  # a title in quotes: the "Veldania Live" TV marathon
        pre = body[max(0, at - 12) : at].split()
        prev = pre[-1].lower() if pre else ""
        if prev in ("the", "as") or prev in _PLACE_PREPOSITIONS:
            continue  # "the Irish Open", "in New York", "as Demo News informs": not a person
        words = match.group(0).split()
        if _is_possessive(words[-1]):  # "Anwar Ibrahim’s travels"
            words[-1] = words[-1][:-2]
        if prev == "of" and len(words) >= 3:
            cut, words = words[:-2], words[-2:]  # "... of Ukraine Volodymyr Fityo"
        else:
            split = _name_start(words, 0)
            cut, words = words[:split], words[split:]
        if len(words) < 2:
            continue
        lowered = [w.lower().rstrip(".") for w in words]
        if not (org_words.isdisjoint(lowered) and place_words.isdisjoint(lowered)):
            continue  # "Armed Forces", "United States", "Northern Ireland"
        name = " ".join(words)
        if name in agencies:
            continue
        # "Minister of Finance Olena Varnytska": the title right before the name.
        role = None
        if cut or prev in ("of", "for") or (pre and _is_role(pre[-1])):
            clause = re.split(r"[,.;:()\"“”]", body[max(0, at - 100) : at])
            role = _role_suffix(clause[-1].split() + cut)
            if role:
                titled.append((at, name, role))
        last = words[-2] if lowered[-1] in _NAME_SUFFIXES and len(words) > 2 else words[-1]
        by_last.setdefault(last, []).append((at, name))
        # Only names that look personal can be what "he" or "she" points to, or be called
        # by their first word alone ("Fahmi"): a known first name or a title before it
        # ("Communications Minister Fahmi Fadzil"), not "Sierra Nevada", "Tottenham Hotspur".
        if lowered[0] in first_names or role:
            personal.add(last)
            mentions.append((at, name))
            by_first.setdefault(words[0], []).append((at, name))
    # Later mentions by the last name alone ("Putin said he ..."); str.find is far cheaper
    # than another regex pass over the body.
    for last in personal:
        at = body.find(last)
        while at >= 0:
            end = at + len(last)
            if not _word_char(body, at - 1) and not _word_char(body, end):
                k = bisect.bisect_right(quote_starts, at)
                if not (k and at < quoted[k - 1][1]):
                    mentions.append((at, last))
            at = body.find(last, end)
    mentions.sort()
    return _Names(by_last, by_first, mentions, titled)


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
            return name
        before = [f for p, f in forms if p <= pos]
        return max(before or [f for _, f in forms], key=len)

    def _key(self, speaker: str) -> str:
        return speaker.split()[-1].lower()

    def _recent_mention(self, pos: int, pronoun: str) -> tuple[int, str] | None:
        """The last person named before `pos` that the pronoun can stand for."""
        mentions = self.names.mentions
        k = bisect.bisect_left(mentions, (pos, ""))
        for at, name in reversed(mentions[max(0, k - 8) : k]):
            if _fits(pronoun, self._fullest(name, at)):
                return at, name
        return None

    def resolve(
        self, phrase: Phrase, pos: int, remember: bool = True
    ) -> tuple[str, str | None] | None:
        """Final (speaker, role) for a phrase found at body offset `pos`, None if unknown.

        With `remember` False the speaker does not become the one that pronouns and
        continuations point to (speech quoted inside another statement).
        """
        if not remember:
            state = (self._last_person, self._last_person_pos, self._last_org, self._last_any)
            try:
                return self.resolve(phrase, pos)
            finally:
                self._last_person, self._last_person_pos, self._last_org, self._last_any = state
        if not phrase.text.strip():
            return None
        if phrase.kind == "document":
            return self._document(phrase.text, pos)
        if phrase.kind == "group":
            return self._remember(phrase.text, None, "any", pos)
        if phrase.kind == "pronoun":
            want = _pronouns()[phrase.text]
            if want == "person":
                speaker = self._last_person
                if speaker and not _fits(phrase.text, speaker):
                    speaker = None
                # A person named since the last speaker spoke is the likelier antecedent
                # ("Putin denounced the strike. He said ...").
                mention = self._recent_mention(pos, phrase.text)
                if mention and (speaker is None or mention[0] > self._last_person_pos):
                    if speaker is None or pos - mention[0] < 400:
                        speaker = self._fullest(mention[1], mention[0])
            elif want == "org":
                speaker = self._last_org
            else:
                speaker = self._last_any
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
                mention = self._recent_mention(pos, "they")
                if mention and pos - mention[0] < 1500:
                    return self._remember(
                        self._fullest(mention[1], mention[0]), None, "person", pos
                    )
            head = next((w for w in phrase.text.lower().split() if _is_role(w)), "")
            plural = head.endswith("s") and not head.endswith("ss")  # "the authors"
            if self._body[pos : pos + 4].lower() == "the " and not plural:
                # "the minister" after "Minister of Finance Olena Varnytska" was named.
                named = self._titled_before(phrase.text, pos)
                if named:
                    return self._remember(named[0], named[1], "person", pos)
                # "the government spokesman said" right after that person's statements.
                if last and pos - self._last_person_pos < 1500:
                    return self._remember(last, None, "person", pos)
            return self._remember(phrase.text, None, "description", pos)
        if phrase.text.isupper() and " " not in phrase.text and len(phrase.text) > 1:
            # "the OBR" after "Office for Budget Responsibility (OBR)".
            full = self._expand_acronym(phrase.text)
            if full:
                return self._remember(full, None, "org", pos)
        if phrase.kind == "org":
            if phrase.text.islower() and self._body[pos : pos + 4].lower() == "the ":
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
        # The outlet that reports the story is not the organisation it writes about.
        named = [(p, n) for p, n in named if n not in _agencies()]
        if self._last_org and not self._last_org.islower():
            return self._last_org
        return named[-1][1] if named else None

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
        elif kind == "org":
            self._last_org = speaker
        self._last_any = speaker
        return speaker, self._roles.get(key)
