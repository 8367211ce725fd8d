"""When a rep's check-ins fall: their days, their local time, their time zone.

Slots are instants in UTC computed from the rep's local wall-clock time, so a
09:30 check-in stays at 09:30 local across daylight-saving changes. A local time
that does not exist (the spring-forward gap) moves forward by the gap.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK_TIME = re.compile(r"^\d{1,2}:\d{2}$")


class ScheduleError(ValueError):
    """A schedule setting is malformed; the message says what is accepted."""


def parse_days(text: str) -> frozenset[int]:
    """'mon,wed,fri' -> {0, 2, 4}; ranges like 'mon-fri' work too."""
    days: set[int] = set()
    for piece in filter(None, (part.strip().lower() for part in text.split(","))):
        start, dash, end = piece.partition("-")
        first = _weekday(start)
        last = _weekday(end) if dash else first
        if last < first:
            raise ScheduleError(f"day range {piece!r} runs backwards: write it as mon-fri")
        days.update(range(first, last + 1))
    return frozenset(days)


def _weekday(word: str) -> int:
    key = word.strip()[:3]
    if key not in WEEKDAYS:
        raise ScheduleError(f"unknown day {word!r}: use mon, tue, wed, thu, fri, sat, sun")
    return WEEKDAYS.index(key)


def parse_time(text: str) -> dt.time:
    try:
        return dt.time.fromisoformat(text.strip())
    except ValueError:
        raise ScheduleError(f"bad time {text!r}: use HH:MM, e.g. 09:30") from None


def parse_rhythm(text: str) -> tuple[str | None, str | None]:
    """'mon,thu 08:30' -> the days and the time as typed, either may be absent; raises
    ScheduleError for a day or time it cannot read."""
    days, time = None, None
    for word in text.split():
        if _CLOCK_TIME.match(word):
            time = parse_time(word).strftime("%H:%M")
        else:
            parse_days(word)
            days = word.lower()
    return days, time


def days_text(days: frozenset[int]) -> str:
    """'mon, thu', or 'no days'."""
    return ", ".join(WEEKDAYS[day] for day in sorted(days)) or "no days"


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(
            f"unknown time zone {name!r}: use an IANA name like Europe/Berlin"
        ) from None


@dataclass(frozen=True, slots=True)
class CheckinSchedule:
    """Check-in days (weekday numbers, Monday = 0), local time and time zone."""

    days: frozenset[int]
    at: dt.time
    timezone: str

    def slot_on(self, day: dt.date) -> dt.datetime:
        """The UTC instant of the check-in on a local calendar day."""
        local = dt.datetime.combine(day, self.at, tzinfo=zone(self.timezone))
        return local.astimezone(dt.UTC)

    def local_date(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(zone(self.timezone)).date()

    def latest_slot(self, now: dt.datetime, within: dt.timedelta) -> dt.datetime | None:
        """The newest slot in (now - within, now], if any: a check-in due now."""
        today = self.local_date(now)
        for back in range(0, within.days + 2):
            day = today - dt.timedelta(days=back)
            if day.weekday() not in self.days:
                continue
            slot = self.slot_on(day)
            if slot <= now:
                return slot if now - slot < within else None
        return None

    def next_slot(self, after: dt.datetime) -> dt.datetime | None:
        """The first slot strictly after `after` (None when the schedule has no days)."""
        if not self.days:
            return None
        today = self.local_date(after)
        for ahead in range(0, 9):
            day = today + dt.timedelta(days=ahead)
            if day.weekday() in self.days and self.slot_on(day) > after:
                return self.slot_on(day)
        return None
