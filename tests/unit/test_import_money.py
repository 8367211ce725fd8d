"""Money in CRM exports: amounts, the currency written with them, decimal marks per file."""

from __future__ import annotations

from decimal import Decimal

import pytest

from storage.importers.money import (
    DecimalMarkEvidence,
    Money,
    decimal_mark_of,
    parse_amount,
    parse_currency,
    parse_money,
)


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
        ("1.234", "1234.00"),
        ("15.000", "15000.00"),
        ("1,234,567.89", "1234567.89"),
        ("1.234,50", "1234.50"),
        ("1.234.567", "1234567.00"),
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50 €", "1234.50"),
        ("1.234,50 EUR", "1234.50"),
        ("12,5", "12.50"),
        ("1'234.50", "1234.50"),
        ("£99", "99.00"),
        ("0.005", "0.01"),
        ("1234.567", "1234.57"),
        ("+15", "15.00"),
        (".5", "0.50"),
    ],
)
def test_amounts_read_alone(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "mark", "value"),
    [
        ("1.234", ".", "1.23"),
        ("1,234", ",", "1.23"),
        ("1.234", ",", "1234.00"),
        ("1,234", ".", "1234.00"),
        ("15.000,00", ",", "15000.00"),
        ("15000", ",", "15000.00"),
    ],
)
def test_a_files_decimal_mark_settles_three_digit_groups(text: str, mark: str, value: str) -> None:
    assert parse_amount(text, decimal_mark=mark) == Decimal(value)  # type: ignore[arg-type]


def test_a_value_against_the_files_mark_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="this file's amounts have decimal commas"):
        parse_amount("1,234.50", decimal_mark=",")


@pytest.mark.parametrize(
    ("text", "money"),
    [
        ("€ 15.000,00", Money(Decimal("15000.00"), "EUR")),
        ("EUR 15,000.00", Money(Decimal("15000.00"), "EUR")),
        ("15.000,00 EUR", Money(Decimal("15000.00"), "EUR")),
        ("15 000 €", Money(Decimal("15000.00"), "EUR")),
        ("£1,200", Money(Decimal("1200.00"), "GBP")),
        ("CHF 1'234.50", Money(Decimal("1234.50"), "CHF")),
        ("1 234 kr", Money(Decimal("1234.00"), "SEK")),
        ("R$ 1.234,56", Money(Decimal("1234.56"), "BRL")),
        ("$1,234", Money(Decimal("1234.00"), "USD")),
        ("1234", Money(Decimal("1234.00"), None)),
    ],
)
def test_the_currency_comes_with_the_amount(text: str, money: Money) -> None:
    assert parse_money(text) == money


def test_a_shared_symbol_means_the_default_currency_when_it_fits() -> None:
    assert parse_money("$1,234", default_currency="CAD").currency == "CAD"
    assert parse_money("$1,234", default_currency="EUR").currency == "USD"
    assert parse_money("1 234 kr", default_currency="NOK").currency == "NOK"
    assert parse_currency("$", "AUD") == "AUD"


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
        ("EUR 100 USD", "names two currencies"),
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


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("1.234,50", ","),
        ("€ 15.000,00", ","),
        ("12,5", ","),
        ("1.234.567", ","),
        ("1,234.50", "."),
        ("EUR 15,000.00", "."),
        ("12.5", "."),
        ("1,234,567", "."),
        ("1,234", None),
        ("15.000", None),
        ("1500", None),
        ("1 500", None),
    ],
)
def test_what_one_amount_shows_about_the_decimal_mark(text: str, mark: str | None) -> None:
    assert decimal_mark_of(text) == mark


def test_the_file_decides_the_decimal_mark_once() -> None:
    evidence = DecimalMarkEvidence()
    evidence.observe("15.000", 2, "Amount")
    evidence.observe("€ 1.234,50", 3, "Amount")
    assert evidence.decide(None) == ","
    assert evidence.reading(",") == "decimal comma (as line 3, Amount '€ 1.234,50')"
    assert evidence.reading(".") == "decimal point (as chosen)"
    point = DecimalMarkEvidence()
    point.observe("12.50", 2, "Amount")
    assert point.reading(".") == ""
    assert DecimalMarkEvidence().decide(None) is None


def test_a_file_with_both_decimal_marks_is_refused_unless_told() -> None:
    evidence = DecimalMarkEvidence()
    evidence.observe("1.234,50", 2, "Amount")
    evidence.observe("1,234.50", 9, "Amount")
    with pytest.raises(ValueError, match="--decimal-comma or --decimal-point"):
        evidence.decide(None)
    assert evidence.decide(".") == "."
