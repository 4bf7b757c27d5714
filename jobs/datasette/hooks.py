"""newsdesk's Datasette plugin hooks: the article reader's data, links and number display.

Registered by site.build_datasette; the templates beside this module use what
extra_template_vars returns.
"""

from __future__ import annotations

import json
from typing import Any

import markupsafe
from datasette import hookimpl

from crawler.store import is_daily_count_sql
from jobs.datasette.reader import (
    describe_figure,
    figure_mark,
    render_body,
    statement_mark,
    value_text,
)

ASSETS = "/assets"  # the static mount of jobs/datasette/static (site.py)
# Views whose title links to the article reader, at the marked statement or figure.
READER_LINKS = {"v_statements": "statement", "v_figures": "figure"}


async def _rows(db, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    result = await db.execute(sql, params)
    return [dict(row) for row in result.rows]


async def reader_context(db, article_id: str) -> dict[str, Any] | None:
    """What the reader page shows: the article, its body marked up, its statements and
    figures. Statements and figures come from the base tables, so a syndicated copy
    (left out of the views) reads the same as its first copy."""
    articles = await _rows(db, "SELECT * FROM articles WHERE id = ?", [article_id])
    if not articles:
        return None
    article = articles[0]
    statements = await _rows(
        db, "SELECT * FROM statements WHERE article_id = ? ORDER BY seq", [article_id]
    )
    figures = await _rows(
        db,
        f"SELECT f.*, s.speaker, {is_daily_count_sql()} AS is_daily_count "
        "FROM figures f LEFT JOIN statements s ON s.id = f.statement_id "
        "WHERE f.article_id = ? ORDER BY f.seq",
        [article_id],
    )
    marks = [m for m in map(statement_mark, statements) if m]
    marks += [m for m in map(figure_mark, figures) if m]
    for figure in figures:
        figure["description"] = describe_figure(figure)
        figure["value_text"] = value_text(figure)
    return {
        "article": article,
        "authors": _json_list(article.get("authors")),
        "cited_sources": _json_list(article.get("cited_sources")),
        "body_html": markupsafe.Markup(render_body(article.get("body") or "", marks)),
        "statements": statements,
        "figures": figures,
        "other_columns": {
            k: v for k, v in article.items() if k not in {"body", "title", "authors"}
        },
    }


def _json_list(text: str | None) -> list[str]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return [text] if text else []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


async def speaker_context(db, speaker_id: str) -> dict[str, Any] | None:
    """What a speaker's page shows: the speaker, its roles and aliases, and every statement
    by date (syndicated copies left out, as in v_statements), each linking to the reader."""
    speakers = await _rows(db, "SELECT * FROM speakers WHERE id = ?", [speaker_id])
    if not speakers:
        return None
    speaker = speakers[0]
    statements = await _rows(
        db,
        "SELECT s.id, s.article_id, s.speaker, s.speaker_role, s.quote, s.kind, s.cue, "
        "a.title, a.source, substr(a.published, 1, 10) AS day "
        "FROM statements s JOIN articles a ON a.id = s.article_id "
        "WHERE s.speaker_id = ? AND a.duplicate_of IS NULL "
        "ORDER BY a.published IS NULL, a.published, s.article_id, s.seq",
        [speaker_id],
    )
    try:
        roles = json.loads(speaker.get("roles") or "[]")
    except ValueError:
        roles = []
    return {
        "speaker": speaker,
        "roles": roles if isinstance(roles, list) else [],
        "aliases": _json_list(speaker.get("aliases")),
        "statements": statements,
    }


@hookimpl
def extra_template_vars(view_name, table, request, datasette):
    if view_name != "row" or table not in ("articles", "speakers") or request is None:
        return {}

    async def inner():
        db = datasette.get_database(request.url_vars["database"])
        if table == "speakers":
            return {"speaker_page": await speaker_context(db, request.url_vars["pks"])}
        return {"reader": await reader_context(db, request.url_vars["pks"])}

    return inner


@hookimpl
def extra_css_urls():
    return [f"{ASSETS}/newsdesk.css"]


BODY_PREVIEW = 160  # characters of a body shown in the articles table


def _link(href: str, text: str, title: str) -> markupsafe.Markup:
    return markupsafe.Markup('<a href="{}" title="{}">{}</a>').format(href, title, text)


@hookimpl
def render_cell(row, value, column, table):
    if table in READER_LINKS and column == "title" and value:
        kind = READER_LINKS[table]
        href = f"/newsdesk/articles/{row['article_id']}#{kind}-{row['id']}"
        return _link(href, value, f"Read the article with its {kind}s marked")
    if column == "speaker_name" and value and row["speaker_id"] is not None:
        href = f"/newsdesk/speakers/{row['speaker_id']}"
        return _link(href, value, "Everything this speaker said, by date")
    if table == "speakers" and column == "aliases" and value:
        return ", ".join(_json_list(value))
    if table == "articles" and value:
        # The table lists articles; the reader (the row page) is where a body is read.
        if column == "title":
            return _link(f"/newsdesk/articles/{row['id']}", value, "Read the article")
        if column == "body":
            preview = value[:BODY_PREVIEW].rsplit(" ", 1)[0] if len(value) > BODY_PREVIEW else value
            return markupsafe.Markup('{} <a href="{}">… read on</a>').format(
                preview, f"/newsdesk/articles/{row['id']}"
            )
        if column in ("authors", "cited_sources"):
            return ", ".join(_json_list(value)) or markupsafe.Markup("&nbsp;")
        if column == "body_sha256":
            return markupsafe.Markup('<span title="{}">{}…</span>').format(value, value[:12])
    # REAL columns hold whole numbers too (figures.value): show 58, not 58.0.
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return None
