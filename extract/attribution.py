"""The speaker phrase next to a speech verb.

`speaker_before(text)` reads the phrase that ends `text` (the words before the verb) and
`speaker_after(text)` the one that starts it ("said X"). Both try the speaker parser of
`extract.speakers` first, then the document and group phrases of `extract.source_phrases`,
then the shapes the parser misses: a scene-setting phrase or a subordinator before the
subject ("On its website the authority said", "the day when an official claimed"), a name
set off by commas ("The company that runs the dam, Acme Hydro, says"), "X, led by Y,", a
title before the name after the verb ("said the firm's chief economist, Jan Nowak."), a
circumstance after it ("said a spokesperson when contacted by ..."), an acronym ("says
WHO"). Impersonal "It's said" has no speaker.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extract.source_phrases import is_source_noun, source_after, source_before
from extract.speakers import Phrase, phrase_after, phrase_before

# A scene-setting phrase before the subject: "On social media the police said: ...".
_INTRO = re.compile(
    r"^\s*(?:On|In|At|During|After|Before|Later|Earlier|Separately|Meanwhile|Speaking|Talking|"
    r"Writing)\b"
    r"(?=[^,;:\"“”]{0,60}$)"
)
# Where the subject may start after such a phrase: before "the" or a capitalised word, or
# a subject pronoun ("In a post at the time she described ...").
_SUBJECT_START = re.compile(r"\s(?=(?:the\s+)?[A-Z]|(?:he|she|they|we|it)\s)")


_SUBORDINATE_END = re.compile(
    r"\b(?:when|after|before|since|where|if|until|once|because|while|whereas|which|whom)\s+"
    r"(?=[^,;:]{1,80}$)"
)


NAME = r"[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|da|van|von|al|bin|der|la|le))*"
_NAME_APPOSITIVE = re.compile(rf",\s*(?P<name>{NAME})\s*,\s*$")
_NAME_THEN_PARTICIPLE = re.compile(
    rf"^\s*(?P<name>{NAME})\s*,\s*(?:joined|backed|flanked|accompanied|supported|led)\s"
    r"[^,;:]{1,100},\s*$"
)
_ACRONYM_SPEAKER = re.compile(r"\s*(?:the\s+)?([A-Z]{2,6})(?![\w'’-])\s*(?:[.,;]|$)")
_NAME_THEN_DESCRIPTION = re.compile(
    rf"^(?:.*[,;:]\s+|\s*)(?P<name>{NAME})\s*,\s*(?:a|an|the)\s+(?P<role>[^,;:\"“”]{{2,60}}?)\s*$"
)
_CONTRACTIONS = frozenset(
    "it's that's there's what's here's he's she's they're we're i'm you're".split()
)
_TRAILING_RELATIVE = re.compile(r"\s+who\s+[a-z][^,;:]{0,40}?,?\s*$")
_LED_BY = re.compile(
    r",\s*(?:led|joined|backed|accompanied|flanked|supported|chaired)\s+by\s+[^,;:]{1,80}"
    r"(?:,\s*[A-Z]-[A-Z][\w.]*)?,\s*$"
)
# "said the firm's chief economist, Jan Nowak." The title is a noun phrase: no clause.
_TITLE_THEN_NAME = re.compile(
    r"^\s*(?P<title>(?:the|a|an|his|her|its|their|[A-Z])(?:(?!\b(?:that|which|who|on|by)\b)"
    rf"[^,;:\"“”]){{2,100}}),\s*(?P<name>{NAME})\s*[.!?]?\s*$"
)
_CIRCUMSTANCE = re.compile(r"\s(?:when|while|after|before|as|who|which|during|in|on|at)\s")


def name_ending_phrase(text: str) -> tuple[Phrase, int] | None:
    """ "said the firm's newly named chair Jan Nowak in an email": a full name ends the
    phrase after "said", before any circumstance."""
    cut = _CIRCUMSTANCE.search(text)
    head = text[: cut.start()] if cut else text.rstrip(" .")
    phrase = phrase_before(head)
    if phrase is not None and phrase.kind == "person" and " " in phrase.text:
        return phrase, len(head)
    return None


# A pure function of `text`, and the statement rules ask it about the same words more than
# once (a verb clause and the backward or shared-subject rule read the same prefix): about
# one call in five repeats an earlier one of the same article. Phrase is frozen, so the
# cached answer cannot be changed by a caller.
@lru_cache(maxsize=256)
def speaker_before(text: str) -> Phrase | None:
    """The speaker phrase ending `text`: a person or organisation, else a document or group."""
    phrase = _parse_before(text)
    if phrase is None or phrase.kind == "description":
        # "David Nowak, a former officer (who responded)": the name, with its role.
        offset = max(0, len(text) - 160)
        near = text[offset:]
        relative = _TRAILING_RELATIVE.search(near)
        named = _NAME_THEN_DESCRIPTION.match(near[: relative.start()] if relative else near)
        if named:
            person = phrase_before(named.group("name"))
            if person is not None and person.kind == "person":
                role = named.group("role")
                return Phrase("person", person.text, role, offset + named.start("name"))
    return phrase


def _parse_before(text: str) -> Phrase | None:
    phrase = _parse_before_any(text)
    if phrase is not None and phrase.text.lower().replace("’", "'") in _CONTRACTIONS:
        return None  # "It's said that ...": an impersonal passive has no speaker
    return phrase


def _parse_before_any(text: str) -> Phrase | None:
    led = _LED_BY.search(text)
    if led and led.start() > 0:
        # "lawmakers on the committee, led by chairman X, requested": the lawmakers.
        text = text[: led.start()] + " " * (len(text) - led.start())
    phrase = phrase_before(text)
    if phrase is None or (phrase.kind == "person" and is_source_noun(phrase.text.split()[-1])):
        # "Studies have shown": a capitalised common noun opening the sentence.
        phrase = source_before(text) or phrase
    elif text.rstrip().endswith(","):
        # "a study by the X Institute, a think tank, concluded": the document, not the
        # last capitalised words before the appositive.
        document = source_before(text)
        if document is not None and document.kind == "document":
            phrase = document
    if phrase is None:
        # "On social media the police said", "... the day when a city official claimed":
        # the subject starts after the scene-setting phrase or the subordinator.
        intro = _INTRO.match(text)
        cuts = [m.end() for m in _SUBJECT_START.finditer(text, intro.end())] if intro else []
        near = max(0, len(text) - 100)  # the subordinator stands shortly before the verb
        subordinate = last_match(_SUBORDINATE_END, text[near:])
        if subordinate:
            cuts.append(near + subordinate.end())
        for cut in cuts:
            phrase = phrase_before(text[cut:])
            if phrase is not None:
                return shift_phrase(phrase, cut)
        # "The company that runs the dam, Acme Hydro, says": the name in the appositive;
        # "Kowalski, joined by two engineers, said": the name before a participle phrase.
        # "David Nowak, a former officer who responded, said": without the relative clause.
        relative = _TRAILING_RELATIVE.search(text)
        if relative:
            found = phrase_before(text[: relative.start()])
            if found is not None and found.kind != "pronoun":
                return found
        named = _NAME_APPOSITIVE.search(text) or _NAME_THEN_PARTICIPLE.match(text)
        if named:
            found = phrase_before(named.group("name"))
            if found is not None and found.kind in ("person", "org"):
                return shift_phrase(found, named.start("name"))
    return phrase


def speaker_after(text: str) -> tuple[Phrase, int] | None:
    """The speaker phrase starting `text` ("said a report from X") and where it ends."""
    found = phrase_after(text) or source_after(text)
    if found is None:
        # "said a spokesperson when contacted by Northwire": the phrase ends before the
        # circumstance.
        cut = _CIRCUMSTANCE.search(text)
        if cut:
            found = phrase_after(text[: cut.start()]) or name_ending_phrase(text)
    if found is None:
        # "said the firm's chief economist, Jan Nowak.": the name after the title.
        named = _TITLE_THEN_NAME.match(text)
        if named:
            phrase = phrase_before(named.group("name"))
            if phrase is not None and phrase.kind == "person":
                role = named.group("title").strip()
                shifted = Phrase("person", phrase.text, role, named.start("name"))
                found = shifted, named.end("name")
    if found is None:
        # "says UNEP": an acronym names an organisation.
        acronym = _ACRONYM_SPEAKER.match(text)
        if acronym:
            found = Phrase("org", acronym.group(1), None, acronym.start(1)), acronym.end(1)
    return found


def last_match(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The last match of `pattern` in `text`, or None."""
    found = None
    for found in pattern.finditer(text):  # noqa: B007 - only the last one is wanted
        pass
    return found


def shift_phrase(phrase: Phrase, offset: int) -> Phrase:
    """The phrase with its start moved by `offset` (from a slice to the whole text)."""
    return Phrase(phrase.kind, phrase.text, phrase.role, phrase.start + offset)
