"""Statements: who said what in an article body (extraction-spec section 2).

`extract_statements(body)` reads a body cleaned by `extract.text.clean_body` and returns
`Statement` records in body order. It is rule-based and runs in three passes over the
segments from `extract.segment`:

1. Direct speech: each quotation is tied to an attribution in its own sentence, after the
   closing mark (`"...," Fityo said`, `"..." said Fityo`) or before the opening one
   (`X said: "..."`, `According to X, "..."`, `X called it an "..."`). A quotation
   interrupted by its attribution (`"A," he said, "B."`) is one statement. A quote-only
   paragraph continues the previous speaker with cue None.
2. Indirect speech, sentence by sentence, outside quotations: "X noted that ...",
   "X said ...", "according to X, ...", "..., X said.", "A, she said, B." (whole sentence)
   and backward attribution ("This was stated by X": the preceding sentences, or the
   previous paragraph when the attribution opens its paragraph). Quoted fragments inside
   the reported clause belong to it. A participle after a comma ("..., adding that ...")
   is said by the subject of its sentence.
3. Speech quoted inside a quotation ("I heard Trump ask, 'Is he ...?'") is a direct
   statement of the inner speaker; someone else's words reported inside a quotation
   ("“Studies show that ...,” the club wrote") are an indirect statement of their own.
4. Interviews in question-and-answer layout: the answers are direct statements (spec
   Decision 2).

Speaker phrases come from `extract.attribution` (the parser of `extract.speakers`, then
the documents and groups of `extract.source_phrases`, then the shapes the parser misses);
whether a clause follows a verb is `extract.clauses`' test. Speakers are resolved in body
order by `extract.speakers.Resolver`. Speech verbs and their cues and flags come from
lexicons/speech_verbs.txt; the issue-12 classes are described in docs/extraction.md.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from extract.attribution import (
    NAME,
    last_match,
    name_ending_phrase,
    shift_phrase,
    speaker_after,
    speaker_before,
)
from extract.clauses import (
    AUXILIARIES,
    ING_PREPOSITIONS,
    SUBJECT_PRONOUNS,
    clause_after_audience,
    clause_head,
    has_finite_verb,
)
from extract.records import Statement, StatementKind
from extract.segment import (
    QuoteSpan,
    WordFinder,
    paragraph_spans,
    quote_spans,
    sentence_spans,
)
from extract.source_phrases import (
    is_modifier,
    is_source_noun,
    noun_phrase_before,
)
from extract.speakers import (
    Phrase,
    Resolver,
    is_not_name,
    lexicon,
    phrase_after,
    phrase_before,
)


@dataclass(frozen=True, slots=True)
class _Verbs:
    pattern: re.Pattern[str]
    finder: WordFinder  # the same pattern, for a scan of a whole body
    cues: dict[str, str]
    bare: frozenset[str]
    cite: frozenset[str]
    ing: frozenset[str]
    quote_only: frozenset[str]
    document: frozenset[str]  # forms only a document can speak with ("the study found")
    that_only: frozenset[str]  # forms that report only with "that" or a colon ("ruled")


# Keyed by a matched verb form: a few hundred strings, each squashed several times.
@lru_cache(maxsize=4096)
def _squash(text: str) -> str:
    return " ".join(text.lower().split())


@cache
def _verbs() -> _Verbs:
    cues: dict[str, str] = {}
    bare = set()
    cite = set()
    ing = set()
    quote_only = set()
    document = set()
    that_only = set()
    for line in lexicon("speech_verbs"):
        parts = [p.strip() for p in line.split("|")]
        form = _squash(parts[0])
        cues[form] = parts[1] if len(parts) > 1 and parts[1] else form
        flags = parts[2].split() if len(parts) > 2 else []
        if "bare" in flags:
            bare.add(form)
        if "cite" in flags:
            cite.add(form)
        if "ing" in flags:
            ing.add(form)
        if "quote" in flags:
            quote_only.add(form)
        if "doc" in flags:
            document.add(form)
        if "that" in flags:
            that_only.add(form)
    # Lower case or capitalised ("Said Fityo"); listing both is faster than IGNORECASE.
    forms = set(cues) | {form[0].upper() + form[1:] for form in cues}
    finder = WordFinder(_trie_regex(forms), r"\w'’\-", r"(?![\w'’-])")
    return _Verbs(
        finder.pattern,
        finder,
        cues,
        frozenset(bare),
        frozenset(cite),
        frozenset(ing),
        frozenset(quote_only),
        frozenset(document),
        frozenset(that_only),
    )


def _trie_regex(words: Iterable[str], space: str = r"\s+") -> str:
    """One regex for many words, factored by common prefixes.

    Python's regex engine tries the branches of a flat alternation one by one at every
    position; a prefix tree rejects most positions after one character, which makes the
    verb scan several times faster. Longer forms win ("said in a statement" over "said")
    because a branch that can continue is tried before the branch that ends.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict, root: bool = False) -> str:
        # The engine tries branches in order: at the root, lower-case initials come first
        # because most words of running text start lower-case (about 15% faster). Order
        # does not change what matches, as the first characters of branches differ.
        order = (lambda item: (item[0].isupper(), item[0])) if root else None
        branches = [
            (space if char == " " else re.escape(char)) + build(child)
            for char, child in sorted(node.items(), key=order)
            if char
        ]
        if not branches:
            return ""
        alternation = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # A word may end here: the continuation is optional (and greedy, so longer first).
        return f"(?:{alternation})?" if "" in node else alternation

    return "(?:" + build(trie, root=True) + ")"


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    kind: StatementKind
    cue: str | None
    phrase: Phrase | None  # None: continues the previous speaker
    pos: int  # body offset of the speaker phrase
    para: int
    nested: bool = False  # spoken inside another statement: not the speaker to continue


_LEAD = re.compile(r"^[\s,.;:]*")
_ACCORDING = re.compile(r"(?<![\w-])according\s+to\s+", re.IGNORECASE)
# After the verb: a short circumstance, then a colon or comma ("said on Monday:"); "quote,"
# is how transcripts mark the start of quoted words ("heard Trump ask, quote, '...'").
_COLON_TAIL = re.compile(r"^(?:\s+[^:,;\"“”«».!?]{1,60}?)?\s*[:,](?:\s*quote\s*,)?\s*$")
_THAT_TAIL = re.compile(r"^(?:\s+that)?\s*$")
_THAT_CLAUSE = re.compile(r"^(?:\s+(?P<fill>[^,;:\"“”«».!?]{1,60}?))??\s+that(?:\s*,)?\s+|^\s*:\s*")
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# Circumstance between a verb and a bare clause: "said on Tuesday", "said in a statement",
# "said last week", "said Sunday".
_BARE_FILL = re.compile(
    r"^(?:\s*,)?(?:\s+(?:on|in|at|late|early|earlier)\s+(?:an?\s+|the\s+)?"
    r"[\w-]+(?:\s+[\w-]+)?\s*,?|\s+(?:last|this|next)\s+(?:week|month|year|weekend|morning|"
    rf"afternoon|evening|night|{_DAY})\s*,?|\s+(?:{_DAY}|yesterday|today)\s*,?)?\s+"
)
_BACKWARD = re.compile(
    r"^(?:this|that|it|these|such\s+\w+|the\s+(?:information|statement|news|data))\s+"
    r"(?:was|were|is|has\s+been|had\s+been)\s+(?:also\s+)?(?P<verb>\w+(?:\s+out)?)\b"
    r"(?P<fill>[^.;:]{0,80}?)\s+by\s+",
    re.IGNORECASE,
)
# "Fityo said this on the air": "this" is the object, not the subject of a clause.
_BACKWARD_ACTIVE = re.compile(
    r"^\s+(?:this|so)(?=\s*(?:[.,;]|$)|\s+(?:on|in|at|during|to|while|after|before|when)\b)",
    re.IGNORECASE,
)
# _BACKWARD_ACTIVE's words anywhere in a sentence: without them, no need to look for the
# sentence's first speech verb (a scan for whitespace is much cheaper than one for verbs).
_BACKWARD_ACTIVE_ANYWHERE = re.compile(
    r"\s(?:this|so)(?=\s*(?:[.,;]|$)|\s+(?:on|in|at|during|to|while|after|before|when)\b)",
    re.IGNORECASE,
)
# Words that open an introductory phrase ("In a statement, X said ..."): what follows up
# to the comma sets the scene.
_INTRODUCTORY = frozenset(
    "on in at during after before while when as via to from for with since following "
    "despite amid under over among speaking asked".split()
)
# Words after which a new clause with its own subject starts ("... the time when X said").
_CLAUSE_OPENERS = frozenset(
    "when after before since where if until once whereas that because unless which whom".split()
)
_WH_CLAUSE = re.compile(
    r"^(?:\s+(?:again|also|repeatedly|publicly|in\s+detail))?\s+"
    r"(?P<wh>how|why|what|whether|if|when|where|who)\s+\w"
)
_QUESTION_STEMS = ("ask", "demand", "question", "explain", "describ", "recount", "detail")
# Words that open a circumstance between a verb and "that" ("conceded under
# cross-examination that", "said again that").
_FILL_OPENERS = frozenset(
    "also again publicly repeatedly under through over amid following privately later "
    "earlier previously".split()
)
_TIME_WORDS = frozenset(
    "week month year weekend morning afternoon evening night monday tuesday wednesday "
    "thursday friday saturday sunday spring summer autumn fall winter time".split()
)
_NO_CLAUSE_START = frozenset(
    {"so", "nothing", "yes", "no", "goodbye", "hello", "to", "in", "on", "at", "for", "by"}
)
# A rest that starts with one of these is circumstance, not a reported clause
# ("..., X said on the air of ...", "..., X said at a briefing").
_ADVERBIAL_START = frozenset(
    {"on", "in", "at", "during", "after", "before", "while", "when", "as", "via", "to", "from",
     "for", "with", "citing", "adding", "speaking", "last", "this", "earlier", "later", "late",
     "yesterday", "today", "tonight", "according", "monday", "tuesday", "wednesday",
     "thursday", "friday", "saturday", "sunday"}
)  # fmt: skip
_AS_CITING = re.compile(
    r",?\s+as\s+[^,.;:]{1,60}?\s+(?:informs|reports|writes|informed|reported)\b[^.;]*[.!]?$"
)
_FIRST_NAME = re.compile(r"(?<=\s)[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+")
# After a speech verb other than "say", these open an adverbial, not the reported clause
# ("reports as it awaits approval", "asked to meet").
_NOT_CLAUSE_OPENERS = frozenset(
    "as while when because if since though although whereas via with from after before "
    "about which who whose whom".split()
)
# What joins a participle to the clause before it: "..., adding", "... and noting".
# A turn of an interview: "Q:", "A.", "Question:", or a speaker's name and a colon.
_TURN = re.compile(
    r"(?:(?P<label>Q|A|Question|Answer)\s*[:.]|(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})"
    r"\s*:)\s+(?=\S)"
)
_SUBJECT_PRONOUN = re.compile(r"^[^,;:]{0,40}?\b(he|she|they)\s+[a-z]", re.IGNORECASE)
_DATELINE = re.compile(r"\([^()]{1,30}\)\s*[—–-]+\s*")
_THAT_IS = re.compile(r"\s*(?:that|this)(?:['’]s|\s+is|\s+was)\s+", re.IGNORECASE)
_WITH_SUBJECT = re.compile(r"(?:^|[,;]\s*|\s)with\s+(?P<subject>[^,;:()\"“”]{2,60}?)\s+$")
_PARTICIPLE_JOINT = re.compile(r"(?:[,;]|,?\s+and|\s+in)\s+$")
_NAMING = ("call", "dub", "term", "label", "brand")
_CALLING = ("call", "describ", "label", "term", "brand", "denounc")
_FRAGMENT_JOINT = re.compile(r"\s*,?\s+(?:and|or)(?:\s+[^\s.;:!?\"“”«»]+){0,6}\s+")
# "the employers who said", "a blog post that said", "the group, which says".
_RELATIVE_END = re.compile(
    r",?\s+(?P<pronoun>who|which|that)\s+(?:also\s+|later\s+|had\s+|has\s+)?$"
)
_JOINT_END = re.compile(r"(?:,\s*|\s+)(?:and|but)\s+(?:also\s+|then\s+|later\s+)?$")
_RELATIVE = re.compile(r",\s+(?:who|which)(?:\s+[a-z]+)?\s*$")
_SUBORDINATE_OPENERS = frozenset(
    {"while", "although", "though", "whereas", "when", "because", "if", "since"}
)
_CONJUNCTIONS = frozenset(
    {"and", "but", "yet", "while", "as", "because", "so", "although", "though"}
)
_TITLE_WORDS = frozenset({"of", "the", "and", "a", "an", "in", "on", "for", "to", "&"})
_WORD = re.compile(r"[\w'’-]+")


@cache
def _base_forms() -> frozenset[str]:
    """Speech verbs in their base form ("say", "state", "reply"): they have an -s form."""
    cues = _verbs().cues
    return frozenset(
        f for f in cues if f + "s" in cues or f + "es" in cues or f[:-1] + "ies" in cues
    )


@cache
def _collective_nouns() -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon("speaker_orgs"))


_MODAL_END = re.compile(
    r"\b(?:will|would|can|could|should|may|might|must|did|does|do|to|not|n't)\s+(?:\w+ly\s+)?$",
    re.IGNORECASE,
)


def _singular_with_base_form(phrase: Phrase, form: str, prefix: str) -> bool:
    """A named person or company takes "says", not "say", unless a modal comes first
    ("Kowalski will say"): "New York state attorney general" has no verb."""
    if form not in _base_forms() or phrase.kind not in ("person", "org"):
        return False
    if phrase.kind == "org" and phrase.text.split()[-1].lower() in _collective_nouns():
        return False  # "the police say", "the government say"
    if " and " in phrase.text or phrase.text.endswith("s") or _MODAL_END.search(prefix[-30:]):
        return False
    return True


@cache
def _called() -> re.Pattern[str]:
    """A verb and its object right before quoted words it applies to (spec section 2):
    'called it an "...', 'described the plan as a "...', 'accused him of years of "...',
    'characterized Smith as the "...', 'urged an "...'."""
    stems = "|".join(map(re.escape, sorted(lexicon("speech_fragment_verbs"), key=len)[::-1]))
    obj = (
        r"(?:it|this|that|them|him|her|us|me"
        r"|(?:the|his|her|their|its|our)\s+[\w'’-]+(?:\s+[\w'’-]+){0,5}?"
        r"|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}|['‘][^'’]{1,40}['’])"
    )
    return re.compile(
        rf"(?<![\w-])(?P<verb>(?:{stems})(?:ed|es|s|ing|e|d)?)\s+(?:{obj}\s+)??"
        r"(?:(?:as|of)\s+(?:part\s+of\s+)?(?:years\s+of\s+)?)?"
        r"(?:(?:an?|the|his|her|its|their|our)\s+(?:[\w'’-]+\s+){0,2}?)?$",
        re.IGNORECASE,
    )


@cache
def _coordinated() -> re.Pattern[str]:
    """A speaker's next verb after a reported clause: ", but added", "and called on"."""
    past = {f for f in _verbs().cues if f.endswith("ed") or f in ("said", "told", "wrote")}
    words = past | set(lexicon("speech_coordinated"))
    return re.compile(
        r"(?:,\s*|\s+)(?:and|but)\s+(?:also\s+|then\s+|later\s+)?"
        rf"{_trie_regex(words)}(?![\w'’-])"
    )


@cache
def _speech_noun() -> re.Pattern[str]:
    """ "her claims that", "Kowalski's warning that", "a declaration by X that"."""
    nouns = _speech_noun_alternation()
    return re.compile(
        rf"(?:(?<![\w'’-])(?P<owner>his|her|their|its|[A-Z][\w-]*['’]s)\s+"
        rf"(?:(?:earlier|repeated|public|latest|new)\s+)?(?P<noun>{nouns})"
        rf"|(?<![\w'’-])(?:an?|the)\s+(?:(?:earlier|repeated|public|latest|new)\s+)?"
        rf"(?P<noun2>{nouns})\s+by\s+(?P<agent>[^,;:\"“”]{{2,60}}?))\s+that\s+"
    )


@cache
def _speech_noun_hint() -> re.Pattern[str]:
    return re.compile(rf" {_speech_noun_alternation()} (?:that|by) ")


@cache
def _speech_noun_alternation() -> str:
    """The speech nouns as a prefix tree, spaces literal. Nouns that match at one place are
    prefixes of each other, and the tree, like a flat alternation sorted longest first,
    tries the longer first: the same matches, several times faster."""
    return _trie_regex(lexicon("speech_nouns"), space=" ")


_POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "their": "they", "its": "it"}


@cache
def _telling() -> frozenset[str]:
    """Verb forms that take an audience before the reported clause ("told reporters ...")."""
    stems = ("tell", "told", "inform", "assur", "warn", "remind", "promis", "convinc")
    return frozenset(f for f in _verbs().cues if f.startswith(stems) and " " not in f)


@cache
def _audience() -> re.Pattern[str]:
    words = "|".join(map(re.escape, lexicon("speech_audiences")))
    # Any "the <noun>" is an audience when a subject pronoun or "that" follows ("told the
    # clerk she would be back").
    common = (
        r"(?:the|a|an|his|her|their|its)\s+[a-z][\w'’-]*"
        r"(?=\s+(?:that|he|she|they|it|we|i|there)\s)"
    )
    return re.compile(
        rf"^\s+(?:(?:{words})|(?:the|a|an)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*"
        rf"|{common}|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)\s+(?:that\s+)?(?=\w)"
    )


_SOURCE = re.compile(r"(?:the\s+|an?\s+)?([\w'’-]+(?:\s+[\w'’&.-]+){0,15}?)(?=\s*[,.;:]|\s*$)")


def _source_phrase(text: str) -> tuple[Phrase, int] | None:
    """After "according to": any short noun phrase is the source ("a study published in ...")."""
    match = _SOURCE.match(text)
    # A lower-case speech verb shows a clause ("according to X, who said"); a capitalised
    # form is part of a name ("Penn State University").
    if not match or any(
        v.group(0).islower() and not is_source_noun(v.group(0))
        for v in _verbs().pattern.finditer(match.group(1))
    ):
        return None
    name = match.group(1)
    if name.endswith(".") and not re.search(r"\b[A-Z]\.$", name):
        name = name[:-1]  # the sentence's full stop
    return Phrase("org", name, None, 0), match.end()


_INFINITIVE_BEFORE = re.compile(r"(?<![\w'’-])to\s+$")
# A paragraph that only says who speaks next: "Anna Kowalski, 51, agreed."
_INTRODUCER = re.compile(
    r"[^.!?\"“”]{2,80}?\s(?P<verb>agreed|disagreed|concurred|explained|added|continued|"
    r"recalled|said|says|added|warned|replied|responded)(?:\s+(?:too|as\s+well))?\s*[.:]"
)
_PASSIVE_CALLED = re.compile(
    r"\b(?P<verb>described|called|labell?ed|branded|dubbed|characteri[sz]ed|hailed|"
    r"critici[sz]ed|condemned|denounced)\s+by\s+(?P<agent>[^,;:\"“”‘’]{2,80}?)\s+as\s+"
    r"(?:(?:an?|the)\s+)?$",
    re.IGNORECASE,
)
_TRAILING_PLACE = re.compile(r"\s+(?:in|at|from)\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s*$")
_TRAILING_NAME = re.compile(r"(?:the\s+)?[A-Z][\w'’.-]*(?:\s+(?:of|for|and|[A-Z][\w'’.-]*))*\s*$")
_NAME_BEFORE_CLAUSE = re.compile(rf"(?P<name>{NAME})(?=\s+(?:the|a|an|it|he|she|they)\s)")


def _only_circumstance(text: str) -> bool:
    """After "said X": nothing, an appositive or a time ("PG&E's meteorologist", "on Tuesday")."""
    text = text.strip(' .!?"”')
    if not text:
        return True
    words = _WORD.findall(text)
    if not words or _verbs().pattern.search(text):
        return False
    # An appositive may be long ("said X, who heads the Y, a group that ..."); a
    # circumstance is short.
    return text.startswith(",") or (len(words) <= 14 and words[0].lower() in _ADVERBIAL_START)


def _qualifies(text: str) -> bool:
    """Capitalised words and nouns before a name ("Penn State quarterback"), no verb."""
    words = _WORD.findall(text)
    return (
        bool(words)
        and words[0][0].isupper()
        and all(is_modifier(w) and not w.endswith(("ed", "ing")) for w in words)
    )


def _only_titles(text: str) -> bool:
    """Nothing but capitalised words and articles: "Mr", "the", "Dr." before a name."""
    return all(w[0].isupper() or w.lower() in ("the", "a", "an") for w in _WORD.findall(text))


def _is_title(text: str) -> bool:
    """Short, capitalised, unpunctuated words in quotes name something ("United News")."""
    words = _WORD.findall(text)
    if not words or len(words) > 6 or re.search(r"[.!?]\s*$", text):
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _TITLE_WORDS for w in words)


class _Extractor:
    def __init__(self, body: str) -> None:
        self.body = body
        self.paras = paragraph_spans(body)
        self.para_starts = [s for s, _ in self.paras]
        self.sents = sentence_spans(body)
        self.sent_starts = [s for s, _ in self.sents]
        quotes = quote_spans(body)
        doubles = [q for q in quotes if q.double]
        # Single quotes are quotations of their own only outside double ones (British
        # style); inside double quotes they are quotes within a statement.
        self.quotes = sorted(
            doubles + [q for q in quotes if not q.double and not _inside(q, doubles)],
            key=lambda q: q.mark_start,
        )
        self.inner = [q for q in quotes if not q.double and _inside(q, doubles)]
        # For `_in_quote`: the quotations' opening marks in order, and the furthest closing
        # mark among each prefix of them (a quotation may hold another).
        self.quote_starts = [q.mark_start for q in self.quotes]
        self.quote_reach = list(itertools.accumulate((q.mark_end for q in self.quotes), max))
        self.verbs = _verbs()
        self.candidates: list[_Candidate] = []
        self.used_cues: list[tuple[int, int]] = []

    # -- helpers -------------------------------------------------------------------------
    def _para_of(self, pos: int) -> int:
        return bisect.bisect_right(self.para_starts, pos) - 1

    def _sent_of(self, pos: int) -> tuple[int, int]:
        k = max(bisect.bisect_right(self.sent_starts, pos) - 1, 0)
        return self.sents[k]

    def _in_quote(self, pos: int) -> bool:
        """Whether `pos` lies strictly inside the marks of a quotation."""
        k = bisect.bisect_left(self.quote_starts, pos)  # quotations opening before `pos`
        return k > 0 and self.quote_reach[k - 1] > pos

    def _add(
        self,
        start: int,
        end: int,
        kind: StatementKind,
        cue: str | None,
        phrase: Phrase | None,
        pos: int,
    ) -> None:
        body = self.body
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if kind == "indirect":
            dateline = _DATELINE.match(body, start, end)
            if dateline:
                start = dateline.end()  # "(Reuters) — The attorney general ..."
            # A quotation opened inside the statement and closed after the sentence break
            # ('the steroids "had an effect within 2 days. At the same time, ..."') is kept
            # whole.
            k = bisect.bisect_left(self.quote_starts, end) - 1
            if k >= 0 and start <= self.quotes[k].mark_start and self.quotes[k].mark_end > end:
                q = self.quotes[k]
                if self._para_of(q.mark_end - 1) == self._para_of(start):
                    end = q.mark_end
        if end - start < 2:
            return
        self.candidates.append(_Candidate(start, end, kind, cue, phrase, pos, self._para_of(start)))

    def _cue(self, verb_text: str) -> str:
        return self.verbs.cues.get(_squash(verb_text), _squash(verb_text))

    # -- direct speech -------------------------------------------------------------------
    def _after(self, q: QuoteSpan) -> tuple[Phrase, str, int, int] | None:
        """Attribution after the closing mark: (phrase, cue, cue start, attribution end)."""
        if not q.closed:
            return None
        s_start, s_end = self._sent_of(q.mark_end)
        next_sentence = s_end <= q.mark_end
        if next_sentence:
            # '...?" Holmes testified.': the question mark closed a sentence before the name.
            s_start, s_end = self._sent_of(q.mark_end + 1)
        para_end = self.paras[self._para_of(q.mark_start)][1]
        end = min(max(s_end, q.mark_end), para_end)
        after = self.body[q.mark_end : end]
        lead = _LEAD.match(after).end()
        match = self.verbs.pattern.match(after, lead)
        base = q.mark_end
        if match:  # "... ," said Fityo
            found = speaker_after(after[match.end() :])
            if found and self._fits(match.group(0), found[0]):
                phrase, length = found
                phrase = shift_phrase(phrase, base + match.end())
                return (
                    phrase,
                    self._cue(match.group(0)),
                    base + match.start(),
                    (base + match.end() + length),
                )
        # The first speech verb that is not a noun ('"...," the report said').
        match = next(
            (
                m
                for m in self.verbs.pattern.finditer(after, lead, lead + 200)
                if not _after_determiner(after, m.start())
            ),
            None,
        )
        # No sentence end or other quotation between the quote and the verb; the dots of
        # "U.K." or "think-tank" before a lower-case word end nothing.
        if not match or re.search(r"[!?\"“”«»]|\.(?=\s+[\"“A-Z])", after[lead : match.start()]):
            return None
        if next_sentence and not _only_circumstance(after[match.end() :]):
            return None  # '...?" The minister admitted that he did.' reports something else
        phrase = speaker_before(after[: match.start()])
        if phrase is None or not _only_titles(after[lead : phrase.start]):
            return None
        if not self._fits(match.group(0), phrase):
            return None
        return (
            shift_phrase(phrase, base),
            self._cue(match.group(0)),
            base + match.start(),
            (base + match.end()),
        )

    def _before(self, q: QuoteSpan) -> tuple[Phrase, str, int] | None:
        """Attribution before the opening mark: (phrase, cue, cue start)."""
        s_start, _ = self._sent_of(q.mark_start)
        before = self.body[s_start : q.mark_start]
        # The verb and its object stand right before the quotation.
        window = max(0, len(before) - 120)
        called = _called().search(before, window)
        if called and self._names_something(q, s_start + called.end("verb"), called):
            called = None
        if called:
            verb = called.group("verb").lower()
            if verb.endswith("ing"):  # "..., calling them a “...”": the sentence's subject
                phrase = self._sentence_subject(s_start, s_start + called.start())
                if phrase:
                    return phrase, verb, s_start + called.start()
            else:
                prefix = before[: called.start()]
                phrase = speaker_before(prefix)
                if phrase:
                    return shift_phrase(phrase, s_start), verb, s_start + called.start()
                # 'described it as "A" and accused him of "B"': the same speaker.
                last = self.candidates[-1] if self.candidates else None
                if (
                    last is not None
                    and last.phrase is not None
                    and last.pos >= s_start
                    and _JOINT_END.search(prefix)
                ):
                    return last.phrase, verb, s_start + called.start()
        passive = _PASSIVE_CALLED.search(before, window)
        if passive:
            # 'had been described by the charity River Watch as a "rare chance"': the agent.
            agent = passive.group("agent")
            phrase = speaker_before(agent + " ")
            if phrase is not None and phrase.kind != "pronoun":
                at = s_start + passive.start("agent")
                return (
                    shift_phrase(phrase, at),
                    passive.group("verb").lower(),
                    s_start + passive.start(),
                )
        acc = last_match(_ACCORDING, before)
        if acc and re.fullmatch(r"[^,;:\"“”]{1,120},\s*", before[acc.end() :]):
            source = before[acc.end() :]
            found = phrase_after(source) or _source_phrase(source)
            if found:
                return (
                    shift_phrase(found[0], s_start + acc.end()),
                    "according to",
                    s_start + acc.start(),
                )
        last = last_match(self.verbs.pattern, before)
        if last is None:
            return None
        tail = before[last.end() :]
        if _squash(last.group(0)) in self.verbs.quote_only:
            # "The notice read: "..."": such verbs introduce a quotation only with a colon.
            if not re.fullmatch(r"\s*:\s*", tail):
                return None
        elif not _THAT_TAIL.match(tail) and (not _COLON_TAIL.match(tail) or " that " in tail):
            return self._colon_quote(s_start, before)
        if _squash(last.group(0)) in self.verbs.ing:
            head = before[: last.start()]
            said = last_match(self.verbs.pattern, head)
            if said and not head[said.end() :].strip():
                # 'she recalled saying "..."': the speaker of the first verb.
                phrase = speaker_before(head[: said.start()])
                if phrase is not None:
                    return (
                        shift_phrase(phrase, s_start),
                        self._cue(said.group(0)),
                        s_start + said.start(),
                    )
            if not head.rstrip().endswith((",", ";", "”", '"')):
                return None
            phrase = self._sentence_subject(s_start, s_start + last.start())
            if phrase is None:
                return None
            return phrase, self._cue(last.group(0)), s_start + last.start()
        phrase = speaker_before(before[: last.start()])
        if phrase is None or not self._fits(last.group(0), phrase):
            return None
        return shift_phrase(phrase, s_start), self._cue(last.group(0)), s_start + last.start()

    def _colon_quote(self, s_start: int, before: str) -> tuple[Phrase, str, int] | None:
        """'He then told the leaders, who ..., what he would do: "..."': a colon right
        before the quotation and a speech verb with its subject earlier in the sentence."""
        if not before.rstrip().endswith(":"):
            return None
        for verb in self.verbs.pattern.finditer(before):
            form = _squash(verb.group(0))
            if form in self.verbs.ing or form in self.verbs.quote_only:
                continue
            if _after_determiner(before, verb.start()) or verb.group(0)[0].isupper():
                continue
            phrase = speaker_before(before[: verb.start()])
            if phrase is not None and not before[: phrase.start].strip(" ,"):
                return (
                    shift_phrase(phrase, s_start),
                    self._cue(verb.group(0)),
                    s_start + verb.start(),
                )
            return None
        return None

    def _fits(self, verb: str, phrase: Phrase) -> bool:
        """Forms such as "found" and "shows" report only for documents (spec Decision 1)."""
        return _squash(verb) not in self.verbs.document or phrase.kind == "document"

    def _names_something(self, q: QuoteSpan, verb_end: int, called: re.Match[str]) -> bool:
        """'a feature it is calling "Smart Mode",': a name given, not words said.

        A naming verb with no object before the quotation names what comes before it,
        unless the quoted words qualify a noun after them ('what officials called the
        "outdated" rules').
        """
        naming = called.group("verb").lower().startswith(_NAMING)
        tail = self.body[verb_end : q.mark_start].split()
        bare = all(w.lower() in ("a", "an", "the") for w in tail)
        inside_end = self.body[q.start : q.mark_end].rstrip("\"'”’»")[-1:]
        follows = inside_end.isalnum() and re.match(r"\s+[a-z]", self.body[q.mark_end :])
        return naming and bare and not follows

    def _previous_paragraph_colon(self, q: QuoteSpan) -> tuple[Phrase, str, int] | None:
        """`X said:` ending the previous paragraph introduces a quote opening this one."""
        para = self._para_of(q.mark_start)
        if para == 0 or q.mark_start != self.paras[para][0]:
            return None
        p_start, p_end = self.paras[para - 1]
        if not self.body[p_start:p_end].endswith(":"):
            return None
        s_start, _ = self._sent_of(p_end - 1)
        before = self.body[s_start:p_end]
        last = last_match(self.verbs.pattern, before)
        if last is None or not _COLON_TAIL.match(before[last.end() :]):
            return None
        phrase = speaker_before(before[: last.start()])
        if phrase is None:
            return None
        return shift_phrase(phrase, s_start), self._cue(last.group(0)), s_start + last.start()

    def direct(self) -> None:
        quotes = self.quotes
        consumed: set[int] = set()
        attributed: dict[int, Phrase] = {}
        pending: list[int] = []
        for k, q in enumerate(quotes):
            if k in consumed or q.end <= q.start:
                continue
            text = self.body[q.start : q.end]
            para = self._para_of(q.mark_start)
            after = self._after(q)
            if after:
                phrase, cue, cue_start, attr_end = after
                end = q.end
                # "A," he said, "B." is one statement covering the whole sentence.
                nxt = k + 1
                if nxt < len(quotes) and re.fullmatch(
                    r"[\s,;:—–-]*", self.body[attr_end : quotes[nxt].mark_start]
                ):
                    end = quotes[nxt].end
                    consumed.add(nxt)
                if _is_title(text) and end == q.end:
                    continue
                # Reported words around a quoted fragment ('The outages have been
                # "terribly disruptive" and ..., "..," X said') make one indirect statement.
                s_start = self._sent_of(q.mark_start)[0]
                if len(_WORD.findall(self.body[s_start : q.mark_start])) >= 3:
                    # The statement covers the sentence, closing mark included.
                    if end == q.end:
                        end = q.mark_end
                    self._add(s_start, end, "indirect", cue, phrase, phrase.start)
                else:
                    self._add(q.start, end, "direct", cue, phrase, phrase.start)
                self.used_cues.append((cue_start, attr_end))
                attributed[k] = phrase
                continue
            before = self._before(q) or self._previous_paragraph_colon(q)
            if before and not _is_title(text):
                phrase, cue, cue_start = before
                end = q.end
                # 'calling it "unacceptable" and a "grave escalation"': one statement.
                nxt = k + 1
                if (
                    cue.startswith(_CALLING)
                    and nxt < len(quotes)
                    and _FRAGMENT_JOINT.fullmatch(self.body, q.mark_end, quotes[nxt].mark_start)
                    and not self.verbs.pattern.search(self.body, q.mark_end, quotes[nxt].mark_start)
                    and not _called().search(self.body[q.mark_end : quotes[nxt].mark_start])
                ):
                    end = quotes[nxt].end
                    consumed.add(nxt)
                self._add(q.start, end, "direct", cue, phrase, phrase.start)
                self.used_cues.append((cue_start, cue_start + len(cue)))
                attributed[k] = phrase
                continue
            if self._quote_only(q, para):
                pending.append(k)
        # A quotation running over paragraphs may be attributed only at its end:
        # '"First part.\n\n"Second part," she said.' Otherwise a quote-only paragraph
        # continues whoever spoke before it, which is decided in body order at assembly.
        for k in reversed(pending):
            q = quotes[k]
            nxt = attributed.get(k + 1)
            introducer = self._introducer(q)
            if not q.closed and nxt is not None:
                attributed[k] = nxt
                self._add(q.start, q.end, "direct", None, nxt, nxt.start)
            elif introducer is not None:
                self._add(q.start, q.end, "direct", introducer[1], introducer[0], introducer[2])
            else:
                self._add(q.start, q.end, "direct", None, None, q.start)

    def _introducer(self, q: QuoteSpan) -> tuple[Phrase, str, int] | None:
        """ "Kowalski, 44, agreed." alone in the paragraph before a quotation-only paragraph
        introduces it: the quotation is Kowalski's."""
        para = self._para_of(q.mark_start)
        if para == 0 or q.mark_start != self.paras[para][0]:
            return None
        p_start, p_end = self.paras[para - 1]
        intro = _INTRODUCER.fullmatch(self.body, p_start, p_end)
        if intro is None:
            return None
        phrase = speaker_before(self.body[p_start : intro.start("verb")])
        if phrase is None or phrase.kind == "pronoun":
            return None
        return shift_phrase(phrase, p_start), intro.group("verb").lower(), p_start + phrase.start

    def interview(self) -> None:
        """Question-and-answer layout (spec Decision 2): the answers are direct statements.

        Paragraphs open with a label: "Q:" / "A:", or the speaker's name ("Kowalski: We
        rebuilt it."). Questions and the interviewer's turns (a name whose paragraphs end in
        question marks) are not statements; an "A:" answer is the interviewee's, the last
        person quoted or named before the first question. At least two labelled paragraphs
        make the layout; a name label must label two paragraphs or more and name someone the
        article mentions elsewhere ("Photo: ..." is no speaker).
        """
        turns = []
        for p_start, p_end in self.paras:
            label = _TURN.match(self.body, p_start, p_end)
            if label:
                turns.append((label, p_end))
        if len(turns) < 2:
            return
        names: dict[str, list[tuple[re.Match[str], int]]] = {}
        for label, p_end in turns:
            text = label.group("label") or label.group("name")
            names.setdefault(text, []).append((label, p_end))
        # An interview has questions; "California: ..." / "Oregon: ..." is a list.
        if not any(self.body[e - 1] == "?" for _, e in turns):
            return
        interviewee = None
        for label_text, paras in names.items():
            asks = sum(self.body[e - 1] == "?" for _, e in paras) * 2 >= len(paras)
            if label_text.upper() in ("Q", "QUESTION") or asks:
                continue
            if label_text.upper() in ("A", "ANSWER"):
                first = paras[0][0].start()
                interviewee = interviewee or self._last_person_before(first)
                phrase = interviewee
            else:
                if len(paras) < 2:
                    continue  # one labelled paragraph is furniture ("Today: ...")
                last = label_text.split()[-1]
                labelled = sum(lab.group(0).count(last) for lab, _ in turns)
                if self.body.count(last) <= labelled:
                    continue  # a name the article never mentions outside the labels
                phrase = Phrase("person", label_text, None, paras[0][0].start())
            if phrase is None:
                continue
            for label, p_end in paras:
                start = label.end()
                if not self._covered(start, p_end):
                    self._add(start, p_end, "direct", None, phrase, label.start())
                    q = self.candidates[-1]
                    # The words without their own quotation marks, if any.
                    text = self.body[q.start : q.end]
                    if len(text) > 2 and text[0] in "\"“‘'" and text[-1] in "\"”’'":
                        q.start, q.end = q.start + 1, q.end - 1

    def _last_person_before(self, pos: int) -> Phrase | None:
        for c in reversed(self.candidates):
            if c.phrase is not None and c.pos < pos and c.phrase.kind == "person":
                return c.phrase
        name = last_match(_FIRST_NAME, self.body[:pos])
        if name:
            return Phrase("person", name.group(0), None, name.start())
        return None

    def nested(self) -> None:
        """Speech quoted inside a quotation: "I heard Trump ask, 'Is he going to ...?'"."""
        for q in self.inner:
            before = self._before(q)
            if (
                before
                and before[0].kind in ("person", "org")
                and not _is_title(self.body[q.start : q.end])
            ):
                phrase, cue, _ = before
                self._add(q.start, q.end, "direct", cue, phrase, phrase.start)
                self.candidates[-1].nested = True

    def _quote_only(self, q: QuoteSpan, para: int) -> bool:
        """The quote is a whole sentence of its own (a quote-only paragraph or sentence)."""
        s_start, s_end = self._sent_of(q.mark_start)
        outside = self.body[s_start : q.mark_start] + self.body[q.mark_end : max(s_end, q.mark_end)]
        return not re.search(r"\w", outside) and not _is_title(self.body[q.start : q.end])

    # -- indirect speech -----------------------------------------------------------------
    def _covered(self, start: int, end: int) -> bool:
        """Overlaps a statement already found, other than one nested inside it."""
        return any(
            c.start < end and start < c.end and not (start <= c.start and c.end <= end)
            for c in self.candidates
        )

    def _cue_used(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.used_cues)

    def indirect(self) -> None:
        # One scan of the body for speech verbs; sentences pick their hits by offset.
        hits = self.verbs.finder.spans(self.body)
        starts = [start for start, _ in hits]
        for s_start, s_end in self.sents:
            lo = bisect.bisect_left(starts, s_start)
            hi = bisect.bisect_left(starts, s_end, lo)
            sent = self.body[s_start:s_end]
            citing = _AS_CITING.search(sent) if " as " in sent else None
            if citing:  # "..., as Censor.NET informs citing Ukrinform." is no one's words
                s_end = s_start + citing.start()
                sent = sent[: citing.start()]
            has_according = "ccording" in sent
            if lo == hi and not has_according:
                continue
            self._sentence(s_start, s_end, sent, hits[lo:hi])

    def _sentence(self, s_start: int, s_end: int, sent: str, hits: list[tuple[int, int]]) -> None:
        if hits and self._backward(s_start, s_end, sent):
            return
        if "ccording" in sent and self._according(s_start, s_end, sent):
            return
        done = s_start
        for k, (hit_start, hit_end) in enumerate(hits):
            if hit_end > s_end:
                break
            if hit_start < done:
                continue
            match = self.verbs.pattern.match(sent, hit_start - s_start)
            if match is None:
                continue
            pos = s_start + match.start()
            if self._in_quote(pos):
                self._quoted_report(pos, match)
                continue
            if self._cue_used(pos) or _after_determiner(sent, match.start()):
                continue
            if _INFINITIVE_BEFORE.search(sent, max(0, match.start() - 4), match.start()):
                # "came to inform the house they were ...": a purpose, not a report; "allowed
                # him to claim that ..." reports with its that-clause.
                if not re.match(r"\s+that\s", sent[match.end() :]):
                    continue
            if _squash(match.group(0)) in self.verbs.quote_only or match.group(0)[0].isupper():
                continue  # capitalised forms ("Said Fityo") only right after a quotation
            # "X said A, adding that B": A ends where the participle takes over.
            # "Experts suggested A, but the mayor, X, said B": A ends before the next speaker.
            end = s_end
            for later_start, later_end in hits[k + 1 :]:
                if later_end > s_end or self._in_quote(later_start):
                    continue
                # Only the last words before the later verb can join it ("..., but added").
                tail_start = max(hit_end, later_start - 24)
                joint = _JOINT_END.search(self.body[tail_start:later_start])
                if joint and self.body[later_start].islower():
                    end = tail_start + joint.start()  # "said A, but added B"
                    break
                if _squash(self.body[later_start:later_end]) in self.verbs.ing:
                    joint = _PARTICIPLE_JOINT.search(self.body, s_start, later_start)
                    if joint:
                        end = joint.start()
                        break
                    continue
                other = phrase_before(self.body[hit_end:later_start])
                if other is not None:
                    comma = self.body.rfind(",", hit_end, hit_end + other.start)
                    if comma > 0:
                        end = comma
                        break
            emitted = self._verb_clause(s_start, end, sent[: end - s_start], match)
            if emitted:
                done = end

    def _quoted_report(self, pos: int, match: re.Match[str]) -> None:
        """Someone else's words reported inside a quotation ("“Studies show that women
        play less sport,” the club wrote"): a statement of its own (spec section 2). Only
        a named person, an organisation, a document or a group with "that" counts; the
        quoted speaker's own report ("I told him that ...") stays inside the quotation."""
        k = bisect.bisect_right(self.quote_starts, pos) - 1
        if k < 0 or not self.quotes[k].start <= pos < self.quotes[k].end:
            return
        q = self.quotes[k]
        s_start, s_end = self._sent_of(pos)
        start = max(s_start, q.start)
        prefix = self.body[start:pos]
        verb_end = pos + len(match.group(0))
        clause = _THAT_CLAUSE.match(self.body[verb_end : q.end])
        if clause is None or clause.group(0).strip() == ":" or clause.group("fill"):
            return
        phrase = speaker_before(prefix)
        if phrase is None or phrase.kind == "pronoun" or prefix[: phrase.start].strip():
            return
        if phrase.kind == "description" or not self._fits(match.group(0), phrase):
            return
        end = min(s_end, q.end)
        begin = verb_end + clause.end()
        inside = any(c.start <= begin and end <= c.end for c in self.candidates)
        if end - begin >= 8 and (inside or not self._covered(begin, end)):
            phrase = shift_phrase(phrase, start)
            self._add(begin, end, "indirect", self._cue(match.group(0)), phrase, phrase.start)
            self.candidates[-1].nested = True

    def speech_nouns(self) -> None:
        """ "her claims that ...", "a declaration by the health chiefs that ...": a speech
        noun with its speaker and a that-clause (spec section 2)."""
        # A cheap scan for "<noun> that" / "<noun> by" first: most bodies have none.
        if not _speech_noun_hint().search(self.body):
            return
        for found in _speech_noun().finditer(self.body):
            start = found.end()
            if self._in_quote(found.start()) or self._covered(start, start + 1):
                continue
            s_start, s_end = self._sent_of(start)
            owner, agent = found.group("owner"), found.group("agent")
            if agent:
                phrase = speaker_before(agent + " ")
                at = found.start("agent")
            else:
                pronoun = _POSSESSIVE_PRONOUNS.get(owner.lower())
                if pronoun:
                    phrase = Phrase("pronoun", pronoun, None, found.start("owner"))
                else:
                    phrase = speaker_before(owner[:-2].rstrip("'’") + " ")
                at = found.start("owner")
            if phrase is None or s_end - start < 8:
                continue
            if phrase.kind != "pronoun":
                phrase = shift_phrase(phrase, at)
            noun = found.group("noun") or found.group("noun2")
            self._emit(start, s_end, noun.lower(), phrase)

    def _backward(self, s_start: int, s_end: int, sent: str) -> bool:
        """ "This was stated by X": the preceding sentences are X's statement."""
        match = _BACKWARD.match(sent)
        phrase = None
        if match and _squash(match.group("verb")) in self.verbs.cues:
            found = phrase_after(sent[match.end() :])
            if found:
                phrase = shift_phrase(found[0], s_start + match.end())
                cue = self._cue(match.group("verb"))
        if phrase is None:
            if not _BACKWARD_ACTIVE_ANYWHERE.search(sent):
                return False
            verb = self.verbs.pattern.search(sent, 0, 160)
            if not verb or not _BACKWARD_ACTIVE.match(sent[verb.end() :]):
                return False
            phrase = phrase_before(sent[: verb.start()])
            if phrase is None or sent[: phrase.start].strip():
                return False
            phrase = shift_phrase(phrase, s_start)
            cue = self._cue(verb.group(0))
        return self._backward_span(s_start, cue, phrase)

    def _backward_span(self, s_start: int, cue: str, phrase: Phrase) -> bool:
        """The sentences before `s_start` in its paragraph, or the previous paragraph."""
        para = self._para_of(s_start)
        p_start, _ = self.paras[para]
        if s_start > p_start:
            start, end = p_start, s_start
        elif para > 0:
            start, end = self.paras[para - 1]
        else:
            return False
        if self._covered(start, end):
            return False
        self._add(start, end, "indirect", cue, phrase, phrase.start)
        return True

    def _according(self, s_start: int, s_end: int, sent: str) -> bool:
        match = _ACCORDING.search(sent)
        if not match or self._in_quote(s_start + match.start()):
            return False
        source = sent[match.end() :]
        found = phrase_after(source)
        if found is None:
            # "According to Kowalski the dam ...": a name, then the clause without a comma.
            named = _NAME_BEFORE_CLAUSE.match(source)
            if named:
                person = phrase_before(named.group("name"))
                if person is not None and person.kind == "person":
                    found = person, named.end("name")
        found = found or _source_phrase(source)
        if not found:
            return False
        phrase, length = found
        phrase = shift_phrase(phrase, s_start + match.end())
        rest = sent[match.end() + length :]
        head = sent[: match.start()]
        if _THAT_IS.fullmatch(head):
            # "That's according to figures from X.": the sentences before are the source's.
            return self._backward_span(s_start, "according to", phrase)
        if not head.strip(" ,") or re.fullmatch(
            r"\s*(?:and|but|so|also|however)?,?\s*", head, re.I
        ):
            comma = re.match(r"\s*,\s*", rest)
            if not comma:
                # "According to Kowalski the dam will hold": a name and a lower-case clause
                # with its own verb, the comma left out.
                clause = _WORD.findall(clause_head(rest))
                if not (
                    phrase.kind == "person"
                    and re.match(r"\s+[a-z]", rest)
                    and len(clause) >= 5
                    and (
                        has_finite_verb(clause[:10])
                        or any(w.lower() in AUXILIARIES for w in clause[1:10])
                    )
                ):
                    return False
                comma = re.match(r"\s*", rest)
            start = s_start + match.end() + length + comma.end()
            end = s_end
        elif head.rstrip().endswith((",", '"', "”", "’")):
            # '... was a "slap in the face" according to critics': a closing quotation
            # mark may stand for the comma.
            comma = head.rstrip().endswith(",")
            start, end = s_start, s_start + len(head.rstrip()) - (1 if comma else 0)
            # "A, according to X, B": the source is inserted in the sentence it attributes.
            # A short introduction ("Two years ago,") or a relative pronoun before it ("dark
            # mode, which, according to X, is ...") makes the whole sentence the statement; a
            # full clause before it is the statement alone.
            comma = re.match(r"[^,;:.]{0,60}?,\s*", rest)
            short_head = len(_WORD.findall(head)) <= 6 or re.search(
                r"\b(?:which|who|that),\s*$", head
            )
            after = rest[comma.end() :] if comma else ""
            # What follows must be a clause, not an appositive ("X, an NGO that ...").
            clause = _WORD.findall(clause_head(after))
            verb = has_finite_verb(clause[:12]) or any(w.lower() in AUXILIARIES for w in clause)
            if comma and short_head and len(_WORD.findall(after)) >= 6 and verb:
                end = s_end
        else:
            return False
        if self._covered(start, end):
            return False
        self._add(start, end, "indirect", "according to", phrase, phrase.start)
        return True

    def _sentence_subject(self, s_start: int, limit: int) -> Phrase | None:
        """Who the main clause of a sentence is about, for a participle ("..., adding")."""
        for c in reversed(self.candidates):
            if c.phrase is not None and s_start <= c.pos < limit:
                return c.phrase
        text = self.body[s_start:limit]
        # "X, Albania's foreign minister, reported that ..., denouncing it": the subject
        # of an earlier speech verb in the sentence.
        verb = self.verbs.pattern.search(text)
        if verb and not _after_determiner(text, verb.start()):
            phrase = phrase_before(text[: verb.start()])
            if phrase is not None and phrase.kind != "pronoun":
                return shift_phrase(phrase, s_start)
        # The subject is a phrase followed by its verb, not one that fills a whole
        # introductory segment ("At the request of Russia, Ambassador X denied ...").
        offset = 0
        for segment in text.split(","):
            found = speaker_after(segment)
            if found and found[0].text.endswith("ly") and " " not in found[0].text:
                found = None  # "Shortly after, they left": an adverb
            if found and (found[0].kind == "pronoun" or not is_not_name(found[0].text)):
                following = segment[found[1] :].split()
                leading = _WORD.findall(segment[: found[0].start])
                opens = all(w.lower() in _CONJUNCTIONS or is_not_name(w) for w in leading)
                if opens and following and following[0][:1].islower():
                    return shift_phrase(found[0], s_start + offset)
            offset += len(segment) + 1
        found = phrase_after(text)
        if found and not is_not_name(found[0].text):
            return shift_phrase(found[0], s_start)
        # "Last week State Department official David Holmes revealed ...": the first name.
        name = _FIRST_NAME.search(text)
        if name:
            phrase = phrase_before(text[: name.end()])
            if phrase:
                return shift_phrase(phrase, s_start)
        # "In 2019 she filed a complaint, ...": a subject pronoun after an introduction.
        pronoun = _SUBJECT_PRONOUN.search(text)
        if pronoun:
            return Phrase("pronoun", pronoun.group(1).lower(), None, s_start + pronoun.start(1))
        return None

    def _participle(self, s_start: int, s_end: int, sent: str, match: re.Match[str]) -> bool:
        """'..., adding that B' / '..., saying B': B is said by the main clause's subject."""
        absolute = _WITH_SUBJECT.search(sent, 0, match.start())
        if absolute:
            # "..., with the previous government saying B": the noun before the participle.
            phrase = speaker_before(absolute.group("subject"))
            if phrase is not None:
                phrase = shift_phrase(phrase, s_start + absolute.start("subject"))
        elif _PARTICIPLE_JOINT.search(sent, 0, match.start()) or (
            # "filed a lawsuit saying ...", "came out saying ...": no comma before "saying".
            _squash(match.group(0)) == "saying"
            and re.search(r"[a-z]\s+$", sent[: match.start()])
            and not re.match(r"\s*[\"“‘'«]", sent[match.end() :])
        ):
            phrase = self._sentence_subject(s_start, s_start + match.start())
        else:
            return False
        if phrase is None:
            return False
        form = _squash(match.group(0))
        rest = sent[match.end() :]
        cue = self._cue(match.group(0))
        clause = _THAT_CLAUSE.match(rest)
        if clause and not clause.group("fill"):
            return self._emit(s_start + match.end() + clause.end(), s_end, cue, phrase)
        question = _WH_CLAUSE.match(rest)
        if question and form.startswith(_QUESTION_STEMS):
            return self._emit(s_start + match.end() + question.start("wh"), s_end, cue, phrase)
        if form in _telling():
            # "..., telling the conductor they would be back": an audience, then the clause.
            audience = _audience().match(rest)
            clause_at = clause_after_audience(rest, audience) if audience else None
            if clause_at is not None:
                return self._emit(s_start + match.end() + clause_at, s_end, cue, phrase)
        if form in self.verbs.bare:
            fill = _BARE_FILL.match(rest)
            if fill and len(_WORD.findall(rest[fill.end() :])) >= 4:
                return self._emit(s_start + match.end() + fill.end(), s_end, cue, phrase)
        return False

    def _verb_clause(self, s_start: int, s_end: int, sent: str, match: re.Match[str]) -> bool:
        form = _squash(match.group(0))
        cue = self._cue(match.group(0))
        if form in self.verbs.ing:
            return self._participle(s_start, s_end, sent, match)
        prefix = sent[: match.start()]
        rest = sent[match.end() :]
        final_ok = form not in self.verbs.cite
        # Inverted: "..., said Fityo." ends the sentence it attributes.
        inverted_ok = final_ok and form not in _telling()
        if inverted_ok and prefix.rstrip().endswith(",") and prefix.strip(" ,"):
            found = speaker_after(rest)
            if found and not _only_circumstance(rest[found[1] :]):
                found = name_ending_phrase(rest) or found
            if found and _only_circumstance(rest[found[1] :]) and self._fits(form, found[0]):
                phrase = shift_phrase(found[0], s_start + match.end())
                return self._emit(s_start, s_start + len(prefix.rstrip()) - 1, cue, phrase)
        if self.verbs.pattern.match(rest.lstrip()) and not rest.lstrip().startswith(
            ("that", "as", "to")
        ):
            return False  # "the officer who responded said: ...": the next verb reports
        shared = self._shared_subject(s_start, prefix)
        if shared is not None:
            phrase, lead = shared, ""  # "X said A, but added B": B is X's too
        else:
            phrase = speaker_before(prefix)
            if phrase is None or not self._fits(form, phrase):
                return False
            if _singular_with_base_form(phrase, form, prefix):
                return False  # "New York state attorney general ...": not a verb
            phrase = shift_phrase(phrase, s_start)
            # "..., said Kowalski, who also says ...": the relative clause is the attribution.
            lead = "" if _RELATIVE.search(prefix) else sent[: phrase.start - s_start]
            if lead.rstrip().endswith(("(", ";", "—", "–")):
                lead = ""  # the subject opens a clause of its own
        opener = sent.split(maxsplit=1)[0].lower() if sent.strip() else ""
        if opener in _SUBORDINATE_OPENERS and not re.match(r"\s*,", rest):
            # "While the Conservatives have said A, B ...": A ends at the comma. ("Since
            # May, she says, ..." closes the subordinate phrase before the speaker.)
            comma = sent.find(",", match.end())
            if comma > 0:
                s_end = s_start + comma
        clause = _THAT_CLAUSE.match(rest)
        if clause and self._fill_ok(form, clause.group("fill")):
            return self._emit(s_start + match.end() + clause.end(), s_end, cue, phrase)
        # "asked whether ...", "demanded how ...", "described how ...": a question or an
        # account is what was said.
        question = _WH_CLAUSE.match(rest)
        if question and form.startswith(_QUESTION_STEMS):
            return self._emit(s_start + match.end() + question.start("wh"), s_end, cue, phrase)
        if form in _telling():
            # "told lawmakers it was his duty": an audience, then the clause.
            audience = _audience().match(rest)
            clause_at = clause_after_audience(rest, audience) if audience else None
            if clause_at is not None:
                return self._emit(s_start + match.end() + clause_at, s_end, cue, phrase)
        lead_words = _WORD.findall(lead)
        if lead_words and lead.rstrip().endswith(","):
            # "A, she said, B." is one statement covering the sentence.
            if re.match(r"\s*,\s*\w+", rest):
                # "A, he said, swiping at B": the participle is the speaker's, not A's.
                participle = re.match(r"\s*,\s*[a-z]+ing\b", rest)
                if participle:
                    return self._emit(s_start, s_start + len(lead.rstrip()) - 1, cue, phrase)
                return self._emit(s_start, s_end, cue, phrase)
            # "A, she said (on Tuesday)." reports A, unless A only sets the scene
            # ("In a statement, the minister said the plan works").
            rest_words = _WORD.findall(rest)
            adverbial = not rest_words or rest_words[0].lower() in _ADVERBIAL_START
            if rest_words and rest_words[0].lower() in ("this", "last"):
                # "said this week" is a time; "said this episode was ..." a clause.
                adverbial = len(rest_words) > 1 and rest_words[1].lower() in _TIME_WORDS
            # "In a statement on Monday," sets the scene; "On the night he died, the guards
            # slept," is reported: a clause follows the introductory phrase.
            introductory = (
                lead_words[0].lower() in _INTRODUCTORY or lead_words[0].endswith("ly")
            ) and "," not in lead.rstrip()[:-1]
            # After the verb only a circumstance or an audience ("..., she told CNN on
            # Monday"), not an object ("police added charges of ...", "described dancing").
            audience = form in _telling() and _audience().match(rest + " x")
            short = 0 < len(rest_words) <= 3 and not rest_words[0].lower().endswith("ing")
            if (
                final_ok
                and not introductory
                and form not in self.verbs.that_only
                and len(lead_words) >= 4
                and (not rest_words or adverbial or short or audience)
                and not self.verbs.pattern.search(rest)
            ):
                return self._emit(s_start, s_start + len(lead.rstrip()) - 1, cue, phrase)
        elif (
            lead_words
            and lead_words[-1].lower() not in _CONJUNCTIONS
            and lead_words[-1].lower() not in _CLAUSE_OPENERS
            and lead_words[0].lower() not in _ADVERBIAL_START
            # "Penn State quarterback Sean Clifford said": words that qualify the name.
            and not (phrase.kind == "person" and len(lead_words) <= 4 and _qualifies(lead))
            # "Now Kowalski says": a sentence adverb.
            and not all(is_not_name(w) for w in lead_words)
        ):
            return False
        fill = _BARE_FILL.match(rest)
        if fill:
            words = _WORD.findall(rest[fill.end() :])
            # Other speech verbs take a bare clause only when a subject pronoun opens it
            # ("Dempsey noted there's no evidence"), not an object ("noted the risk").
            first = words[0].lower() if words else ""
            # The clause's own verb comes before the first comma ("reported three
            # cancellations, none of them related" has none).
            upto_comma = _WORD.findall(clause_head(rest[fill.end() :]))
            # "said before giving ...": a preposition or a gerund opens no clause unless a
            # finite verb follows ("said after the court ruled, ...").
            opener_ok = first not in _NOT_CLAUSE_OPENERS or has_finite_verb(words[:10])
            if (
                len(words) >= 4
                and first not in _NO_CLAUSE_START
                and (form in self.verbs.bare or first not in _NOT_CLAUSE_OPENERS)
                and (form not in self.verbs.bare or opener_ok)
                and not (
                    first.endswith("ing")
                    and first not in ING_PREPOSITIONS
                    and form not in self.verbs.bare
                )
                and form not in self.verbs.that_only
                and (
                    form in self.verbs.bare
                    or first in SUBJECT_PRONOUNS
                    or (form not in _telling() and has_finite_verb(upto_comma[:10]))
                )
            ):
                return self._emit(s_start + match.end() + fill.end(), s_end, cue, phrase)
        return False

    def _shared_subject(self, s_start: int, prefix: str) -> Phrase | None:
        """The subject a verb after "and" / "but" shares with the clause before it.

        "X said A, but added B": the speaker of A. "Andrew denied it and said B": the
        subject of the sentence. "..., the employers who said B" / "a post that said B":
        the noun the relative pronoun stands for.
        """
        tail = max(0, len(prefix) - 30)  # the joint or pronoun ends the prefix
        relative = _RELATIVE_END.search(prefix, tail)
        if relative:
            head = prefix[: relative.start()]
            phrase = speaker_before(head)
            place = _TRAILING_PLACE.search(head)
            if phrase is None:
                # "X is the head of the Dialogue Group in Turkey, which says": the
                # capitalised name the relative pronoun follows, not the place.
                named = _TRAILING_NAME.search(head[: place.start()] if place else head)
                if named:
                    found = phrase_before(named.group(0))
                    if found is not None and found.kind in ("org", "person"):
                        phrase = shift_phrase(found, named.start())
            if phrase is None:
                phrase = noun_phrase_before(head)
                # "who" stands for people; "that" and "which" only for a known source noun.
                known = phrase is not None and is_source_noun(phrase.text.split()[-1])
                if phrase and relative.group("pronoun") != "who" and not known:
                    phrase = None
            if phrase is not None and phrase.kind != "pronoun":
                return shift_phrase(phrase, s_start)
            return None
        joint = _JOINT_END.search(prefix, tail)
        if joint is None:
            return None
        if self.candidates:
            last = self.candidates[-1]
            joint_end = s_start + joint.end()
            if last.phrase is not None and s_start <= last.pos and last.end <= joint_end:
                return last.phrase
        return self._sentence_subject(s_start, s_start + joint.start())

    def _fill_ok(self, form: str, fill: str | None) -> bool:
        """Words between the verb and "that" are circumstance or audience, not a clause.

        "said on Tuesday that", "told reporters that" pass; "said Kabul had ensured that"
        does not: there the "that" belongs to another verb.
        """
        if not fill or fill.strip().lower() == "the fact":
            return True  # "lamented the fact that ..."
        words = _WORD.findall(fill)
        # An audience may be long ("told a freelance reporter for the BBC in Kyiv that").
        if self.verbs.pattern.search(fill) or len(words) > (10 if form in _telling() else 8):
            return False
        first = words[0].lower() if words else ""
        if first in _ADVERBIAL_START or first in _FILL_OPENERS:
            return True
        return form in _telling()

    def _emit(self, start: int, end: int, cue: str, phrase: Phrase) -> bool:
        # "(it does say the savings will vary)": a statement made inside brackets ends there.
        p_start = self.paras[self._para_of(start)][0]
        if self.body.count("(", p_start, start) > self.body.count(")", p_start, start):
            close = self.body.find(")", start, end)
            if close > 0:
                end = close
        # "said A, but added B" / "said A and called on X to ...": A ends before the
        # speaker's next verb.
        for joint in _coordinated().finditer(self.body, start, end):
            if len(_WORD.findall(self.body[start : joint.start()])) >= 3 and not self._in_quote(
                joint.start()
            ):
                end = joint.start()
                break
        if end - start < 8 or self._covered(start, end):
            return False
        self._add(start, end, "indirect", cue, phrase, phrase.start)
        return True

    # -- assembly ------------------------------------------------------------------------
    def statements(self) -> list[Statement]:
        resolver = Resolver(self.body, [(q.mark_start, q.mark_end) for q in self.quotes])
        out: list[Statement] = []
        last_para = -2
        for c in sorted(self.candidates, key=lambda c: (c.start, c.end)):
            if c.phrase is None:
                who = resolver.continuation() if last_para >= c.para - 1 else None
            else:
                who = resolver.resolve(c.phrase, c.pos, remember=not c.nested)
            if who is None:
                continue
            speaker, role = who
            out.append(
                Statement(speaker, role, self.body[c.start : c.end], c.kind, c.cue, c.start, c.end)
            )
            last_para = max(last_para, c.para)
        return out


_DETERMINER_WORDS = frozenset(
    "the a an this that his her its their our my your three four five six seven eight nine"
    " ten".split()
)
# The other determiners, as a whole word: a possessive ("Trump's") or a number.
_POSSESSIVE_OR_NUMBER = re.compile(r"\w+['’]s|\d(?:[\d,.]*\d)?", re.I)


def _determiner_before(text: str, pos: int) -> str | None:
    r"""The determiner that is the last word before `pos` within 24 characters, where
    whitespace separates it from `pos` and from what precedes it (or it opens `text`).

    The same as searching `(?:^|\s)(?:determiner)\s+$` in that window, without trying the
    pattern at every one of its characters.
    """
    lo = max(0, pos - 24)
    if pos <= lo or not text[pos - 1].isspace():
        return None
    window = text[lo:pos]
    words = window.split()
    if not words or (len(words) == 1 and lo > 0 and not window[0].isspace()):
        return None  # no word, or one that may run on before the window
    word = words[-1]
    if word.lower() in _DETERMINER_WORDS:
        return word
    # Only a possessive or a number can still be one: most words fail the cheap test.
    possessive = len(word) > 2 and word[-2] in "'’" and word[-1] in "sS"
    if not (possessive or word[0].isdigit()):
        return None
    return word if _POSSESSIVE_OR_NUMBER.fullmatch(word) else None


def _after_determiner(text: str, pos: int) -> bool:
    """A verb form right after a determiner is a noun: "the report", "his claims".

    "that" before a past or third-person form is a relative pronoun: "a notice that said".
    """
    found = _determiner_before(text, pos)
    if found is not None and found.lower() == "that":
        word = _WORD.match(text, pos)
        return not (word and word.group(0).endswith(("ed", "s", "said", "told", "wrote")))
    return found is not None


def _inside(q: QuoteSpan, outer: list[QuoteSpan]) -> bool:
    return any(o.mark_start < q.mark_start and q.mark_end <= o.mark_end for o in outer)


def extract_statements(body: str) -> list[Statement]:
    """Statements attributed to speakers in a cleaned body, in body order."""
    extractor = _Extractor(body)
    extractor.direct()
    extractor.nested()
    extractor.interview()
    extractor.indirect()
    extractor.speech_nouns()
    return extractor.statements()
