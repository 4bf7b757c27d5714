"""Figures whose number reading decides whether they are figures at all (issue 12).

Made-up sentences, one per class: numbers inside names, ages,
fractions, prices per period, dimensions written as compound modifiers.
"""

from __future__ import annotations

import pytest

from extract.figures import extract_figures


def values(sentence: str) -> list[tuple[float, float | None, str | None]]:
    return [(f.value, f.value_max, f.unit) for f in extract_figures(sentence)]


@pytest.mark.parametrize(
    "sentence",
    [
        "The S&P 500 closed higher on Tuesday.",
        "Broadcaster KTV 7 aired the footage first.",
        "The FTSE 100 slipped in early trade.",
        "Her old iPhone 8 still works.",
        "Send letters to 88 Lantern Avenue in the old town.",
        "Write to 14 Birch Hill Road, Springfield.",
        "The blast was reported at 0415 GMT near the port.",
        "Okafor was 17-of-29 passing in the win.",
        "Unions want to end zero-hours contracts.",
        "Fans waited for 'Half Moon: Rising' for years.",
        "Voters rejected a two-tier system.",
        "She remembers “Lisbon; summer ’91.”",
        "In one interview she described the house.",
        "He could not walk from one room to another.",
        "There was one occasion when the gate was open.",
        "It started in a hospital one night in May.",
        "The plan is doomed, said one senior aide.",
        "Prices will rise, according to one estimate.",
        "Subscribers get games (Galaxy 3 is free this month).",
        "The state kept its one-child policy for decades.",
    ],
)
def test_not_figures(sentence: str) -> None:
    assert extract_figures(sentence) == []


def test_a_change_then_a_level_with_the_unit_repeated() -> None:
    assert values("The index gained 15 points to 2,480 points.") == [
        (15, None, "point"),
        (2480, None, "point"),
    ]


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("I’m 81 and still drive to the market.", 81),
        ("She said she was 16 when she left home.", 16),
        ("He was 12, and the war had just begun.", 12),
        ("Some recruits were as young as 15 at the time.", 15),
    ],
)
def test_ages_given_by_a_pronoun_or_as_young_as(sentence: str, value: float) -> None:
    [f] = extract_figures(sentence)
    assert (f.value, f.unit, f.object) == (value, "year", "age")


@pytest.mark.parametrize(
    ("sentence", "value", "value_max", "obj"),
    [
        ("The repairs took about three or four days.", 3, 4, "days"),
        ("Crews searched for roughly 20 or 30 minutes.", 20, 30, "minutes"),
        ("The storm lasted a couple of days.", 2, None, "days"),
    ],
)
def test_approximate_durations(sentence: str, value: float, value_max: float | None, obj: str):
    [f] = extract_figures(sentence)
    assert (f.value, f.value_max, f.bound) == (value, value_max, "about")
    assert obj in (f.object or "")


@pytest.mark.parametrize(
    ("sentence", "value", "unit"),
    [
        ("A third of the budget went on roads.", 1 / 3, "fraction"),
        ("Two-thirds of the members voted yes.", 2 / 3, "fraction"),
        ("Half of the seats were empty.", 0.5, "fraction"),
    ],
)
def test_fractions_have_unit_fraction(sentence: str, value: float, unit: str) -> None:
    [f] = extract_figures(sentence)
    assert (f.value, f.unit) == (pytest.approx(value), unit)


def test_half_a_million_is_a_count_not_a_fraction() -> None:
    [f] = extract_figures("Half a million visitors came.")
    assert (f.value, f.unit) == (500_000, None)


def test_price_per_period_written_with_a_slash() -> None:
    assert values("The app costs $9/month or $70/year.") == [
        (9, None, "USD/month"),
        (70, None, "USD/year"),
    ]


def test_dimension_word_after_a_hyphenated_unit() -> None:
    [f] = extract_figures("Rescuers reached the bottom of a 30-foot-deep well.")
    assert (f.value, f.unit, f.object) == (30, "ft", "well")


def test_plural_hyphenated_unit_is_a_measure() -> None:
    [f] = extract_figures("The boat is – at 240-inches – longer than the dock.")
    assert (f.value, f.unit) == (240, "in")


def test_cents_convert_to_the_main_unit() -> None:
    [f] = extract_figures("The loonie traded at 73.15 U.S. cents.")
    assert (f.value, f.unit) == (pytest.approx(0.7315), "USD")


def test_a_speed_test_name_is_not_a_range() -> None:
    assert values("The hatchback does 0-60 mph in 6.1 seconds.") == [(6.1, None, "second")]


def test_two_quarters_count_quarters() -> None:
    [f] = extract_figures("The economy shrank for two quarters.")
    assert (f.value, f.unit) == (2, "quarter")


@pytest.mark.parametrize(
    ("sentence", "value", "value_max"),
    [
        ("Marisol was 11 in 1994 when the family moved.", 11, None),
        ("The club takes children ages 6 to 10.", 6, 10),
        ("He asked about her cousin, who was about 12 or 13 at the time.", 12, 13),
    ],
)
def test_ages_of_a_named_person_and_age_ranges(sentence, value, value_max) -> None:
    ages = [f for f in extract_figures(sentence) if f.object == "age"]
    assert [(f.value, f.value_max, f.unit) for f in ages] == [(value, value_max, "year")]


def test_a_quoted_sentence_opening_with_a_capital_keeps_its_count() -> None:
    assert values("“Only 40 seats were filled,” she said.") == [(40, None, None)]


def test_ages_listed_after_aged() -> None:
    ages = [f.value for f in extract_figures("Three pupils aged 8, 10 and 12 were rescued.")]
    assert ages == [3, 8, 10, 12]
    assert [f.object for f in extract_figures("Pupils aged 8, 10 and 12 came.")] == ["age"] * 3


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("The show was cancelled after one season.", 1),
        ("The raid hit two depots and one radar station.", 1),
        ("The shop has only one cashier.", 1),
        ("The ferry was late by one hour.", 1),
        ("The crew stayed for one night.", 1),
    ],
)
def test_counts_of_one_stay(sentence: str, value: float) -> None:
    assert value in [f.value for f in extract_figures(sentence)]
