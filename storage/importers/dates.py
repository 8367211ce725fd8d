"""Dates in CRM exports: one parser, and the evidence that tells a file's date order.

Each parser takes the stripped text of one non-empty cell and returns a date or raises
ValueError saying what was wrong and what is accepted.

Accepted: ISO (2017-05-06, 2017/05/06), numeric dates with slashes or dashes (5/6/2017,
05-06-17), day.month.year (06.05.2017) and English month names (May 6, 2017; 6 May 2017;
06-May-2017), each optionally followed by a time, which is dropped. With `date_format`
(a strptime format such as "%d/%m/%Y %H:%M") the cell must match it (ISO still reads).

Whether 05/06/2017 is the 5th of June or the 6th of May is the file's choice: `day_first`
says which. Left unset, numeric dates are month/day/year as US exports write them, and a
value that can only be day-first (25/12/2017) is rejected rather than guessed. A whole file
is judged by `DateOrderEvidence`: one value that can only be day-first makes the file
day-first, one that can only be month-first makes it month-first, and a file where every
such date reads both ways is ambiguous: the caller must ask, not guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

DateOrder = Literal["day_first", "month_first"]
DATE_FORMATS_HELP = "use YYYY-MM-DD, M/D/YYYY, D.M.YYYY, or say how with --date-format"

_TIME = (
    r"(?:[T ,]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"  # a time: 10:15, 10:15:00.000
    r"\s*(?:[AaPp][Mm])?\s*(?:Z|UTC|[+-]\d{2}:?\d{2})?)?"  # 10:15 AM, Z, +02:00
)
_ISO = re.compile(rf"(\d{{4}})[-/](\d{{1,2}})[-/](\d{{1,2}}){_TIME}")
_NUMERIC = re.compile(rf"(\d{{1,2}})([/-])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_TIME}")
_DOTTED = re.compile(rf"(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}}|\d{{2}})\.?{_TIME}")
_NAMED_MONTH_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d-%b-%y")
_MONTHS = 12


def parse_date(
    text: str, *, day_first: bool | None = None, date_format: str | None = None
) -> dt.date:
    """A calendar date from the common export formats (see the module docstring)."""
    if match := _ISO.fullmatch(text):
        year, month, day = match.group(1, 2, 3)
        return _date(text, year, month, day)
    if date_format is not None:
        return _formatted(text, date_format)
    if match := _NUMERIC.fullmatch(text):
        first, second, year = match.group(1, 3, 4)
        day, month = (first, second) if day_first else (second, first)
        return _date(text, year, month, day, _order_hint(day_first))
    if match := _DOTTED.fullmatch(text):
        day, month, year = match.group(1, 2, 3)
        return _date(text, year, month, day)
    return _named_month_date(text)


def date_order(text: str) -> DateOrder | Literal["either"] | None:
    """What one cell says about its file's date order: only day-first, only month-first,
    "either" (05/06/2017), or None (not a numeric date, or one that reads the same)."""
    match = _NUMERIC.fullmatch(text)
    if match is None:
        return None
    first, second = int(match.group(1)), int(match.group(3))
    if first == second or (first > _MONTHS and second > _MONTHS):
        return None
    if first > _MONTHS:
        return "day_first"
    if second > _MONTHS:
        return "month_first"
    return "either"


@dataclass(frozen=True, slots=True)
class Example:
    """A cell quoted in a message: where it is and what it says."""

    line: int
    column: str
    text: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column} {self.text!r}"


class DateOrderEvidence:
    """The first cell of each kind seen in a file, to decide its date order once."""

    def __init__(self) -> None:
        self.day_first: Example | None = None
        self.month_first: Example | None = None
        self.either: Example | None = None

    def observe(self, text: str, line: int, column: str) -> None:
        order = date_order(text)
        if order is None or getattr(self, order) is not None:
            return
        setattr(self, order, Example(line, column, text))

    def decide(self, day_first: bool | None) -> bool | None:
        """True (day-first), False (month-first), None (the file has no numeric dates).

        `day_first` is the user's choice, which wins. Raises ValueError when the file is
        ambiguous or mixes both orders.
        """
        if day_first is not None:
            return day_first
        if self.day_first and self.month_first:
            raise ValueError(
                f"its dates are written in both orders: {self.day_first} can only be "
                f"day/month/year and {self.month_first} only month/day/year; fix the file, "
                "or say which to use with --day-first or --month-first"
            )
        if self.day_first or self.month_first:
            return self.day_first is not None
        if self.either:
            raise ValueError(
                f"its dates read both ways ({self.either} could be day/month or month/day) "
                "and no date in the file settles it: say which with --day-first or "
                '--month-first (or --date-format "%d/%m/%Y")'
            )
        return None

    def reading(self, day_first: bool | None) -> str:
        """How numeric dates were read, for the import summary."""
        if day_first is None:
            return ""
        order = "day/month/year" if day_first else "month/day/year"
        found = self.day_first if day_first else self.month_first
        return f"{order} (as {found})" if found else f"{order} (as chosen)"


def _date(text: str, year: str, month: str, day: str, hint: str = "") -> dt.date:
    try:
        return dt.date(_full_year(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"{text!r} is not a real date{hint}") from None


def _order_hint(day_first: bool | None) -> str:
    if day_first is None:
        return " (numeric dates are read as US month/day/year; for day-first files use --day-first)"
    return " (read as day/month/year)" if day_first else " (read as month/day/year)"


def _formatted(text: str, date_format: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, date_format).date()
    except ValueError:
        raise ValueError(f"{text!r} does not match --date-format {date_format!r}") from None


def _named_month_date(text: str) -> dt.date:
    for pattern in _NAMED_MONTH_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"cannot read {text!r} as a date ({DATE_FORMATS_HELP})")


def _full_year(year: str) -> int:
    if len(year) == 4:
        return int(year)
    short = int(year)
    return 2000 + short if short < 69 else 1900 + short


def check_date_format(date_format: str) -> str:
    """The format, or ValueError when it would not read a date."""
    if "%" not in date_format:
        raise ValueError(f"{date_format!r} has no % fields: write it like %d/%m/%Y")
    sample = dt.datetime(2017, 5, 28, 14, 30)
    try:
        parsed = dt.datetime.strptime(sample.strftime(date_format), date_format)
    except ValueError as exc:
        raise ValueError(f"{date_format!r} is not a date format: {exc}") from None
    if parsed.date() != sample.date():
        raise ValueError(f"{date_format!r} needs a day, a month and a year (%d, %m, %Y)")
    return date_format
