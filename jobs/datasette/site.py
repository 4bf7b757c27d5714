"""The Datasette instance `newsdesk serve` runs: read-only, with newsdesk's metadata.

The metadata (descriptions, facets, canned queries, the dashboard) is the data file
metadata.yml beside this module; templates/ overrides Datasette's pages (the article
reader, tables that open on the data, a dashboard that says when a chart is empty),
static/ holds their stylesheet and script, and hooks.py feeds them. The database is
mounted as "newsdesk" whatever its file is called, so every URL in the metadata and
the docs holds on every machine.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette
from datasette.database import Database
from datasette.plugins import pm

from jobs.datasette import hooks

DATABASE_NAME = "newsdesk"
DASHBOARD_PATH = f"/-/dashboards/{DATABASE_NAME}"

# Datasette's defaults, spelled out: long enough for facets and FTS over a year of news.
SETTINGS = {"sql_time_limit_ms": 5000, "facet_time_limit_ms": 500, "max_returned_rows": 1000}


class ReadOnlyDatabase(Database):
    """A database every connection of which is opened `mode=ro`, the write one included.

    Datasette already reads a mutable database through `mode=ro` connections, which see
    each commit of a writer in WAL mode and never take a write lock; but it would open
    a read-write connection if a plugin asked to write. Refusing that here means no
    plugin can ever lock out, or write into, the crawler's database. `immutable=1` is not
    an option: it tells SQLite the file never changes, so a running crawler's commits
    would be missed or read as corruption.
    """

    def connect(self, write: bool = False):
        return super().connect(write=False)


def load_metadata() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("metadata.yml").read_text("utf-8")
    return yaml.safe_load(text)


HERE = Path(__file__).parent


def build_datasette(db_path: str | Path) -> Datasette:
    # Datasette's plugin manager is process-wide: register newsdesk's hooks once.
    if not pm.is_registered(hooks):
        pm.register(hooks, name="newsdesk")
    ds = Datasette(
        metadata=load_metadata(),
        settings=SETTINGS,
        template_dir=str(HERE / "templates"),
        static_mounts=[(hooks.ASSETS.strip("/"), str(HERE / "static"))],
    )
    path = str(Path(db_path).resolve())
    ds.add_database(ReadOnlyDatabase(ds, path=path, is_mutable=True), name=DATABASE_NAME)
    # Datasette adds an in-memory database when started without files; it would only
    # clutter the home page.
    ds.remove_database("_memory")
    return ds
