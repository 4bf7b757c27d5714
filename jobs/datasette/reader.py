"""The article reader: an article body as HTML paragraphs with statements and figures marked.

Pure functions over the stored rows, so the markup is tested without a server. Every
statement and every figure gets exactly one element with class `statement` / `figure`
(and an id the lists below the body link to). Where marks overlap without nesting (a
figure that starts inside a quote and ends after it) or a mark runs over a paragraph
break, the rest of it is a second element of class `statement-cont` / `figure-cont`, so
the count of `statement` and `figure` elements is always that of the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True, slots=True)
class Mark:
    """One stretch of the body to mark: a statement's quote or a figure's words."""

    kind: str  # "statement" or "figure"
    row_id: int
    start: int
    end: int
    title: str  # the tooltip
    data: tuple[tuple[str, str], ...] = ()  # data-* attributes

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.row_id}"


def statement_mark(row: dict) -> Mark | None:
    """The mark of a statements row; None when its offsets are missing."""
    if row.get("start") is None or row.get("end") is None:
        return None
    speaker = row.get("speaker") or "unknown speaker"
    role = f" ({row['speaker_role']})" if row.get("speaker_role") else ""
    cue = f", cue: {row['cue']}" if row.get("cue") else ""
    return Mark(
        "statement",
        row["id"],
        row["start"],
        row["end"],
        title=f"{speaker}{role}: {row.get('kind') or ''}{cue}",
        data=(
            ("speaker", speaker),
            ("kind", row.get("kind") or ""),
            ("cue", row.get("cue") or ""),
        ),
    )


BOUNDS = {"at_least": "at least ", "at_most": "at most ", "about": "about "}


def value_text(row: dict) -> str:
    """The value with its bound and range: "about 20", "3–5", "at least 1,000"."""
    value = format_number(row["value"])
    if row.get("value_max") is not None:
        value += f"–{format_number(row['value_max'])}"
    return BOUNDS.get(row.get("bound") or "", "") + value


def describe_figure(row: dict) -> str:
    """A figure in words: "47 enemy attacks repelled · where: Kestrivka · period: over the
    past day"."""
    parts = [
        value_text(row),
        row.get("unit") or "",
        row.get("object") or "",
        row.get("action") or "",
    ]
    text = " ".join(p for p in parts if p)
    if row.get("location"):
        text += f" · where: {row['location']}"
    if row.get("period"):
        text += f" · period: {row['period']}"
    return text


def figure_mark(row: dict) -> Mark | None:
    if row.get("start") is None or row.get("end") is None:
        return None
    return Mark(
        "figure",
        row["id"],
        row["start"],
        row["end"],
        title=describe_figure(row),
        data=(("object", row.get("object") or ""), ("value", format_number(row["value"]))),
    )


def format_number(value: float | int | None) -> str:
    """58.0 -> "58", 0.5 -> "0.5", 1100 -> "1,100"."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


def _open_tag(mark: Mark, first: bool) -> str:
    if not first:
        return f'<span class="{mark.kind}-cont" data-of="{mark.anchor}">'
    data = "".join(f' data-{k}="{escape(v)}"' for k, v in mark.data)
    return (
        f'<span class="{mark.kind}" id="{mark.anchor}" title="{escape(mark.title)}"'
        f' tabindex="0"{data}>'
    )


def render_body(body: str, marks: list[Mark]) -> str:
    """The body as <p> paragraphs (split on blank lines), with every mark as a span.

    Between two boundaries (a mark's start or end, a paragraph break) the set of open
    marks is constant; the spans open there are kept when the next stretch still needs
    them and closed (and reopened as a continuation) otherwise, so the HTML nests.
    """
    marks = [m for m in marks if 0 <= m.start < m.end <= len(body)]
    # Outer marks first: earlier start, then longer; a statement holds its figures.
    order = {id(m): i for i, m in enumerate(sorted(marks, key=_nesting_key))}
    paragraphs = _paragraph_spans(body)
    points = sorted(
        {0, len(body)}
        | {m.start for m in marks}
        | {m.end for m in marks}
        | {p for span in paragraphs for p in span}
    )
    opened: set[int] = set()
    html: list[str] = []
    for para_start, para_end in paragraphs:
        html.append("<p>")
        stack: list[Mark] = []
        cuts = [p for p in points if para_start <= p <= para_end]
        for a, b in zip(cuts, cuts[1:], strict=False):
            active = sorted(
                (m for m in marks if m.start <= a and m.end >= b), key=lambda m: order[id(m)]
            )
            keep = 0
            while keep < min(len(stack), len(active)) and stack[keep] is active[keep]:
                keep += 1
            html.extend("</span>" for _ in stack[keep:])
            for mark in active[keep:]:
                html.append(_open_tag(mark, first=id(mark) not in opened))
                opened.add(id(mark))
            stack = active
            html.append(escape(body[a:b], quote=False))
        html.extend("</span>" for _ in stack)
        html.append("</p>")
    return "\n".join(_join_paragraphs(html))


def _nesting_key(mark: Mark) -> tuple[int, int, int]:
    return (mark.start, -mark.end, 0 if mark.kind == "statement" else 1)


def _paragraph_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines, without the breaks."""
    spans, pos = [], 0
    for part in body.split("\n\n"):
        stripped = part.strip()
        if stripped:
            start = pos + part.index(stripped)
            spans.append((start, start + len(stripped)))
        pos += len(part) + 2
    return spans


def _join_paragraphs(pieces: list[str]) -> list[str]:
    out, current = [], []
    for piece in pieces:
        current.append(piece)
        if piece == "</p>":
            out.append("".join(current))
            current = []
    return out
