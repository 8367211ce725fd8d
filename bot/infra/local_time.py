"""A person's local date and midnight: what "today", "tomorrow" and "next Friday" mean
to them. Every use case reads local time here; a zone that is missing or unknown is
read as UTC rather than stopping the work."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from coaching.schedule import ScheduleError, zone


def zone_or_utc(name: str | None) -> ZoneInfo:
    """The named time zone, or UTC when it is missing or unknown."""
    try:
        return zone(name or "UTC")
    except ScheduleError:
        return ZoneInfo("UTC")


def local_date(moment: dt.datetime, name: str | None) -> dt.date:
    """The date it is at `moment` in that time zone."""
    return moment.astimezone(zone_or_utc(name)).date()


def day_start(day: dt.date, name: str | None) -> dt.datetime:
    """Midnight at the start of `day` in that time zone."""
    return dt.datetime.combine(day, dt.time(), tzinfo=zone_or_utc(name))


def local_midnight(now: dt.datetime, name: str | None) -> dt.datetime:
    """The start of `now`'s local day in that time zone."""
    return day_start(local_date(now, name), name)
