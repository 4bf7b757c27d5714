"""extract.metadata.page_metadata gives what trafilatura.extract_metadata gives, on real pages."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

from trafilatura import extract_metadata
from trafilatura.utils import load_html

from extract.metadata import page_metadata

FIELDS = ("title", "author", "date", "sitename", "description", "url")


def test_same_fields_as_trafilatura_on_the_corpus(corpus: Path) -> None:
    rows = list(csv.DictReader((corpus / "index.csv").open(encoding="utf-8")))
    # Every 7th page: all five upstream collections and many languages, in a few seconds.
    sample = rows[::7]
    assert len(sample) >= 150
    differences = []
    for row in sample:
        html = gzip.decompress((corpus / row["path"]).read_bytes())
        tree = load_html(html)
        if tree is None:
            continue
        url = row["url"] or None
        ours = page_metadata(tree, url)
        theirs = extract_metadata(load_html(html), url)
        differences += [
            (row["path"], name, getattr(ours, name), getattr(theirs, name))
            for name in FIELDS
            if getattr(ours, name) != getattr(theirs, name)
        ]
    assert differences == []


def test_leaves_the_tree_as_it_was() -> None:
    html = (
        "<html><head><title>Port reopens - Harbour Times</title>"
        '<meta name="author" content="Mara Olsen">'
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2026-11-20T08:00:00Z", "headline": "Port reopens"}</script>'
        "</head><body><article><h1>Port reopens</h1><p class='byline'>By Mara Olsen</p>"
        "<p>The port reopened on Friday after three weeks of repairs.</p></article>"
        "</body></html>"
    )
    tree = load_html(html)
    before = len(list(tree.iter()))
    metadata = page_metadata(tree, "https://harbour.example/news/port-reopens")
    assert metadata.author == "Mara Olsen"
    assert metadata.date == "2026-11-20"
    assert metadata.title == "Port reopens"  # the JSON-LD headline wins over <title>
    assert len(list(tree.iter())) == before
