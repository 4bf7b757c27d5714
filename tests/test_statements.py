"""Statement extraction: the seed's gold, one-line patterns (our own sentences), the corpus."""

from __future__ import annotations

import json
import random
import statistics
import time
from pathlib import Path

import pytest

from extract.speakers import lexicon
from extract.statements import extract_statements
from extract.text import clean_body, seed_body

FITYO_ROLE = (
    "head of the public relations service of the Ground Forces of the Armed Forces of Ukraine"
)
SEED_GOLD = [  # (kind, cue, first words of the quote), spec section 5
    ("indirect", "stated", "At present, the occupying forces have not abandoned"),
    ("direct", "said", "Yes, the Russian invaders have not abandoned their intentions"),
    ("indirect", "according to", "to achieve their goals, the invaders use aviation"),
    ("direct", "said", "We see that the enemy is stepping up"),
    ("indirect", "noted", "the enemy uses assault troops"),
    ("direct", "emphasized", "There are no strategic successes in this direction"),
    ("indirect", "noted", "in the Bakhmut direction, Russian troops have intensified"),
    ("direct", "said", "The Ukrainian defenders were in active defense"),
    ("indirect", "according to", "ten enemy attacks were repelled in this direction"),
    ("direct", "said", "Again, there is no strategic success"),
]


def test_seed_gold(seed_path: Path) -> None:
    body, _ = seed_body(seed_path.read_text(encoding="utf-8"))
    found = extract_statements(body)
    assert [(s.kind, s.cue) for s in found] == [(k, c) for k, c, _ in SEED_GOLD]
    for statement, (_, _, begins) in zip(found, SEED_GOLD, strict=True):
        assert statement.quote.startswith(begins)
        assert statement.speaker == "Volodymyr Fityo"
        assert statement.speaker_role == FITYO_ROLE
        assert body[statement.start : statement.end] == statement.quote
    quotes = " ".join(s.quote for s in found)
    assert "United News" not in quotes
    # "meat assaults" is inside statement 5, never a statement of its own.
    assert sum("meat assaults" in s.quote for s in found) == 1
    assert found[4].quote.endswith('meat assaults."')
    # Direct quotes stop before the space and comma that precede the closing mark.
    assert found[1].quote.endswith("in the attack of Kupiansk")


def seed_gold_files() -> list[Path]:
    return sorted((Path(__file__).parent / "gold").glob("seed-*.json"))


def run(text: str) -> list[tuple[str, str, str | None, str]]:
    found = extract_statements(text)
    for s in found:
        assert text[s.start : s.end] == s.quote
    return [(s.speaker, s.kind, s.cue, s.quote) for s in found]


K = "Anna Kowalski runs the regional water authority.\n\n"  # introduces the full name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # attribution before the quote
        (
            'Kowalski said: "We will rebuild the bridge by spring."',
            [("Kowalski", "direct", "said", "We will rebuild the bridge by spring.")],
        ),
        (
            K + 'Kowalski told reporters: "We will rebuild the bridge."',
            [("Anna Kowalski", "direct", "told", "We will rebuild the bridge.")],
        ),
        # attribution after the quote, both orders, and the space before the closing mark
        (
            '"We will rebuild the bridge by spring," Kowalski said.',
            [("Kowalski", "direct", "said", "We will rebuild the bridge by spring")],
        ),
        (
            '"The river is rising near the town, "said Anna Kowalski.',
            [("Anna Kowalski", "direct", "said", "The river is rising near the town")],
        ),
        (
            "“We are ready for the flood,” Kowalski stressed.",
            [("Kowalski", "direct", "stressed", "We are ready for the flood")],
        ),
        (
            "«We are ready for the flood», said Kowalski.",
            [("Kowalski", "direct", "said", "We are ready for the flood")],
        ),
        (
            "'We are ready for the flood,' Kowalski said.",
            [("Kowalski", "direct", "said", "We are ready for the flood")],
        ),
        # attribution inside: one statement over the whole quoted sentence
        (
            K + '"The river is rising," she said, "and the town is not ready."',
            [
                (
                    "Anna Kowalski",
                    "direct",
                    "said",
                    'The river is rising," she said, "and the town is not ready.',
                )
            ],
        ),
        # a quote-only paragraph continues the previous speaker, cue None
        (
            '"The river is rising," Kowalski said.\n\n"We have sandbags for a week."',
            [
                ("Kowalski", "direct", "said", "The river is rising"),
                ("Kowalski", "direct", None, "We have sandbags for a week."),
            ],
        ),
        # a quote running over two paragraphs
        (
            'Kowalski said: "The first stage is done.\n\n"The second starts on Monday."',
            [
                ("Kowalski", "direct", "said", "The first stage is done."),
                ("Kowalski", "direct", None, "The second starts on Monday."),
            ],
        ),
        # "X said:" ending a paragraph introduces the quote of the next one
        (
            'Kowalski said at the briefing:\n\n"The dam will hold until Friday."',
            [("Kowalski", "direct", "said", "The dam will hold until Friday.")],
        ),
        # indirect speech
        (
            "Mayor Anna Kowalski noted that the dam would hold until Friday.",
            [("Anna Kowalski", "indirect", "noted", "the dam would hold until Friday.")],
        ),
        (
            "Kowalski said on Tuesday that the dam would hold until Friday.",
            [("Kowalski", "indirect", "said", "the dam would hold until Friday.")],
        ),
        (
            "Kowalski told reporters the dam would hold until Friday.",
            [("Kowalski", "indirect", "told", "the dam would hold until Friday.")],
        ),
        (
            "Kowalski said the dam would hold until Friday.",
            [("Kowalski", "indirect", "said", "the dam would hold until Friday.")],
        ),
        (
            "According to Kowalski, the dam will hold until Friday.",
            [("Kowalski", "indirect", "according to", "the dam will hold until Friday.")],
        ),
        (
            "The dam will hold until Friday, according to Kowalski.",
            [("Kowalski", "indirect", "according to", "The dam will hold until Friday")],
        ),
        (
            "The dam will hold until Friday, Kowalski said.",
            [("Kowalski", "indirect", "said", "The dam will hold until Friday")],
        ),
        (
            "The dam will hold until Friday, said Kowalski.",
            [("Kowalski", "indirect", "said", "The dam will hold until Friday")],
        ),
        (
            K + "Many of the shelters, she said, are already full.",
            [
                (
                    "Anna Kowalski",
                    "indirect",
                    "said",
                    "Many of the shelters, she said, are already full.",
                )
            ],
        ),
        # backward attribution: the preceding paragraph
        (
            "The dam will hold until Friday. Water levels are falling.\n\n"
            "This was stated by the head of the regional water authority Anna Kowalski.",
            [
                (
                    "Anna Kowalski",
                    "indirect",
                    "stated",
                    "The dam will hold until Friday. Water levels are falling.",
                )
            ],
        ),
        # backward attribution: the preceding sentences of the same paragraph
        (
            "The dam will hold. Levels are falling. This was reported by the General Staff.",
            [("General Staff", "indirect", "reported", "The dam will hold. Levels are falling.")],
        ),
        # a quoted fragment inside a reported clause belongs to one indirect statement
        (
            'Kowalski noted that the town was now "better prepared than ever."',
            [("Kowalski", "indirect", "noted", 'the town was now "better prepared than ever."')],
        ),
        # the quoted words are the whole content: direct
        (
            'Kowalski called it an "extremely worrying development".',
            [("Kowalski", "direct", "called", "extremely worrying development")],
        ),
        (
            'Kowalski said that "the dam is safe for now."',
            [("Kowalski", "direct", "said", "the dam is safe for now.")],
        ),
        # nested speech: the inner speaker has a statement of his own
        (
            "Holmes said he heard Trump ask, 'Is he going to do the investigation?'",
            [
                (
                    "Holmes",
                    "indirect",
                    "said",
                    "he heard Trump ask, 'Is he going to do the investigation?'",
                ),
                ("Trump", "direct", "ask", "Is he going to do the investigation?"),
            ],
        ),
        # other speech verbs take a bare clause when it has its own verb
        (
            "Kowalski added the dam was built in 1962.",
            [("Kowalski", "indirect", "added", "the dam was built in 1962.")],
        ),
        # a participle takes the speaker of the main clause; the first clause stops before it
        (
            "Kowalski said the dam was safe, adding that repairs would start in May.",
            [
                ("Kowalski", "indirect", "said", "the dam was safe"),
                ("Kowalski", "indirect", "adding", "repairs would start in May."),
            ],
        ),
        (
            'Kowalski rejected the report, saying: "Nothing has changed at the dam."',
            [("Kowalski", "direct", "saying", "Nothing has changed at the dam.")],
        ),
        # two speakers in one sentence: the first clause stops before the second speaker
        (
            "Experts said that the cladding burned fast, but the mayor, Anna Kowalski, said "
            "the cause was still unknown.",
            [
                ("Experts", "indirect", "said", "the cladding burned fast"),
                ("Anna Kowalski", "indirect", "said", "the cause was still unknown."),
            ],
        ),
        # a relative clause after an inverted attribution still names the speaker
        (
            '"The river is calm," said Kowalski, who also says the dam is ready for winter.',
            [
                ("Kowalski", "direct", "said", "The river is calm"),
                ("Kowalski", "indirect", "says", "the dam is ready for winter."),
            ],
        ),
        # appositives: an age, a place, a rank before the name
        (
            "Ivan Petrenko, 54, a farmer from Kestrivka, said the water came at night.",
            [("Ivan Petrenko", "indirect", "said", "the water came at night.")],
        ),
        (
            "The bridge is closed.\n\nThis was stated by the commander of the brigade, "
            "Lieutenant Colonel Ivan Petrenko, on Monday.",
            [("Ivan Petrenko", "indirect", "stated", "The bridge is closed.")],
        ),
        # double marks typed as two single quotes, and a straight quote inside a straight quote
        (
            "‘‘We are ready,’’ Kowalski said.",
            [("Kowalski", "direct", "said", "We are ready")],
        ),
        (
            '"They call it a "green corridor" but it is a trap," Kowalski said.',
            [("Kowalski", "direct", "said", 'They call it a "green corridor" but it is a trap')],
        ),
        # speech quoted inside a quotation, and a question mark before the attribution
        (
            "Holmes was at the lunch.\n\n"
            "\"I then heard Trump ask, quote, 'Is he going to do the investigation?'\" "
            "Holmes testified.",
            [
                (
                    "Holmes",
                    "direct",
                    "testified",
                    "I then heard Trump ask, quote, 'Is he going to do the investigation?'",
                ),
                ("Trump", "direct", "ask", "Is he going to do the investigation?"),
            ],
        ),
        # organisations speak, joint speakers stay as written
        (
            "The General Staff reported that 40 drones were shot down overnight.",
            [("General Staff", "indirect", "reported", "40 drones were shot down overnight.")],
        ),
        (
            "Vindman and Williams testified that the call was improper.",
            [("Vindman and Williams", "indirect", "testified", "the call was improper.")],
        ),
    ],
)
def test_patterns(text: str, expected: list[tuple[str, str, str | None, str]]) -> None:
    assert run(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        'The station broadcast the "Morning Hour" programme all night.',
        "Critics urged Kowalski to resign after the flood.",
        "He accused Kowalski of hiding the damage.",
        "Analysts expect that prices will rise in spring.",
        "Experts estimated that 300 homes were damaged.",
        "The bank concluded that the loan was safe.",
        'The so-called "green corridor" opened on Monday.',
        '"We will never surrender."',
        "Occupiers continue their offensive near Avdiivka, - ISW",
        "The report cited Kowalski as a witness.",
        "She walked to the dam and looked at the water.",
        # an outlet the article cites is not a speaker
        "The dam held overnight, Northwire reports.",
        "The report of the commission was published on Monday.",
        "Kowalski noted the importance of the new dam for the region.",
    ],
)
def test_not_statements(text: str) -> None:
    assert run(text) == []


# Issue 12 classes: statements the extractor used to miss (our own sentences).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # documents speak (spec Decision 1), with "found" / "shows" only for documents
        (
            "A survey of 900 farmers by the Grain Union found that most plan to plant less.",
            [
                (
                    "survey of 900 farmers by the Grain Union",
                    "indirect",
                    "found",
                    "most plan to plant less.",
                )
            ],
        ),
        (
            "The indictment claims that the fires were set on purpose.",
            [("indictment", "indirect", "claims", "the fires were set on purpose.")],
        ),
        (
            "Rivers are rising faster than before, a recent study has shown.",
            [("recent study", "indirect", "shown", "Rivers are rising faster than before")],
        ),
        # groups and organisations named by a common noun
        (
            "Local residents say the water came within minutes.",
            [("Local residents", "indirect", "say", "the water came within minutes.")],
        ),
        (
            "Backers of the dam, however, argue that it saved the valley.",
            [("Backers of the dam", "indirect", "argue", "it saved the valley.")],
        ),
        (
            "The harvest could fall by a third next year, the brokerage said.",
            [("brokerage", "indirect", "said", "The harvest could fall by a third next year")],
        ),
        # something between the verb and the clause, or before the subject
        (
            "River pilot Anna Kowalski said the current was too strong for the ferry.",
            [("Anna Kowalski", "indirect", "said", "the current was too strong for the ferry.")],
        ),
        (
            "On its website the Water Authority said: 'The dam will be inspected on Friday.'",
            [("Water Authority", "direct", "said", "The dam will be inspected on Friday.")],
        ),
        (
            "The crew noted the pump failed twice during the night.",
            [("crew", "indirect", "noted", "the pump failed twice during the night.")],
        ),
        # a second verb of the same speaker ends the first clause
        (
            "The ministry said 30 homes were flooded, but added the dam was safe.",
            [
                ("ministry", "indirect", "said", "30 homes were flooded"),
                ("ministry", "indirect", "added", "the dam was safe."),
            ],
        ),
        (
            "The ministry said the dam was safe and called on residents to stay calm.",
            [("ministry", "indirect", "said", "the dam was safe")],
        ),
        # the subject of a relative clause or of a second verb
        (
            "The levy was cut after protests by farmers and other landowners who said "
            "they could not pay for the repairs.",
            [
                (
                    "farmers and other landowners",
                    "indirect",
                    "said",
                    "they could not pay for the repairs.",
                )
            ],
        ),
        (
            "The Water Authority published a notice that said the dam would be closed on Friday.",
            [("notice", "indirect", "said", "the dam would be closed on Friday.")],
        ),
        (
            "Kowalski visited the dam on Monday and said the repairs were finished.",
            [("Kowalski", "indirect", "said", "the repairs were finished.")],
        ),
        (
            "The old pump is slow, yet Kowalski says it will last another winter.",
            [("Kowalski", "indirect", "says", "it will last another winter.")],
        ),
        (
            "Now Kowalski says the dam will hold until spring.",
            [("Kowalski", "indirect", "says", "the dam will hold until spring.")],
        ),
        # a participle after an inserted attribution is the speaker's action
        (
            "Every dam will be inspected, Kowalski said, pointing at the old pump house.",
            [("Kowalski", "indirect", "said", "Every dam will be inspected")],
        ),
        # "said this <noun>" opens a clause, "said this week" is a time
        (
            "In her speech to the council on Monday evening, Kowalski said this flood "
            "was the worst in a century.",
            [("Kowalski", "indirect", "said", "this flood was the worst in a century.")],
        ),
        # a question or an account: ask / demand / explain / describe + wh-clause
        (
            "Kowalski repeatedly demanded how the engineers could be so sure of the dam.",
            [
                (
                    "Kowalski",
                    "indirect",
                    "demanded",
                    "how the engineers could be so sure of the dam.",
                )
            ],
        ),
        (
            "The inspector later described how the water broke through the old wall.",
            [("inspector", "indirect", "described", "how the water broke through the old wall.")],
        ),
        # a subordinate clause with its own speaker; a complement after a group noun
        (
            "The mood changed on the day when a city official claimed the dam was unsafe.",
            [("city official", "indirect", "claimed", "the dam was unsafe.")],
        ),
        (
            "The dam held, but people close to the mayor said the repairs were rushed.",
            [("people close to the mayor", "indirect", "said", "the repairs were rushed.")],
        ),
        # a capitalised document noun opens the sentence; an appositive after a document
        (
            "Studies have shown that floods are getting worse in the valley.",
            [("Studies", "indirect", "shown", "floods are getting worse in the valley.")],
        ),
        (
            "A 2021 study by the River Institute, a research group in Lyon, concluded that "
            "the dams were too old.",
            [
                (
                    "2021 study by the River Institute",
                    "indirect",
                    "concluded",
                    "the dams were too old.",
                )
            ],
        ),
        # "according to reports" and a source named after "That's according to"
        (
            "According to reports, the pumps were switched off at night.",
            [("reports", "indirect", "according to", "the pumps were switched off at night.")],
        ),
        (
            "Most farmers plan to plant less this year. That's according to figures "
            "compiled by the Grain Union.",
            [
                (
                    "figures compiled by the Grain Union",
                    "indirect",
                    "according to",
                    "Most farmers plan to plant less this year.",
                )
            ],
        ),
        # a subject before the participle: "with X saying"
        (
            "The repairs were delayed, with the Water Authority saying the pumps were broken.",
            [("Water Authority", "indirect", "saying", "the pumps were broken.")],
        ),
        # two quoted fragments of one speaker joined by "and" + another evaluating verb
        (
            K + 'In a post at the time she described the plan as a "slow disaster" and '
            'accused the council of "careless, costly delays".',
            [
                ("Anna Kowalski", "direct", "described", "slow disaster"),
                ("Anna Kowalski", "direct", "accused", "careless, costly delays"),
            ],
        ),
        # "concluded that, <circumstance>, <clause>"
        (
            "A 2020 review by the River Institute concluded that, in most towns, "
            "the levees were too low.",
            [
                (
                    "2020 review by the River Institute",
                    "indirect",
                    "concluded",
                    "in most towns, the levees were too low.",
                )
            ],
        ),
        # a dateline is not part of the statement; a quotation closed after a sentence
        # break stays whole
        (
            "(Northwire) — The regulator is investigating the dam operator, according to "
            "two engineers at the site.",
            [
                (
                    "two engineers at the site",
                    "indirect",
                    "according to",
                    "The regulator is investigating the dam operator",
                )
            ],
        ),
        (
            'According to the engineer, the pumps "worked for two days. Then they stopped."',
            [
                (
                    "engineer",
                    "indirect",
                    "according to",
                    'the pumps "worked for two days. Then they stopped."',
                )
            ],
        ),
        # someone else's words reported inside a quotation are a statement of their own
        (
            "The club opened a new track.\n\n"
            "“Studies show that anglers catch fewer fish than before,” the club wrote.",
            [
                (
                    "club",
                    "direct",
                    "wrote",
                    "Studies show that anglers catch fewer fish than before",
                ),
                ("Studies", "indirect", "show", "anglers catch fewer fish than before"),
            ],
        ),
        # participles: no comma before "saying", an audience after "telling", a speech
        # verb before "saying" and a quotation
        (
            K + "In 2019 she filed a complaint saying the dam had been built too low.",
            [("Anna Kowalski", "indirect", "saying", "the dam had been built too low.")],
        ),
        (
            K + "Later she left the office, telling the clerk she would be back by noon.",
            [("Anna Kowalski", "indirect", "telling", "she would be back by noon.")],
        ),
        (
            K + "She recalled saying “not again” when the water came.",
            [("Anna Kowalski", "direct", "recalled", "not again")],
        ),
        # a circumstance between the verb and "that"
        (
            K + "She admitted under questioning that the pumps had failed.",
            [("Anna Kowalski", "indirect", "admitted", "the pumps had failed.")],
        ),
        # the name in an appositive after a description, or before a participle phrase
        (
            "The company that runs the old dam, Acme Hydro, says the gates will open in May.",
            [("Acme Hydro", "indirect", "says", "the gates will open in May.")],
        ),
        (
            "Kowalski, joined by two engineers from the town, said the spillway was finished.",
            [("Kowalski", "indirect", "said", "the spillway was finished.")],
        ),
        # an acronym after "says"; a long title before the name after "said"
        (
            'Standing water is "a real health risk", says UNEP.',
            [("UNEP", "indirect", "says", 'Standing water is "a real health risk"')],
        ),
        (
            "The gates will open in May, said the Acme Hydro's newly named chair Jan Nowak "
            "in an email to staff.",
            [("Jan Nowak", "indirect", "said", "The gates will open in May")],
        ),
        # "according to X" after a full clause attributes that clause only
        (
            "The regulator is investigating the dam operator, according to two engineers "
            "at the site, adding to the pressure on the board.",
            [
                (
                    "two engineers at the site",
                    "indirect",
                    "according to",
                    "The regulator is investigating the dam operator",
                )
            ],
        ),
        # "according to X" right after a closing quotation mark; a month in a document's
        # complement
        (
            'The new levy was a "slap in the face" according to critics, but it passed.',
            [("critics", "indirect", "according to", 'The new levy was a "slap in the face"')],
        ),
        (
            "A poll of 900 voters by Acme Research in May found that most want the dam.",
            [
                (
                    "poll of 900 voters by Acme Research in May",
                    "indirect",
                    "found",
                    "most want the dam.",
                )
            ],
        ),
        # a name at the end of the reported clause is not a speaker after the verb
        (
            "The authority, which expects heavy rain this week, confirmed on Monday that it "
            "had been contacted by the office of the mayor, Anna Kowalski.",
            [
                (
                    "authority",
                    "indirect",
                    "confirmed",
                    "it had been contacted by the office of the mayor, Anna Kowalski.",
                )
            ],
        ),
        # "<clause about X>, which says ...": the organisation the relative pronoun follows
        (
            "Nowak is the chair of the River Alliance in Kestrivka, which says in its newsletter "
            "that it wants the dam removed.",
            [("River Alliance", "indirect", "says", "it wants the dam removed.")],
        ),
        # a quantifier standing for people speaks: "Some in Kestrivka ..."
        (
            "Some in Kestrivka praised the levee, saying the town finally felt safe.",
            [("Some in Kestrivka", "indirect", "saying", "the town finally felt safe.")],
        ),
        # "what officials called the ‘...’ <noun>": the quoted words qualify a noun
        (
            "The council scrapped what residents called the ‘cruel and pointless’ curfew "
            "at the harbour.",
            [("residents", "direct", "called", "cruel and pointless")],
        ),
        # a passive evaluating verb with its agent: the agent's words
        (
            "The plan, which had been described by the charity River Watch as a ‘rare "
            "chance’, passed on Monday.",
            [("River Watch", "direct", "described", "rare chance")],
        ),
        # "A, according to X, an <appositive>": A only
        (
            "The group was founded by veterans, according to Breaking Waves, an NGO of "
            "former sailors that opposes the dam.",
            [
                (
                    "Breaking Waves",
                    "indirect",
                    "according to",
                    "The group was founded by veterans",
                )
            ],
        ),
        # an appositive inside the reported clause; an infinitive inside its subject;
        # "that's" opening the clause after an audience
        (
            "Nowak also clarified Kowalski's daughter, Maria Kowalski, joined the trip "
            "as an engineer.",
            [
                (
                    "Nowak",
                    "indirect",
                    "clarified",
                    "Kowalski's daughter, Maria Kowalski, joined the trip as an engineer.",
                )
            ],
        ),
        (
            "Kowalski explained the town's new plan to reduce flood damage was to raise the banks.",
            [
                (
                    "Kowalski",
                    "indirect",
                    "explained",
                    "the town's new plan to reduce flood damage was to raise the banks.",
                )
            ],
        ),
        (
            "The Water Authority, however, tells me that's a myth about the old pumps.",
            [("Water Authority", "indirect", "tells", "that's a myth about the old pumps.")],
        ),
        # a colon before the quotation, the speech verb and its subject earlier
        (
            K + "She then told the engineers, who had come from the city, what she would "
            "do: “I would open the gates tonight.”",
            [("Anna Kowalski", "direct", "told", "I would open the gates tonight.")],
        ),
        # a speech noun with its speaker and a that-clause
        (
            "The council voted after a public declaration by the water board that the dam "
            "was safe.",
            [("water board", "indirect", "declaration", "the dam was safe.")],
        ),
        (
            K + "Critics have questioned her claims that the pumps never failed.",
            [("Anna Kowalski", "indirect", "claims", "the pumps never failed.")],
        ),
        # "According to X" without its comma before a clause
        (
            "According to Kowalski the safest crossing is two miles north of the dam.",
            [
                (
                    "Kowalski",
                    "indirect",
                    "according to",
                    "the safest crossing is two miles north of the dam.",
                )
            ],
        ),
        # "X, led by Y, requested ...": X speaks, not Y
        (
            'Members of the water committee, led by chairman Jan Nowak, requested "a full '
            'report on the dam by June."',
            [
                (
                    "Members of the water committee",
                    "direct",
                    "requested",
                    "a full report on the dam by June.",
                )
            ],
        ),
        # "<name>, a <description> who <verb> said:" names the person
        (
            "Jan Nowak, a former river pilot who saw the flood said: “The water rose in minutes.”",
            [("Jan Nowak", "direct", "said", "The water rose in minutes.")],
        ),
        # "during" opens a clause with its own verb
        (
            "Kowalski added during the storm the pumps stopped twice.",
            [("Kowalski", "indirect", "added", "during the storm the pumps stopped twice.")],
        ),
        # an audience with a name and its role, then "that"; a pronoun after the audience
        (
            "Jan Nowak, 63, told Northwire radio producer Anna Kowalski in Kestrivka "
            "that the vote was a mistake.",
            [("Jan Nowak", "indirect", "told", "the vote was a mistake.")],
        ),
        (
            "Acme chief Jan Nowak has told Acme engineers he expects the dam finished by 2027.",
            [("Jan Nowak", "indirect", "told", "he expects the dam finished by 2027.")],
        ),
        # an inserted attribution after an introductory subordinate phrase
        (
            K + "Since the spring floods, she says, the ward has treated two patients a day.",
            [
                (
                    "Anna Kowalski",
                    "indirect",
                    "says",
                    "Since the spring floods, she says, the ward has treated two patients a day.",
                )
            ],
        ),
        # "said <title>, <name>."
        (
            "The dam will hold through spring, said the Water Authority's chief engineer, "
            "Anna-Maria Kowalski.",
            [("Anna-Maria Kowalski", "indirect", "said", "The dam will hold through spring")],
        ),
        # an infinitive reports only with its that-clause
        (
            "The vote allowed Kowalski to claim that the town wanted the dam.",
            [("Kowalski", "indirect", "claim", "the town wanted the dam.")],
        ),
        # a negated auxiliary shows a clause
        (
            "The inspector noted the crew didn't check the pumps until Friday.",
            [("inspector", "indirect", "noted", "the crew didn't check the pumps until Friday.")],
        ),
        # "according to X" set inside the sentence it attributes
        (
            "Two years ago, according to Jan Nowak, Kowalski organized "
            "a protest against the old dam.",
            [
                (
                    "Jan Nowak",
                    "indirect",
                    "according to",
                    "Two years ago, according to Jan Nowak, Kowalski "
                    "organized a protest against the old dam.",
                )
            ],
        ),
        # a statement inside brackets ends with them
        (
            "The fee will change (the Water Authority does say it will vary by town), "
            "and nobody knows when.",
            [("Water Authority", "indirect", "say", "it will vary by town")],
        ),
        # an abbreviation between the quotation and its verb; a circumstance after the speaker
        (
            '"The gates are open," Anna Kowalski, an engineer at the U.K. water board, '
            "told the BBC in an interview.",
            [("Anna Kowalski", "direct", "told", "The gates are open")],
        ),
        (
            '"We are cooperating with the inquiry," said an Acme spokesperson when '
            "contacted by Northwire.",
            [("Acme spokesperson", "direct", "said", "We are cooperating with the inquiry")],
        ),
        # verbs that attribute only next to a quotation
        (
            '"Everybody out of the water!" a police officer ordered.',
            [("police officer", "direct", "ordered", "Everybody out of the water!")],
        ),
        (
            'The notice on the gate read: "No entry after dark."',
            [("notice on the gate", "direct", "read", "No entry after dark.")],
        ),
        # quoted words that are the whole content of an evaluating verb: direct
        (
            'The mayor has characterized the plan as the "last chance" for the valley.',
            [("mayor", "direct", "characterized", "last chance")],
        ),
        (
            'Kowalski accused the company of years of "reckless, careless building".',
            [("Kowalski", "direct", "accused", "reckless, careless building")],
        ),
        (
            'The Water Authority urged an "end to building on the flood plain".',
            [("Water Authority", "direct", "urged", "end to building on the flood plain")],
        ),
        # a quotation inside an indirect statement keeps its closing mark
        (
            'The flood was "entirely avoidable," says the Water Authority.',
            [("Water Authority", "indirect", "says", 'The flood was "entirely avoidable,"')],
        ),
    ],
)
def test_issue12_classes(text: str, expected: list[tuple[str, str, str | None, str]]) -> None:
    assert run(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Engineers found that the pump had failed.",  # a person who finds is not speaking
        "The crew held a meeting with the mayor on the bank of the river.",
        "The company reports as it awaits approval from the regulator.",
        "She asked to meet the mayor, who was on holiday at the time.",
        "The mayor visited the report room and the archive on Monday.",
        # a verb form after a possessive is a noun; a base form after one name is no verb
        "Editor's note: An earlier version misspelled the name of the dam.",
        "The Kowalski state inspector is looking into the flood.",
        # denied + noun phrase; told + audience + infinitive or "about"
        "Kowalski denied allegations he had ignored the warnings.",
        "The mayor told engineers to check the dam every night this week.",
        "She told Kowalski about the damage she saw at the mill.",
        # an introductory phrase before "X said" is the scene, not what was said
        "In the weeks when the river was high, Kowalski responded with daily briefings.",
        "The firm grew fast in May adding a new engineer as its head of research.",
        "The usher went to inform the guests they could take their seats.",
        # objects, gerunds and prepositions after a speech verb open no clause
        "Kowalski reported three floods last year, none of them caused by the dam.",
        "The chair banged the table, telling Acme lawyer Jan Nowak to wait his turn.",
        "Kowalski wrote the gate code on a card so the night guard could open it.",
        "Kowalski lamented having sold the mill so cheaply.",
        "Kowalski smiled and said before leaving the room.",
        # a verb form after a number is a noun; an impersonal passive has no speaker
        "Farmers in 12 regions will get a new water allowance.",
        "It’s said that the old dam is the safest in the region.",
        "The letters revealed at the hearing, which were drafts from the mayor's office, "
        "exposed the plan.",
        # an object after the verb: the sentence before is not what was said
        "After the video from the dam surfaced, the police added charges of fraud.",
        "The report described the dam as old and the pumps as slow.",
        # a naming verb with no object names something: no statement
        'The town opened a shelter it is calling "Dry Harbour," which sleeps forty.',
    ],
)
def test_issue12_not_statements(text: str) -> None:
    assert run(text) == []


def test_speaker_resolution_and_roles() -> None:
    text = (
        "Secretary of State Antony Blinken arrived in Kyiv on Monday.\n\n"
        '"We stand with Ukraine," Blinken said.\n\n'
        "He added that more air defence was coming.\n\n"
        "Anna Kowalski, a spokeswoman for the water authority, said the dam was safe.\n\n"
        '"We check it every hour," the spokeswoman said.\n\n'
        '"Nothing has changed," a police spokesman said.'
    )
    found = extract_statements(text)
    assert [(s.speaker, s.speaker_role) for s in found] == [
        # the title the article gave him when it introduced him
        ("Antony Blinken", "Secretary of State"),
        ("Antony Blinken", "Secretary of State"),
        ("Anna Kowalski", "spokeswoman for the water authority"),
        ("Anna Kowalski", "spokeswoman for the water authority"),
        ("police spokesman", None),
    ]


def test_role_before_the_name() -> None:
    (s,) = extract_statements("Secretary of State Antony Blinken said the talks were useful.")
    assert (s.speaker, s.speaker_role) == ("Antony Blinken", "Secretary of State")


def test_pronoun_resolves_to_the_last_person_mentioned() -> None:
    text = "Anna Kowalski visited the dam on Monday. She said the structure was safe."
    (s,) = extract_statements(text)
    assert (s.speaker, s.kind, s.cue) == ("Anna Kowalski", "indirect", "said")


def test_citing_clause_is_not_part_of_the_statement() -> None:
    text = "The dam held overnight, Kowalski said, as Northwire informs citing Veldinform."
    (s,) = extract_statements(text)
    assert (s.speaker, s.quote) == ("Kowalski", "The dam held overnight")


def test_pronoun_skips_a_name_of_the_other_gender() -> None:
    text = 'Anna Kowalski met Donald Smith at the dam.\n\n"The water is falling," she said.'
    (s,) = extract_statements(text)
    assert s.speaker == "Anna Kowalski"


def test_generic_organisation_resolves_to_the_named_one() -> None:
    text = (
        "The Veldenergo Company cut power in three districts.\n\n"
        "The company said repairs would take two days."
    )
    (s,) = extract_statements(text)
    assert (s.speaker, s.cue) == ("Veldenergo Company", "said")


def test_attribution_at_the_end_of_a_multi_paragraph_quote() -> None:
    text = '"The first stage is done.\n\n"The second starts on Monday," Kowalski said.'
    found = extract_statements(text)
    assert [(s.speaker, s.cue) for s in found] == [("Kowalski", None), ("Kowalski", "said")]


def test_acronym_resolves_to_the_name_it_was_introduced_for() -> None:
    text = "The Water Safety Board (WSB) inspected the dam.\n\nThe WSB said that the dam was safe."
    (s,) = extract_statements(text)
    assert s.speaker == "Water Safety Board"


def test_inner_speaker_does_not_take_over_the_next_quote() -> None:
    text = (
        "Holmes was at the lunch.\n\n"
        "\"I heard Trump ask, 'Is he going to do it?'\" Holmes testified. "
        '"Sondland replied that he would."'
    )
    found = extract_statements(text)
    # Sondland's reply reported inside Holmes's quotation is a statement of its own (spec
    # section 2: speech reported inside another statement, by someone else).
    assert [(s.speaker, s.cue) for s in found] == [
        ("Holmes", "testified"),
        ("Trump", "ask"),
        ("Holmes", None),
        ("Sondland", "replied"),
    ]


def test_this_as_a_subject_is_no_backward_attribution() -> None:
    text = "Patients bought smaller shoes. The researchers suggested this could be fat loss."
    (s,) = extract_statements(text)
    assert s.quote == "this could be fat loss."


def test_unresolvable_pronoun_gives_no_statement() -> None:
    assert extract_statements("He said the structure was safe.") == []


def test_speech_lexicons() -> None:
    forms = {line.split("|")[0].strip().lower() for line in lexicon("speech_verbs")}
    not_speech = {line.lower() for line in lexicon("speech_not_verbs")}
    assert {"said", "stated", "noted", "emphasized", "told reporters"} <= forms
    assert forms.isdisjoint(not_speech)


def test_never_breaks_on_typographic_noise() -> None:
    # Random mixes of quotes, cues and punctuation (fixed seed): no crash, exact offsets.
    rng = random.Random(7)
    pieces = "a \"“”«»'‘’., !?\n\n said he She Mr. Smith according to: that the minister"
    tokens = pieces.split(" ")
    for _ in range(2000):
        text = clean_body("".join(rng.choice(tokens) + rng.choice(" \n") for _ in range(40)))
        for s in extract_statements(text):
            assert text[s.start : s.end] == s.quote and s.start < s.end


def aeb_bodies(corpus: Path) -> list[str]:
    data = json.loads((corpus / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    return [clean_body(item["articleBody"]) for item in data.values()]


def test_corpus_offsets_and_speed(corpus: Path) -> None:
    bodies = aeb_bodies(corpus)
    times = []
    total = 0
    for body in bodies:
        t0 = time.process_time()
        found = extract_statements(body)
        times.append(time.process_time() - t0)
        total += len(found)
        for s in found:
            assert body[s.start : s.end] == s.quote
            assert s.kind in ("direct", "indirect")
            assert s.speaker.strip()
    assert total > len(bodies)  # news articles quote people
    kb = sum(len(b) for b in bodies) / 1000
    # Budget: statements and figures together may cost 10% of trafilatura's extraction
    # (tens of ms per page), so statements stay under 1 ms of CPU per KB of body text.
    assert sum(times) * 1000 / kb < 1.0, f"{sum(times) * 1000 / kb:.3f} ms/KB"
    print(f"AEB: {len(bodies)} bodies, median {statistics.median(times) * 1000:.2f} ms")


def test_interview_layout_answers_are_direct_statements() -> None:
    """Spec Decision 2: answers in a Q&A layout are the interviewee's, cue None."""
    text = (
        "We spoke to the hydrologist Anna Kowalski about the spring floods.\n\n"
        "Q: Will the dam hold this year?\n\n"
        "A: It will hold. We rebuilt the spillway in March.\n\n"
        "Q: And the villages below it?\n\n"
        "A: They are safe as long as the pumps run."
    )
    assert run(text) == [
        ("Anna Kowalski", "direct", None, "It will hold. We rebuilt the spillway in March."),
        ("Anna Kowalski", "direct", None, "They are safe as long as the pumps run."),
    ]


def test_interview_layout_with_name_labels() -> None:
    text = (
        "The reporter Jan Nowak met the engineer Anna Kowalski at the dam.\n\n"
        "Nowak: Is the spillway finished?\n\n"
        "Kowalski: Almost. The last gate goes in next week.\n\n"
        "Nowak: And then?\n\n"
        "Kowalski: Then we test it with the spring water."
    )
    assert run(text) == [
        ("Anna Kowalski", "direct", None, "Almost. The last gate goes in next week."),
        ("Anna Kowalski", "direct", None, "Then we test it with the spring water."),
    ]


def test_labels_that_are_not_an_interview() -> None:
    text = (
        "The dam was finished in May.\n\n"
        "Photo: the new spillway of the dam.\n\n"
        "Today: the river is calm and the gates are open."
    )
    assert run(text) == []
    # a list by place names has no questions
    listing = (
        "New rules start in Kestrivka and Ulmany this year.\n\n"
        "Kestrivka: Dogs must be kept on a lead near the dam.\n\n"
        "Ulmany: Boats need a permit on the reservoir.\n\n"
        "Kestrivka: Fishing is allowed only from the north bank.\n\n"
        "Ulmany: The beach closes at nine."
    )
    assert run(listing) == []


def test_a_paragraph_that_names_the_next_speaker() -> None:
    """ "X agreed." alone before a quotation-only paragraph gives X that quotation."""
    text = (
        'Jan Nowak told a reporter that the choice was "an internal decision."\n\n'
        "Anna Kowalski, 51, agreed.\n\n"
        '"Choosing a new leader now can only harm the talks."'
    )
    assert run(text)[-1] == (
        "Anna Kowalski",
        "direct",
        "agreed",
        "Choosing a new leader now can only harm the talks.",
    )


def test_a_definite_document_points_back() -> None:
    """ "the report" is the report named before; "the statement" after "X said in a
    statement" is X's (spec Decision 1: the document with its author)."""
    text = (
        "A River Institute report found that the dam was too old.\n\n"
        '"The gates must be replaced," the report said.\n\n'
        "Two workers were hurt at the dam, the Water Authority said in a statement.\n\n"
        '"The cause is under investigation," the statement said.'
    )
    assert [s.speaker for s in extract_statements(text)] == [
        "River Institute report",
        "River Institute report",
        "Water Authority",
        "Water Authority",
    ]
