"""Shared fixtures: where the read-only corpus lives, and skips when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """../shared beside the checkout (or NEWSDESK_SHARED); absent on a user's machine."""
    return Path(os.environ.get("NEWSDESK_SHARED", REPO_ROOT.parent / "shared"))


def corpus_dir() -> Path:
    return shared_dir() / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    path = corpus_dir()
    if not (path / "index.csv").exists():
        pytest.skip(f"news corpus not found at {path} (it ships only beside the dev checkout)")
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    path = shared_dir() / "seeds" / "censor-net-2023-11-27-kupiansk.txt"
    if not path.exists():
        pytest.skip(f"seed article not found at {path} (it ships only beside the dev checkout)")
    return path
