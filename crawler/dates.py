"""Dates found in feeds and sitemaps, and the backfill cut-off they are held against."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime


def parse_listing_date(text: str | None) -> datetime | None:
    """A feed/sitemap date (RFC 822 as in RSS, or ISO 8601) as an aware datetime."""
    if not text or not text.strip():
        return None
    text = text.strip()
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


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
