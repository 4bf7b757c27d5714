"""`newsdesk sources --check`: is each configured start URL reachable and of the right kind?"""

from __future__ import annotations

import urllib.error
import urllib.request

from crawler.settings import USER_AGENT


def check_url(url: str, timeout: float = 15.0) -> tuple[bool, str]:
    """(ok, message) after one GET of a feed, sitemap or section URL."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            head = response.read(4096)
            content_type = response.headers.get("Content-Type", "?")
            return True, f"HTTP {response.status}, {content_type}, starts {head[:40]!r}"
    except urllib.error.HTTPError as exc:
        return False, f"HTTP {exc.code} {exc.reason}"
    except (urllib.error.URLError, OSError) as exc:
        return False, f"unreachable: {getattr(exc, 'reason', exc)}"
