"""Paragraph, sentence and quotation spans on news typography (sentences written for the test)."""

from __future__ import annotations

import pytest

from extract.segment import paragraph_spans, quote_spans, sentence_spans


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def quotes(text: str) -> list[str]:
    return [text[q.start : q.end] for q in quote_spans(text)]


def test_paragraph_spans_trim_and_split_on_blank_lines() -> None:
    text = "  First line.\nStill first.\n\nSecond one.  \n\n\nThird."
    assert [text[s:e] for s, e in paragraph_spans(text)] == [
        "First line.\nStill first.",
        "Second one.",
        "Third.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met Dr. Jones in Kyiv on Jan. 5. They talked.",
            ["Mr. Smith met Dr. Jones in Kyiv on Jan. 5.", "They talked."],
        ),
        (
            "Lt. Col. Ivan Petrov led Unit No. 5 there. It held.",
            ["Lt. Col. Ivan Petrov led Unit No. 5 there.", "It held."],
        ),
        (
            "Officials in the U.S. Senate agreed. J. R. Smith did not.",
            ["Officials in the U.S. Senate agreed.", "J. R. Smith did not."],
        ),
        (
            '"We waited... and waited," he said. Then rain came.',
            ['"We waited... and waited," he said.', "Then rain came."],
        ),
        (
            '"There is no success (the enemy. Ed.), "Said Ivanov. Next.',
            ['"There is no success (the enemy. Ed.), "Said Ivanov.', "Next."],
        ),
        (
            'It will end soon. "We know it. All of it," she said.',
            ["It will end soon.", '"We know it.', 'All of it," she said.'],
        ),
        ("Where is it? Nobody knows!", ["Where is it?", "Nobody knows!"]),
        ("One.\n\nTwo", ["One.", "Two"]),
    ],
)
def test_sentence_spans(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"We hold the line," she said.', ["We hold the line"]),
        ('"We hold the line near the river, "said Ivanov.', ["We hold the line near the river"]),
        ("“We hold the line,” she said, “and we will.”", ["We hold the line", "and we will."]),
        ("«Nous tenons», a-t-il dit.", ["Nous tenons"]),
        ("„Wir halten“, sagte er.", ["Wir halten"]),
        ("'We hold the line,' she said. It's Kyiv's view.", ["We hold the line"]),
        (
            "He said \"the so-called 'green corridor' works.\"",
            ["the so-called 'green corridor' works.", "green corridor"],
        ),
        ("The soldiers' families wait.", []),
        ("‘‘We hold,’’ she said.", ["We hold"]),
        (
            '"They call it a "green corridor" but it is a trap," he said.',
            ['They call it a "green corridor" but it is a trap'],
        ),
    ],
)
def test_quote_spans(text: str, expected: list[str]) -> None:
    assert quotes(text) == expected


def test_quote_open_at_paragraph_end_runs_to_it_and_next_paragraph_reopens() -> None:
    text = 'He said: "First part of it.\n\n"Second part," he added.'
    spans = quote_spans(text)
    assert [text[q.start : q.end] for q in spans] == ["First part of it.", "Second part"]
    assert [q.closed for q in spans] == [False, True]
    assert spans[0].mark_end == text.index("\n")


def test_british_single_quote_open_at_paragraph_end_runs_to_it() -> None:
    text = "She added: ‘We stayed. We rebuilt the mill.\n\n‘Nobody helped us,’ she said."
    spans = quote_spans(text)
    assert [text[q.start : q.end] for q in spans] == [
        "We stayed. We rebuilt the mill.",
        "Nobody helped us",
    ]
    assert [q.closed for q in spans] == [False, True]
    # an apostrophe-like mark left open inside a sentence is not a quotation
    assert quote_spans("The ‘80s were quiet, he said.") == []


def test_quote_marks_are_outside_the_words() -> None:
    text = 'A "quoted" word.'
    (q,) = quote_spans(text)
    assert text[q.mark_start] == '"' and text[q.mark_end - 1] == '"'
    assert text[q.start : q.end] == "quoted"
