"""Scoring rules of extraction-spec section 4, and the integrity of every gold file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract.evaluation import (
    GoldFigure,
    GoldFile,
    GoldFormatError,
    GoldStatement,
    MatchCounts,
    TextRef,
    match_figures,
    objects_agree,
    parse_gold,
    score_figures,
    score_file,
    score_statements,
    speakers_agree,
    token_f1,
    total,
    worst_files,
)
from extract.records import Figure, Statement
from extract.text import body_sha256, clean_body
from jobs.evaluate import (
    TextUnavailable,
    default_gold_dir,
    evaluate_gold,
    format_report,
    load_gold_files,
    resolve_text,
)

# Our own example text (not from the corpus).
BODY = (
    'Mayor Ann Lee said: "The bridge will stay closed for three weeks while crews repair it." '
    "The transport ministry noted that about 40 buses would replace the trams."
)
QUOTE_1 = "The bridge will stay closed for three weeks while crews repair it."
QUOTE_2 = "about 40 buses would replace the trams."


def span(text: str) -> tuple[int, int]:
    start = BODY.index(text)
    return start, start + len(text)


def gold_statement(speaker: str, quote: str, kind: str) -> GoldStatement:
    return GoldStatement(speaker, None, kind, "said", *span(quote))


def statement(speaker: str, quote: str, kind: str = "direct") -> Statement:
    return Statement(speaker, None, quote, kind, "said", *span(quote))


def gold_figure(value: float, obj: str | None, text: str, **kw) -> GoldFigure:
    start, end = span(text)
    return GoldFigure(
        value=value,
        value_max=kw.get("value_max"),
        bound=kw.get("bound", "exact"),
        unit=kw.get("unit"),
        object=obj,
        action=None,
        location=None,
        period=None,
        start=start,
        end=end,
    )


def figure(value: float, obj: str | None, text: str, **kw) -> Figure:
    return Figure(
        value=value,
        value_max=kw.get("value_max"),
        bound=kw.get("bound", "exact"),
        unit=kw.get("unit"),
        object=obj,
        action=None,
        location=None,
        period=None,
        text=text,
        start=span(text)[0],
        end=span(text)[1],
    )


GOLD_STATEMENTS = (
    gold_statement("Ann Lee", QUOTE_1, "direct"),
    gold_statement("the transport ministry", QUOTE_2, "indirect"),
)


# --- matching rules -------------------------------------------------------------------


def test_token_f1_counts_shared_tokens():
    assert token_f1("The bridge is closed", "the bridge is closed") == 1.0
    assert token_f1("a b c d", "a b") == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    assert token_f1("a b", "") == 0.0


@pytest.mark.parametrize(
    ("gold", "predicted", "agree"),
    [
        ("Volodymyr Fityo", "Fityo", True),
        ("Volodymyr Fityo", "volodymyr fityo", True),
        ("Fityo", "Volodymyr Fityo", True),
        ("President Donald Trump", "Trump's", True),
        ("Patrick W. Carlineo Jr.", "Carlineo", True),
        ("Volodymyr Fityo", "Volodymyr Zelensky", False),
        ("the General Staff", "General Staff of the Armed Forces of Ukraine", True),
        ("the General Staff", "General Fityo", False),
        ("NASA", "nasa", True),
        ("the Pentagon", "Pentagon", True),
        ("a spokesman for the company", "spokesman", True),
        ("a spokesman for the company", "the company", False),
        ("Amnesty International", "Human Rights Watch", False),
    ],
)
def test_speakers_agree(gold, predicted, agree):
    assert speakers_agree(gold, predicted) is agree


def test_objects_agree_on_head_noun_singular_or_plural():
    assert objects_agree("enemy attacks", "attacks")
    assert objects_agree("enemy attacks", "an attack")
    assert objects_agree("cities", "major city")
    assert objects_agree("police officers", "officers")
    assert not objects_agree("kamikaze drones", "artillery attacks")
    assert objects_agree(None, "anything") and objects_agree("", None)
    assert not objects_agree("buses", None)


def test_statements_match_on_speaker_and_quote_overlap():
    predicted = [
        statement("Lee", QUOTE_1, kind="indirect"),  # matches, wrong kind
        statement("Transport Ministry", QUOTE_2[:12]),  # too little of the quote
        statement("Bob Lee", QUOTE_2),  # wrong speaker
    ]
    counts = score_statements(BODY, GOLD_STATEMENTS, predicted)
    assert (counts.gold, counts.predicted, counts.matched) == (2, 3, 1)
    assert counts.kind_ok == 0 and counts.attribute_accuracy == 0.0
    assert counts.precision == pytest.approx(1 / 3) and counts.recall == 0.5


def test_statement_matching_is_one_to_one_best_overlap_first():
    predicted = [statement("Lee", QUOTE_1[:40]), statement("Lee", QUOTE_1)]
    counts = score_statements(BODY, GOLD_STATEMENTS[:1], predicted)
    assert (counts.matched, counts.kind_ok) == (1, 1)
    assert counts.precision == 0.5 and counts.recall == 1.0


def test_figures_match_on_value_and_head_noun():
    gold = (
        gold_figure(3, "weeks", "three", unit="week"),
        gold_figure(40, "buses", "about 40", bound="about"),
    )
    predicted = [
        figure(3, "week", "three", unit="Week"),  # unit compared case-insensitively
        figure(40, "trams", "about 40", bound="about"),  # wrong object
        figure(40, "buses", "40", bound="exact"),  # matches, wrong bound
        figure(40, "buses", "about 40", value_max=50, bound="about"),  # a range is not 40
    ]
    counts = score_figures(gold, predicted)
    assert (counts.gold, counts.predicted, counts.matched) == (2, 4, 2)
    assert (counts.bound_ok, counts.unit_ok, counts.attrs_ok) == (1, 2, 1)


def test_repeated_numbers_pair_with_their_own_occurrence():
    gold = (gold_figure(3, None, "three"), gold_figure(40, None, "40"))
    predicted = [figure(40, "buses", "40"), figure(3, "weeks", "three")]
    assert sorted(match_figures(gold, predicted)) == [(0, 1), (1, 0)]
    # Two gold items, one prediction: only one can match.
    assert len(match_figures((gold[0], gold[0]), [predicted[1]])) == 1


def test_empty_counts_and_micro_average():
    assert MatchCounts().f1 == 1.0  # nothing to find, nothing found
    assert MatchCounts(gold=2).recall == 0.0 and MatchCounts(gold=2).f1 == 0.0
    gold_a = GoldFile("a", TextRef("seed", "x"), "0" * 64, None, GOLD_STATEMENTS, ())
    gold_b = GoldFile("b", TextRef("seed", "x"), "0" * 64, None, GOLD_STATEMENTS, ())
    good = score_file(gold_a, BODY, [statement("Lee", QUOTE_1)], [])
    bad = score_file(gold_b, BODY, [], [figure(40, "buses", "40")])
    statements, figures = total([good, bad])
    assert (statements.gold, statements.matched, statements.predicted) == (4, 1, 1)
    assert (figures.gold, figures.predicted, figures.matched) == (0, 1, 0)
    assert [s.name for s in worst_files([good, bad], n=1)] == ["b"]


def test_parse_gold_rejects_malformed_records():
    ok = {
        "text": {"kind": "aeb", "id": "abc"},
        "text_sha256": "0" * 64,
        "statements": [{"speaker": "X", "kind": "direct", "start": 1, "end": 5}],
        "figures": [{"value": 4, "bound": "exact", "start": 0, "end": 1, "statement": 0}],
    }
    gold = parse_gold(ok, "ok")
    assert gold.text == TextRef("aeb", "abc") and gold.figures[0].value == 4.0
    for broken in (
        {**ok, "text": {"kind": "web", "id": "abc"}},
        {**ok, "text": {"kind": "aeb"}},
        {**ok, "statements": [{"speaker": "X", "kind": "quoted", "start": 1, "end": 5}]},
        {**ok, "statements": [{"speaker": "X", "kind": "direct", "start": 5, "end": 1}]},
        {**ok, "figures": [{"value": 4, "bound": "roughly", "start": 0, "end": 1}]},
        {**ok, "figures": [{"value": 4, "bound": "exact", "start": 0, "end": 1, "statement": 3}]},
    ):
        with pytest.raises(GoldFormatError):
            parse_gold(broken, "broken")


# --- the evaluation job on a gold directory of our own ----------------------------------


def test_evaluate_gold_scores_skips_and_flags_stale(tmp_path: Path):
    shared = tmp_path / "shared"
    (shared / "seeds").mkdir(parents=True)
    (shared / "seeds" / "bridge.txt").write_text("date 2024-05-01 " + BODY, encoding="utf-8")
    body = clean_body(BODY)
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    record = {
        "text": {"kind": "seed", "file": "bridge.txt"},
        "text_sha256": body_sha256(body),
        "statements": [
            {"speaker": "Ann Lee", "kind": "direct", "cue": "said", "start": s.start, "end": s.end}
            for s in GOLD_STATEMENTS[:1]
        ],
        "figures": [],
    }
    (gold_dir / "seed-bridge.json").write_text(json.dumps(record), encoding="utf-8")
    stale = {**record, "text_sha256": "f" * 64}
    (gold_dir / "seed-stale.json").write_text(json.dumps(stale), encoding="utf-8")
    absent = {**record, "text": {"kind": "seed", "file": "missing.txt"}}
    (gold_dir / "seed-absent.json").write_text(json.dumps(absent), encoding="utf-8")

    def extractor(text: str):
        assert text == body
        return [statement("Lee", QUOTE_1)], [figure(40, "buses", "40")]

    report = evaluate_gold(gold_dir, shared=shared, extractor=extractor)
    assert [f.name for f in report.files] == ["seed-bridge"]
    assert report.stale == ("seed-stale",)
    assert [name for name, _ in report.skipped] == ["seed-absent"]
    assert (report.statements.matched, report.figures.predicted) == (1, 1)
    text = format_report(report)
    assert "statements  P 1.000  R 1.000  F1 1.000" in text
    assert "figures     P 0.000" in text
    assert "1 scored, 1 skipped, 1 stale" in text
    assert "seed-bridge: F1 0.667" in text


# --- every gold file in the repository -----------------------------------------------

GOLD_FILES = load_gold_files(default_gold_dir())


def test_gold_directory_is_not_empty():
    assert GOLD_FILES


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda g: g.name)
def test_gold_file_points_into_its_current_text(gold: GoldFile):
    try:
        text = resolve_text(gold.text)
    except TextUnavailable as exc:
        pytest.skip(f"text of {gold.name} is not available here: {exc}")
    assert body_sha256(text) == gold.text_sha256, "text changed: re-annotate or update"
    for s in gold.statements:
        assert 0 <= s.start < s.end <= len(text), s
        assert text[s.start : s.end].strip(), s
    for f in gold.figures:
        assert 0 <= f.start < f.end <= len(text), f


def _as_predictions(gold: GoldFile, text: str) -> tuple[list[Statement], list[Figure]]:
    statements = [
        Statement(s.speaker, s.speaker_role, text[s.start : s.end], s.kind, s.cue, s.start, s.end)
        for s in gold.statements
    ]
    figures = [
        Figure(
            f.value, f.value_max, f.bound, f.unit, f.object, f.action, f.location, f.period,
            text[f.start : f.end], f.start, f.end, f.statement,
        )
        for f in gold.figures
    ]  # fmt: skip
    return statements, figures


def test_gold_scored_against_itself_is_perfect():
    by_text = {}
    for gold in GOLD_FILES:
        try:
            by_text[resolve_text(gold.text)] = gold
        except TextUnavailable:
            continue
    if not by_text:
        pytest.skip("no gold text is available here")

    report = evaluate_gold(default_gold_dir(), extractor=lambda t: _as_predictions(by_text[t], t))
    assert report.files and not report.stale
    for counts in (report.statements, report.figures):
        assert counts.f1 == 1.0 and counts.attribute_accuracy == 1.0
