"""Is the database usable? Checked before any work, so that bad input fails in one line.

A crawl into a database it cannot write would download pages and throw the articles
away; a `status` on a file that is not SQLite would read as "a run failed". Commands
ask here first and exit 2 with the answer.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

# The first 16 bytes of every SQLite 3 database file (an empty file is a new database).
SQLITE_HEADER = b"SQLite format 3\x00"
# Below this much free space a crawl could store next to nothing before the disk is full.
MIN_FREE_BYTES = 1024 * 1024


def _not_sqlite(path: Path) -> str | None:
    """Why an existing file is not a SQLite database, read from its header alone (the
    file is never opened by SQLite, so it cannot be changed)."""
    with path.open("rb") as f:
        head = f.read(len(SQLITE_HEADER))
    if head and head != SQLITE_HEADER:
        return "not a SQLite database"
    return None


def _someone_elses(path: Path) -> str | None:
    """Why an existing SQLite file belongs to another program: it has tables, but no
    newsdesk schema version and no articles table. Migrating would add ours to it."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
            if not name.startswith("sqlite_")
        ]
    if version == 0 and tables and "articles" not in tables:
        shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
        return f"not a newsdesk database (it has tables {shown}; left untouched)"
    return None


def _free_bytes(folder: Path) -> int:
    stats = os.statvfs(folder)
    return stats.f_bavail * stats.f_frsize


def _companions(path: Path) -> list[Path]:
    return [path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]


def write_problem(db_path: str | Path) -> str | None:
    """Why a crawl cannot write to db_path, or None once a real write succeeded.

    Opens the store (which migrates the schema) and commits a write that changes
    nothing: SQLite opens a read-only or immutable file read-only without a word, and
    only a write tells. A database this creates is removed again when the check fails.
    """
    path = Path(db_path)
    folder = path.parent
    if path.is_dir():
        return "it is a folder"
    if not folder.is_dir():
        return f"folder {folder} does not exist"
    existed = path.exists()
    try:
        # The file system first: SQLite cannot even read a WAL database on a read-only one.
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return f"the file system of {folder} is mounted read-only"
        if not os.access(folder, os.W_OK):  # root passes; the real write below tells
            return f"folder {folder} is not writable (SQLite keeps its journal beside the file)"
        free = _free_bytes(folder)
        if free < MIN_FREE_BYTES:
            return f"the disk is full ({free // 1024} KiB free in {folder})"
        if existed:
            problem = _not_sqlite(path)
            if problem:
                return f"{problem} (left untouched)"
            problem = _someone_elses(path)
            if problem:
                return problem
        from crawler.store import Store  # sqlite-utils: loaded only when a command needs it

        with closing(Store.open(path)) as store:
            version = store.schema_version
            # Rewrites the header page in a committed transaction: a real write to the
            # file (through the WAL) that leaves every row as it was.
            store.db.execute(f"PRAGMA user_version = {version}")
    except (sqlite3.Error, OSError, RuntimeError) as exc:
        # RuntimeError: a schema newer than this newsdesk (Store.migrate).
        if not existed:
            for leftover in _companions(path):
                leftover.unlink(missing_ok=True)
        return str(exc) or type(exc).__name__
    return None


def read_problem(db_path: str | Path, *, newsdesk: bool = True) -> str | None:
    """Why db_path cannot be read as a (newsdesk) database, or None. Opened read-only:
    nothing is created or changed."""
    path = Path(db_path)
    if not path.is_file():
        return f"no database at {path} (run `newsdesk demo` or `newsdesk run` first)"
    try:
        problem = _not_sqlite(path)
        if problem:
            return f"{path} is {problem}"
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            found = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles'"
            ).fetchone()
    except (sqlite3.Error, OSError) as exc:
        return f"cannot read {path}: {exc}"
    if newsdesk and not found:
        return f"{path} is not a newsdesk database (it has no articles table)"
    return None
