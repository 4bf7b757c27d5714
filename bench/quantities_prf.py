"""Value precision, recall and F1 of the number parser on quantulum3's public test sentences.

usage: .venv/bin/python -m bench.quantities_prf [-v] [--corpus ../shared/corpus]

Reads ../shared/corpus/quantities/quantulum3/{quantities,quantities.ambiguity}.json in
place (never copied). Every number `extract.numbers.find_quantities` finds in a sentence is
a prediction; every expected quantity is gold. A prediction matches an unmatched gold
quantity whose text it overlaps when the values agree (for a range, its mid-point, which
is how quantulum3 writes ranges). Unlike tests/test_quantities_corpus.py nothing is
filtered out, so scientific notation, clock times and identifiers all count: the parser
alone does not drop what extract.figures later drops as "not a figure".
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from extract.numbers import Quantity, find_quantities

FILES = ("quantities.json", "quantities.ambiguity.json")


def _agrees(q: Quantity, value: float) -> bool:
    def close(a: float, b: float) -> bool:
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)

    mid = (q.value + q.value_max) / 2 if q.value_max is not None else None
    return close(q.value, value) or (mid is not None and close(mid, value))


def score(folder: Path, verbose: bool = False) -> tuple[int, int, int]:
    """(gold quantities, predicted numbers, matched pairs) over both files."""
    gold_n = pred_n = matched = 0
    for name in FILES:
        for case in json.loads((folder / name).read_text(encoding="utf-8")):
            text, found = case["req"], find_quantities(case["req"])
            gold_n, pred_n = gold_n + len(case["res"]), pred_n + len(found)
            used: set[int] = set()
            for expected in case["res"]:
                start = text.find(expected["surface"])
                end = start + len(expected["surface"])
                hit = next(
                    (
                        i
                        for i, q in enumerate(found)
                        if i not in used
                        and (start < 0 or (q.start < end and start < q.end))
                        and _agrees(q, float(expected["value"]))
                    ),
                    None,
                )
                if hit is None:
                    if verbose:
                        print(f"missed {expected['value']} {expected['surface']!r} | {text}")
                    continue
                used.add(hit)
                matched += 1
            if verbose:
                for i, q in enumerate(found):
                    if i not in used:
                        print(f"extra  {q.value} {text[q.start : q.end]!r} | {text}")
    return gold_n, pred_n, matched


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", action="store_true", help="list every miss and extra")
    ap.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    args = ap.parse_args(argv)
    folder = args.corpus / "quantities" / "quantulum3"
    if not folder.is_dir():
        print(f"quantities_prf: {folder} not found (pass --corpus)", file=sys.stderr)
        return 1
    gold_n, pred_n, matched = score(folder, args.v)
    p, r = matched / max(pred_n, 1), matched / max(gold_n, 1)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(
        f"quantulum3 values: P {p:.3f} R {r:.3f} F1 {f1:.3f}"
        f" (gold {gold_n}, predicted {pred_n}, matched {matched})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
