"""Which speaker strings of the database are one speaker: the linking rules, no I/O.

Input is one `Mention` per speaker string per article (with its statement counts, roles
and dates), output one `LinkedSpeaker` per speaker. The rules are conservative, because a
wrong merge puts words in someone else's mouth while a missed one only splits a count:

- the same full name (normalised: case, quotes, a leading "the", leading titles) is the
  same speaker;
- a surname alone ("Holtvyn", "President Solvay") links to the full name of that surname
  given in the same article, else to the one full name of that surname in the database,
  and to nobody when there are several;
- an organisation links to a longer form of it that continues with "of ..." ("General
  Staff" -> "General Staff of the Veldanian Armed Forces"), or to any longer form when
  the shorter is two words or more with an organisation word; when the longer forms
  branch ("Ministry of Defence", "Ministry of Finance") nothing links;
- descriptions and groups ("a source", "officials") never link across articles, and
  neither do documents with no name of their own ("Studies");
- the corrections file (`Corrections`: speakers.toml) merges what the rules missed and
  splits what they joined wrongly: a split forbids every rule link that would put the
  alias and the speaker together.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from extract.speaker_names import LINKABLE, NameForm, normalise, read_name
from extract.speakers import lexicon

# Words that may follow an organisation's short form in its longer form: "of the Armed
# Forces", "for Budget Responsibility", "in Kyiv".
_OF_WORDS = ("of ", "for ", "in ", "on ", "at ", "(")


@dataclass(frozen=True, slots=True)
class Mention:
    """One speaker string as one article gives it: statements, and the role per day."""

    name: str
    article_id: int
    statements: int  # in articles that are not syndicated copies
    roles: tuple[tuple[str, str | None], ...] = ()  # (role, day)
    days: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Merge:
    """A [[merge]] entry: these names are one speaker (`name`: which of them to show)."""

    names: tuple[str, ...]
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Split:
    """A [[split]] entry: the form `alias` is not the speaker `speaker`."""

    alias: str
    speaker: str


@dataclass(frozen=True, slots=True)
class Corrections:
    merges: tuple[Merge, ...] = ()
    splits: tuple[Split, ...] = ()


NO_CORRECTIONS = Corrections()


@dataclass(frozen=True, slots=True)
class Role:
    role: str
    first: str | None
    last: str | None

    def to_dict(self) -> dict[str, str | None]:
        return {"role": self.role, "first": self.first, "last": self.last}


@dataclass(slots=True)
class LinkedSpeaker:
    """One speaker: its fullest name, kind, every form and role, and its mentions."""

    name: str
    kind: str
    aliases: list[str]
    roles: list[Role]
    first_seen: str | None
    last_seen: str | None
    statements: int
    mentions: list[Mention] = field(default_factory=list)


class _Components:
    """Union-find over node keys, with the splits as pairs that must stay apart."""

    def __init__(self) -> None:
        self.parent: dict[tuple, tuple] = {}
        self.tags: dict[tuple, set[tuple[int, str]]] = {}

    def add(self, node: tuple) -> None:
        if node not in self.parent:
            self.parent[node] = node
            self.tags[node] = set()

    def find(self, node: tuple) -> tuple:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:  # path compression
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: tuple, b: tuple, *, forced: bool = False) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        tags = self.tags[ra] | self.tags[rb]
        if not forced and any((i, "alias") in tags and (i, "speaker") in tags for i, _ in tags):
            return False  # a split says these two are not one speaker
        if ra > rb:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.tags[ra] = tags
        return True


class _Graph(NamedTuple):
    """What the rule passes share: the components, and each mention with its form and
    the node it started in."""

    comps: _Components
    mentions: Sequence[Mention]
    forms: dict[str, NameForm]
    person_lasts: set[str]
    mention_node: list[tuple]


def _node(mention: Mention, form: NameForm, person_lasts: set[str]) -> tuple:
    """The node a mention starts in. Linkable names share one node across articles."""
    core = form.core or normalise(mention.name)
    if _surname_only(form, person_lasts):
        return ("surname", mention.article_id, form.surname)
    if form.lone and form.first_name:
        return ("local", mention.article_id, core)  # "Maya": a first name, this article's
    if _kind(form, person_lasts) in LINKABLE and form.proper:
        return ("name", core)
    return ("local", mention.article_id, core)


def _surname_only(form: NameForm, person_lasts: set[str]) -> bool:
    return form.surname_only or (form.lone and form.surname in person_lasts)


def _kind(form: NameForm, person_lasts: set[str]) -> str:
    return "person" if _surname_only(form, person_lasts) else form.kind


def link(
    mentions: Sequence[Mention], corrections: Corrections = NO_CORRECTIONS
) -> list[LinkedSpeaker]:
    """Group mentions into speakers (the rules: module docstring), ordered by first seen,
    then name: the same for the same mentions whatever their order."""
    forms = {name: read_name(name) for name in {m.name for m in mentions}}
    # A lone word is a surname only where some full name of a person ends in it.
    person_lasts = {
        f.surname
        for f in forms.values()
        if f.kind == "person" and f.surname and not f.surname_only and not f.lone
    }
    comps = _Components()
    nodes_of_name: dict[str, list[tuple]] = defaultdict(list)
    mention_node: list[tuple] = []
    for m in mentions:
        node = _node(m, forms[m.name], person_lasts)
        comps.add(node)
        mention_node.append(node)
        nodes_of_name[normalise(m.name)].append(node)
        if forms[m.name].core:
            nodes_of_name[forms[m.name].core].append(node)
    _apply_corrections(comps, nodes_of_name, corrections)
    graph = _Graph(comps, mentions, forms, person_lasts, mention_node)
    _link_organisations(graph)
    _link_surnames(graph)
    groups: dict[tuple, list[Mention]] = defaultdict(list)
    for m, node in zip(mentions, mention_node, strict=True):
        groups[comps.find(node)].append(m)
    preferred = {normalise(n) for merge in corrections.merges if merge.name for n in [merge.name]}
    speakers = [_speaker(ms, forms, person_lasts, preferred) for ms in groups.values()]
    speakers.sort(key=lambda s: (s.first_seen or "", s.name, s.mentions[0].article_id))
    return speakers


def _apply_corrections(
    comps: _Components, nodes_of_name: dict[str, list[tuple]], corrections: Corrections
) -> None:
    for merge in corrections.merges:
        nodes = [n for name in merge.names for n in nodes_of_name.get(normalise(name), [])]
        for other in nodes[1:]:
            comps.union(nodes[0], other, forced=True)
    for i, split in enumerate(corrections.splits):
        for name, side in ((split.alias, "alias"), (split.speaker, "speaker")):
            for node in nodes_of_name.get(normalise(name), []):
                comps.tags[comps.find(node)].add((i, side))


def _link_organisations(graph: _Graph) -> None:
    comps, mentions, forms, person_lasts, mention_node = graph
    orgs = sorted(
        {
            node[1]
            for m, node in zip(mentions, mention_node, strict=True)
            if node[0] == "name" and _kind(forms[m.name], person_lasts) == "organisation"
        }
    )
    org_words = _org_words()
    for short in orgs:
        lo = bisect.bisect_left(orgs, short + " ")
        hi = bisect.bisect_left(orgs, short + " \uffff")
        longer = orgs[lo:hi]
        if not longer:
            continue
        # The longer forms must be one chain, each the start of the next; else they are
        # different bodies the short form could be ("Ministry" of Defence, of Finance).
        if any(not b.startswith(a + " ") for a, b in zip(longer, longer[1:], strict=False)):
            continue
        named = len(short.split()) > 1 and any(w in org_words for w in short.split())
        if not named and not longer[0][len(short) + 1 :].startswith(_OF_WORDS):
            continue
        for form in longer:
            comps.union(("name", short), ("name", form))


def _org_words() -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon("speaker_orgs"))


def _link_surnames(graph: _Graph) -> None:
    """A surname, or a lone first name, to the one full name it can stand for.

    In its own article first: a surname to the full name of that surname there, a lone
    word to the one person there whose first name it is ("Paul" beside "Paul Torrey",
    even where "Scott Paul" is in the database). Then across the database, surnames only.
    """
    comps, mentions, forms, _, mention_node = graph
    in_article: dict[tuple[int, str], set[tuple]] = defaultdict(set)
    first_in_article: dict[tuple[int, str], set[tuple]] = defaultdict(set)
    anywhere: dict[str, set[tuple]] = defaultdict(set)
    for m, node in zip(mentions, mention_node, strict=True):
        form = forms[m.name]
        if node[0] == "name" and form.kind == "person" and form.surname and not form.lone:
            in_article[(m.article_id, form.surname)].add(node)
            first_in_article[(m.article_id, normalise(m.name).split()[0])].add(node)
            anywhere[form.surname].add(node)
    for m, node in zip(mentions, mention_node, strict=True):
        form = forms[m.name]
        if node[0] != "surname" and not (form.lone and form.first_name):
            continue
        word = form.surname or ""
        steps = [in_article.get((m.article_id, word)) if node[0] == "surname" else None]
        steps.append(first_in_article.get((m.article_id, word)) if form.lone else None)
        steps.append(anywhere.get(word) if node[0] == "surname" else None)
        linked = False
        for candidates in steps:
            roots = {comps.find(c) for c in candidates or ()}
            if len(roots) == 1:
                linked = comps.union(node, roots.pop())
                break
            if len(roots) > 1:
                break  # several people it could be: nobody in particular
        if not linked and node[0] == "surname":
            # Unresolved, the surname is a speaker of its own, one across articles.
            comps.add(("name", word))
            comps.union(node, ("name", word))


def _speaker(
    mentions: list[Mention], forms: dict[str, NameForm], lasts: set[str], preferred: set[str]
) -> LinkedSpeaker:
    counts: dict[str, int] = defaultdict(int)
    for m in mentions:
        counts[m.name] += m.statements

    # The fullest form: a name the corrections file chose, else a name over a description
    # or group, then most words, then most used.
    def fullness(name: str) -> tuple:
        named = forms[name].kind in LINKABLE and forms[name].proper
        bare = not name.lower().startswith("the ")  # "General Staff", not "the General Staff"
        words = len(normalise(name).split())
        return (normalise(name) in preferred, named, words, bare, counts[name], name)

    name = max(counts, key=fullness)
    days = sorted(d for m in mentions for d in m.days if d)
    spans: dict[str, list[str]] = defaultdict(list)
    for m in mentions:
        for role, day in m.roles:
            spans[role].append(day or "")
    roles = [
        Role(role, min(ds) or None, max(ds) or None)
        for role, ds in sorted(spans.items(), key=lambda kv: (min(kv[1]), kv[0]))
    ]
    aliases = sorted(counts, key=lambda n: (-counts[n], n))
    return LinkedSpeaker(
        name=name,
        kind=_kind(forms[name], lasts),
        aliases=aliases,
        roles=roles,
        first_seen=days[0] if days else None,
        last_seen=days[-1] if days else None,
        statements=sum(counts.values()),
        mentions=sorted(mentions, key=lambda m: (m.article_id, m.name)),
    )
