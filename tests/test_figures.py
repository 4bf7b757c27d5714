"""Figures (extract/figures.py): the seed's gold (spec section 5) and one-line conventions."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from extract.figures import extract_figures
from extract.records import Figure, Statement
from extract.text import seed_body

# Spec section 5: value, bound, unit, object, action, location, period, statement (1-based).
SEED_GOLD = [
    (4, "exact", None, "enemy attacks", "repelled", "near Sinkivka, Ivanivka", None, 2),
    (
        3, "at_least", "week", "weeks", "intensified", "in the Bakhmut direction",
        "for more than three weeks", 7,
    ),
    (10, "exact", None, "enemy attacks", "repelled", "in this direction", "during the day", 9),
    (18, "exact", None, "kamikaze drones", "used", None, "during the day", 9),
    (508, "exact", None, "artillery attacks", "carried out", None, "during the day", 9),
]  # fmt: skip


def seed(seed_path: Path) -> str:
    return seed_body(seed_path.read_text(encoding="utf-8"))[0]


def test_seed_gold_figures(seed_path: Path) -> None:
    body = seed(seed_path)
    figures = extract_figures(body)
    got = [(f.value, f.bound, f.unit, f.object, f.action, f.location, f.period) for f in figures]
    assert got == [g[:7] for g in SEED_GOLD]
    assert [f.text for f in figures] == ["4", "more than three", "ten", "18", "508"]
    for f in figures:
        assert body[f.start : f.end] == f.text


def test_seed_figures_link_to_their_statements(seed_path: Path) -> None:
    if importlib.util.find_spec("extract.statements") is None:
        pytest.skip("extract.statements is not written yet")
    from extract.statements import extract_statements

    body = seed(seed_path)
    statements = extract_statements(body)
    figures = extract_figures(body, statements)
    assert [f.statement for f in figures] == [g[7] - 1 for g in SEED_GOLD]


def test_statement_index_is_the_statement_holding_the_number() -> None:
    body = 'He said: "We repelled 12 attacks." Later 5 tanks were destroyed.'
    quote_start = body.index("We")
    statements = [
        Statement("Someone", None, "We repelled 12 attacks.", "direct", "said", quote_start,
                  quote_start + len("We repelled 12 attacks."))
    ]  # fmt: skip
    figures = extract_figures(body, statements)
    assert [(f.value, f.statement) for f in figures] == [(12, 0), (5, None)]


def only(sentence: str) -> Figure:
    figures = extract_figures(sentence)
    assert len(figures) == 1, f"{sentence!r} gave {figures}"
    f = figures[0]
    assert sentence[f.start : f.end] == f.text
    return f


# (sentence, value, value_max, bound, unit, object, text)
CASES = [
    ("Ukrainian defenders repelled 4 enemy attacks.", 4, None, "exact", None, "enemy attacks", "4"),
    ("Ten enemy attacks were repelled.", 10, None, "exact", None, "enemy attacks", "Ten"),
    ("The army fired twenty-five shells.", 25, None, "exact", None, "shells", "twenty-five"),
    ("They bought a dozen boats.", 12, None, "exact", None, "boats", "a dozen"),
    (
        "They sent one hundred and five trucks.",
        105,
        None,
        "exact",
        None,
        "trucks",
        "one hundred and five",
    ),
    ("Hundreds of people gathered.", 100, None, "at_least", None, "people", "Hundreds"),
    ("Dozens of villages lost power.", 12, None, "at_least", None, "villages", "Dozens"),
    ("Thousands of troops took part.", 1000, None, "at_least", None, "troops", "Thousands"),
    ("Millions of people watched.", 1e6, None, "at_least", None, "people", "Millions"),
    (
        "Several thousand residents left.",
        1000,
        None,
        "at_least",
        None,
        "residents",
        "Several thousand",
    ),
    ("The enemy used 20-25 drones.", 20, 25, "exact", None, "drones", "20-25"),
    ("Between 20 and 30 soldiers died.", 20, 30, "exact", None, "soldiers", "Between 20 and 30"),
    (
        "The plant makes up to 4.5 million shells.",
        4.5e6,
        None,
        "at_most",
        None,
        "shells",
        "up to 4.5 million",
    ),
    (
        "More than 50 enemy attacks took place.",
        50,
        None,
        "at_least",
        None,
        "enemy attacks",
        "More than 50",
    ),
    ("At least 83 people were wounded.", 83, None, "at_least", None, "people", "At least 83"),
    ("Almost 40 homes burned.", 40, None, "at_most", None, "homes", "Almost 40"),
    ("Nearly 40 homes burned.", 40, None, "about", None, "homes", "Nearly 40"),
    ("Some 300 soldiers arrived.", 300, None, "about", None, "soldiers", "Some 300"),
    ("Roughly 13,000 US troops remain.", 13000, None, "about", None, "US troops", "Roughly 13,000"),
    ("The attack included 600 strike drones.", 600, None, "exact", None, "strike drones", "600"),
    ("She got 10% of the vote.", 10, None, "exact", "%", "vote", "10%"),
    ("They won 10 percent of the seats.", 10, None, "exact", "%", "seats", "10 percent"),
    ("They hold 10 per cent of the shares.", 10, None, "exact", "%", "shares", "10 per cent"),
    ("Consumer prices rose by 10.4%.", 10.4, None, "exact", "%", "Consumer prices", "10.4%"),
    (
        "The partners promised $2.3 billion for air defense.",
        2.3e9,
        None,
        "exact",
        "USD",
        "air defense",
        "$2.3 billion",
    ),
    (
        "The council set aside UAH 1.5 million for backup generators.",
        1.5e6,
        None,
        "exact",
        "UAH",
        "backup generators",
        "UAH 1.5 million",
    ),
    (
        "Each family receives a relocation payment of UAH 10,800.",
        10800,
        None,
        "exact",
        "UAH",
        "relocation payment",
        "UAH 10,800",
    ),
    ("Oil traded at $80 a barrel.", 80, None, "exact", "USD/barrel", "Oil", "$80"),
    ("Wheat rose to $218 per tonne.", 218, None, "exact", "USD/t", "Wheat", "$218"),
    ("The Dow fell 300 points.", 300, None, "exact", "point", "Dow", "300"),
    ("The stock index gained 35 points.", 35, None, "exact", "point", "stock index", "35"),
    ("A 45-year-old man was detained.", 45, None, "exact", "year", "age", "45"),
    ("The suspect, aged 45, was detained.", 45, None, "exact", "year", "age", "45"),
    ("Yevhen Zosin, 74, a Kyiv resident, saw the attack.", 74, None, "exact", "year", "age", "74"),
    ("The baby is eight months old.", 8, None, "exact", "month", "age", "eight"),
    ("Troops have held the line for three weeks.", 3, None, "exact", "week", "weeks", "three"),
    ("He worked in the market for 22 years.", 22, None, "exact", "year", "years", "22"),
    ("It was the third time in the four-year war.", 4, None, "exact", "year", "war", "four"),
    ("Output will double.", 2, None, "exact", "times", "Output", "double"),
    ("Sales grew three times.", 3, None, "exact", "times", "Sales", "three times"),
    (
        "The ice shell has twice as much water as the oceans.",
        2,
        None,
        "exact",
        "times",
        "water",
        "twice",
    ),
    ("Half of the soldiers were wounded.", 0.5, None, "exact", "fraction", "soldiers", "Half"),
    (
        "One-third of the budget goes to defense.",
        1 / 3,
        None,
        "exact",
        "fraction",
        "budget",
        "One-third",
    ),
    (
        "Partners paid for more than half of the boiler houses.",
        0.5,
        None,
        "at_least",
        "fraction",
        "boiler houses",
        "more than half",
    ),
    ("The army fired 155-mm shells.", 155, None, "exact", "mm", "shells", "155"),
    ("A 30m vessel approached.", 30, None, "exact", "m", "vessel", "30"),
    (
        "A five-story residential building was hit.",
        5,
        None,
        "exact",
        "story",
        "residential building",
        "five",
    ),
    ("The dugout is 3 metres deep.", 3, None, "exact", "m", "dugout", "3"),
    (
        "The column moved more than 6 kilometres.",
        6,
        None,
        "at_least",
        "km",
        "kilometres",
        "more than 6",
    ),
    ("It took place about 9.3km from the island.", 9.3, None, "about", "km", "km", "about 9.3"),
    ("The station is about 9.3km wide.", 9.3, None, "about", "km", "station", "about 9.3"),
    ("The death toll had risen to 21.", 21, None, "exact", None, "death toll", "21"),
    ("One person was killed.", 1, None, "exact", None, "person", "One"),
    ("The two officers were injured.", 2, None, "exact", None, "officers", "two"),
    ("A crew fired 1,200 rounds.", 1200, None, "exact", None, "rounds", "1,200"),
    ("The plane flew 100 times a day.", 100, None, "exact", None, "times", "100 times"),
]


@pytest.mark.parametrize(
    ("sentence", "value", "value_max", "bound", "unit", "obj", "text"),
    CASES,
    ids=[c[0][:40] for c in CASES],
)
def test_conventions(
    sentence: str,
    value: float,
    value_max: float | None,
    bound: str,
    unit: str | None,
    obj: str,
    text: str,
) -> None:
    f = only(sentence)
    assert f.value == pytest.approx(value)
    assert f.value_max == (None if value_max is None else pytest.approx(value_max))
    assert (f.bound, f.unit, f.object, f.text) == (bound, unit, obj, text)


def test_conversion_in_parentheses_is_a_figure_of_its_own() -> None:
    figures = extract_figures("They walked 5 miles (8 km) to the border.")
    assert [(f.value, f.unit, f.object) for f in figures] == [(5, "mi", "miles"), (8, "km", "km")]


def test_of_the_counts_the_noun_after_the_second_number() -> None:
    figures = extract_figures("Air defense shot down 131 of the 148 drones.")
    assert [(f.value, f.object) for f in figures] == [(131, "drones"), (148, "drones")]
    figures = extract_figures("Police searched 40 of the roughly 90 flats.")
    assert [(f.value, f.object) for f in figures] == [(40, "flats"), (90, "flats")]
    figures = extract_figures("Ortiz made 12 of his career-high 19 saves.")
    assert [(f.value, f.object) for f in figures] == [(12, "saves"), (19, "saves")]


@pytest.mark.parametrize(
    ("body", "value", "obj"),
    [
        ("64 combat clashes took place, 19 of them in the east.", 19, "combat clashes"),
        ("The three bakeries join eleven others on the list.", 11, "bakeries"),
        ("They repelled 350 enemy attacks, almost half of them near Marovka.", 0.5,
         "enemy attacks"),
        ("Another 23 people were injured, and five are still missing.", 5, "people"),
        ("Each boiler house costs UAH 4 million. Partners paid for half of them.", 0.5,
         "boiler house"),
    ],
)  # fmt: skip
def test_of_them_counts_what_the_previous_figure_counted(body: str, value: float, obj: str) -> None:
    figure = [f for f in extract_figures(body) if f.value == value][-1]
    assert figure.object == obj


def test_a_number_repeated_with_its_noun_counts_each_time() -> None:
    body = "The two officers were injured. Later the two officers were released."
    assert [(f.value, f.object) for f in extract_figures(body)] == [(2, "officers")] * 2


@pytest.mark.parametrize(
    ("sentence", "action"),
    [
        ("Ukrainian defenders repelled 4 enemy attacks.", "repelled"),
        ("The invaders carried out 508 artillery attacks.", "carried out"),
        ("Ten enemy attacks were repelled in this direction.", "repelled"),
        ("Air defenses destroyed and jammed 549 drones.", "destroyed and jammed"),
        ("Around 19 missiles failed to reach their targets.", "failed to reach"),
        ("The strike killed at least two people.", "killed"),
        ("They said 42 other people had been wounded.", "wounded"),
    ],
)
def test_action(sentence: str, action: str) -> None:
    assert only(sentence).action == action


def test_coordinated_figures_share_the_verb() -> None:
    figures = extract_figures("The attack included 600 strike drones and 90 missiles.")
    assert [(f.value, f.object, f.action) for f in figures] == [
        (600, "strike drones", "included"),
        (90, "missiles", "included"),
    ]


@pytest.mark.parametrize(
    ("sentence", "location", "period"),
    [
        ("Defenders repelled 4 attacks near Sinkivka, Ivanivka.", "near Sinkivka, Ivanivka", None),
        ("In the Bakhmut direction, troops repelled 7 attacks during the day.",
         "In the Bakhmut direction", "during the day"),
        ("Over the past day, 12 drones were shot down in the Kharkiv region.",
         "in the Kharkiv region", "Over the past day"),
        ("Last week 3 people were injured in Kherson.", "in Kherson", "Last week"),
        ("Troops advanced for more than three weeks.", None, "for more than three weeks"),
    ],
)  # fmt: skip
def test_location_and_period(sentence: str, location: str | None, period: str | None) -> None:
    f = only(sentence)
    assert (f.location, f.period) == (location, period)


# What the number is about (spec section 3, Decisions 1-3). Made-up sentences, one per class.
OBJECTS = [
    # compound modifiers give the modified noun (F1)
    ("Engineers fenced off a 40-kilometre corridor.", 40, "km", "corridor"),
    ("The town marked the end of a six-year siege.", 6, "year", "siege"),
    ("The judge handed down a 15-year sentence.", 15, "year", "sentence"),
    ("The prototype has a 310 horsepower electric motor.", 310, "hp", "electric motor"),
    ("It runs on a 64 kWh lithium-ion battery.", 64, "kWh", "lithium-ion battery"),
    ("The rear has a 7.5-inch lower screen.", 7.5, "in", "lower screen"),
    ("He was held in lieu of $9,000 bond.", 9000, "USD", "bond"),
    ("The tablet has a 20% larger screen.", 20, "%", "larger screen"),
    ("It is a 2019 model TV for $310.", 310, "USD", "model TV"),
    ("The app’s $4.99-a-month plan is popular.", 4.99, "USD/month", "plan"),
    ("Cleaning the hall was a 45 min job.", 45, "minute", "job"),
    # "N unit of X" gives X (F1)
    ("The storm dropped 14 inches of rain.", 14, "in", "rain"),
    # a bare measure with no noun keeps the unit noun
    ("The convoy drove 300 miles.", 300, "mi", "miles"),
    # a percentage between dashes is still "of" what follows
    ("Roughly 40% — of first-time buyers sold within a year.", 40, "%", "first-time buyers"),
    # comparatives after a percentage measure the thing before it (F2)
    ("The Zorvik index closed 0.31 per cent higher.", 0.31, "%", "Zorvik index"),
    ("Night riders are 17% less likely than others to fall.", 17, "%", "Night riders"),
    # an index level keeps the number of its name
    ("Ostland's BX 300 slipped 0.4 per cent.", 0.4, "%", "Ostland's BX 300"),
    # a link word before the number: the noun before "of" is what the amount is
    ("The campaign had a budget of $350,000.", 350000, "USD", "budget"),
    ("They settled on a price of $40 for the lamp.", 40, "USD", "price"),
    # ... unless that noun only names a quantity
    ("The city will spend a total of $3 billion on its tram lines.", 3e9, "USD", "tram lines"),
    ("Rents climbed to a high of $900.", 900, "USD", "Rents"),
    ("It paid $2 million for some of the founder's shares.", 2e6, "USD", "shares"),
    # lists and quoted words are one noun phrase
    ("Dealers sold 4,210 new vans, pickups and SUVs.", 4210, None, "new vans, pickups and SUVs"),
    ("Over a three-game streak, Ortiz is in form.", 3, None, "streak"),
    ("Stocks are up 14 percent year-to-date.", 14, "%", "Stocks"),
    ("They hired 800 kitchen and cleaning staff.", 800, None, "kitchen and cleaning staff"),
    ("You can skip 60% of the emails you’re getting.", 60, "%", "emails"),
    (
        "About 70 of the hotel's rooms, suites and cabins reopened.",
        70,
        None,
        "rooms, suites and cabins",
    ),
    ("The forum has 12 million active “creators” worldwide.", 12e6, None, "active “creators"),
    # a change or rate keeps what it is of
    (
        "The 0.2-point drop in the jobless rate surprised economists.",
        0.2,
        "point",
        "drop in the jobless rate",
    ),
    (
        "It costs a $4.99 monthly fee for its music service.",
        4.99,
        "USD/month",  # money per period is compound (spec section 3, `unit`)
        "fee for its music service",
    ),
    # a clause with no noun of its own borrows the one it hangs on
    ("Most hires came in the retail sector, which grew by 4,100.", 4100, None, "retail sector"),
    ("The bakery has a loyalty card which can save up to £300.", 300, "GBP", "loyalty card"),
    ("They sell a kettle that’s 30% cheaper than the old one.", 30, "%", "kettle"),
    (
        "The city's 2030 notes slid last week, hitting 9.2% on Friday.",
        9.2,
        "%",
        "city's 2030 notes",
    ),
    ("He had built up real savings — at least $80,000 — by then.", 80000, "USD", "real savings"),
    ("She filed a long appeal, more than twice as long as the ruling.", 2, "times", "appeal"),
    ("Officials said riders are “12% less likely than drivers to crash.", 12, "%", "riders"),
    (
        "The Borlex index reached a new record high of 7,420.5 in early trade.",
        7420.5,
        None,
        "Borlex index",
    ),
    # "N times" after a verb counts occasions; before a comparison it multiplies
    ("The goalkeeper was beaten four times before half-time.", 4, None, "times"),
    ("The new bridge is three times as long as the old one.", 3, "times", "new bridge"),
    # ages
    ("Tomas was 9 when the family moved to Lyon.", 9, "year", "age"),
    ("Some recruits were as young as 15 at the time.", 15, "year", "age"),
    # "seating for four", a plural after a multiplier, a fact line "Label: N"
    ("The cabin has seating for six, plus a bench.", 6, None, "seating"),
    ("The lamp has triple bulbs and a dimmer.", 3, None, "bulbs"),
    ("Measles cases in the county (2022): 31", 31, None, "Measles cases"),
    ("I’m 68 and still cycle to work.", 68, "year", "age"),
    ("Now 31, she runs the farm.", 31, "year", "age"),
    ("She was 13, too young to vote.", 13, "year", "age"),
    # a capitalised number word opening a quotation is a count, not part of a name
    ("The nurse wrote: “Three weeks after the fall, he walked again.”", 3, "week", "weeks"),
    # measures: a comparative is not a modified noun, a compound unit reaches its "of"
    ("The new hull is three metres wider than the old one.", 3, "m", "new hull"),
    ("The truck delivers 520 lb-ft of torque.", 520, "lb-ft", "torque"),
    # durations: "of" + a verbal gerund keeps the unit; a noun before "a ... of" is the thing
    ("She slept badly after two weeks of working nights.", 2, "week", "weeks"),
    ("He now faces a jail term of up to seven years.", 7, "year", "jail term"),
    ("My partner of 15 years moved to Oslo.", 15, "year", "years"),
    # a noun that can be a verb is the subject's head once the verb is passed
    ("The toll from that strike had climbed to 31.", 31, None, "toll"),
    ("Fees from the new levy have totaled about $4 billion.", 4e9, "USD", "Fees"),
    # a relative clause inside the subject is skipped
    ("The toll from a storm that left coastal towns in ruins rose to 14.", 14, None, "toll"),
    (
        "The share of adults in the city who have tried it was 4.1 percent.",
        4.1,
        "%",
        "share of adults",
    ),
    ("Officials said that the toll rose to 12.", 12, None, "toll"),
    # a participle with "by" is skipped on the way to the subject; a quantity noun keeps
    # its for-complement
    ("The fee paid by the club for the new coach was $90,000.", 90000, "USD", "fee"),
    (
        "Analysts expect rents for a small studio to rise to $700.",
        700,
        "USD",
        "rents for a small studio",
    ),
    # an -ing verb right before an amount is a verb, not a thing
    ("Fans backed the club, each giving $50, records show.", 50, "USD", None),
    # casualty verbs count people (a bare count never counts the verb's subject)
    ("The blast killed 14, officials said.", 14, None, "people"),
    # "the number of X" counts X (F2)
    (
        "The reform cut the number of regional judges to 40.",
        40,
        None,
        "number of regional judges",
    ),
    # the subject of a change, through a phrase hanging on it
    ("Grain exports to Egypt fell to $2 billion.", 2e9, "USD", "Grain exports"),
    ("Thefts across the county declined to 310.", 310, None, "Thefts"),
    ("The workforce was little changed at 5,200.", 5200, None, "workforce"),
]


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "obj"), OBJECTS, ids=[o[0][:40] for o in OBJECTS]
)
def test_what_the_number_is_about(sentence: str, value: float, unit: str | None, obj: str) -> None:
    f = only(sentence)
    assert (f.value, f.unit, f.object) == (pytest.approx(value), unit, obj)


@pytest.mark.parametrize(
    ("sentence", "objects"),
    [
        ("Tin fell 2.5% to $25,100 a tonne.", ["Tin", "Tin"]),
        ("Gold GCc1 fell 1.5% to $1,900 an ounce.", ["Gold GCc1", "Gold GCc1"]),
        ("Tin fell 1% to $9 a kilo and zinc was last at $3, down 2% on the day.",
         ["Tin", "Tin", "zinc", "zinc"]),
        ("Coffee sales dropped to $4 billion in 2019, down from $5 billion.",
         ["Coffee sales", "Coffee sales"]),
        ("Fees on imports rose from 5% to 8%.", ["Fees", "Fees"]),
        ("Gusts blowing at times to 60 mph (97 km/h) hit the coast.", ["Gusts", "Gusts"]),
        ("The poll gave Ames 48 percent support compared to Baird’s 39 percent.",
         ["support", "support"]),
        ("Cats are 30% less likely than dogs to bite, and 10% less likely to scratch.",
         ["Cats", "Cats"]),
        ("The plan was backed by 55 percent of voters and opposed by 41 percent.",
         ["voters", "voters"]),
        ("The index gained 12 points to 3,100 points.", ["index", "index"]),
        ("Turnout fell by 8 percent, from 0.70 percent to 0.64 percent.",
         ["Turnout", "Turnout", "Turnout"]),
        ("The count of open cases may rise from 30 now to as many as 90.",
         ["count of open cases", "count of open cases"]),
        ("The boys, aged 12 and 9, were found.", ["age", "age"]),
        ("The bonus pool has been cut from R9bn to R4.5bn.", ["bonus pool", "bonus pool"]),
        ("Truancy rose by 12 percent, from 3.1 percent to 3.5 percent.",
         ["Truancy", "Truancy", "Truancy"]),
    ],
)  # fmt: skip
def test_a_level_after_a_change_measures_the_same_thing(sentence: str, objects: list[str]) -> None:
    assert [f.object for f in extract_figures(sentence)] == objects


@pytest.mark.parametrize(
    ("sentence", "location", "period"),
    [
        ("Storms cut power to 900 homes in October.", None, "in October"),
        ("On Monday 3 shops were looted.", None, "On Monday"),
        ("Shelling overnight into Sunday wounded 6 people.", None, "overnight into Sunday"),
        ("The strike on Odesa wounded 8 people.", "on Odesa", None),
        ("A fire near St. Anne's wounded 2 people.", "near St. Anne's", None),
        ("Guards in Ruritanian custody beat 4 prisoners.", None, None),
        ("She shared 12 photos on Instagram.", None, None),
        ("Crowds at the Ruritanian embassy grew to 300 people.", "at the Ruritanian embassy",
         None),
    ],
)  # fmt: skip
def test_a_time_is_never_a_place(sentence: str, location: str | None, period: str | None) -> None:
    f = only(sentence)
    assert (f.location, f.period) == (location, period)


@pytest.mark.parametrize(
    ("sentence", "counted"),
    [
        ("One neighbour has called the plan absurd.", False),
        ("“Stop it,” one reader wrote.", False),
        ("Yet one detail proved decisive.", False),
        ("He met guests, and one woman who came early stayed.", False),
        ("The ad read “Just one” in red.", False),
        ("All but one boat returned.", True),
        ("The blast killed one man who was passing by.", True),
        ("If one trader sells, the others follow.", False),
        ("Two guards were hurt — one stabbed and one beaten.", False),
        ("One person was killed in the blast.", True),
        ("The shop has only one cashier.", True),
        ("The show was cancelled after one season.", True),
        ("The raid hit two depots and one radar station.", True),
        ("The club holds a one-point lead.", True),
    ],
)
def test_one_as_a_determiner_is_not_a_count(sentence: str, counted: bool) -> None:
    ones = [f for f in extract_figures(sentence) if f.value == 1]
    assert bool(ones) == counted


@pytest.mark.parametrize(
    ("body", "obj"),
    [
        ("The new scooter goes 40 miles a charge. It will start at $900.", "new scooter"),
        ("The bridge opened in May. It cost $80 million.", "bridge"),
        ("The bridge opened in May.\n\nIt cost $80 million.", None),  # another paragraph
        ("The council met. It allocated $3 million to parks.", None),  # an agent
    ],
)
def test_it_at_the_start_of_a_sentence_is_the_previous_subject(body: str, obj: str | None) -> None:
    assert [f.object for f in extract_figures(body) if f.unit == "USD"] == [obj]


def test_a_bounded_number_after_the_is_still_a_count() -> None:
    figures = extract_figures("She was among the more than 9,000 in attendance.")
    assert [(f.value, f.bound) for f in figures] == [(9000, "at_least")]


def test_a_count_in_parentheses_does_not_continue_a_chain() -> None:
    figures = extract_figures("Eating slowly cut intake by 441 calories (34).")
    assert [(f.value, f.object) for f in figures] == [(441, "calories")]


def test_a_fraction_carries_the_unit_fraction() -> None:
    figures = extract_figures(
        "Two-thirds of the villagers left, and a quarter of the farms closed."
    )
    assert [(f.unit, f.object) for f in figures] == [
        ("fraction", "villagers"),
        ("fraction", "farms"),
    ]


def test_an_amount_is_never_a_place() -> None:
    f = extract_figures("Aid was cut from R9bn to nothing.")[0]
    assert (f.unit, f.location) == ("ZAR", None)


def test_location_given_by_the_next_sentence() -> None:
    f = extract_figures("Defenders repelled 4 enemy attacks. It is near Sinkivka, Ivanivka.")[0]
    assert f.location == "near Sinkivka, Ivanivka"


@pytest.mark.parametrize(
    "sentence",
    [
        "The offensive began in 2023.",  # a year
        "It happened on November 27 near the city.",  # a date
        "It happened on 27 November.",
        "The report is dated 27.11.2023.",
        "The meeting starts at 10:30.",  # a clock time
        "The strike came at 5 a.m.",
        "It was the 3rd attack this week.",  # an ordinal
        "He was the first to arrive.",
        "The Su-25 flew over.",  # an identifier, not 25 of anything
        "The F-16 arrived.",
        "COVID-19 spread fast.",
        "The Boeing 737 was grounded.",
        "The 155-mm is a calibre.",  # calibre without a counted object
        "Call 044 123 45 67 for help.",  # a phone number
        "Chelsea won 4-1 at home.",  # a scoreline
        "The Lakers beat Boston 112-107.",
        "It was in one place.",  # idiomatic "one"
        "He is one of the best.",
        "The two met in Paris.",  # bare "the two"
        "They met once.",
        "Several arrived late.",
        "Yields on 10-year notes rose.",  # an instrument
        "It happened three years ago.",
        "Section 232 tariffs apply.",
        "The package runs from this year up to 2027.",  # a year, despite the bound
        "The 1990s were calm.",
        "It is open 24/7.",
        "Read 5 min read",
        "19 Paul Menard 777 0 0 0 4 20 Chris Buescher 729 0 0 0 4",  # a table row
        "He averaged nearly four more than last season.",  # nothing counted
        "Write to us at 88 Mill Lane Road, Brisbane.",  # an address
        "KTV 7 has aired the footage.",  # a station
        "She moved up for her grade nine classes.",  # an identifier
        "He loved the game ‘Half Measure: Redux’ as a kid.",  # a title
        "Now is the time to double down on what works.",  # a verb
        "The band released a double album.",  # a kind, not a count
        "Fasting helps (12).",  # a citation
        "Her best memory is the summer of ’84.",  # a year
        "These 14 had until June to apply.",  # bare "the two"
        "The newly hired five were sworn in.",
        "She ran from one room to another.",  # an idiom
    ],
)
def test_not_figures(sentence: str) -> None:
    assert extract_figures(sentence) == []


def test_text_is_always_the_body_span() -> None:
    body = (
        "More than 50 enemy attacks were repelled.\n\nUAH 1.5 million was paid to 1,200 people, "
        "about 10% of the total, in 2023."
    )
    figures = extract_figures(body)
    assert [f.text for f in figures] == ["More than 50", "UAH 1.5 million", "1,200", "about 10%"]
    for f in figures:
        assert body[f.start : f.end] == f.text


def test_empty_body() -> None:
    assert extract_figures("") == []


def test_every_aeb_body(corpus: Path) -> None:
    """Real article bodies: never crash, offsets always point at the figure's text."""
    import json
    import math

    from extract.text import clean_body

    truth = json.loads((corpus / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    total = 0
    for item in truth.values():
        body = clean_body(item["articleBody"])
        for f in extract_figures(body):
            assert body[f.start : f.end] == f.text
            assert math.isfinite(f.value)
            assert f.value_max is None or f.value_max > f.value
            assert f.bound in ("exact", "at_least", "at_most", "about")
            total += 1
    assert total > 1000  # 181 English-heavy news bodies are full of figures
