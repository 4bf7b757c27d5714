"""`newsdesk export`: articles, statements or figures as CSV, JSON Lines or JSON.

For pandas and spreadsheets. Statements and figures come from the v_statements and
v_figures views, so every row carries its article's source, URL and date, and
syndicated copies are left out. The database is opened read-only, so exporting beside
a running crawler is safe.
"""

from __future__ import annotations

import csv
import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

import click

from jobs import options
from jobs.dbcheck import read_problem

# What each export selects, and the date column --since compares with (YYYY-MM-DD).
QUERIES: dict[str, tuple[str, str]] = {
    "articles": (
        "SELECT id, url, source, title, authors, published, language, body, cited_sources, "
        "site_name, description, fetched_url, fetched_at, run_id, duplicate_of FROM articles",
        "substr(published, 1, 10)",
    ),
    "statements": ("SELECT * FROM v_statements", "day"),
    "figures": ("SELECT * FROM v_figures", "day"),
}
# Columns stored as JSON text; JSON and JSON Lines exports give them as real lists.
JSON_COLUMNS = frozenset({"authors", "cited_sources"})
FORMATS = ("csv", "jsonl", "json")


def connect_read_only(db_path: Path) -> sqlite3.Connection:
    # mode=ro: never creates the file, never takes a write lock (WAL readers don't block).
    conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def export_rows(
    conn: sqlite3.Connection, what: str, since: date | None = None
) -> tuple[list[str], Iterator[sqlite3.Row]]:
    """Column names and rows of one export, oldest first; `since` keeps rows published
    on or after that day (rows without a date are then left out)."""
    sql, day_column = QUERIES[what]
    params: list[Any] = []
    if since is not None:
        sql += f" WHERE {day_column} >= ?"
        params.append(since.isoformat())
    sql += " ORDER BY published IS NULL, published, id"
    cursor = conn.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    return columns, iter(cursor)


def _as_json_object(columns: list[str], row: sqlite3.Row) -> dict[str, Any]:
    out = {}
    for column in columns:
        value = row[column]
        if column in JSON_COLUMNS and isinstance(value, str):
            value = json.loads(value)
        out[column] = value
    return out


def write_csv(columns: list[str], rows: Iterator[sqlite3.Row], out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(tuple(row))
        count += 1
    return count


def write_jsonl(columns: list[str], rows: Iterator[sqlite3.Row], out: TextIO) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(_as_json_object(columns, row), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_json(columns: list[str], rows: Iterator[sqlite3.Row], out: TextIO) -> int:
    # One array, written row by row so a large export never sits in memory whole.
    count = 0
    out.write("[")
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(_as_json_object(columns, row), ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


WRITERS = {"csv": write_csv, "jsonl": write_jsonl, "json": write_json}


def export(db_path: Path, what: str, fmt: str, out: TextIO, since: date | None = None) -> int:
    """Write one export to `out`; returns the number of rows written."""
    with closing(connect_read_only(db_path)) as conn:
        columns, rows = export_rows(conn, what, since)
        return WRITERS[fmt](columns, rows, out)


@click.command()
@click.argument("what", type=click.Choice(list(QUERIES)))
@options.db_option(path_type=Path)
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Only rows published on or after this day (YYYY-MM-DD).",
)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
def export_command(
    what: str, db_path: Path, since: datetime | None, fmt: str, output: Path | None
) -> None:
    """Export articles, statements or figures (CSV, JSON Lines or JSON)."""
    problem = read_problem(db_path)
    if problem:
        options.fail(problem)
    if output is not None and not output.parent.is_dir():
        options.fail(f"cannot write {output}: folder {output.parent} does not exist")
    day = since.date() if since else None
    try:
        if output is None:
            count = export(db_path, what, fmt, sys.stdout, day)
        else:
            # newline="": the csv module writes its own \r\n line ends.
            with output.open("w", encoding="utf-8", newline="") as out:
                count = export(db_path, what, fmt, out, day)
    except sqlite3.DatabaseError as exc:
        options.fail(f"cannot export {what} from {db_path}: {exc}")
    except BrokenPipeError:
        raise  # `| head` stopped reading: the command group ends quietly
    except OSError as exc:
        options.fail(f"cannot write {output or 'standard output'}: {exc.strerror or exc}")
    if output is not None:
        click.echo(f"{count} {what} written to {output}", err=True)
