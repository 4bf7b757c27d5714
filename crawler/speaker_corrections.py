"""speakers.toml: the analysts' corrections to speaker linking, read and validated.

The file sits beside sources.toml. A missing file means no corrections; a file with
problems is refused whole (every problem on a line of its own), so a typo never silently
undoes an analyst's merge.

    [[merge]]                      # these names are one speaker
    names = ["Volodymyr Zelensky", "Volodymyr Zelenskyy"]
    name = "Volodymyr Zelenskyy"   # optional: which of them to show

    [[split]]                      # this form is not that speaker
    alias = "Ostrozh"
    speaker = "Yurii Ostrozh"
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path

from crawler.speaker_links import Corrections, Merge, Split

FILE_NAME = "speakers.toml"
_KEYS = {"merge": ("names", "name"), "split": ("alias", "speaker")}


class CorrectionsError(ValueError):
    """A speakers.toml that cannot be used; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def speakers_path(sources_path: str | Path) -> Path:
    """Where the corrections file of a sources file lives: beside it."""
    return Path(sources_path).parent / FILE_NAME


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _unknown(where: str, key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"
    return f"{where}: unknown key {key!r} ({hint})"


def parse_corrections(data: dict, label: str = FILE_NAME) -> Corrections:
    problems: list[str] = []
    for key in data:
        if key not in _KEYS:
            problems.append(_unknown(f"{label}: top level", key, ("merge", "split")))
    merges, splits = [], []
    for table in ("merge", "split"):
        entries = data.get(table, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            problems.append(f"{label}: {table}: expected [[{table}]] tables")
            continue
        for n, entry in enumerate(entries, start=1):
            where = f"{label}: {table} {n}"
            problems += [_unknown(where, k, _KEYS[table]) for k in entry if k not in _KEYS[table]]
            if table == "merge":
                names = entry.get("names")
                ok = isinstance(names, list) and all(_text(x) for x in names)
                if not ok or len({_text(x) for x in names}) < 2:
                    problems.append(f"{where}: 'names' must list at least two different names")
                    continue
                shown = entry.get("name")
                if shown is not None and _text(shown) not in {_text(x) for x in names}:
                    problems.append(f"{where}: 'name' must be one of 'names'")
                    continue
                merges.append(Merge(tuple(_text(x) for x in names), _text(shown)))
            else:
                alias, speaker = _text(entry.get("alias")), _text(entry.get("speaker"))
                if not alias or not speaker:
                    problems.append(f"{where}: needs 'alias' and 'speaker' (non-empty strings)")
                    continue
                splits.append(Split(alias, speaker))
    if problems:
        raise CorrectionsError(problems)
    return Corrections(tuple(merges), tuple(splits))


def load_corrections(path: str | Path | None) -> Corrections:
    """The corrections in `path`; none when there is no such file."""
    if path is None:
        return Corrections()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Corrections()
    except (OSError, UnicodeDecodeError) as exc:
        raise CorrectionsError([f"{path}: cannot read: {exc}"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CorrectionsError([f"{path}: not valid TOML: {exc}"]) from None
    return parse_corrections(data, str(path))
