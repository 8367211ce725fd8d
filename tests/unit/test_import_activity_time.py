"""Activity date-times: the deals importer's dates plus a time and a zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from storage.importers.activity_time import parse_datetime
from storage.importers.file_locale import FileLocale

PARIS = ZoneInfo("Europe/Paris")
US = FileLocale(day_first=False)
EU = FileLocale(day_first=True)


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("2026-11-20T15:12:40.000Z", US, utc(2026, 11, 20, 15, 12, 40)),
        ("2026-11-20T15:12:40+01:00", US, utc(2026, 11, 20, 14, 12, 40)),
        ("2026-11-20 15:30", US, utc(2026, 11, 20, 14, 30)),  # Paris time, winter
        ("11/20/2026 3:30 PM", US, utc(2026, 11, 20, 14, 30)),
        ("20/11/2026 15:30", EU, utc(2026, 11, 20, 14, 30)),
        ("20.11.2026 09:05", EU, utc(2026, 11, 20, 8, 5)),
        ("Nov 20, 2026, 12:15 am", US, utc(2026, 11, 19, 23, 15)),
        ("2026-11-20", US, utc(2026, 11, 20, 11)),  # a date alone: noon where the team is
        ("1763651560000", US, utc(2025, 11, 20, 15, 12, 40)),  # epoch milliseconds
    ],
)
def test_reads_times_and_zones(text: str, locale: FileLocale, expected: dt.datetime) -> None:
    assert parse_datetime(text, locale, PARIS) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-11-20 24:10", "has no real time of day"),
        ("2026-11-20 13:10 PM", "13 is not an hour of a 12-hour clock"),
        ("31/11/2026 10:00", "is not a real date"),
        ("soon", "cannot read 'soon' as a date"),
    ],
)
def test_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_datetime(text, EU, PARIS)


def test_an_exact_format_with_a_time_is_used_whole() -> None:
    locale = FileLocale(date_format="%d/%m/%Y %H.%M")
    assert parse_datetime("20/11/2026 15.30", locale, ZoneInfo("UTC")) == utc(2026, 11, 20, 15, 30)
