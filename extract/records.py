"""Typed records produced by the extractors (see docs/extraction.md for every field)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

StatementKind = Literal["direct", "indirect"]
Bound = Literal["exact", "at_least", "at_most", "about"]


def _flat_dict(record: Any) -> dict[str, Any]:
    """Field name -> value of a record of plain values (dataclasses.asdict deep-copies every
    value, a quarter of the time of storing an article)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned news article (extraction-spec section 1)."""

    url: str
    title: str | None
    authors: tuple[str, ...]
    published: str | None
    language: str | None
    body: str
    cited_sources: tuple[str, ...]
    body_sha256: str
    site_name: str | None = None
    description: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = _flat_dict(self)
        data["authors"] = list(self.authors)
        data["cited_sources"] = list(self.cited_sources)
        return data


@dataclass(frozen=True, slots=True)
class Statement:
    """Speech or writing the article attributes to someone (spec section 2).

    `start`/`end` are character offsets of `quote` in the article body.
    """

    speaker: str
    speaker_role: str | None
    quote: str
    kind: StatementKind
    cue: str | None
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return _flat_dict(self)


@dataclass(frozen=True, slots=True)
class Figure:
    """A number that counts or measures something (spec section 3).

    `statement` is the index of the enclosing statement in the article's
    statement list, or None when the figure is not inside a statement.
    """

    value: float
    value_max: float | None
    bound: Bound
    unit: str | None
    object: str | None
    action: str | None
    location: str | None
    period: str | None
    text: str
    start: int
    end: int
    statement: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return _flat_dict(self)


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one page."""

    article: Article
    statements: tuple[Statement, ...] = field(default_factory=tuple)
    figures: tuple[Figure, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(),
            "statements": [s.to_dict() for s in self.statements],
            "figures": [f.to_dict() for f in self.figures],
        }
