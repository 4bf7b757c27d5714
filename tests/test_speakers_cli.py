"""Speakers on the demo database and `newsdesk speakers` (issue 15), through the real CLI."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.sites import crawl_demo, newsdesk

SPLIT_GENERAL_STAFF = (
    '[[split]]\nalias = "General Staff"\nspeaker = "General Staff of the Veldanian Armed Forces"\n'
)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("speakers") / "demo.db"
    crawl_demo(db)
    return db


def sql(db: Path, query: str, params=()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(query, params).fetchall()


def test_no_person_of_the_demo_site_is_under_two_speaker_ids(demo_db: Path) -> None:
    # Every form a person was written as is one speaker id...
    split = sql(
        demo_db,
        "SELECT s.speaker FROM statements s JOIN speakers sp ON sp.id = s.speaker_id "
        "WHERE sp.kind = 'person' GROUP BY s.speaker HAVING COUNT(DISTINCT s.speaker_id) > 1",
    )
    assert split == []
    # ... and no two person speakers share a surname (the demo site has no namesakes).
    persons = [name for (name,) in sql(demo_db, "SELECT name FROM speakers WHERE kind = 'person'")]
    surnames = [name.split()[-1] for name in persons]
    assert len(surnames) == len(set(surnames)) and len(persons) >= 20
    assert all(len(name.split()) >= 2 for name in persons)  # each under the full name
    # The organisation written two ways is one speaker.
    forms = sql(
        demo_db,
        "SELECT DISTINCT speaker_id FROM statements "
        "WHERE speaker IN ('General Staff', 'General Staff of the Veldanian Armed Forces')",
    )
    assert len(forms) == 1
    assert sql(demo_db, "SELECT COUNT(*) FROM statements WHERE speaker_id IS NULL") == [(0,)]


def test_speakers_lists_the_most_quoted_with_roles_and_aliases(demo_db: Path) -> None:
    result = newsdesk("speakers", "--db", str(demo_db), "--top", "3")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert "\tGeneral Staff of the Veldanian Armed Forces\torganisation\t17 statements" in lines[0]
    assert lines[0].endswith("aliases: General Staff")
    found = newsdesk("speakers", "--db", str(demo_db), "--search", "holtvyn")
    assert found.returncode == 0 and len(found.stdout.splitlines()) == 1
    assert "Mariana Holtvyn\tperson" in found.stdout and "roles: head of the" in found.stdout
    none = newsdesk("speakers", "--db", str(demo_db), "--search", "Nobody Anywhere")
    assert none.returncode == 1 and none.stderr.count("\n") == 1


def test_speakers_apply_takes_the_corrections_at_once(demo_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(demo_db, db)
    before = sql(db, "SELECT id FROM speakers WHERE name LIKE 'General Staff of%'")
    (tmp_path / "speakers.toml").write_text(SPLIT_GENERAL_STAFF, encoding="utf-8")
    sources = str(tmp_path / "sources.toml")  # need not exist: only its folder is used
    result = newsdesk("speakers", "--db", str(db), "--sources", sources, "--apply", "--top", "40")
    assert result.returncode == 0, result.stderr
    assert "relinked 122 statements to" in result.stderr
    names = [line.split("\t")[1] for line in result.stdout.splitlines()]
    assert "General Staff" in names and "General Staff of the Veldanian Armed Forces" in names
    # The long form keeps its id; the split-off form gets a new one.
    assert sql(db, "SELECT id FROM speakers WHERE name LIKE 'General Staff of%'") == before
    # Without the file the rules apply again.
    (tmp_path / "speakers.toml").unlink()
    newsdesk("speakers", "--db", str(db), "--sources", sources, "--apply")
    assert sql(db, "SELECT COUNT(*) FROM speakers WHERE name LIKE 'General Staff%'") == [(1,)]


def test_a_broken_speakers_file_is_one_line_and_exit_2(tmp_path: Path, demo_db: Path) -> None:
    (tmp_path / "speakers.toml").write_text('[[merge]]\nnames = ["only one"]\n', encoding="utf-8")
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nid = "x"\nname = "X"\nfeeds = ["http://127.0.0.1:9/feed"]\n', encoding="utf-8"
    )
    for args in (
        ["speakers", "--db", str(demo_db), "--sources", str(sources), "--apply"],
        ["run", "--db", str(tmp_path / "n.db"), "--sources", str(sources)],
    ):
        result = newsdesk(*args)
        assert result.returncode == 2, result.stderr
        assert result.stderr == (
            f"newsdesk: {tmp_path / 'speakers.toml'}: merge 1: "
            "'names' must list at least two different names\n"
        )
    # The crawl was refused before any request: no run recorded.
    assert sql(tmp_path / "n.db", "SELECT COUNT(*) FROM runs") == [(0,)]


def test_every_run_applies_the_speakers_file_beside_the_sources(tmp_path: Path) -> None:
    (tmp_path / "speakers.toml").write_text(SPLIT_GENERAL_STAFF, encoding="utf-8")
    db = tmp_path / "demo.db"
    result = newsdesk("demo", "--db", str(db), cwd=tmp_path)  # sources.toml here: none
    assert result.returncode == 0, result.stdout + result.stderr
    ids = sql(
        db,
        "SELECT DISTINCT speaker_id FROM statements "
        "WHERE speaker IN ('General Staff', 'General Staff of the Veldanian Armed Forces')",
    )
    assert len(ids) == 2


def test_stats_counts_speakers(demo_db: Path) -> None:
    result = newsdesk("stats", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(demo_db) as conn:
        (speakers,) = conn.execute("SELECT COUNT(*) FROM speakers").fetchone()
    assert speakers > 0
    assert f"speakers     {speakers}" in result.stdout.splitlines()
