"""The sources.toml entry that `newsdesk demo` crawls: the embedded demo site."""

from __future__ import annotations

from crawler.sources import Source
from jobs.demo import SECTIONS


def demo_source(base_url: str) -> Source:
    """Every discovery path of the demo site: RSS, robots.txt -> sitemaps, sections."""
    base = base_url.rstrip("/")
    return Source(
        id="demo",
        name="Demo Front Line (embedded, fictional)",
        feeds=(f"{base}/rss.xml",),
        sitemaps=(f"{base}/robots.txt",),
        sections=tuple(f"{base}/section/{name}/" for name in SECTIONS),
        allowed_domains=("127.0.0.1",),
        article_pattern=r"/news/\d{4}/\d{2}/\d{2}/",
        language="en",
        # The demo's reports have fixed dates; take them all whatever today is.
        backfill_days=0,
        section_pages=10,
        allow_private_network=True,
    )
