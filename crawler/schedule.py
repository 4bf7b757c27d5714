"""Cron expressions of sources.toml, parsed into APScheduler triggers.

Five fields (minute hour day month day-of-week) as in crontab, or six with a
leading seconds field so tests can schedule every few seconds, or one of cron's
`@` aliases (`@hourly`, `@daily`, ...).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from apscheduler.triggers.cron import CronTrigger

# APScheduler 3.x counts weekdays from Monday=0; crontab from Sunday=0 (7 too).
# Names are unambiguous in both, so numbers are rewritten as names.
_CRON_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")

# The aliases of Vixie cron and cronie, as users write them in a crontab.
CRON_ALIASES = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}


def _weekday_names(field: str) -> str:
    def name(match: re.Match[str]) -> str:
        number = int(match.group(0))
        if number > 7:
            raise ValueError(f"day of week {number} is out of range 0-7")
        return _CRON_WEEKDAYS[number]

    # Steps ("*/2") keep their number: only list and range members are days.
    return re.sub(r"(?<![/\d])\d+", name, field)


def cron_trigger(expression: str, timezone: str = "UTC") -> CronTrigger:
    """A CronTrigger for a 5- or 6-field cron expression or an alias; ValueError when
    invalid."""
    alias = expression.strip().lower()
    if alias.startswith("@"):
        if alias not in CRON_ALIASES:
            known = ", ".join(CRON_ALIASES)
            raise ValueError(f"unknown alias {expression.strip()!r} (known: {known})")
        expression = CRON_ALIASES[alias]
    fields = expression.split()
    if len(fields) not in (5, 6):
        raise ValueError(f"expected 5 or 6 fields, got {len(fields)}")
    second = fields.pop(0) if len(fields) == 6 else "0"
    minute, hour, day, month, day_of_week = fields
    return CronTrigger(
        second=second,
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_weekday_names(day_of_week),
        timezone=timezone,
    )


def schedule_problem(expression: str, timezone: str = "UTC") -> str | None:
    """Why a schedule cannot be used (a bad expression, or one that never fires), or None."""
    try:
        trigger = cron_trigger(expression, timezone)
    except Exception as exc:  # APScheduler raises ValueError, zoneinfo its own errors
        return f"bad cron expression or timezone: {exc}"
    # A valid expression may still name a date that does not exist ("0 0 31 2 *"):
    # APScheduler then finds no fire time before the year 9999.
    if trigger.get_next_fire_time(None, datetime.now(UTC)) is None:
        return f"{expression!r} never fires (no such date)"
    return None
