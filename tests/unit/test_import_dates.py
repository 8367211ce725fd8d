"""Dates in CRM exports: the formats read, and how a file's date order is decided."""

from __future__ import annotations

import datetime as dt

import pytest

from storage.importers.dates import (
    DateOrderEvidence,
    check_date_format,
    date_order,
    parse_date,
)

MAY_6 = dt.date(2017, 5, 6)


@pytest.mark.parametrize(
    "text",
    [
        "2017-05-06",
        "2017-5-6",
        "2017/05/06",
        "2017-05-06T14:30:00",
        "2017-05-06T14:30:00.000Z",
        "2017-05-06 14:30",
        "2017-05-06 14:30:00+02:00",
        "5/6/2017",
        "05/06/2017",
        "5/6/17",
        "05-06-2017",
        "5/6/2017 2:30 PM",
        "5/6/2017, 2:30 PM",
        "06.05.2017",
        "6.5.2017 14:30",
        "6.5.17",
        "May 6, 2017",
        "6 May 2017",
        "06-May-2017",
    ],
)
def test_common_date_formats_read_month_first_by_default(text: str) -> None:
    assert parse_date(text) == MAY_6


@pytest.mark.parametrize(
    "text", ["6/5/2017", "06/05/2017 14:30", "6-5-17", "2017-05-06", "06.05.2017"]
)
def test_day_first_reads_numeric_dates_day_first(text: str) -> None:
    assert parse_date(text, day_first=True) == MAY_6


def test_a_date_format_reads_exactly_that_and_iso() -> None:
    assert parse_date("06/05/2017 14:30", date_format="%d/%m/%Y %H:%M") == MAY_6
    assert parse_date("2017-05-06", date_format="%d/%m/%Y %H:%M") == MAY_6
    with pytest.raises(ValueError, match="does not match --date-format '%d/%m/%Y'"):
        parse_date("May 6, 2017", date_format="%d/%m/%Y")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("banana", "cannot read 'banana' as a date"),
        ("2017-13-01", "not a real date"),
        ("2017-02-30", "not a real date"),
        ("31.02.2017", "not a real date"),
        ("2017-05-06 noon", "cannot read"),
        ("25/12/2017", "numeric dates are read as US month/day/year; for day-first files"),
        ("20170506", "cannot read"),
    ],
)
def test_bad_dates_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(text)


def test_a_day_first_reading_names_itself_when_a_date_is_impossible() -> None:
    with pytest.raises(ValueError, match=r"'12/25/2017' is not a real date \(read as day/month"):
        parse_date("12/25/2017", day_first=True)


def test_two_digit_years_follow_the_strptime_pivot() -> None:
    assert parse_date("1/2/68") == dt.date(2068, 1, 2)
    assert parse_date("1/2/69") == dt.date(1969, 1, 2)


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("25/12/2017", "day_first"),
        ("25/12/2017 10:00", "day_first"),
        ("12/25/2017", "month_first"),
        ("05/06/2017", "either"),
        ("05/05/2017", None),
        ("31/31/2017", None),
        ("2017-05-06", None),
        ("06.05.2017", None),
        ("May 6, 2017", None),
    ],
)
def test_what_one_cell_says_about_the_date_order(text: str, order: str | None) -> None:
    assert date_order(text) == order


def test_one_day_first_value_makes_the_file_day_first() -> None:
    evidence = DateOrderEvidence()
    for line, text in enumerate(["04/12/2026 09:15", "25/01/2027 10:00", "03/02/2027"], 2):
        evidence.observe(text, line, "Close Date")
    assert evidence.decide(None) is True
    assert evidence.reading(True) == "day/month/year (as line 3, Close Date '25/01/2027 10:00')"


def test_one_month_first_value_makes_the_file_month_first() -> None:
    evidence = DateOrderEvidence()
    evidence.observe("04/12/2026", 2, "Close Date")
    evidence.observe("1/30/2027", 3, "Created Date")
    assert evidence.decide(None) is False


def test_an_ambiguous_file_asks_instead_of_guessing() -> None:
    evidence = DateOrderEvidence()
    evidence.observe("04/12/2026", 2, "Close Date")
    evidence.observe("05/06/2027", 3, "Close Date")
    with pytest.raises(ValueError, match="no date in the file settles it: say which with --day"):
        evidence.decide(None)
    assert evidence.decide(True) is True
    assert evidence.decide(False) is False
    assert evidence.reading(False) == "month/day/year (as chosen)"


def test_a_file_mixing_both_orders_is_refused_unless_told() -> None:
    evidence = DateOrderEvidence()
    evidence.observe("25/12/2026", 2, "Close Date")
    evidence.observe("12/25/2026", 7, "Created Date")
    with pytest.raises(ValueError, match="line 2, Close Date '25/12/2026' can only be day/month"):
        evidence.decide(None)
    assert evidence.decide(True) is True


def test_a_file_without_numeric_dates_needs_no_order() -> None:
    evidence = DateOrderEvidence()
    evidence.observe("2026-12-25", 2, "Close Date")
    assert evidence.decide(None) is None


def test_date_formats_are_checked_before_use() -> None:
    assert check_date_format("%d/%m/%Y %H:%M") == "%d/%m/%Y %H:%M"
    with pytest.raises(ValueError, match="no % fields"):
        check_date_format("DD/MM/YYYY")
    with pytest.raises(ValueError, match="needs a day, a month and a year"):
        check_date_format("%d/%m")
