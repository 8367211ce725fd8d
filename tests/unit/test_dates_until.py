"""'until next month' typed on 3 December: the day a pause or an absence ends."""

import datetime as dt

import pytest

from coaching.dates.until import parse_until

THURSDAY_3_DECEMBER = dt.date(2026, 12, 3)


@pytest.mark.parametrize(
    ("text", "wakes"),
    [
        ("next month", "2027-01-01"),  # the rest of December off, back on the 1st
        ("January", "2027-01-01"),
        ("next week", "2026-12-07"),
        ("Q1", "2027-01-01"),
        ("next year", "2027-01-01"),
        ("end of next month", "2027-01-31"),  # an explicit end is that day
        ("the end of the month", "2026-12-31"),
        ("end of Q1", "2027-03-31"),
        ("mid January", "2027-01-15"),
        ("2027-01-15", "2027-01-15"),
        ("Friday", "2026-12-04"),
        ("in 2 weeks", "2026-12-17"),
        ("December", "2026-12-31"),  # the period has begun: its end
    ],
)
def test_a_named_period_ends_where_it_begins(text: str, wakes: str) -> None:
    assert parse_until(text, THURSDAY_3_DECEMBER).value == dt.date.fromisoformat(wakes)


@pytest.mark.parametrize("text", ["someday", "Friday or Monday", ""])
def test_no_single_date_is_none(text: str) -> None:
    assert parse_until(text, THURSDAY_3_DECEMBER).value is None
