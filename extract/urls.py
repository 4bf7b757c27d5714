"""URL canonicalisation: the key under which an article is known across runs."""

from __future__ import annotations

from urllib.parse import urldefrag, urlsplit

from courlan import normalize_url


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
