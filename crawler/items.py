"""What travels from the spider through the pipelines to the store."""

from __future__ import annotations

from dataclasses import dataclass

from extract.records import Extraction


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A downloaded candidate article, not yet extracted."""

    source: str
    url: str  # canonical form of the URL that was requested
    final_url: str  # after redirects
    status: int
    body: bytes
    # The Content-Type header: its charset is a hint for extract.article.decode_html,
    # which decodes the body itself (Scrapy's response.encoding would decode it here too).
    content_type: str
    # The date of the feed or sitemap entry that listed the page (ISO 8601), if any:
    # evidence of when it was published when the page itself says nothing.
    listed_date: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """A page the extractor turned into an article with statements and figures."""

    source: str
    url: str
    final_url: str
    extraction: Extraction


@dataclass(frozen=True, slots=True)
class FetchFailure:
    """Any request outcome that is not a stored article: recorded in `fetches`."""

    source: str
    url: str
    outcome: str  # http_error, network_error, robots, refused, not_article, too_big...
    reason: str
    status: int | None = None
