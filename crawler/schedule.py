"""Cron expressions of sources.toml, parsed into APScheduler triggers.

Five fields (minute hour day month day-of-week) as in crontab, or six with a
leading seconds field so tests can schedule every few seconds.
"""

from __future__ import annotations

import re

from apscheduler.triggers.cron import CronTrigger

# APScheduler 3.x counts weekdays from Monday=0; crontab from Sunday=0 (7 too).
# Names are unambiguous in both, so numbers are rewritten as names.
_CRON_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekday_names(field: str) -> str:
    def name(match: re.Match[str]) -> str:
        number = int(match.group(0))
        if number > 7:
            raise ValueError(f"day of week {number} is out of range 0-7")
        return _CRON_WEEKDAYS[number]

    # Steps ("*/2") keep their number: only list and range members are days.
    return re.sub(r"(?<![/\d])\d+", name, field)


def cron_trigger(expression: str, timezone: str = "UTC") -> CronTrigger:
    """A CronTrigger for a 5- or 6-field cron expression; ValueError when invalid."""
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
