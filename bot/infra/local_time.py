"""Local dates and midnights for people whose time zone may be unset or stale."""

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


def local_midnight(now: dt.datetime, name: str | None) -> dt.datetime:
    """The start of `now`'s local day in that time zone."""
    tz = zone_or_utc(name)
    return dt.datetime.combine(now.astimezone(tz).date(), dt.time(), tzinfo=tz)
