"""robots.txt read as RFC 9309 asks where Scrapy's middleware is more lenient.

Scrapy's RobotsTxtMiddleware treats a robots.txt it could not download (a network error
or a timeout, after the retries) and one answered with a server error (5xx) as "no rules":
every page of the host is then allowed. RFC 9309 (section 2.3.1.4) says the opposite: the
rules are unknown, so the crawler must assume complete disallow. newsdesk follows the RFC,
for the rest of the run: each page it does not fetch is a `fetches` row whose outcome says
what made the rules unknown (`http_error` for a 5xx, `network_error` for no answer) and
whose reason says that robots.txt was unreachable; the log says why once per host. A
robots.txt that does not exist (4xx) still allows everything, as the RFC says.

This matters most when nobody is watching: a site whose robots.txt times out under load
would otherwise be crawled in full, including what it forbids.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class UnreachableRobots:
    """The rules of a host whose robots.txt could not be read: nothing is allowed."""

    why: str  # "HTTP 503", "TimeoutError: ..."

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


class Rfc9309RobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, but an unreachable robots.txt disallows all."""

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):
            # Refused by another middleware (a stop, a private address): Scrapy's way.
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        self._unreachable(netloc, f"{type(exc).__name__}: {detail}".rstrip(": "))

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._stats.inc_value("robotstxt/response_count")
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._unreachable(netloc, f"HTTP {response.status}")
            return
        await super()._parse_robots(response, netloc, request)

    def _unreachable(self, netloc: str, why: str) -> None:
        logger.warning(
            "robots.txt of %s unreachable (%s): nothing more is fetched from it in this run"
            " (RFC 9309 asks crawlers to assume complete disallow)",
            netloc,
            why,
        )
        waiting = self._parsers[netloc]
        self._parsers[netloc] = rules = UnreachableRobots(why)
        waiting.callback(rules)  # type: ignore[union-attr]

    def process_request_2(self, rp: object, request: Request) -> None:
        if isinstance(rp, UnreachableRobots):
            self._stats.inc_value("robotstxt/forbidden")
            raise IgnoreRequest(f"robots.txt unreachable ({rp.why}), so not fetched (RFC 9309)")
        super().process_request_2(rp, request)  # type: ignore[arg-type]
