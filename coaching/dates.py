"""Dates as reps type them: '2026-12-15', 'next Friday', 'end of Q3', 'in 2 weeks'.

Relative phrases are read against the rep's local `today`. Conventions:
- 'friday' / 'this friday': the first Friday after today;
- 'next friday': the Friday of next calendar week (Monday-Sunday);
- a bare month ('march', 'by March'): the last day of its next occurrence;
- early / mid / late <month>: the 5th / 15th / 25th;
- quarters are calendar quarters; 'end of Q3' is 30 September, next year's once passed;
- 03/04/2026 is ambiguous (3 April or 4 March?) and returns `ambiguous`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
}
MONTHS["sept"] = 9
WEEKDAY_NAMES = {
    name: number
    for number in range(7)
    for name in (calendar.day_name[number].lower(), calendar.day_abbr[number].lower())
}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
PART_OF_MONTH = {"early": 5, "beginning": 5, "start": 5, "mid": 15, "middle": 15, "late": 25}
_FILLER = re.compile(r"\b(by|on|around|about|approx|approximately|before|the|of|probably)\b")


@dataclass(frozen=True, slots=True)
class DateReading:
    value: dt.date | None
    ambiguous: bool = False


def parse_date(text: str, today: dt.date) -> DateReading:
    """Read a date from a short phrase; `value` is None when nothing date-like was found."""
    phrase = _normalize(text)
    for reader in (_iso, _numeric, _relative_day, _weekday, _offset, _period_end, _month_day):
        reading = reader(phrase, today)
        if reading is not None:
            return reading
    return DateReading(None)


def _normalize(text: str) -> str:
    phrase = text.lower().strip().rstrip(".!")
    phrase = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", phrase)
    phrase = _FILLER.sub(" ", phrase)
    return re.sub(r"\s+", " ", phrase).strip()


def _iso(phrase: str, _today: dt.date) -> DateReading | None:
    match = re.search(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", phrase)
    return _checked(*map(int, match.groups())) if match else None


def _numeric(phrase: str, today: dt.date) -> DateReading | None:
    match = re.search(r"\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?\b", phrase)
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    year = _year(match.group(3), today)
    if first > 12 and second <= 12:
        return _checked(year, second, first)
    if second > 12 and first <= 12:
        return _checked(year, first, second)
    if first == second:
        return _checked(year, first, second)
    return DateReading(None, ambiguous=True)


def _year(text: str | None, today: dt.date) -> int:
    if text is None:
        return today.year
    year = int(text)
    return year + 2000 if year < 100 else year


def _relative_day(phrase: str, today: dt.date) -> DateReading | None:
    offsets = {"today": 0, "tonight": 0, "tomorrow": 1, "yesterday": -1}
    if phrase in offsets:
        return DateReading(today + dt.timedelta(days=offsets[phrase]))
    if phrase in {"this week", "end week", "end this week", "eow"}:
        return DateReading(_friday(today, weeks=0))
    if phrase in {"next week", "end next week"}:
        return DateReading(_friday(today, weeks=1))
    return None


def _friday(today: dt.date, weeks: int) -> dt.date:
    monday = today - dt.timedelta(days=today.weekday())
    return monday + dt.timedelta(days=4 + 7 * weeks)


def _weekday(phrase: str, today: dt.date) -> DateReading | None:
    match = re.fullmatch(r"(this |next |coming )?([a-z]+)", phrase)
    if not match or match.group(2) not in WEEKDAY_NAMES:
        return None
    target = WEEKDAY_NAMES[match.group(2)]
    if match.group(1) == "next ":
        monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7)
        return DateReading(monday + dt.timedelta(days=target))
    ahead = (target - today.weekday()) % 7 or 7
    return DateReading(today + dt.timedelta(days=ahead))


def _offset(phrase: str, today: dt.date) -> DateReading | None:
    match = re.fullmatch(r"(?:in )?(\d+|[a-z]+) (day|week|month)s?(?: from now| time)?", phrase)
    if not match:
        return None
    count = int(match.group(1)) if match.group(1).isdecimal() else NUMBER_WORDS.get(match.group(1))
    if count is None:
        return None
    unit = match.group(2)
    if unit == "day":
        return DateReading(today + dt.timedelta(days=count))
    if unit == "week":
        return DateReading(today + dt.timedelta(weeks=count))
    return DateReading(_add_months(today, count))


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _period_end(phrase: str, today: dt.date) -> DateReading | None:
    phrase = re.sub(r"^(end|close)\b\s*", "end ", phrase)
    if phrase in {"end month", "end this month", "eom", "this month"}:
        return DateReading(_month_end(today.year, today.month))
    if phrase in {"end next month", "next month"}:
        nxt = _add_months(today.replace(day=1), 1)
        return DateReading(_month_end(nxt.year, nxt.month))
    if phrase in {"end year", "end this year", "eoy", "year end", "this year", "end fy"}:
        return DateReading(dt.date(today.year, 12, 31))
    if phrase in {"end next year", "next year"}:
        return DateReading(dt.date(today.year + 1, 12, 31))
    if phrase in {"end quarter", "end this quarter", "eoq", "this quarter"}:
        return DateReading(_quarter_end(today.year, (today.month - 1) // 3 + 1))
    if phrase in {"end next quarter", "next quarter"}:
        quarter = (today.month - 1) // 3 + 2
        return DateReading(_quarter_end(today.year + (quarter > 4), (quarter - 1) % 4 + 1))
    match = re.fullmatch(r"(?:end )?q([1-4])(?: (next year|\d{4}|fy\d{2}))?", phrase)
    if match:
        quarter = int(match.group(1))
        end = _quarter_end(_explicit_year(match.group(2), today) or today.year, quarter)
        if match.group(2) is None and end < today:
            end = _quarter_end(today.year + 1, quarter)
        return DateReading(end)
    return None


def _explicit_year(text: str | None, today: dt.date) -> int | None:
    if text is None:
        return None
    if text == "next year":
        return today.year + 1
    if text.startswith("fy"):
        return 2000 + int(text[2:])
    return int(text)


def _quarter_end(year: int, quarter: int) -> dt.date:
    return _month_end(year, quarter * 3)


def _month_day(phrase: str, today: dt.date) -> DateReading | None:
    words = phrase.replace(",", " ").split()
    month_words = [word for word in words if word in MONTHS]
    if len(month_words) != 1:
        return None
    month = MONTHS[month_words[0]]
    numbers = [int(word) for word in words if word.isdecimal()]
    year = next((number for number in numbers if number >= 1000), None)
    days = [number for number in numbers if number < 32]
    part = next((PART_OF_MONTH[word] for word in words if word in PART_OF_MONTH), None)
    if days:
        day = days[0]
    elif part is not None:
        day = part
    else:
        day = calendar.monthrange(year or today.year, month)[1]
    if year is None:
        candidate = _checked(today.year, month, min(day, 31))
        if candidate.value is not None and candidate.value < today:
            return _checked(today.year + 1, month, day)
        return candidate
    return _checked(year, month, day)


def _checked(year: int, month: int, day: int) -> DateReading:
    try:
        return DateReading(dt.date(year, month, day))
    except ValueError:
        return DateReading(None)


def parse_duration(text: str) -> dt.timedelta | None:
    """'3d', '2h', '1w', '30m', '3 days', 'two weeks' -> a timedelta; None otherwise."""
    match = re.fullmatch(
        r"(\d+|[a-z]+)\s*(m|min|mins|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)",
        text.strip().lower(),
    )
    if not match:
        return None
    count = int(match.group(1)) if match.group(1).isdecimal() else NUMBER_WORDS.get(match.group(1))
    if not count:
        return None
    unit = match.group(2)[0]
    return {
        "m": dt.timedelta(minutes=count),
        "h": dt.timedelta(hours=count),
        "d": dt.timedelta(days=count),
        "w": dt.timedelta(weeks=count),
    }[unit]
