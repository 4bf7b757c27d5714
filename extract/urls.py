"""URL canonicalisation: the key under which an article is known across runs."""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

from courlan import is_navigation_page, is_not_crawlable, normalize_url
from courlan.filters import INDEX_PAGE_FILTER, type_filter


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, tracking parameters (utm_*, fbclid...) and fragment dropped.

    courlan does the normalisation; it keeps fragments, which never name a different
    article, so they are dropped here.
    """
    try:
        normalized = normalize_url(url.strip())
    except ValueError:
        normalized = url.strip()
    return urldefrag(normalized)[0]


def registered_host(url: str) -> str:
    """Host without "www." and port, for same-site comparisons."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def same_site(url: str, other: str) -> bool:
    """True when both URLs are on one host (ignoring "www." and the scheme)."""
    a, b = registered_host(url), registered_host(other)
    return bool(a) and (a == b or a.endswith("." + b) or b.endswith("." + a))


def is_home_page(url: str) -> bool:
    """The site root or an index page ("/index.html", "/home"), without a query."""
    parts = urlsplit(url)
    if parts.query:
        return False
    return parts.path in ("", "/") or bool(INDEX_PAGE_FILTER.match(parts.path))


def looks_like_navigation(url: str) -> bool:
    """courlan's tests for pages that are not content: tags, categories, authors,
    archives, /page/2, search, feeds, login, contact and imprint pages."""
    return is_navigation_page(url) or is_not_crawlable(url) or not type_filter(url)


# What a page's own URL may add below a canonical URL that is its parent path and still
# be the same article: AMP, print and page variants ("/story/amp", "/story/print.html",
# "/story/slide/2"). A longer segment is an article under its section ("/politics/" for
# "/politics/talks-resume-123", "/news/" for "/news/38853"): that canonical names the
# section, not the article.
_VARIANT_SEGMENT = re.compile(r"^(?:[a-z]{1,6}|\d{1,3})(?:\.[a-z]{3,5})?$", re.IGNORECASE)


def _segments(url: str) -> list[str]:
    return [s for s in urlsplit(url).path.split("/") if s and s != "."]


def is_section_of(candidate: str, page: str) -> bool:
    """True when `candidate` is a parent path of `page` other than a variant's article."""
    parent, child = _segments(candidate), _segments(page)
    if len(parent) >= len(child) or child[: len(parent)] != parent:
        return False
    return not all(_VARIANT_SEGMENT.match(segment) for segment in child[len(parent) :])


def trusted_canonical(candidate: str | None, fetched: str | None) -> bool:
    """Whether a page's canonical link (or og:url) may name the article the page holds.

    Templates get it wrong: canonical links to the home page, to a section, to another
    host. Only a plausible article URL of the same site is trusted: http(s); not the home
    page; not a navigation page by courlan's tests (unless the fetched URL is one by the
    same tests: some sites file every article under /topics/); not a parent path of the
    fetched URL, AMP and print variants excepted. Without a fetched URL, only the tests
    of the candidate alone apply. One canonical URL shared by many different articles
    cannot be seen on one page: the store keeps those apart (`Store.add_article`).
    """
    if not candidate or urlsplit(candidate).scheme not in ("http", "https"):
        return False
    if is_home_page(candidate):
        return False
    if fetched is None:
        return not looks_like_navigation(candidate)
    if not same_site(candidate, fetched) or is_section_of(candidate, fetched):
        return False
    return not looks_like_navigation(candidate) or looks_like_navigation(fetched)
