"""Merge precision and recall of speaker linking on the linking gold set.

usage: .venv/bin/python -m bench.speaker_links [-v] [--gold tests/gold/speaker_links.toml]

The gold set (tests/gold/speaker_links.toml) names pairs of speaker strings that are, or
are not, one speaker. The strings the linker sees are the gold speakers of the demo gold
files (tests/gold/demo-*.json) and of ../shared/gold-dev (read in place; that set is
skipped when it is missing), one article per file, plus the file's [[mention]] entries.
A pair is predicted "same" when a mention of `a` and another mention of `b` end up in one
speaker. Merge precision = right merges / merges predicted; recall = right merges / pairs
that are the same.
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from crawler.speaker_links import Mention, link
from jobs.evaluate import default_gold_dir, shared_dir

GOLD_FILE = default_gold_dir() / "speaker_links.toml"


@dataclass(frozen=True, slots=True)
class Pair:
    set: str
    a: str
    b: str
    same: bool


@dataclass(slots=True)
class SetScore:
    name: str
    pairs: int = 0
    same: int = 0
    true_merges: int = 0
    false_merges: list[Pair] = field(default_factory=list)
    missed: list[Pair] = field(default_factory=list)

    @property
    def predicted(self) -> int:
        return self.true_merges + len(self.false_merges)

    @property
    def precision(self) -> float:
        return self.true_merges / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_merges / self.same if self.same else 1.0


def _gold_speakers(folder: Path, pattern: str) -> dict[str, list[str]]:
    """Article name -> its gold speaker strings, one article per gold file."""
    articles = {}
    for path in sorted(folder.glob(pattern)):
        data = json.loads(path.read_text(encoding="utf-8"))
        articles[path.stem] = sorted({s["speaker"] for s in data.get("statements", [])})
    return articles


def set_sources() -> dict[str, Path | None]:
    """Where each set's gold speakers come from; None when that folder is not here."""
    gold_dev = shared_dir() / "gold-dev"
    return {
        "demo": default_gold_dir(),
        "gold-dev": gold_dev if gold_dev.is_dir() else None,
    }


def load(path: Path = GOLD_FILE) -> tuple[list[Pair], dict[str, dict[str, list[str]]]]:
    """The pairs, and per available set its articles' speaker strings."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    patterns = {"demo": "demo-*.json", "gold-dev": "*.json"}
    universes: dict[str, dict[str, list[str]]] = {}
    for name, folder in set_sources().items():
        if folder is not None:
            universes[name] = _gold_speakers(folder, patterns[name])
    for entry in data.get("mention", []):
        if entry["set"] in universes:
            universes[entry["set"]].setdefault(entry["article"], []).extend(entry["names"])
    pairs = [Pair(p["set"], p["a"], p["b"], bool(p["same"])) for p in data.get("pair", [])]
    return pairs, universes


def score_set(name: str, pairs: list[Pair], articles: dict[str, list[str]]) -> SetScore:
    ids = {article: i for i, article in enumerate(sorted(articles))}
    mentions = [
        Mention(speaker, ids[article], 1)
        for article, names in articles.items()
        for speaker in names
    ]
    where: dict[str, list[tuple[int, int]]] = defaultdict(list)  # name -> (article, speaker)
    for index, speaker in enumerate(link(mentions)):
        for m in speaker.mentions:
            where[m.name].append((m.article_id, index))
    result = SetScore(name)
    for pair in pairs:
        if pair.a not in where or pair.b not in where:
            missing = pair.a if pair.a not in where else pair.b
            raise ValueError(f"{name}: {missing!r} is in no article of the set")
        merged = any(
            sa == sb and (pair.a != pair.b or aa != ab)
            for aa, sa in where[pair.a]
            for ab, sb in where[pair.b]
        )
        result.pairs += 1
        result.same += pair.same
        if merged and pair.same:
            result.true_merges += 1
        elif merged:
            result.false_merges.append(pair)
        elif pair.same:
            result.missed.append(pair)
    return result


def score(path: Path = GOLD_FILE) -> list[SetScore]:
    """A score per set whose gold speakers are here (gold-dev needs ../shared)."""
    pairs, universes = load(path)
    return [
        score_set(name, [p for p in pairs if p.set == name], universes[name])
        for name in sorted(universes)
    ]


def total(scores: list[SetScore]) -> SetScore:
    result = SetScore("all")
    for s in scores:
        result.pairs += s.pairs
        result.same += s.same
        result.true_merges += s.true_merges
        result.false_merges += s.false_merges
        result.missed += s.missed
    return result


def format_scores(scores: list[SetScore], verbose: bool = False) -> str:
    lines = []
    for s in [*scores, total(scores)]:
        lines.append(
            f"{s.name:9} pairs {s.pairs:3} (same {s.same:2}, not {s.pairs - s.same:2})  "
            f"merges {s.predicted:2}: right {s.true_merges:2}, wrong {len(s.false_merges)}  "
            f"precision {s.precision:.3f}  recall {s.recall:.3f}"
        )
        if verbose and s.name != "all":
            lines += [f"  wrong merge: {p.a!r} ~ {p.b!r}" for p in s.false_merges]
            lines += [f"  missed:      {p.a!r} ~ {p.b!r}" for p in s.missed]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD_FILE)
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="List wrong and missed merges."
    )
    args = parser.parse_args(argv)
    scores = score(args.gold)
    if "gold-dev" not in {s.name for s in scores}:
        print(f"gold-dev skipped: no {shared_dir() / 'gold-dev'}", file=sys.stderr)
    print(format_scores(scores, args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
