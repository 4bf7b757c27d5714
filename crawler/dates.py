"""Dates found in feeds, sitemaps and HTTP headers, and the backfill cut-off."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def parse_http_date(text: str) -> datetime | None:
    """An RFC 822 / HTTP date (RSS pubDate, Retry-After) as an aware datetime."""
    try:
        return _aware(parsedate_to_datetime(text.strip()))
    except (TypeError, ValueError, IndexError):
        return None


def parse_listing_date(text: str | None) -> datetime | None:
    """A feed/sitemap date (RFC 822 as in RSS, or ISO 8601) as an aware datetime."""
    if not text or not text.strip():
        return None
    try:
        return _aware(datetime.fromisoformat(text.strip()))
    except ValueError:
        return parse_http_date(text)


def entry_date(text: str | None) -> str | None:
    """A feed/sitemap entry's date as ISO 8601: a date stays a date ("2026-11-20"), a
    date-time keeps its offset; None when missing or unparsable."""
    if not text or not text.strip():
        return None
    text = text.strip()
    if len(text) == 10:
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    moment = parse_listing_date(text)
    return moment.isoformat(timespec="seconds") if moment else None


def backfill_cutoff(days: int, now: datetime | None = None) -> datetime | None:
    """Entries dated before this are skipped; None when every entry is taken (days=0)."""
    if days <= 0:
        return None
    return (now or datetime.now(UTC)) - timedelta(days=days)


def is_too_old(date_text: str | None, cutoff: datetime | None) -> bool:
    """An entry without a (parsable) date is taken, as the sources file documents."""
    if cutoff is None:
        return False
    date = parse_listing_date(date_text)
    return date is not None and date < cutoff
