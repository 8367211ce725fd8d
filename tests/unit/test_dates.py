"""Dates anywhere in a reply, read against the rep's today and the fiscal year."""

import datetime as dt

import pytest

from coaching.dates import FiscalCalendar, find_dates, parse_date

TODAY = dt.date(2026, 11, 23)  # a Monday


def one(text: str, *, fiscal_start: int = 1, day_first: bool | None = None):
    mentions = find_dates(text, TODAY, fiscal=FiscalCalendar(fiscal_start), day_first=day_first)
    assert len(mentions) == 1, mentions
    return mentions[0]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("demo to their ops team next Thursday", "2026-12-03"),
        ("next Thursday, the 10th", "2026-12-10"),
        ("mon 30th", "2026-11-30"),
        ("wednesday the 2nd", "2026-12-02"),
        ("Thursday next week", "2026-12-03"),
        ("send revised quote by Wed", "2026-11-25"),
        ("board meeting on the 15th", "2026-12-15"),
        ("the 31st", "2026-12-31"),
        ("the warehouse opens 1st of Feb", "2027-02-01"),
        ("renewal on 31/01", "2027-01-31"),
        ("meeting 10.12.", "2026-12-10"),
        ("15.12.2026", "2026-12-15"),
        ("12/15/2026", "2026-12-15"),
        ("in 10 days", "2026-12-03"),
        ("before christmas", "2026-12-24"),
        ("tomorrow 3pm", "2026-11-24"),
    ],
)
def test_days_are_found_inside_sentences(text: str, day: str) -> None:
    mention = one(text)
    assert (mention.value, mention.precision) == (dt.date.fromisoformat(day), "day")


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        ("next week", "2026-12-04", "week"),
        ("KW 50", "2026-12-11", "week"),
        ("w/c 14th Dec", "2026-12-18", "week"),
        ("in a fortnight", "2026-12-07", "week"),
        ("end of the month", "2026-11-30", "month"),
        ("POC kickoff in January", "2027-01-31", "month"),
        ("ref call early Dec", "2026-12-05", "month_part"),
        ("mid March", "2027-03-15", "month_part"),
        ("end of Q1", "2027-03-31", "quarter"),
        ("by end of next quarter", "2027-03-31", "quarter"),
        ("Q1 next year", "2027-03-31", "quarter"),
        ("H1 2027", "2027-06-30", "half"),
        ("EOY", "2026-12-31", "year"),
    ],
)
def test_periods_read_as_their_end(text: str, day: str, precision: str) -> None:
    mention = one(text)
    assert (mention.value, mention.precision) == (dt.date.fromisoformat(day), precision)


@pytest.mark.parametrize(
    ("text", "fiscal_start", "day"),
    [
        ("end of Q1", 4, "2027-06-30"),  # April year: Q1 2026 (Apr-Jun) is over
        ("end of Q4", 4, "2027-03-31"),
        ("end of FY", 4, "2027-03-31"),
        ("end of this quarter", 2, "2027-01-31"),  # February year: Q4 is Nov-Jan
        ("next quarter", 2, "2027-04-30"),
        ("Q2 FY27", 4, "2026-09-30"),
    ],
)
def test_quarters_are_fiscal(text: str, fiscal_start: int, day: str) -> None:
    assert one(text, fiscal_start=fiscal_start).value == dt.date.fromisoformat(day)


def test_fiscal_years_are_named_after_the_year_they_end_in() -> None:
    april = FiscalCalendar(4)
    assert april.year_of(dt.date(2026, 11, 23)) == 2027
    assert april.year_start(2027) == dt.date(2026, 4, 1)
    assert april.year_end(2027) == dt.date(2027, 3, 31)
    assert FiscalCalendar().year_of(dt.date(2026, 11, 23)) == 2026
    with pytest.raises(ValueError, match="month 1 to 12"):
        FiscalCalendar(13)


def test_day_and_month_order_follows_the_reps_habit_or_is_ambiguous() -> None:
    assert one("03/04/2027", day_first=True).value == dt.date(2027, 4, 3)
    assert one("03/04/2027", day_first=False).value == dt.date(2027, 3, 4)
    unknown = one("03/04/2027")
    assert (unknown.value, unknown.ambiguous) == (None, True)


@pytest.mark.parametrize("text", ["Dec 3rd or 4th", "next Thursday, the 11th"])
def test_alternatives_and_contradictions_have_no_date(text: str) -> None:
    assert one(text).value is None


@pytest.mark.parametrize("text", ["march or april", "Friday or Monday", "Jan/Feb"])
def test_two_dates_offered_as_alternatives_are_neither(text: str) -> None:
    mentions = find_dates(text, TODAY)
    assert len(mentions) == 2
    assert all(mention.value is None and mention.ambiguous for mention in mentions)


def test_bounds_and_rough_spans_are_marked() -> None:
    assert one("after christmas").precision == "vague"
    within = one("within 2 weeks")
    assert (within.value, within.approximate) == (dt.date(2026, 12, 7), True)


def test_vague_phrases_are_marked_vague() -> None:
    assert one("soon").precision == "vague"
    assert one("early next year").precision == "vague"


@pytest.mark.parametrize(
    "text",
    ["they may decide", "Jan from finance", "we sat down", "24/7 support", "3.5 million", "10:30"],
)
def test_words_that_only_look_like_dates_are_not_dates(text: str) -> None:
    assert find_dates(text, TODAY) == []


def test_a_recent_day_without_a_year_stays_in_the_past() -> None:
    mention = one("20 Nov")
    assert (mention.value, mention.past) == (dt.date(2026, 11, 20), True)
    assert one("20 Oct").value == dt.date(2027, 10, 20)


def test_parse_date_reads_one_date_and_refuses_several() -> None:
    assert parse_date("until next Friday", TODAY).value == dt.date(2026, 12, 4)
    assert parse_date("Friday or Monday", TODAY).value is None
    assert parse_date("03/04/2026", TODAY).ambiguous
