"""The whole extraction of one page: article, then its statements and figures."""

from __future__ import annotations

from extract.article import extract_article
from extract.figures import extract_figures
from extract.records import Extraction, Figure, Statement
from extract.statements import extract_statements


def analyse_body(body: str) -> tuple[tuple[Statement, ...], tuple[Figure, ...]]:
    """Statements and figures of a normalised article body."""
    statements = tuple(extract_statements(body))
    figures = tuple(extract_figures(body, statements))
    return statements, figures


def extract_page(
    html: bytes | str,
    url: str | None = None,
    declared_encoding: str | None = None,
    listed_date: str | None = None,
) -> Extraction:
    """HTML -> Extraction; raises extract.article.NotAnArticle for non-articles.

    `declared_encoding` is the HTTP header's charset: a hint, since pages often lie.
    `listed_date` is the date of the feed or sitemap entry that listed the page.
    """
    article = extract_article(html, url, declared_encoding, listed_date)
    statements, figures = analyse_body(article.body)
    return Extraction(article=article, statements=statements, figures=figures)
