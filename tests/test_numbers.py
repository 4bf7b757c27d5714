"""The number parser (extract/numbers.py): values, ranges, bounds and attached units."""

from __future__ import annotations

import pytest

from extract.numbers import (
    find_quantities,
    list_unit_after,
    parse_number,
    per_unit_after,
    unit_after,
)


def one(text: str):
    q = parse_number(text)
    assert q is not None, f"no number found in {text!r}"
    return q


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("4", 4),
        ("1,200", 1200),
        ("3.5", 3.5),
        (".45", 0.45),
        ("1,234,567.89", 1234567.89),
        ("ten", 10),
        ("Ten", 10),
        ("twenty-five", 25),
        ("twenty five", 25),
        ("ninety-nine", 99),
        ("one hundred and five", 105),
        ("a hundred and two", 102),
        ("three hundred", 300),
        ("two thousand five hundred", 2500),
        ("a dozen", 12),
        ("three dozen", 36),
        ("half a dozen", 6),
        ("a hundred", 100),
        ("a thousand", 1000),
        ("1.5 million", 1_500_000),
        ("2.3bn", 2_300_000_000),
        ("2.3 bn", 2_300_000_000),
        ("5 mln", 5_000_000),
        ("two million", 2_000_000),
        ("half a million", 500_000),
        ("two and a half million", 2_500_000),
        ("five-and-a-half", 5.5),
        ("one and a half", 1.5),
        ("half", 0.5),
        ("a half", 0.5),
        ("one-third", 1 / 3),
        ("two thirds", 2 / 3),
        ("a quarter", 0.25),
        ("three quarters", 0.75),
        ("2 1/2", 2.5),
        ("minus 8", -8),
        ("-5", -5),
    ],
)
def test_values(text: str, value: float) -> None:
    q = one(text)
    assert q.value == pytest.approx(value)
    assert q.value_max is None
    assert q.bound == "exact"
    assert (q.start, q.end) == (0, len(text)), "the whole expression is the number's text"


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("10%", 10, "%"),
        ("10 %", 10, "%"),
        ("10 percent", 10, "%"),
        ("10 per cent", 10, "%"),
        ("twenty percent", 20, "%"),
        ("0.5 percentage points", 0.5, "pp"),
        ("-5%", -5, "%"),
        ("$2.3 billion", 2_300_000_000, "USD"),
        ("US$5", 5, "USD"),
        ("$10m", 10_000_000, "USD"),
        ("€5k", 5000, "EUR"),
        ("£17.43", 17.43, "GBP"),
        ("UAH 1.5 million", 1_500_000, "UAH"),
        ("₴300", 300, "UAH"),
        ("RM6.162 million", 6_162_000, "MYR"),
        ("1.5 million hryvnias", 1_500_000, "UAH"),
        ("5 euros", 5, "EUR"),
        ("176 Hong Kong dollars", 176, "HKD"),
        ("three times", 3, "times"),
        ("tenfold", 10, "times"),
        ("10-fold", 10, "times"),
        ("double", 2, "times"),
        ("triple", 3, "times"),
    ],
)
def test_units_carried_by_the_number(text: str, value: float, unit: str) -> None:
    q = one(text)
    assert q.value == pytest.approx(value)
    assert q.unit == unit
    assert q.end == len(text)


@pytest.mark.parametrize(
    ("text", "value", "value_max", "unit"),
    [
        ("20-25 drones", 20, 25, None),
        ("20–25 drones", 20, 25, None),
        ("20 to 25 drones", 20, 25, None),
        ("between 20 and 30 people", 20, 30, None),
        ("between twenty and thirty people", 20, 30, None),
        ("2-3 million people", 2_000_000, 3_000_000, None),
        ("$2 million to $3 million", 2_000_000, 3_000_000, "USD"),
        ("10-15%", 10, 15, "%"),
        ("0.6% to 0.7%", 0.6, 0.7, "%"),
        ("it costs from $1,000 to $3,000", 1000, 3000, "USD"),
    ],
)
def test_ranges(text: str, value: float, value_max: float, unit: str | None) -> None:
    q = one(text)
    assert (q.value, q.value_max, q.unit) == (pytest.approx(value), pytest.approx(value_max), unit)


def test_from_to_after_a_verb_of_change_is_two_figures() -> None:
    found = find_quantities("Prices rose from 20% to 30% in a year.")
    assert [(q.value, q.value_max) for q in found] == [(20, None), (30, None)]


def test_descending_dash_pair_is_flagged_as_a_score() -> None:
    q = one("They won 4-1 at home.")
    assert q.descending_pair
    assert one("a 112-107 win").descending_pair


@pytest.mark.parametrize(
    ("text", "value", "bound", "span"),
    [
        ("more than three weeks", 3, "at_least", "more than three"),
        ("over 50 people", 50, "at_least", "over 50"),
        ("at least 83 people", 83, "at_least", "at least 83"),
        ("upwards of 200", 200, "at_least", "upwards of 200"),
        ("50 or more", 50, "at_least", "50 or more"),
        ("up to 20 drones", 20, "at_most", "up to 20"),
        ("less than 25%", 25, "at_most", "less than 25%"),
        ("fewer than ten", 10, "at_most", "fewer than ten"),
        ("almost 50", 50, "at_most", "almost 50"),
        ("about 4 km", 4, "about", "about 4"),
        ("around 19 missiles", 19, "about", "around 19"),
        ("nearly 50", 50, "about", "nearly 50"),
        ("some 300 soldiers", 300, "about", "some 300"),
        ("approximately 75 per cent", 75, "about", "approximately 75 per cent"),
        ("roughly $449,000", 449_000, "about", "roughly $449,000"),
        ("just under US $6.9 billion", 6_900_000_000, "at_most", "just under US $6.9 billion"),
        ("more than triple", 3, "at_least", "more than triple"),
    ],
)
def test_bounds(text: str, value: float, bound: str, span: str) -> None:
    q = one(text)
    assert (q.value, q.bound) == (pytest.approx(value), bound)
    assert text[q.start : q.end] == span


@pytest.mark.parametrize(
    ("text", "value", "span"),
    [
        ("hundreds of people", 100, "hundreds"),
        ("dozens of elderly people", 12, "dozens"),
        ("thousands of troops", 1000, "thousands"),
        ("millions of dollars", 1_000_000, "millions"),
        ("tens of thousands of people", 10_000, "tens of thousands"),
        ("hundreds of thousands of homes", 100_000, "hundreds of thousands"),
        ("several thousand people", 1000, "several thousand"),
        ("a few hundred hryvnias", 100, "a few hundred hryvnias"),
    ],
)
def test_approximate_plurals_are_lower_bounds(text: str, value: float, span: str) -> None:
    q = one(text)
    assert (q.value, q.bound) == (value, "at_least")
    assert text[q.start : q.end] == span


@pytest.mark.parametrize(
    "text",
    [
        "A320",  # a model name
        "visited twice",  # a frequency, like "once"
        "the third day",  # an ordinal
        "a nice day",
        "once",
        "several",
    ],
)
def test_not_numbers(text: str) -> None:
    assert find_quantities(text) == []


def test_several_numbers_in_order_without_overlap() -> None:
    text = "Ukrainian defenders repelled 4 enemy attacks and shot down 18 of 20 drones."
    found = find_quantities(text)
    assert [text[q.start : q.end] for q in found] == ["4", "18", "20"]


@pytest.mark.parametrize(
    ("text", "pos", "unit", "kind", "hyphenated"),
    [
        ("5 km", 1, "km", "measure", False),
        ("5km", 1, "km", "measure", False),
        ("155-mm shells", 3, "mm", "measure", True),
        ("three weeks", 5, "week", "time", False),
        ("a three-week campaign", 7, "week", "time", True),
        ("200 lbs", 3, "lb", "measure", False),
        ("5 miles", 1, "mi", "measure", False),
        ("35 points", 2, "point", "measure", False),
        ("a five-story building", 6, "story", "measure", True),
    ],
)
def test_unit_after(text: str, pos: int, unit: str, kind: str, hyphenated: bool) -> None:
    m = unit_after(text, pos)
    assert m is not None
    assert (m.unit, m.kind, m.hyphenated) == (unit, kind, hyphenated)


@pytest.mark.parametrize(
    ("text", "pos"), [("5 people", 1), ("4G network", 1), ("10 in", 2), ("5 C-130s", 1)]
)
def test_no_unit_after(text: str, pos: int) -> None:
    assert unit_after(text, pos) is None


def test_per_unit_after_a_price() -> None:
    assert per_unit_after("$80 a barrel", 3) == ("barrel", 12)
    assert per_unit_after("$218 per tonne", 4)[0] == "t"
    assert per_unit_after("$2.52 a share", 5)[0] == "share"
    assert per_unit_after("$5 a day", 2)[0] == "day"
    assert per_unit_after("$5 for the day", 2) is None


# --- issue 12: reading the number ----------------------------------------------------------


def _all(text: str) -> list[tuple[float, float | None, str | None]]:
    return [(q.value, q.value_max, q.unit) for q in find_quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A change and then a level are two figures, never a range.
        ("It climbed 1.4 percent to 5,210.35", [(1.4, None, "%"), (5210.35, None, None)]),
        ("Reserves grew by $12.5 billion to $310.9 billion", [(12.5e9, None, "USD"), (310.9e9, None, "USD")]),  # noqa: E501
        ("Members went from 2016 to 4.2 million.", [(2016, None, None), (4.2e6, None, None)]),
        # ... while a written range stays one.
        ("Tickets cost 20 to 25 percent more.", [(20, 25, "%")]),
        ("Emissions fall by 40 to 50 percent", [(40, 50, "%")]),
        ("Inflation rose 0.4% to 3.1%", [(0.4, None, "%"), (3.1, None, "%")]),
        ("Fees of 20% to 25% apply", [(20, 25, "%")]),
        ("from 2015 to 2017", [(2015, 2017, None)]),
    ],
)  # fmt: skip
def test_change_and_level_are_two_figures(text: str, expected: list) -> None:
    assert _all(text) == expected


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("a fee of $48million", 48e6, "USD"),
        ("bonds worth $3B", 3e9, "USD"),
        ("debt of $1.25T", 1.25e12, "USD"),
        ("€7M in savings", 7e6, "EUR"),
        ("some 6.2M viewers", 6.2e6, None),
        ("views hit 4.3M.", 4.3e6, None),
        ("the 3M company", 3, None),
        ("shipped 2.5m tonnes", 2.5e6, None),
        ("sold 41m handsets", 41e6, None),
        ("about 3m people", 3e6, None),
        ("RM4.5mil in fines", 4.5e6, "MYR"),
        ("ran 12k runners", 12_000, None),
        ("Rs 450 crore", 4.5e9, "INR"),
        ("₹2.5 lakh", 250_000, "INR"),
        ("a 25m yacht", 25, None),  # metres, read as a unit noun by unit_after
        ("won the 400m hurdles", 400, None),  # a distance before a plural event name
        ("4k streaming", 4, None),  # a resolution, not 4,000
        ("a loss of $-12.4bn", -12.4e9, "USD"),
        ("down -2.6%", -2.6, "%"),
        ("up 7pc", 7, "%"),
    ],
)
def test_scale_letters_and_signs(text: str, value: float, unit: str | None) -> None:
    q = parse_number(text)
    assert q is not None
    assert (q.value, q.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("US$15", 15, "USD"),
        ("$US15", 15, "USD"),
        ("A$15", 15, "AUD"),
        ("$A15", 15, "AUD"),
        ("C$15", 15, "CAD"),
        ("HK$15", 15, "HKD"),
        ("S$15", 15, "SGD"),
        ("NZ$15", 15, "NZD"),
        ("RM15", 15, "MYR"),
        ("15€", 15, "EUR"),
        ("15 €", 15, "EUR"),
        ("15 Australian dollars", 15, "AUD"),
        ("15 Canadian dollars", 15, "CAD"),
        ("15 Chinese yuan", 15, "CNY"),
        ("15 cents", 0.15, "USD"),
        ("61.08 U.S. cents", 0.6108, "USD"),
        ("80 pence", 0.8, "GBP"),
        ("4 dollars 25 cents", 4.25, "USD"),
        ("seven dollars and twenty cents", 7.2, "USD"),
    ],
)
def test_currency_forms(text: str, value: float, unit: str) -> None:
    q = one(text)
    assert (q.value, q.unit) == (pytest.approx(value), unit)


@pytest.mark.parametrize(
    ("text", "value", "value_max", "bound"),
    [
        ("five or six euros", 5, 6, "about"),
        ("for two or three weeks", 2, 3, "about"),
        ("roughly 20 or 30 boats", 20, 30, "about"),
        ("around 40 or 45 minutes", 40, 45, "about"),
        ("two or three million fans", 2e6, 3e6, "about"),
        ("a two-to-five day wait", 2, 5, "exact"),
        ("a 6- to 9-metre wall", 6, 9, "exact"),
        ("eight or twenty rooms", 8, None, "exact"),  # alternatives, not one estimate
    ],
)
def test_approximate_and_word_ranges(
    text: str, value: float, value_max: float | None, bound: str
) -> None:
    q = one(text)
    assert (q.value, q.value_max, q.bound) == (value, value_max, bound)


@pytest.mark.parametrize(
    ("text", "value", "form"),
    [
        ("a 3/4 inch pipe", 0.75, "fraction"),
        ("1/3 of the budget", 1 / 3, "fraction"),
        ("a sevenfold rise", 7, "multiplier"),
        ("1.5e6 cells", 1.5e6, "digits"),
        ("3.1×10−4 seconds", 3.1e-4, "digits"),
        ("6 x 10^3 tonnes", 6000, "digits"),
    ],
)
def test_fractions_multipliers_and_powers(text: str, value: float, form: str) -> None:
    q = one(text)
    assert (q.value, q.form) == (pytest.approx(value), form)


def test_slashed_pairs_are_not_fractions() -> None:
    assert _all("open 24/7 now") == [(24, None, None), (7, None, None)]
    assert _all("a 6/8 feel") == [(6, None, None), (8, None, None)]  # not in lowest terms
    assert _all("the 9/11 attacks") == [(9, None, None), (11, None, None)]


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("a 700bhp engine", "hp"),
        ("a 3.2GHz processor", "GHz"),
        ("100Mbps broadband", "Mbit/s"),
        ("a 20mL dose", "ml"),
        ("250mg tablets", "mg"),
        ("a 4,500mAh battery", "mAh"),
        ("6,000 rpm", "rpm"),
        ("30 knots", "knot"),
        ("gained 12 yards", "yd"),
        ("45 mpg", "mpg"),
        ("25 basis points", "bp"),
        ("400 ppb", "ppb"),
        ("minus 40 Celsius", "°C"),
        ("it hit 38C", "°C"),
        ("a 2m-tall fence", "m"),
        ("2 million barrels", "barrel"),
    ],
)
def test_wider_unit_vocabulary(text: str, unit: str) -> None:
    q = one(text)
    m = unit_after(text, q.end)
    assert m is not None and m.unit == unit


@pytest.mark.parametrize(
    ("text", "value", "value_max"),
    [
        ("between 12 mg and 20 mg", 12, 20),
        ("3 km to 7 km", 3, 7),
        ("2 million barrels to 3 million barrels", 2e6, 3e6),
        ("walked 8 km to 5 km", 8, None),  # the second is smaller: not a range
    ],
)
def test_range_with_its_unit_at_both_ends(text: str, value: float, value_max: float | None):
    q = one(text)
    assert (q.value, q.value_max) == (value, value_max)


def test_change_from_a_to_b_with_units_is_two_figures() -> None:
    assert _all("Doses were cut from 40 mg to 30 mg.") == [(40, None, None), (30, None, None)]


@pytest.mark.parametrize(
    ("text", "value", "form"),
    [
        ("two quarters of growth", 2, "words"),  # 2/4 is never written for a half
        ("three quarters of voters", 0.75, "fraction"),
        ("2½ years", 2.5, "digits"),
        ("a ¾ mile walk", 0.75, "fraction"),
    ],
)
def test_quarters_and_vulgar_fractions(text: str, value: float, form: str) -> None:
    q = one(text)
    assert (q.value, q.form) == (pytest.approx(value), form)


@pytest.mark.parametrize(
    ("text", "pos", "per"),
    [
        ("$15 per booking", 3, "booking"),
        ("$7.99 monthly", 5, "month"),
        ("$40 annually", 3, "year"),
        ("$12/month", 3, "month"),
        ("$30 per head", 3, "person"),
        ("$30 for lunch", 3, None),
    ],
)
def test_per_unit_after_adverbs_and_more_nouns(text: str, pos: int, per: str | None) -> None:
    found = per_unit_after(text, pos)
    assert (found[0] if found else None) == per


@pytest.mark.parametrize(
    ("text", "unit"), [("350 lb-ft of torque", "lb-ft"), ("22 kilometres per litre", "km/l")]
)
def test_engine_units(text: str, unit: str) -> None:
    q = one(text)
    m = unit_after(text, q.end)
    assert m is not None and m.unit == unit


@pytest.mark.parametrize(
    ("text", "value", "value_max", "bound"),
    [
        ("between 5k-20k", 5000, 20000, "exact"),
        ("exports exceeded $3 billion", 3e9, None, "at_least"),
        ("three halves", 1.5, None, "exact"),
    ],
)
def test_k_ranges_exceed_and_improper_fractions(text, value, value_max, bound) -> None:
    q = one(text)
    assert (q.value, q.value_max, q.bound) == (value, value_max, bound)


@pytest.mark.parametrize(
    ("text", "value", "form"),
    [
        ("one out of four pupils", 0.25, "fraction"),
        ("2 in 5 households", 0.4, "fraction"),
        ("nine in ten of them", 0.9, "fraction"),
        ("3 in 10 minutes", 3, "digits"),  # a time, not a share
        ("one in six days", 1, "words"),
        ("number 1 in 40 countries", 1, "digits"),  # a rank
    ],
)
def test_ratios_are_fractions(text: str, value: float, form: str) -> None:
    q = one(text)
    assert (q.value, q.form) == (pytest.approx(value), form)


def test_list_unit_after_a_coordinated_list() -> None:
    text = "the usual five, eight or twelve-night cruises"
    q = one(text)
    unit = list_unit_after(text, q.end)
    assert unit is not None and unit.unit == "night"
    assert list_unit_after("scored 3, 10 minutes later", 9) is None  # no "or"/"and": no list


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a quarter million fans", 250_000),
        ("a quarter of a million fans", 250_000),
        ("a quarter-million fans", 250_000),
        ("two-thirds of a billion", 2e9 / 3),
        ("five and a quarter miles", 5.25),
        ("three and three quarters hours", 3.75),
        ("a quarter of the voters", 0.25),
    ],
)
def test_fractions_of_scales_and_mixed_numbers(text: str, value: float) -> None:
    assert one(text).value == pytest.approx(value)
