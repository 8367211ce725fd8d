"""Calendar arithmetic for reading dates: months, weeks, weekdays and fiscal periods.

A fiscal year is named after the calendar year it ends in (with a year starting in
April, FY2027 runs from April 2026 to March 2027); with a January start it is the
calendar year.
"""

from __future__ import annotations

import calendar
import datetime as dt

RECENT_PAST_DAYS = 14


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def friday_of_week(day: dt.date, weeks: int = 0) -> dt.date:
    """The Friday of `day`'s Monday-Sunday week, `weeks` weeks later."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday + dt.timedelta(days=4 + 7 * weeks)


def next_weekday(today: dt.date, weekday: int) -> dt.date:
    """The first such weekday after today (a Monday asks for next Monday on a Monday)."""
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 or 7)


def weekday_next_week(today: dt.date, weekday: int) -> dt.date:
    """That weekday in next calendar week ('next Friday')."""
    monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7)
    return monday + dt.timedelta(days=weekday)


def previous_weekday(today: dt.date, weekday: int) -> dt.date:
    return today - dt.timedelta(days=(today.weekday() - weekday) % 7 or 7)


def upcoming_day_of_month(
    today: dt.date, day: int, *, weekday: int | None = None, month: int | None = None
) -> dt.date | None:
    """The first date from today on with this day of the month (and weekday, and month,
    when given), within about a year; None when no date fits them all."""
    for offset in range(14):
        first = add_months(today.replace(day=1), offset)
        candidate = safe_date(first.year, first.month, day)
        if candidate is None or candidate < today:
            continue
        if weekday is not None and candidate.weekday() != weekday:
            continue
        if month is not None and candidate.month != month:
            continue
        return candidate
    return None


def without_year(today: dt.date, month: int, day: int) -> tuple[dt.date | None, bool]:
    """A day and month with no year: this year's, unless it passed more than two weeks
    ago (then next year's). The flag says the date is in the recent past."""
    candidate = safe_date(today.year, month, day)
    if candidate is None:
        return safe_date(today.year + 1, month, day), False
    if candidate >= today:
        return candidate, False
    if (today - candidate).days <= RECENT_PAST_DAYS:
        return candidate, True
    return safe_date(today.year + 1, month, day), False


def month_without_year(today: dt.date, month: int, day: int | None) -> dt.date:
    """A month (and a day in it, or its last day) in its next occurrence."""
    year = today.year
    end = month_end(year, month)
    if end < today:
        year += 1
    return (
        dt.date(year, month, min(day, month_end(year, month).day))
        if day
        else month_end(year, month)
    )


class FiscalCalendar:
    """Fiscal years starting on the first day of `start_month`."""

    def __init__(self, start_month: int = 1) -> None:
        if not 1 <= start_month <= 12:
            raise ValueError(f"a fiscal year starts in month 1 to 12, not {start_month}")
        self.start_month = start_month

    def year_of(self, day: dt.date) -> int:
        """The fiscal year (named after the calendar year it ends in) a date falls in."""
        if self.start_month == 1:
            return day.year
        return day.year + 1 if day.month >= self.start_month else day.year

    def year_start(self, year: int) -> dt.date:
        return dt.date(year if self.start_month == 1 else year - 1, self.start_month, 1)

    def year_end(self, year: int) -> dt.date:
        return self.year_start(year + 1) - dt.timedelta(days=1)

    def quarter_end(self, year: int, quarter: int) -> dt.date:
        return add_months(self.year_start(year), 3 * quarter) - dt.timedelta(days=1)

    def half_end(self, year: int, half: int) -> dt.date:
        return add_months(self.year_start(year), 6 * half) - dt.timedelta(days=1)

    def quarter_of(self, day: dt.date) -> tuple[int, int]:
        """(fiscal year, quarter 1-4) of a date."""
        year = self.year_of(day)
        start = self.year_start(year)
        months = (day.year - start.year) * 12 + day.month - start.month
        return year, months // 3 + 1

    def upcoming_quarter_end(self, today: dt.date, quarter: int) -> dt.date:
        """The end of the next quarter with that number that has not ended yet."""
        year = self.year_of(today)
        end = self.quarter_end(year, quarter)
        return end if end >= today else self.quarter_end(year + 1, quarter)

    def upcoming_half_end(self, today: dt.date, half: int) -> dt.date:
        year = self.year_of(today)
        end = self.half_end(year, half)
        return end if end >= today else self.half_end(year + 1, half)

    def quarter_after(self, today: dt.date, quarters: int) -> dt.date:
        """The end of the quarter `quarters` after the current one (0: this quarter)."""
        year, quarter = self.quarter_of(today)
        index = quarter - 1 + quarters
        return self.quarter_end(year + index // 4, index % 4 + 1)
