"""Scoring rules of extraction-spec section 4, and the integrity of every gold file."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract import miss_classes as mc
from extract.evaluation import (
    GoldFigure,
    GoldFile,
    GoldFormatError,
    GoldStatement,
    MatchCounts,
    TextRef,
    cues_agree,
    match_figures,
    match_file,
    objects_agree,
    parse_gold,
    roles_agree,
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
from jobs.cli import main
from jobs.evaluate import (
    TextUnavailable,
    default_gold_dir,
    evaluate_gold,
    format_report,
    load_gold_files,
    resolve_text,
    shared_dir,
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


# --- own-text gold (the format of ../shared/gold-dev) ----------------------------------

OWN_TEXT = (
    'Mayor Ann Lee said: "The bridge will stay closed for three weeks." '
    "The transport ministry said about 40 buses would replace the trams."
)


def own_text_record(**changes) -> dict:
    record = {
        "name": "made-up-bridge",
        "text_source": "aeb articleBody",
        "text": OWN_TEXT,
        "statements": [
            {
                "speaker": "Ann Lee",
                "speaker_role": "Mayor",
                "kind": "direct",
                "cue": "said",
                "quote": "The bridge will stay closed for three weeks.",
            }
        ],
        "figures": [
            {
                "value": 40,
                "value_max": None,
                "bound": "about",
                "unit": None,
                "object": "buses",
                "action": "replace",
                "text": "about 40 buses",
            }
        ],
    }
    record.update(changes)
    return record


def test_parse_own_text_gold_locates_items_and_names_the_source():
    gold = parse_gold(own_text_record(), "file-stem")
    assert gold.matched_by_content and gold.text is None
    assert (gold.name, gold.source) == ("made-up-bridge", "aeb")
    s, f = gold.statements[0], gold.figures[0]
    assert OWN_TEXT[s.start : s.end] == s.quote and OWN_TEXT[f.start : f.end] == "about 40 buses"


@pytest.mark.parametrize(
    "broken",
    [
        {"statements": [{"speaker": "Ann Lee", "kind": "direct", "quote": "not in the text"}]},
        {"statements": [{"speaker": "Ann Lee", "kind": "quoted", "quote": "The bridge"}]},
        {"figures": [{"value": 40, "bound": "exact", "text": "41 buses"}]},
        {"figures": [{"value": None, "bound": "exact", "text": "40 buses"}]},
    ],
)
def test_parse_own_text_gold_rejects_items_that_are_not_in_the_text(broken):
    with pytest.raises(GoldFormatError):
        parse_gold(own_text_record(**broken), "broken")


def test_own_text_gold_is_matched_by_content_with_the_official_speaker_rule(tmp_path: Path):
    (tmp_path / "a.json").write_text(json.dumps(own_text_record()), encoding="utf-8")
    body = clean_body(OWN_TEXT)
    quote = "The bridge will stay closed for three weeks."
    at = body.index(quote)
    predicted = [
        # "Lee" is the last word of the gold speaker: matches, wrong cue, no role.
        Statement("Lee", None, quote, "direct", "stated", at, at + len(quote)),
    ]
    fig_at = body.index("40")
    figures = [
        Figure(40, None, "exact", None, "city buses", None, None, None, "40", fig_at, fig_at + 2)
    ]
    report = evaluate_gold(tmp_path, extractor=lambda text: (predicted, figures))
    s, f = report.statements, report.figures
    assert (s.matched, s.kind_ok, s.cue_ok, s.role_ok) == (1, 1, 0, 0)
    assert (f.matched, f.bound_ok, f.unit_ok) == (1, 0, 1)
    assert report.files[0].source == "aeb" and not report.misses


def test_roles_and_cues_are_compared_fairly():
    assert roles_agree(None, None) and not roles_agree("Mayor", None)
    assert roles_agree("the chief executive of Acme", "chief executive")
    assert not roles_agree("President of Ruritania", "heard President")
    assert cues_agree("according to", "According  to") and not cues_agree("said", None)


# --- eval on ../shared/gold-dev agrees with the official scorer ---------------------------

GOLD_DEV = shared_dir() / "gold-dev"
OFFICIAL_SCORER = shared_dir() / "tools" / "score_gold.py"
needs_gold_dev = pytest.mark.skipif(
    not (GOLD_DEV.is_dir() and OFFICIAL_SCORER.is_file()),
    reason=f"{GOLD_DEV} and {OFFICIAL_SCORER} are only on machines with ../shared",
)


def _official_scorer():
    spec = importlib.util.spec_from_file_location("score_gold", OFFICIAL_SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _perturbed(gold: GoldFile) -> tuple[list[Statement], list[Figure]]:
    """Predictions made from the gold by rules that hit every branch of the matching:
    speakers cut to the last or the first word, quotes cut in half or to a quarter,
    objects cut to their head, emptied or replaced, values and ranges shifted."""
    statements = []
    for i, s in enumerate(gold.statements):
        words = (s.quote or "").split()
        quote = " ".join(words[: max(1, len(words) // (1, 2, 4)[i % 3])])
        speaker = s.speaker.split()[-1] if i % 2 else s.speaker.split()[0]
        statements.append(Statement(speaker, None, quote, s.kind, s.cue, 0, len(quote)))
    figures = []
    for i, f in enumerate(gold.figures):
        obj = (
            f.object,
            (f.object or "").split()[-1:] and f.object.split()[-1] + "s",
            None,
            "thing",
        )[i % 4]
        value = f.value + (1 if i % 5 == 4 else 0)
        value_max = f.value_max if i % 7 else (f.value_max or f.value) + 1
        figures.append(
            Figure(value, value_max, f.bound, f.unit, obj, None, None, None, f.text or "", 0, 1)
        )
    return statements, figures


@needs_gold_dev
def test_matching_by_content_pairs_exactly_as_the_official_scorer():
    official = _official_scorer()
    golds = load_gold_files(GOLD_DEV)
    assert len(golds) >= 40
    for gold in golds:
        statements, figures = _perturbed(gold)
        raw = json.loads((GOLD_DEV / f"{gold.name}.json").read_text(encoding="utf-8"))
        want_s = official.match(
            [s.to_dict() for s in statements], raw["statements"], official.stmt_score
        )
        want_f = official.match([f.to_dict() for f in figures], raw["figures"], official.fig_score)
        got = match_file(gold, gold.own_text, statements, figures)
        assert len(got.statement_pairs) == len(want_s), gold.name
        assert len(got.figure_pairs) == len(want_f), gold.name
        # Same pairs, not only as many: the official scorer pairs (gold, prediction) dicts.
        assert [statements[pi].to_dict() for _, pi in got.statement_pairs] == [p for _, p in want_s]
        assert [figures[pi].to_dict() for _, pi in got.figure_pairs] == [p for _, p in want_f]


@needs_gold_dev
def test_eval_on_gold_dev_prints_the_official_numbers():
    official = _official_scorer()
    from extract.page import analyse_body

    tot = {"s_tp": 0, "s_pred": 0, "s_gold": 0, "f_tp": 0, "f_pred": 0, "f_gold": 0}
    for path in sorted(GOLD_DEV.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        statements, figures = analyse_body(clean_body(raw["text"]))
        ps, pf = [s.to_dict() for s in statements], [f.to_dict() for f in figures]
        tot["s_tp"] += len(official.match(ps, raw["statements"], official.stmt_score))
        tot["f_tp"] += len(official.match(pf, raw["figures"], official.fig_score))
        tot["s_pred"] += len(ps)
        tot["f_pred"] += len(pf)
        tot["s_gold"] += len(raw["statements"])
        tot["f_gold"] += len(raw["figures"])
    report = evaluate_gold(GOLD_DEV)
    s, f = report.statements, report.figures
    assert (s.matched, s.predicted, s.gold) == (tot["s_tp"], tot["s_pred"], tot["s_gold"])
    assert (f.matched, f.predicted, f.gold) == (tot["f_tp"], tot["f_pred"], tot["f_gold"])
    sp, sr, sf = official.prf(tot["s_tp"], tot["s_pred"], tot["s_gold"])
    fp, fr, ff = official.prf(tot["f_tp"], tot["f_pred"], tot["f_gold"])
    text = format_report(report)
    assert f"statements  P {sp:.3f}  R {sr:.3f}  F1 {sf:.3f}" in text
    assert f"figures     P {fp:.3f}  R {fr:.3f}  F1 {ff:.3f}" in text
    # Every unmatched item is classified once; the report counts them by class.
    missed = [m for m in report.misses if m.item == "statement" and m.side == "missed"]
    assert len(missed) == s.gold - s.matched
    assert "statements missed:" in text and "by text source" in text


# --- newsdesk eval on the command line --------------------------------------------------


def test_cli_eval_on_own_text_gold_lists_misses_by_class(tmp_path: Path):
    record = own_text_record(
        text=OWN_TEXT + "\n\nResidents say the water tastes odd.",
        statements=own_text_record()["statements"]
        + [
            {
                "speaker": "Residents",
                "speaker_role": None,
                "kind": "indirect",
                "cue": "say",
                "quote": "the water tastes odd",
            }
        ],
    )
    (tmp_path / "made-up.json").write_text(json.dumps(record), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--gold", str(tmp_path), "--misses"])
    assert result.exit_code == 0, result.output
    assert "files: 1 scored" in result.output
    found = re.search(
        r"statements +P .*\(gold (\d+), predicted (\d+), matched (\d+)\)", result.output
    )
    gold, predicted, matched = map(int, found.groups())
    assert gold == 2
    # Whatever the extractor finds, every statement it misses is counted and listed by class.
    missed = re.search(r"statements missed: (\d+), by class", result.output)
    assert int(missed.group(1) if missed else 0) == gold - matched
    listed = [line for line in result.output.splitlines() if line.startswith("          made-up")]
    groups = re.findall(r"^[a-z ]+: (\d+), by class$", result.output, re.M)
    assert len(listed) == sum(map(int, groups))
    # --class lists only the classes whose name holds the text.
    only = CliRunner().invoke(main, ["eval", "--gold", str(tmp_path), "--class", "no such class"])
    assert only.exit_code == 0 and not any(
        x.startswith("          ") for x in only.output.splitlines()
    )


def test_cli_eval_says_in_one_line_what_is_wrong_with_a_gold_file(tmp_path: Path):
    (tmp_path / "bad.json").write_text(json.dumps({"text": 3}), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--gold", str(tmp_path)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "bad: text must be" in result.output
    assert "Traceback" not in result.output


# --- classes of misses (extract/miss_classes.py), on sentences made up for the test -------


def quote_item(body: str, speaker: str, quote: str, kind: str = "indirect", cue="said", role=None):
    start = body.index(quote)
    return mc.QuoteItem(speaker, role, kind, cue, quote, start, start + len(quote))


def number_item(body: str, text: str, value: float, obj, unit=None, value_max=None):
    start = body.index(text)
    return mc.NumberItem(value, value_max, unit, obj, text, start, start + len(text))


@pytest.mark.parametrize(
    ("body", "speaker", "quote", "kind", "cue", "expected"),
    [
        (
            'Ann Lee said Bob Roe told her "we will win the race" twice.',
            "Bob Roe",
            "we will win the race",
            "direct",
            "told",
            mc.MISSED_NESTED,
        ),
        (
            "‘We are ready,’ Ann Lee said.",
            "Ann Lee",
            "We are ready",
            "direct",
            "said",
            mc.MISSED_SINGLE_QUOTES,
        ),
        (
            '"And the roads are clear."',
            "Ann Lee",
            "And the roads are clear.",
            "direct",
            None,
            mc.MISSED_CONTINUATION,
        ),
        (
            "The brochure says the park opens at noon.",
            "brochure",
            "the park opens at noon",
            "indirect",
            "says",
            mc.MISSED_DOCUMENT,
        ),
        (
            "Residents say the water tastes odd.",
            "Residents",
            "the water tastes odd",
            "indirect",
            "say",
            mc.MISSED_GENERIC,
        ),
        (
            'Jane Roe called the claim "absurd" on Monday.',
            "Jane Roe",
            "absurd",
            "direct",
            "called",
            mc.MISSED_FRAGMENT,
        ),
        (
            '"We are ready," Mr. Lee said on Nov. 8.',
            "Lee",
            "We are ready",
            "direct",
            "said",
            mc.MISSED_TRAILING,
        ),
        (
            '"We are ready," Ann Lee said at a cabinet meeting.',
            "Ann Lee",
            "We are ready",
            "direct",
            "said",
            mc.MISSED_TRAILING,
        ),
        (
            "Ann Lee grumbled that the bus was late.",
            "Ann Lee",
            "the bus was late",
            "indirect",
            "grumbled",
            mc.MISSED_UNKNOWN_CUE,
        ),
        (
            "Ann Lee said the bus was late.",
            "Ann Lee",
            "the bus was late",
            "indirect",
            "said",
            mc.MISSED_BARE_CLAUSE,
        ),
        (
            "Ann Lee said that the bus was late.",
            "Ann Lee",
            "the bus was late",
            "indirect",
            "said",
            mc.MISSED_OTHER,
        ),
    ],
)
def test_statements_nothing_was_predicted_for(body, speaker, quote, kind, cue, expected):
    gold = quote_item(body, speaker, quote, kind, cue)
    others = [quote_item(body, "Ann Lee", body[13:-7])] if expected == mc.MISSED_NESTED else []
    assert mc.classify_missed_statement(body, gold, [], others) == expected


@pytest.mark.parametrize(
    ("body", "gold_speaker", "role", "predicted_speaker", "expected"),
    [
        (
            'Ann Lee met Bob Roe. "It works," he said.',
            "Bob Roe",
            None,
            "Ann Lee",
            mc.SPEAKER_PRONOUN,
        ),
        (
            'Acme CEO Jane Roe said: "It works."',
            "Jane Roe",
            "Acme CEO",
            "Acme",
            mc.SPEAKER_ROLE_SPLIT,
        ),
        (
            'Ann Smith met Ann Lee. "It works," Ms Lee said.',
            "Ann Lee",
            None,
            "Ann Smith",
            mc.SPEAKER_SURNAME,
        ),
        (
            'Friday Ruritania Defence Office said: "It works."',
            "Ruritania Defence Ministry",
            None,
            "Friday Ruritania Defence Office",
            mc.SPEAKER_ABSORBED,
        ),
        (
            'Ann Lee spoke first. A source inside the camp said: "It works."',
            "a source inside the camp",
            None,
            "Ann Lee",
            mc.SPEAKER_DESCRIPTION,
        ),
        (
            'Ann Lee spoke first. Bob Roe said: "It works."',
            "Bob Roe",
            None,
            "Ann Lee",
            mc.SPEAKER_OTHER,
        ),
    ],
)
def test_statements_found_with_the_wrong_speaker(
    body, gold_speaker, role, predicted_speaker, expected
):
    gold = quote_item(body, gold_speaker, "It works", "direct", "said", role)
    predicted = quote_item(body, predicted_speaker, "It works", "direct", "said")
    assert mc.classify_missed_statement(body, gold, [predicted]) == expected
    assert mc.classify_extra_statement(body, predicted, [gold]) == mc.EXTRA_WRONG_SPEAKER


def test_statement_with_the_right_speaker_and_other_words_is_a_quote_span_miss():
    body = "Ann Lee said the bridge will close in May and the trams will run on a new line."
    gold = quote_item(body, "Ann Lee", "the bridge will close in May")
    predicted = quote_item(body, "Lee", body[13:-1])
    assert mc.classify_missed_statement(body, gold, [predicted]) == mc.QUOTE_SPAN
    assert mc.classify_extra_statement(body, predicted, [gold]) == mc.EXTRA_QUOTE_SPAN


@pytest.mark.parametrize(
    ("body", "cue", "quote", "kind", "expected"),
    [
        (
            "Ann Lee urged voters to stay at home today.",
            "urged",
            "voters to stay at home today",
            "indirect",
            mc.EXTRA_NOT_SPEECH,
        ),
        (
            "Ann Lee did not say whether the bus was late.",
            "say",
            "whether the bus was late",
            "indirect",
            mc.EXTRA_NOT_SPEECH,
        ),
        ('The "Blue Line" tram runs again.', "said", "Blue Line", "direct", mc.EXTRA_SHORT_QUOTE),
        (
            "Ann Lee said that the bus was late again.",
            "said",
            "the bus was late again",
            "indirect",
            mc.EXTRA_STATEMENT_OTHER,
        ),
    ],
)
def test_statements_predicted_that_the_gold_does_not_have(body, cue, quote, kind, expected):
    predicted = quote_item(body, "Ann Lee", quote, kind, cue)
    assert mc.classify_extra_statement(body, predicted, []) == expected


@pytest.mark.parametrize(
    ("body", "text", "value", "unit", "gold_object", "predicted_object", "expected"),
    [
        (
            "Brent crude fell 2.7% on Monday.",
            "2.7%",
            2.7,
            "%",
            "Brent crude",
            "Monday",
            mc.OBJECT_PERIOD,
        ),
        (
            "Brent crude fell 2.7% after the talks.",
            "2.7%",
            2.7,
            "%",
            "Brent crude",
            "talks",
            mc.OBJECT_CHANGE,
        ),
        (
            "Just over half of voters stayed home.",
            "half",
            0.5,
            "fraction",
            "voters",
            "home",
            mc.OBJECT_FRACTION,
        ),
        (
            "Winds of up to 55 mph hit the coast.",
            "55 mph",
            55,
            "mph",
            "winds",
            "mph",
            mc.OBJECT_UNIT,
        ),
        (
            "Hundreds of teachers marched downtown.",
            "Hundreds of teachers",
            100,
            None,
            "teachers",
            "Hundreds",
            mc.OBJECT_VAGUE_LIST,
        ),
        (
            "A 55-kilometre zone around the plant was closed.",
            "55-kilometre",
            55,
            "km",
            "zone",
            "plant",
            mc.OBJECT_COMPOUND,
        ),
        (
            "The fund paid out $40 million.",
            "$40 million",
            40e6,
            "USD",
            "fund",
            None,
            mc.OBJECT_NONE,
        ),
        (
            "The fund held 40 farms.\n\nTrucks left.",
            "40 farms",
            40,
            None,
            "farms",
            "Trucks",
            mc.OBJECT_CROSS_PARAGRAPH,
        ),
        ("The two clubs agreed.", "two clubs", 2, None, "clubs", "clubs", mc.OBJECT_REPEATED),
        (
            "The fund held 40 farms in the valley.",
            "40 farms",
            40,
            None,
            "farms",
            "valley",
            mc.OBJECT_OTHER,
        ),
    ],
)
def test_figures_read_right_but_attached_to_the_wrong_thing(
    body, text, value, unit, gold_object, predicted_object, expected
):
    gold = number_item(body, text, value, gold_object, unit)
    predicted = number_item(body, text, value, predicted_object, unit)
    assert mc.classify_missed_figure(body, gold, [predicted]) == expected
    assert mc.classify_extra_figure(body, predicted, [gold]) == mc.EXTRA_WRONG_OBJECT


@pytest.mark.parametrize(
    ("body", "text", "value", "value_max", "unit", "obj", "expected"),
    [
        (
            "Between 20 and 25 drones flew in.",
            "Between 20 and 25 drones",
            20,
            25,
            None,
            "drones",
            mc.NUMBER_RANGE,
        ),
        (
            "Sales rose 0.7 percent to 6,327.80 points.",
            "to 6,327.80",
            6327.8,
            None,
            "point",
            "sales",
            mc.NUMBER_RANGE,
        ),
        ("Output fell -1.3% in May.", "-1.3%", -1.3, None, "%", "output", mc.NUMBER_SIGN),
        ("The car makes 640bhp.", "640bhp", 640, None, "hp", "car", mc.NUMBER_GLUED),
        ("The ticket costs €40 now.", "€40", 40, None, "EUR", "ticket", mc.NUMBER_CURRENCY),
        (
            "Two-thirds of voters agreed.",
            "Two-thirds",
            2 / 3,
            None,
            "fraction",
            "voters",
            mc.NUMBER_WORDS,
        ),
        ("She was 15 at the time.", "15", 15, None, "year", "age", mc.NUMBER_AGE),
        (
            "The index closed at 40,816.38.",
            "40,816.38",
            40816.38,
            None,
            "point",
            "index",
            mc.NUMBER_OTHER,
        ),
    ],
)
def test_figures_whose_number_was_not_read(body, text, value, value_max, unit, obj, expected):
    gold = number_item(body, text, value, obj, unit, value_max)
    assert mc.classify_missed_figure(body, gold, []) == expected


@pytest.mark.parametrize(
    ("body", "text", "value", "expected"),
    [
        ("The S&P 500 rose again.", "500", 500, mc.EXTRA_NAME_NUMBER),
        ("Trading opened at 0401 GMT.", "0401", 401, mc.EXTRA_NAME_NUMBER),
        ("The bridge opened in 2019.", "2019", 2019, mc.EXTRA_DATE_TIME),
        ("One of them left early.", "One", 1, mc.EXTRA_ONE),
        ("The bridge has 40 lamps.", "40", 40, mc.EXTRA_FIGURE_OTHER),
    ],
)
def test_figures_predicted_that_the_gold_does_not_have(body, text, value, expected):
    predicted = number_item(body, text, value, None)
    assert mc.classify_extra_figure(body, predicted, []) == expected


def test_a_different_number_read_next_to_a_gold_figure_is_a_misread():
    body = "Sales rose 0.7 percent to 6,327.80 points."
    gold = number_item(body, "0.7 percent", 0.7, "sales", "%")
    predicted = number_item(body, "0.7 percent to 6,327.80", 0.7, "sales", "%", value_max=6327.8)
    assert mc.classify_extra_figure(body, predicted, [gold]) == mc.EXTRA_MISREAD
    assert mc.classify_missed_figure(body, gold, [predicted]) == mc.NUMBER_RANGE


def test_classify_file_lists_every_unmatched_item_once():
    body = 'Ann Lee said: "It works." Residents say the water tastes odd. The fund held 40 farms.'
    gold_s = [
        quote_item(body, "Ann Lee", "It works", "direct"),
        quote_item(body, "Residents", "the water tastes odd", cue="say"),
    ]
    pred_s = [quote_item(body, "Lee", "It works", "direct")]
    gold_f = [number_item(body, "40 farms", 40, "farms")]
    pred_f = [number_item(body, "40 farms", 40, "fund"), number_item(body, "Ann", 1, None)]
    misses = mc.classify_file("f", body, gold_s, pred_s, [(0, 0)], gold_f, pred_f, [])
    assert [(m.item, m.side, m.cls) for m in misses] == [
        ("statement", "missed", mc.MISSED_GENERIC),
        ("figure", "missed", mc.OBJECT_OTHER),
        ("figure", "extra", mc.EXTRA_WRONG_OBJECT),
        ("figure", "extra", mc.EXTRA_FIGURE_OTHER),
    ]
    assert "<- predicted object 'fund'" in misses[1].summary


_FRACTION_WORDS = re.compile(
    r"\b(?:half|third|thirds|quarter|quarters|fifth|fifths|in ten)\b", re.I
)


@pytest.mark.parametrize("gold", GOLD_FILES, ids=lambda g: g.name)
def test_gold_fractions_carry_unit_fraction(gold: GoldFile):
    """Spec section 3: a fraction is its decimal value with unit `fraction` (or `times` for
    "half as ..."), so that sums over counts never add half an attack."""
    try:
        text = resolve_text(gold.text)
    except TextUnavailable as exc:
        pytest.skip(f"text of {gold.name} is not available here: {exc}")
    for f in gold.figures:
        if f.value < 1 and _FRACTION_WORDS.search(text[f.start : f.end]):
            assert f.unit in {"fraction", "times"}, (gold.name, text[f.start : f.end])


@needs_gold_dev
def test_extraction_holds_issue_12s_level_on_gold_dev():
    # The independent gold set: a change that loses these levels fails here, not only
    # in a report (statements F1 0.916, recall 0.877; figures F1 0.944 when written).
    report = evaluate_gold(GOLD_DEV)
    s, f = report.statements, report.figures
    assert s.f1 >= 0.88 and s.recall >= 0.85, (s.precision, s.recall, s.f1)
    assert f.f1 >= 0.88, (f.precision, f.recall, f.f1)


def test_extraction_holds_its_level_on_the_projects_gold():
    report = evaluate_gold()
    if not report.files:
        pytest.skip("no tests/gold text is available here (../shared/corpus is absent)")
    s, f = report.statements, report.figures
    assert s.f1 >= 0.86 and f.f1 >= 0.86, (s.f1, f.f1)
