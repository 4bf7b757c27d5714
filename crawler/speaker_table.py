"""The `speakers` table and `statements.speaker_id`, rebuilt from the statements.

`rebuild_speakers` reads every speaker string once (aggregated per article in SQL), links
them (crawler.speaker_links) and writes the result: deterministic and idempotent, so it
runs at the end of every crawl, on the schema upgrade that adds the table, and on
`newsdesk speakers --apply`. A speaker keeps its id from one rebuild to the next (the id
most of its statements had), so links into Datasette stay valid; only statements whose
speaker changed are written (each write also rewrites the statement's full-text row).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from crawler.speaker_links import NO_CORRECTIONS, Corrections, LinkedSpeaker, Mention, link


@dataclass(frozen=True, slots=True)
class RebuildSummary:
    speakers: int
    statements_linked: int
    statements_changed: int


def create_speakers_table(db: sqlite_utils.Database) -> None:
    """The table, `statements.speaker_id` referencing it, and their indexes."""
    db["speakers"].create(
        {
            "id": int,
            "name": str,
            "kind": str,
            "roles": str,
            "aliases": str,
            "first_seen": str,
            "last_seen": str,
            "statements": int,
            "articles": int,
        },
        pk="id",
        not_null={"name", "kind"},
        if_not_exists=True,
    )
    db["speakers"].create_index(["name"], if_not_exists=True)
    if "speaker_id" not in db["statements"].columns_dict:
        # ADD COLUMN with REFERENCES: no table rebuild, and Datasette links the id.
        db.execute("ALTER TABLE statements ADD COLUMN speaker_id INTEGER REFERENCES speakers(id)")
    db["statements"].create_index(["speaker_id"], if_not_exists=True)


_MENTIONS_SQL = """
SELECT s.speaker, s.article_id, s.speaker_role,
       substr(COALESCE(a.published, a.fetched_at), 1, 10) AS day,
       SUM(a.duplicate_of IS NULL) AS counted, COUNT(*) AS n, s.speaker_id
FROM statements s JOIN articles a ON a.id = s.article_id
WHERE s.speaker IS NOT NULL AND s.speaker != ''
GROUP BY s.speaker, s.article_id, s.speaker_role, s.speaker_id
"""


def read_mentions(db: sqlite_utils.Database) -> tuple[list[Mention], dict[tuple, Counter]]:
    """One Mention per speaker string per article, and the speaker ids their statements
    had so far (for keeping ids stable)."""
    counted: dict[tuple[str, int], int] = defaultdict(int)
    roles: dict[tuple[str, int], list[tuple[str, str | None]]] = defaultdict(list)
    days: dict[tuple[str, int], str | None] = {}
    previous: dict[tuple, Counter] = defaultdict(Counter)
    for speaker, article_id, role, day, n_counted, n, old_id in db.execute(_MENTIONS_SQL):
        key = (speaker, article_id)
        counted[key] += n_counted
        days[key] = day
        if role:
            roles[key].append((role, day))
        if old_id is not None:
            previous[key][old_id] += n
    mentions = [
        Mention(
            name=name,
            article_id=article_id,
            statements=n,
            roles=tuple(roles.get((name, article_id), ())),
            days=(days[(name, article_id)],) if days[(name, article_id)] else (),
        )
        for (name, article_id), n in counted.items()
    ]
    return mentions, previous


def _assign_ids(
    speakers: list[LinkedSpeaker],
    previous: dict[tuple, Counter],
    old_names: dict[int, str],
    next_id: int,
) -> list[int]:
    """An id per speaker: the one most of its statements had, unless a larger speaker took
    it first; new ids after `next_id` in the speakers' order. A speaker still showing the
    name an id had keeps that id first (a split leaves the full name where it was)."""
    votes = []
    for s in speakers:
        tally: Counter = Counter()
        for m in s.mentions:
            tally.update(previous.get((m.name, m.article_id), Counter()))
        votes.append(tally)
    ids: list[int | None] = [None] * len(speakers)
    taken: set[int] = set()
    for i, s in enumerate(speakers):
        same = [old for old in votes[i] if old_names.get(old) == s.name and old not in taken]
        if same:
            ids[i] = min(same, key=lambda old: (-votes[i][old], old))
            taken.add(ids[i])
    for i in sorted(range(len(speakers)), key=lambda i: -speakers[i].statements):
        if ids[i] is not None:
            continue
        for old_id, _ in sorted(votes[i].items(), key=lambda kv: (-kv[1], kv[0])):
            if old_id not in taken:
                ids[i] = old_id
                taken.add(old_id)
                break
    result = []
    for assigned in ids:
        if assigned is None:
            next_id += 1
            while next_id in taken:
                next_id += 1
            assigned = next_id
            taken.add(assigned)
        result.append(assigned)
    return result


def _row(speaker_id: int, s: LinkedSpeaker) -> dict[str, Any]:
    return {
        "id": speaker_id,
        "name": s.name,
        "kind": s.kind,
        "roles": json.dumps([r.to_dict() for r in s.roles], ensure_ascii=False),
        "aliases": json.dumps(s.aliases, ensure_ascii=False),
        "first_seen": s.first_seen,
        "last_seen": s.last_seen,
        "statements": s.statements,
        "articles": len({m.article_id for m in s.mentions}),
    }


def rebuild_speakers(
    db: sqlite_utils.Database, corrections: Corrections = NO_CORRECTIONS
) -> RebuildSummary:
    """Recompute `speakers` and `statements.speaker_id`. Run it inside a transaction."""
    mentions, previous = read_mentions(db)
    speakers = link(mentions, corrections)
    old_names = dict(db.execute("SELECT id, name FROM speakers").fetchall())
    ids = _assign_ids(speakers, previous, old_names, max(old_names, default=0))
    rows = [_row(i, s) for i, s in zip(ids, speakers, strict=True)]
    db.execute("DROP TABLE IF EXISTS temp.speaker_map")
    db.execute(
        "CREATE TEMP TABLE speaker_map (speaker TEXT, article_id INTEGER, speaker_id INTEGER, "
        "PRIMARY KEY (speaker, article_id))"
    )
    db.conn.executemany(
        "INSERT INTO temp.speaker_map VALUES (?, ?, ?)",
        [(m.name, m.article_id, i) for i, s in zip(ids, speakers, strict=True) for m in s.mentions],
    )
    columns = list(rows[0]) if rows else []
    if rows:
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
        db.conn.executemany(
            f"INSERT INTO speakers ({', '.join(columns)}) VALUES "
            f"({', '.join('?' for _ in columns)}) ON CONFLICT(id) DO UPDATE SET {updates}",
            [[row[c] for c in columns] for row in rows],
        )
    changed = db.execute(
        """UPDATE statements SET speaker_id = m.speaker_id FROM temp.speaker_map m
           WHERE m.speaker = statements.speaker AND m.article_id = statements.article_id
             AND statements.speaker_id IS NOT m.speaker_id"""
    ).rowcount
    changed += db.execute(
        "UPDATE statements SET speaker_id = NULL "
        "WHERE speaker_id IS NOT NULL AND (speaker IS NULL OR speaker = '')"
    ).rowcount
    db.execute("DELETE FROM speakers WHERE id NOT IN (SELECT speaker_id FROM temp.speaker_map)")
    db.execute("DROP TABLE temp.speaker_map")
    linked = sum(s.statements for s in speakers)
    return RebuildSummary(len(rows), linked, changed)


@dataclass(frozen=True, slots=True)
class SpeakerRow:
    id: int
    name: str
    kind: str
    statements: int
    articles: int
    first_seen: str | None
    last_seen: str | None
    roles: list[dict[str, Any]]
    aliases: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__}


def list_speakers(
    db: sqlite_utils.Database, *, top: int | None = None, search: str | None = None
) -> list[SpeakerRow]:
    """Speakers, most quoted first; `search` matches the name or any alias (any case)."""
    where, params = "", []
    if search:
        where = "WHERE name LIKE ? OR aliases LIKE ?"
        params = [f"%{search}%", f"%{search}%"]
    sql = (
        "SELECT id, name, kind, statements, articles, first_seen, last_seen, roles, aliases "
        f"FROM speakers {where} ORDER BY statements DESC, name, id"
    )
    if top:
        sql += f" LIMIT {int(top)}"
    return [
        SpeakerRow(*row[:7], json.loads(row[7] or "[]"), json.loads(row[8] or "[]"))
        for row in db.execute(sql, params)
    ]
