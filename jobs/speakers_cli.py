"""`newsdesk speakers`: list the speakers (one per person, organisation or document across
all articles) and re-apply speakers.toml at once with --apply."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import click

from crawler.speaker_corrections import speakers_path as speakers_file
from jobs import options


def _roles(roles: list[dict]) -> str:
    return "; ".join(
        r["role"] + (f" ({r['first']}..{r['last']})" if r["first"] != r["last"] else "")
        for r in roles
    )


@click.command()
@options.db_option()
@options.sources_option()
@options.speakers_option()
@click.option("--top", type=click.IntRange(min=1), default=None, help="Only the N most quoted.")
@click.option("--search", default=None, help="Only speakers whose name or an alias has TEXT.")
@click.option("--apply", "apply_", is_flag=True, help="Relink now with speakers.toml applied.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
def speakers_command(
    db_path: str,
    sources_path: str,
    speakers_path: str | None,
    top: int | None,
    search: str | None,
    apply_: bool,
    as_json: bool,
) -> None:
    """Speakers with their statement counts, roles and aliases, most quoted first."""
    from crawler.speaker_table import list_speakers
    from crawler.store import Store

    options.readable_db_or_exit(db_path)
    corrections_path = Path(speakers_path) if speakers_path else speakers_file(sources_path)
    corrections = options.corrections_or_exit(corrections_path) if apply_ else None
    try:
        store = Store.open(db_path)  # an older schema gains the table here
    except (sqlite3.Error, RuntimeError) as exc:
        options.fail(f"cannot read {db_path}: {exc}")
    try:
        if corrections is not None:
            summary = store.rebuild_speakers(corrections)
            applied = corrections_path if corrections_path.exists() else "no speakers.toml"
            click.echo(
                f"relinked {summary.statements_linked} statements to {summary.speakers} "
                f"speakers ({applied}); {summary.statements_changed} statements changed speaker",
                err=True,
            )
        rows = list_speakers(store.db, top=top, search=search)
    except sqlite3.Error as exc:
        options.fail(f"cannot use {db_path}: {exc}")
    finally:
        store.close()
    for row in rows:
        if as_json:
            click.echo(json.dumps(row.to_dict(), ensure_ascii=False))
            continue
        aliases = [a for a in row.aliases if a != row.name]
        line = f"{row.id}\t{row.name}\t{row.kind}\t{row.statements} statements"
        articles = "1 article" if row.articles == 1 else f"{row.articles} articles"
        line += f", {articles}, {row.first_seen}..{row.last_seen}"
        if row.roles:
            line += f"\troles: {_roles(row.roles)}"
        if aliases:
            line += f"\taliases: {', '.join(aliases)}"
        click.echo(line)
    if search and not rows:
        click.echo(f"newsdesk: no speaker matches {search!r}", err=True)
        sys.exit(1)
