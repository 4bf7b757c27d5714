"""Made-up news pages for tests of URLs and dates: our own text, one report per town."""

from __future__ import annotations

TOWNS = ("Varnek", "Oldmere", "Tessin", "Brakov", "Lindholt", "Sorrow Bay", "Kelmar")


def story(town: str) -> list[str]:
    """Three paragraphs of a made-up local report, different for every town."""
    return [
        f"The council of {town} voted on Tuesday to reopen the old river ferry, which "
        f"stopped running four years ago when its landing stage in {town} collapsed.",
        f"Residents of {town} had collected more than 2,000 signatures for the ferry, the "
        "council's transport officer said, adding that repairs would take six weeks.",
        f"A spokesman for the {town} harbour office said the first crossings would carry "
        "foot passengers only, and that cars would follow once the ramp was rebuilt.",
    ]


def page(
    town: str,
    *,
    canonical: str | None = None,
    og_url: str | None = None,
    dated: bool = True,
    paragraphs: list[str] | None = None,
) -> bytes:
    head = f"<title>{town} reopens its ferry | Riverside Courier</title>"
    if canonical is not None:
        head += f'<link rel="canonical" href="{canonical}">'
    if og_url is not None:
        head += f'<meta property="og:url" content="{og_url}">'
    if dated:
        head += (
            '<meta property="og:type" content="article">'
            '<meta property="article:published_time" content="2026-11-20T09:00:00+00:00">'
        )
    body = "".join(f"<p>{p}</p>" for p in paragraphs or story(town))
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">{head}</head><body>'
        f'<nav><a href="/">Home</a> <a href="/news/">News</a></nav>'
        f"<main><article><h1>{town} reopens its ferry</h1>{body}</article></main>"
        "<footer><p>Riverside Courier</p></footer></body></html>"
    ).encode()
