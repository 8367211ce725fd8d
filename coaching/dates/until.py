"""'until next month': the day a pause, an absence or a snooze ends.

A rep who types "pause Contoso until next month" on 3 December means "leave it alone
for the rest of December": it wakes up on 1 January, not at the end of January (which
is what "next month" means as a deadline, e.g. a close date). So a whole period named
after "until" ("next week", "next month", "January", "Q1", "next year") ends where that
period begins; a day ("2027-01-15", "Friday"), a part of a month ("mid January") or an
explicit end ("end of next month", "eom") ends on that day.
"""

from __future__ import annotations

import datetime as dt
import re

from coaching.dates import DateReading, find_dates
from coaching.dates.calendar_math import add_months

MONTHS_IN = {"month": 1, "quarter": 3, "half": 6, "year": 12}
_EXPLICIT_END = re.compile(r"^(?:the\s+)?(?:end|eo[wmqy]|last|in|within)\b|\bend\b")


def parse_until(text: str, today: dt.date) -> DateReading:
    """The first day after the pause: one date, or None when the text names none or several."""
    mentions = [mention for mention in find_dates(text, today) if mention.value is not None]
    if len(mentions) != 1 or any(mention.ambiguous for mention in find_dates(text, today)):
        return DateReading(None, ambiguous=len(mentions) > 1)
    mention = mentions[0]
    value = mention.value
    assert value is not None
    if _EXPLICIT_END.search(mention.text.lower()):
        return DateReading(value)
    if mention.precision == "week":
        start = value - dt.timedelta(days=value.weekday())
    elif mention.precision in MONTHS_IN:
        start = add_months(value.replace(day=1), 1 - MONTHS_IN[mention.precision])
    else:
        return DateReading(value)
    return DateReading(start if start > today else value)
