"""Cell parsers of the CRM importer: dates, amounts, currencies, emails."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from storage.importers.values import fold, parse_amount, parse_currency, parse_date, parse_email

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
def test_common_date_formats(text: str) -> None:
    assert parse_date(text) == MAY_6


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("banana", "cannot read 'banana' as a date"),
        ("2017-13-01", "not a real date"),
        ("2017-02-30", "not a real date"),
        ("31.02.2017", "not a real date"),
        ("2017-05-06 noon", "cannot read"),
        ("25/12/2017", "slash dates are read as US month/day/year"),
        ("20170506", "cannot read"),
    ],
)
def test_bad_dates_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(text)


def test_two_digit_years_follow_the_strptime_pivot() -> None:
    assert parse_date("1/2/68") == dt.date(2068, 1, 2)
    assert parse_date("1/2/69") == dt.date(1969, 1, 2)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("500.0", "500.00"),
        ("0", "0.00"),
        ("1234.5", "1234.50"),
        ("$1,234.50", "1234.50"),
        ("US$ 1,234.50", "1234.50"),
        ("USD 1,234", "1234.00"),
        ("1,234", "1234.00"),
        ("1,234,567.89", "1234567.89"),
        ("1.234,50", "1234.50"),
        ("1.234.567", "1234567.00"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50 €", "1234.50"),
        ("1.234,50 EUR", "1234.50"),
        ("12,5", "12.50"),
        ("1'234.50", "1234.50"),
        ("£99", "99.00"),
        ("1.234", "1.23"),
        ("0.005", "0.01"),
        ("+15", "15.00"),
        (".5", "0.50"),
    ],
)
def test_amounts(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "cannot read 'abc' as an amount"),
        ("12abc", "cannot read"),
        ("1,23,4", "groups of three"),
        ("1.234.56", "groups of three"),
        ("1,2345", "groups of three"),
        ("-5", "negative"),
        ("(1,234.50)", "negative"),
        ("$-5", "negative"),
        ("1e5", "cannot read"),
        ("$", "cannot read"),
        ("100000000000000", "too large"),
    ],
)
def test_bad_amounts_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_amount(text)


def test_currencies() -> None:
    assert parse_currency("usd") == "USD"
    assert parse_currency("EUR") == "EUR"
    assert parse_currency("$") == "USD"
    assert parse_currency("€") == "EUR"
    with pytest.raises(ValueError, match="not a 3-letter ISO code"):
        parse_currency("dollars")


def test_emails() -> None:
    assert parse_email("Ann.Lee@Example.com") == "Ann.Lee@Example.com"
    with pytest.raises(ValueError, match="not an email address"):
        parse_email("ann at example")


def test_fold_ignores_case_spaces_and_underscores() -> None:
    assert fold("Close Date") == fold("close_date") == "closedate"
    assert fold(" Opportunity ID (18) ") == "opportunityid18"
