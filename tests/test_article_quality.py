"""extract.article against the human-annotated corpus (skipped when the corpus is absent).

AEB: body precision/recall/F1 (bench.body_quality) computed exactly as
scrapinghub/article-extraction-benchmark's evaluate.py does: case-sensitive `\\w+` tokens,
4-token shingles counted as multisets, per-page TP/FP/FN normalised to sum 1, precision
and recall macro-averaged over pages (precision over pages with any prediction, recall
over pages with any truth), F1 the harmonic mean of the two averages. A page rejected
with NotAnArticle is an empty prediction. trafilatura's evaluation set: annotated
snippets that must and must not appear in the body.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
import trafilatura

from bench.body_quality import aeb_scores, aeb_tp_fp_fn, eval_pages, score_snippets
from extract.article import NotAnArticle, extract_article
from extract.cited import cited_sources
from extract.text import seed_body


def _newsdesk_body(html: bytes, url: str | None) -> str:
    try:
        return extract_article(html, url).body
    except NotAnArticle:
        return ""


def test_aeb_body_f1_at_least_plain_trafilatura(corpus: Path) -> None:
    root = corpus / "aeb"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    assert len(truth) == 181
    ours, plain = [], []
    for key, item in truth.items():
        html = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        expected = item["articleBody"]
        ours.append(aeb_tp_fp_fn(expected, _newsdesk_body(html, item.get("url"))))
        plain.append(aeb_tp_fp_fn(expected, trafilatura.extract(html.decode("utf-8")) or ""))
    ours_p, ours_r, ours_f1 = aeb_scores(ours)
    plain_p, plain_r, plain_f1 = aeb_scores(plain)
    print(
        f"\nAEB body (macro, 181 pages): newsdesk P={ours_p:.4f} R={ours_r:.4f} F1={ours_f1:.4f}"
        f" | plain trafilatura P={plain_p:.4f} R={plain_r:.4f} F1={plain_f1:.4f}"
    )
    assert ours_f1 >= plain_f1


def test_metric_matches_aeb_definition() -> None:
    # identical texts score 1; disjoint texts score 0; a missing prediction counts in recall only
    same = aeb_tp_fp_fn("one two three four five", "one two three four five")
    disjoint = aeb_tp_fp_fn("one two three four five", "six seven eight nine ten")
    missing = aeb_tp_fp_fn("one two three four five", "")
    assert same == (1.0, 0.0, 0.0)
    assert disjoint == (0.0, 0.5, 0.5)
    assert aeb_scores([same, missing]) == (1.0, 0.5, 2 / 3)


def _fundus_english(corpus: Path) -> list[tuple[bytes, str, dict]]:
    root = corpus / "fundus"
    pages = json.loads((root / "pages.json").read_text(encoding="utf-8"))
    result = []
    for page in pages:
        if page["language"] != "en":
            continue
        expected = json.loads((root / page["expected"]).read_text(encoding="utf-8"))
        html = gzip.decompress((root / page["path"]).read_bytes())
        result.append((html, page["url"], expected[page["parser_version"]]))
    return result


def test_fundus_dates_and_titles(corpus: Path) -> None:
    pages = _fundus_english(corpus)
    assert len(pages) >= 80
    ours_dates = plain_dates = titles = rejected = authors = with_authors = 0
    for html, url, expected in pages:
        day = (expected.get("publishing_date") or "")[:10]
        plain_dates += trafilatura.extract_metadata(html.decode("utf-8")).date == day
        try:
            article = extract_article(html, url)
        except NotAnArticle:
            rejected += 1
            continue
        ours_dates += (article.published or "")[:10] == day
        titles += article.title == " ".join(expected["title"].split())
        if "authors" in expected:
            with_authors += 1
            authors += [a.casefold() for a in article.authors] == [
                a.casefold() for a in expected["authors"]
            ]
    n = len(pages)
    print(
        f"\nfundus English ({n} pages): date accuracy newsdesk {ours_dates / n:.3f}"
        f" ({ours_dates}) vs trafilatura {plain_dates / n:.3f} ({plain_dates});"
        f" title exact match {titles / n:.3f} ({titles}); authors exact"
        f" {authors}/{with_authors}; rejected {rejected}"
    )
    assert rejected == 0
    assert ours_dates >= plain_dates
    # a floor well under today's measurement (67/84), to catch a title regression
    assert titles / n >= 0.7
    assert authors / with_authors >= 0.75  # measured 70/83


def test_seed_cites_ukrinform_only(seed_path: Path) -> None:
    body, _ = seed_body(seed_path.read_text(encoding="utf-8"))
    # Censor.NET publishes the seed: it informs, it is not a cited source (spec section 5)
    assert cited_sources(body, exclude=["Censor.NET", "censor"]) == ("Ukrinform",)


def test_newspaper4k_home_pages_are_not_articles(corpus: Path) -> None:
    with (corpus / "index.csv").open(encoding="utf-8") as handle:
        rows = {row["path"]: row for row in csv.DictReader(handle)}
    for name in ("cnn_main_site", "wired_main_site", "yahoo_main_site"):
        row = rows[f"newspaper4k/html/{name}.html.gz"]
        html = gzip.decompress((corpus / row["path"]).read_bytes())
        with pytest.raises(NotAnArticle):
            extract_article(html, row["url"] or None)
    # without its URL, the wired home page is still recognised by its link structure
    html = gzip.decompress((corpus / "newspaper4k/html/wired_main_site.html.gz").read_bytes())
    with pytest.raises(NotAnArticle, match="listing"):
        extract_article(html, None)


# Pages of trafilatura's evaluation set that newsdesk used to lose (issue 16): a Spiegel
# article whose fast-mode text was its footer, a ZDF report stored as its login box, a
# football report and a lyrics post refused as listings, an archived 2010 blog post
# refused as a static page. Their annotated snippets are read in place.
_ONCE_LOST = (
    "spiegel.de.albtraum.html.gz",
    "zdf.de.corona.html.gz",
    "football.ua.podolski.html.gz",
    "chineselyrics4u.com.zhineng.html.gz",
    "archive.org.bewegliche-lettern.de.typography.html.gz",
)


# Pages whose in-text subheadings precision mode dropped ("What are you looking forward to
# next?" under an anchor link, a credit guide's question headings); they go back between
# their paragraphs (extract.article._with_subheadings).
_SUBHEADED = (
    "github.blog.spiceland.html.gz",
    "financescout24.de.autokredit.html.gz",
)


@pytest.mark.parametrize("name", _ONCE_LOST + _SUBHEADED)
def test_trafilatura_eval_pages_once_lost_are_whole(corpus: Path, name: str) -> None:
    page = next(p for p in eval_pages(corpus) if p.path.name == name)
    body = extract_article(gzip.decompress(page.path.read_bytes()), page.url).body
    counts = score_snippets(body, page.must, page.must_not)
    assert counts.fn == 0, f"{name}: {counts.fn} of {len(page.must)} annotated snippets missing"


def test_snippet_scores_pool_counts_like_trafilatura() -> None:
    counts = score_snippets("A  body\nwith text.", ["body with", "missing"], ["text.", "menu"])
    assert (counts.tp, counts.fn, counts.fp, counts.tn) == (1, 1, 1, 1)
    assert counts.scores() == (0.5, 0.5, 0.5)


# Tiny real posts of trafilatura's evaluation set (122-193 characters: a dialogue, a
# two-line joke, a film-swap record) are kept whole as short articles; a paywall stub
# (its image caption) and a page whose text is not in its HTML stay refused (issue 16).
_TINY_POSTS = (
    "gnaur.wordpress.com.moglichkeit.html.gz",
    "weselpower.wordpress.com.monstergesprche.html.gz",
    "archive.org.swap-stop.org.shuji.html.gz",
)
_STUBS = (
    ("scmp.com.playbook.html.gz", "isAccessibleForFree"),
    ("OnlineMarketing.de-Instagram.html.gz", "not about the title"),
)


@pytest.mark.parametrize("name", _TINY_POSTS)
def test_trafilatura_eval_tiny_posts_are_short_articles(corpus: Path, name: str) -> None:
    page = next(p for p in eval_pages(corpus) if p.path.name == name)
    body = extract_article(gzip.decompress(page.path.read_bytes()), page.url).body
    counts = score_snippets(body, page.must, page.must_not)
    assert len(body) < 200
    assert (counts.fn, counts.fp) == (0, 0), f"{name}: {counts}"


@pytest.mark.parametrize(("name", "why"), _STUBS)
def test_trafilatura_eval_stubs_stay_refused(corpus: Path, name: str, why: str) -> None:
    page = next(p for p in eval_pages(corpus) if p.path.name == name)
    with pytest.raises(NotAnArticle, match=f"body too short .*{why}"):
        extract_article(gzip.decompress(page.path.read_bytes()), page.url)


def test_fundus_published_days_all_pages(corpus: Path) -> None:
    # issue 16 asks for 99 of 101; measured 101 with lexicons/publisher_dates.toml
    # (DW's 2023 template, a Mirror live blog, a Telegraph buying guide were wrong before)
    root = corpus / "fundus"
    pages = json.loads((root / "pages.json").read_text(encoding="utf-8"))
    wrong = []
    for page in pages:
        expected = json.loads((root / page["expected"]).read_text(encoding="utf-8"))
        day = (expected[page["parser_version"]].get("publishing_date") or "")[:10]
        published = extract_article(
            gzip.decompress((root / page["path"]).read_bytes()), page["url"]
        )
        if (published.published or "")[:10] != day:
            wrong.append(f"{page['path']}: {published.published} (expected {day})")
    assert len(pages) == 101
    assert not wrong, wrong
