"""The date phrases reps type, as patterns with a reader each.

Every reader gets a match in the lower-cased reply and returns what it means (or None
when the words only look like a date). Conventions:
- 'friday' / 'this friday': the first Friday after today; 'next friday': the Friday of
  next calendar week; 'next thursday, the 10th': the Thursday that is a 10th;
- a week ('next week', 'KW 50', 'w/c 7 Dec') is read as its Friday;
- a month is its last day, early / mid / late <month> the 5th / 15th / 25th;
- quarters and halves are fiscal (the playbook's fiscal year), 'end of Q1' its last day;
- 03/04 is ambiguous unless the rep's habit is known; 15.12. is day-first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from coaching.dates.calendar_math import (
    FiscalCalendar,
    add_months,
    friday_of_week,
    month_end,
    month_without_year,
    next_weekday,
    previous_weekday,
    safe_date,
    upcoming_day_of_month,
    weekday_next_week,
    without_year,
)

Precision = Literal["day", "week", "month_part", "month", "quarter", "half", "year", "vague"]

MONTH_NUMBERS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAY_NUMBERS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
APPROXIMATE_COUNTS = {"a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3, "few": 3}
PART_OF_MONTH = {"early": 5, "beginning of": 5, "start of": 5, "mid": 15, "middle of": 15}
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4}
# Short forms that are also English words count only next to a day or after a cue.
WORDLIKE = {"may", "mar", "wed", "sat", "sun", "mon", "jan", "april", "june", "august"}
WEEKDAY_REACH = 45  # days within which "Thursday the 10th" is looked for
CUES = {
    "on",
    "by",
    "in",
    "until",
    "till",
    "before",
    "from",
    "of",
    "next",
    "this",
    "end",
    "or",
    "to",
}

MON = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
WD = (
    r"(monday|mon|tuesday|tues|tue|wednesday|weds|wed|thursday|thurs|thur|thu"
    r"|friday|fri|saturday|sat|sunday|sun)"
)
DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
COUNT = r"(\d{1,3}|a couple of|a couple|couple of|a few|few|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"  # noqa: E501
FISCAL_YEAR = r"(?:fy\s*'?(\d{2}|\d{4})|'(\d{2})|(\d{4})|(next|this) (?:fiscal )?year)"


@dataclass(frozen=True, slots=True)
class Meaning:
    """What a date phrase means: a date (None when it contradicts itself or is
    ambiguous), how precise it is, and whether it is approximate or recently past."""

    value: dt.date | None
    precision: Precision = "day"
    ambiguous: bool = False
    approximate: bool = False
    past: bool = False


@dataclass(frozen=True, slots=True)
class Scan:
    today: dt.date
    fiscal: FiscalCalendar
    day_first: bool | None
    text: str


Reader = Callable[[re.Match[str], Scan], Meaning | None]


def month_number(word: str) -> int:
    return MONTH_NUMBERS[word.rstrip(".")[:3]]


def weekday_number(word: str) -> int:
    return WEEKDAY_NUMBERS[word[:3]]


def _word_before(scan: Scan, position: int) -> str:
    words = re.findall(r"[a-z]+", scan.text[:position])
    return words[-1] if words else ""


def _cued(scan: Scan, match: re.Match[str], word: str) -> bool:
    """A word-like short form ('may', 'sat') counts as a date only after a cue word,
    before an alternative ('jan/feb', 'april or may') or as the whole reply."""
    if word not in WORDLIKE:
        return True
    before = _word_before(scan, match.start())
    listed = re.match(r"\s*(?:/|-|or\b)", scan.text[match.end() :]) is not None
    return before in CUES or listed or scan.text.strip(" .!?") == match.group(0)


def _fiscal_year(scan: Scan, match: re.Match[str], first_group: int) -> int | None:
    """The fiscal year a FISCAL_YEAR group names (its four sub-groups from first_group)."""
    short_fy, short, full, relative = (match.group(first_group + i) for i in range(4))
    if relative:
        current = scan.fiscal.year_of(scan.today)
        return current + 1 if relative == "next" else current
    text = short_fy or short or full
    if not text:
        return None
    year = int(text)
    return year + 2000 if year < 100 else year


# Readers, one per pattern


def _iso(match: re.Match[str], _scan: Scan) -> Meaning | None:
    value = safe_date(*map(int, match.groups()))
    return Meaning(value) if value else None


def _numeric(match: re.Match[str], scan: Scan) -> Meaning | None:
    first, separator, second, year_text = match.groups()
    a, b = int(first), int(second)
    if (separator == "-" and not year_text) or max(a, b) > 31 or (a, b) == (24, 7):
        return None
    if separator == ".":
        dotted = scan.text[match.end() : match.end() + 1] == "."
        if not (year_text or dotted or len(first) == len(second) == 2):
            return None  # 3.5 is a number; 15.12. and 15.12.2026 are dates
        day, month = a, b
    elif a > 12 or b > 12:
        day, month = (a, b) if a > 12 else (b, a)
    elif a == b or scan.day_first is not None:
        day, month = (a, b) if scan.day_first or a == b else (b, a)
    else:
        return Meaning(None, ambiguous=True)
    if not 1 <= month <= 12:
        return None
    if year_text:
        year = int(year_text)
        value = safe_date(year + 2000 if year < 100 else year, month, day)
        return Meaning(value) if value else None
    value, past = without_year(scan.today, month, day)
    return Meaning(value, past=past) if value else None


def _day_month(match: re.Match[str], scan: Scan) -> Meaning | None:
    day_text, month_word, year_text = match.groups()
    return _dated(scan, month_number(month_word), int(day_text), year_text)


def _month_day(match: re.Match[str], scan: Scan) -> Meaning | None:
    month_word, day_text, year_text = match.groups()
    return _dated(scan, month_number(month_word), int(day_text), year_text)


def _dated(scan: Scan, month: int, day: int, year_text: str | None) -> Meaning | None:
    if year_text:
        value = safe_date(int(year_text), month, day)
        return Meaning(value) if value else None
    value, past = without_year(scan.today, month, day)
    return Meaning(value, past=past) if value else None


def _month_year(match: re.Match[str], _scan: Scan) -> Meaning | None:
    month_word, year_text = match.groups()
    year = int(year_text.lstrip("'"))
    return Meaning(
        month_end(year + 2000 if year < 100 else year, month_number(month_word)), "month"
    )


def _month(match: re.Match[str], scan: Scan) -> Meaning | None:
    part, end_of, month_word, relative = match.groups()
    if part is None and end_of is None and not _cued(scan, match, month_word.rstrip(".")):
        return None
    month = month_number(month_word)
    day = PART_OF_MONTH.get(part or "") or (25 if part == "late" else None)
    if relative:
        year = scan.today.year + (relative == "next year")
        value = dt.date(year, month, day) if day else month_end(year, month)
    else:
        value = month_without_year(scan.today, month, day)
    return Meaning(value, "month_part" if day else "month")


def _weekday(match: re.Match[str], scan: Scan) -> Meaning | None:
    modifier, name, week, the_day, suffix_day, month_word = match.groups()
    day_text = the_day or suffix_day
    if modifier is None and day_text is None and week is None and not _cued(scan, match, name):
        return None
    weekday = weekday_number(name)
    if day_text:
        month = month_number(month_word) if month_word else None
        value = upcoming_day_of_month(scan.today, int(day_text), weekday=weekday, month=month)
        if value is not None and month is None and (value - scan.today).days > WEEKDAY_REACH:
            value = None  # "Thursday the 11th" months away: a slip, not a plan
        return Meaning(value, ambiguous=value is None)
    if modifier == "last":
        return Meaning(previous_weekday(scan.today, weekday), past=True)
    if modifier == "next" or week in {"next week", "next wk"}:
        return Meaning(weekday_next_week(scan.today, weekday))
    if week == "week":
        return Meaning(next_weekday(scan.today, weekday) + dt.timedelta(days=7))
    return Meaning(next_weekday(scan.today, weekday))


def _next_week_weekday(match: re.Match[str], scan: Scan) -> Meaning | None:
    return Meaning(weekday_next_week(scan.today, weekday_number(match.group(1))))


def _the_day(match: re.Match[str], scan: Scan) -> Meaning | None:
    value = upcoming_day_of_month(scan.today, int(match.group(1)))
    return Meaning(value) if value else None


def _relative_day(match: re.Match[str], scan: Scan) -> Meaning | None:
    word = match.group(1)
    if word == "yesterday":
        return Meaning(scan.today - dt.timedelta(days=1), past=True)
    if word == "day after tomorrow":
        return Meaning(scan.today + dt.timedelta(days=2))
    offset = 1 if word.startswith(("tom", "tmr")) else 0
    return Meaning(scan.today + dt.timedelta(days=offset))


def _week(match: re.Match[str], scan: Scan) -> Meaning | None:
    phrase = match.group(1)
    if "after next" in phrase:
        weeks = 2
    elif "next" in phrase:
        weeks = 1
    elif "last" in phrase:
        return Meaning(friday_of_week(scan.today, -1), "week", past=True)
    else:
        weeks = 0
    return Meaning(friday_of_week(scan.today, weeks), "week")


def _offset(match: re.Match[str], scan: Scan) -> Meaning | None:
    lead, count_text, unit, tail = match.groups()
    before = _word_before(scan, match.start())
    if (
        lead is None
        and tail is None
        and before in {"for", "every", "past", "last", "about", "once", "twice", "per"}
    ):
        return None
    approximate = count_text in APPROXIMATE_COUNTS or lead == "within"
    count = (
        APPROXIMATE_COUNTS.get(count_text)
        or NUMBER_WORDS.get(count_text)
        or (int(count_text) if count_text.isdecimal() else 0)
    )
    if count <= 0:
        return None
    sign = -1 if tail == "ago" else 1
    if unit.startswith("d"):
        value = scan.today + dt.timedelta(days=sign * count)
    elif unit.startswith("w"):
        value = scan.today + dt.timedelta(weeks=sign * count)
    else:
        value = add_months(scan.today, sign * count)
    precision: Precision = "day" if unit.startswith("d") else "week"
    return Meaning(value, precision, approximate=approximate, past=sign < 0)


def _fortnight(_match: re.Match[str], scan: Scan) -> Meaning | None:
    return Meaning(scan.today + dt.timedelta(days=14), "week")


def _calendar_week(match: re.Match[str], scan: Scan) -> Meaning | None:
    week = int(match.group(1))
    for year in (scan.today.year, scan.today.year + 1):
        try:
            friday = dt.date.fromisocalendar(year, week, 5)
        except ValueError:
            continue
        if friday >= scan.today - dt.timedelta(days=4):
            return Meaning(friday, "week")
    return None


def _this_next_period(match: re.Match[str], scan: Scan) -> Meaning | None:
    edge, relative, unit = match.groups()
    steps = {"this": 0, "next": 1, "last": -1}[relative]
    return _period(scan, unit, steps, start=edge in {"start", "beginning"})


def _end_of_period(match: re.Match[str], scan: Scan) -> Meaning | None:
    return _period(scan, match.group(1), 0)


ABBREVIATED_PERIODS = {
    "eod": "day", "eow": "week", "eom": "month", "month end": "month", "month-end": "month",
    "eoq": "quarter", "quarter end": "quarter", "quarter-end": "quarter", "eoy": "year",
    "year end": "year", "year-end": "year", "eofy": "fiscal year", "fye": "fiscal year",
    "fy end": "fiscal year", "fy-end": "fiscal year", "fiscal year end": "fiscal year",
    "fiscal year-end": "fiscal year",
}  # fmt: skip


def _abbreviated_period(match: re.Match[str], scan: Scan) -> Meaning | None:
    return _period(scan, ABBREVIATED_PERIODS[match.group(1)], 0)


def _period(scan: Scan, unit: str, steps: int, *, start: bool = False) -> Meaning | None:
    today, fiscal = scan.today, scan.fiscal
    past = steps < 0
    if unit == "day":
        return Meaning(today)
    if unit in {"week", "wk"}:
        return Meaning(friday_of_week(today, steps), "week", past=past)
    if unit == "month":
        first = add_months(today.replace(day=1), steps)
        if start:
            return Meaning(first.replace(day=5), "month_part", past=past)
        return Meaning(month_end(first.year, first.month), "month", past=past)
    if unit == "quarter":
        return Meaning(fiscal.quarter_after(today, steps), "quarter", past=past)
    if unit == "half":
        year, quarter = fiscal.quarter_of(today)
        index = (quarter - 1) // 2 + steps
        return Meaning(fiscal.half_end(year + index // 2, index % 2 + 1), "half", past=past)
    if unit == "year":
        return Meaning(dt.date(today.year + steps, 12, 31), "year", past=past)
    if unit in {"fiscal year", "fiscal", "fy"}:
        return Meaning(fiscal.year_end(fiscal.year_of(today) + steps), "year", past=past)
    return None


def _quarter(match: re.Match[str], scan: Scan) -> Meaning | None:
    part, *groups = match.groups()
    number = groups[0] or groups[1] or str(ORDINALS.get(groups[2] or "", ""))
    if not number:
        return None
    quarter = int(number)
    precision: Precision = "vague" if part else "quarter"  # "early Q1": which month?
    year = _fiscal_year(scan, match, 5)
    if year is None:
        return Meaning(scan.fiscal.upcoming_quarter_end(scan.today, quarter), precision)
    end = scan.fiscal.quarter_end(year, quarter)
    return Meaning(end, precision, past=end < scan.today)


def _year_then_quarter(match: re.Match[str], scan: Scan) -> Meaning | None:
    year = int(match.group(1))
    end = scan.fiscal.quarter_end(year + 2000 if year < 100 else year, int(match.group(2)))
    return Meaning(end, "quarter", past=end < scan.today)


def _half(match: re.Match[str], scan: Scan) -> Meaning | None:
    half = 1 if (match.group(1) or match.group(2)) in {"1", "first"} else 2
    year = _fiscal_year(scan, match, 3)
    if year is None:
        return Meaning(scan.fiscal.upcoming_half_end(scan.today, half), "half")
    end = scan.fiscal.half_end(year, half)
    return Meaning(end, "half", past=end < scan.today)


def _relative_year(match: re.Match[str], scan: Scan) -> Meaning | None:
    relative, fiscal = match.groups()
    steps = 1 if relative == "next" else 0
    if fiscal:
        return Meaning(scan.fiscal.year_end(scan.fiscal.year_of(scan.today) + steps), "year")
    return Meaning(dt.date(scan.today.year + steps, 12, 31), "year")


def _vague_year(match: re.Match[str], scan: Scan) -> Meaning | None:
    part, relative = match.groups()
    year = scan.today.year + (relative == "next")
    value = dt.date(year, 3, 31) if part in {"early", "beginning of", "start of"} else None
    return Meaning(value or dt.date(year, 12, 31), "vague")


def _year(match: re.Match[str], scan: Scan) -> Meaning | None:
    year = int(match.group(1))
    if not scan.today.year - 1 <= year <= scan.today.year + 10:
        return None
    return Meaning(dt.date(year, 12, 31), "year")


def _fiscal_named_year(match: re.Match[str], scan: Scan) -> Meaning | None:
    year = int(match.group(1))
    return Meaning(scan.fiscal.year_end(year + 2000 if year < 100 else year), "year")


def _christmas(match: re.Match[str], scan: Scan) -> Meaning | None:
    before = match.group(1) == "before"
    year = (
        scan.today.year if scan.today <= dt.date(scan.today.year, 12, 25) else scan.today.year + 1
    )
    return Meaning(dt.date(year, 12, 24 if before else 25))


def _vague(_match: re.Match[str], _scan: Scan) -> Meaning | None:
    return Meaning(None, "vague")


PATTERNS: tuple[tuple[re.Pattern[str], Reader], ...] = tuple(
    (re.compile(pattern), reader)
    for pattern, reader in (
        (r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", _iso),
        (
            r"(?<![\d/.])(\d{1,2})([/.\-])(\d{1,2})(?:[/.\-](\d{4}|\d{2}))?(?![\w/]|\.\d)",
            _numeric,
        ),
        (rf"\b(?:the\s+)?{DAY}(?:\s+of)?\s+{MON}(?:,?\s+(\d{{4}}))?(?![\w])", _day_month),
        (rf"\b{MON}\s+(?:the\s+)?{DAY}\b(?:,?\s+(\d{{4}}))?", _month_day),
        (rf"\b{MON},?\s+(\d{{4}}|'\d{{2}})\b", _month_year),
        (
            r"\b(?:(early|beginning of|start of|mid|middle of|late)[\s-]+"
            r"|((?:the\s+)?end\s+of)\s+)?"
            rf"{MON}(?![\w])(?:\s+(next year|this year))?",
            _month,
        ),
        (
            rf"\b(?:(this coming|this|coming|next|on|by|until|till|before|last)\s+)?{WD}\b"
            r"(?:\s+(next week|next wk|this week|week)\b)?"
            rf"(?:\s*,?\s*(?:the\s+{DAY}|(\d{{1,2}})(?:st|nd|rd|th))\b(?:\s+(?:of\s+)?{MON})?)?",
            _weekday,
        ),
        (rf"\bnext\s+week(?:'s)?\s+{WD}\b", _next_week_weekday),
        (r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b", _the_day),
        (r"\b(?:on|by)\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b", _the_day),
        (
            r"\b(day after tomorrow|today|tonight|tomorrow|tomorow|tmrw|tmr|yesterday)\b",
            _relative_day,
        ),
        (
            r"\b((?:the\s+)?week after next"
            r"|(?:end of\s+)?(?:the\s+)?(?:this|next|last)\s+(?:week|wk)|end of (?:the )?week)\b",
            _week,
        ),
        (
            rf"\b(?:(in|within)\s+)?{COUNT}\s+(day|week|wk|month|mo)s?\b"
            r"(?:\s+(from now|time|ago|out))?",
            _offset,
        ),
        (r"\b(?:in\s+)?a\s+fortnight\b|\bfortnight\b", _fortnight),
        (r"\b(?:kw|cw|wk|calendar week|week)\s*#?\s*(\d{1,2})\b", _calendar_week),
        (
            r"\b(?:(end|close|start|beginning)\s+of\s+)?(?:the\s+)?(this|next|last)\s+"
            r"(month|quarter|half|fiscal year|fiscal|fy)\b",
            _this_next_period,
        ),
        (
            r"\b(?:the\s+)?end\s+of\s+(?:the\s+)?(day|month|quarter|half|fiscal year|fy|year)\b",
            _end_of_period,
        ),
        (
            r"\b(eod|eow|eom|eoq|eoy|eofy|fye|month[\s-]end|quarter[\s-]end|year[\s-]end"
            r"|fy[\s-]end|fiscal year[\s-]end)\b",
            _abbreviated_period,
        ),
        (
            r"\b(?:(?:end|close)\s+of\s+|(early|mid|late|start of|beginning of|middle of)\s+)?"
            r"(?:the\s+)?(?:q([1-4])|([1-4])q|(first|second|third|fourth|1st|2nd|3rd)\s+quarter)"
            rf"(?:\s*(?:of\s+)?{FISCAL_YEAR})?(?![\w'])",
            _quarter,
        ),
        (r"\bfy\s*'?(\d{2}|\d{4})\s*q([1-4])\b", _year_then_quarter),
        (
            r"\b(?:(?:end|close)\s+of\s+)?(?:the\s+)?(?:h([12])|(first|second)\s+half)"
            rf"(?:\s*(?:of\s+)?{FISCAL_YEAR})?(?![\w'])",
            _half,
        ),
        (r"\b(this|next)\s+(fiscal\s+year|fiscal|fy|year)\b", _relative_year),
        (
            r"\b(early|beginning of|start of|sometime|later|late)\s+(next|this)\s+year\b",
            _vague_year,
        ),
        (r"\b(?:in|by|during|until|for)\s+(20\d{2})\b", _year),
        (r"\bfy\s*'?(\d{2}|\d{4})\b", _fiscal_named_year),
        (r"\b(before|by)?\s*(?:christmas|xmas|x-mas)\b", _christmas),
        (r"\b(soon|asap|shortly|at some point|eventually|sometime soon)\b", _vague),
    )
)
