"""Dates as reps type them, anywhere in a reply: '2026-12-15', 'next Thursday, the 10th',
'end of Q1', 'KW 50', '15.12.', 'in 2 weeks'.

Relative phrases are read against the rep's local `today`; quarters and halves against
the fiscal year (see coaching.dates.patterns for the conventions).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from coaching.dates.calendar_math import FiscalCalendar, friday_of_week
from coaching.dates.patterns import NUMBER_WORDS, PATTERNS, Meaning, Precision, Scan

__all__ = [
    "NUMBER_WORDS",
    "DateMention",
    "DateReading",
    "FiscalCalendar",
    "Precision",
    "find_dates",
    "parse_date",
    "parse_duration",
]

_WEEK_OF = re.compile(r"(?:w/c|wc|w\.c\.|week commencing|(?:the\s+)?week of)\s*$")
_AFTER = re.compile(r"\b(?:after|not before|from)\s*$")
_ALTERNATIVE = re.compile(r"\s*(?:or|-|–|to)\s*\d{1,2}(?:st|nd|rd|th)?\b")
_BETWEEN = re.compile(r"\s*(?:or|-|–|to|/|and)\s*")


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date phrase found in a reply: where (`start`, `end` in the text) and what it means.

    `value` is None when the phrase is ambiguous (03/04), contradicts itself (a Thursday
    that is no 10th) or is vague ('soon'). `precision` says how much it pins down;
    `approximate` marks 'a couple of weeks'; `past` a date before today.
    """

    start: int
    end: int
    text: str
    value: dt.date | None
    precision: Precision = "day"
    ambiguous: bool = False
    approximate: bool = False
    past: bool = False


def find_dates(
    text: str,
    today: dt.date,
    *,
    fiscal: FiscalCalendar | None = None,
    day_first: bool | None = None,
) -> list[DateMention]:
    """Every date phrase in `text`, in order, the longest reading where phrases overlap.

    `day_first`: the rep's habit for 03/04 (True: 3 April); None when unknown.
    """
    lowered = "".join(char.lower() if len(char.lower()) == 1 else char for char in text)
    scan = Scan(today, fiscal or FiscalCalendar(), day_first, lowered)
    found: list[tuple[int, int, Meaning]] = []
    for pattern, reader in PATTERNS:
        for match in pattern.finditer(lowered):
            meaning = reader(match, scan)
            if meaning is not None and match.end() > match.start():
                found.append((match.start(), match.end(), meaning))
    chosen: list[tuple[int, int, Meaning]] = []
    for start, end, meaning in sorted(found, key=lambda item: (item[0] - item[1], item[0])):
        if all(end <= other_start or start >= other_end for other_start, other_end, _ in chosen):
            chosen.append((start, end, meaning))
    mentions = [_mention(text, lowered, *item) for item in sorted(chosen, key=lambda item: item[0])]
    return _alternatives(lowered, mentions)


def _alternatives(lowered: str, mentions: list[DateMention]) -> list[DateMention]:
    """'March or April', 'Friday or Monday': neither date is the answer."""
    undecided: set[int] = set()
    for index in range(len(mentions) - 1):
        gap = lowered[mentions[index].end : mentions[index + 1].start]
        if gap and _BETWEEN.fullmatch(gap):
            undecided |= {index, index + 1}
    return [
        replace(mention, value=None, ambiguous=True) if index in undecided else mention
        for index, mention in enumerate(mentions)
    ]


def _mention(text: str, lowered: str, start: int, end: int, meaning: Meaning) -> DateMention:
    week_of = _WEEK_OF.search(lowered[:start])
    if week_of and meaning.value is not None:
        start = week_of.start()
        meaning = Meaning(friday_of_week(meaning.value), "week", past=meaning.past)
    if _AFTER.search(lowered[:start]):
        meaning = Meaning(meaning.value, "vague", past=meaning.past)  # a lower bound, not a date
    alternative = _ALTERNATIVE.match(lowered, end)
    if alternative and meaning.precision == "day":
        end = alternative.end()
        meaning = Meaning(None, ambiguous=True)
    return DateMention(
        start,
        end,
        text[start:end].strip(),
        meaning.value,
        meaning.precision,
        meaning.ambiguous,
        meaning.approximate,
        meaning.past,
    )


@dataclass(frozen=True, slots=True)
class DateReading:
    value: dt.date | None
    ambiguous: bool = False


def parse_date(text: str, today: dt.date) -> DateReading:
    """The one date a short phrase names ('until next Friday'); `value` is None when it
    names none, or several."""
    mentions = find_dates(text, today)
    values = {mention.value for mention in mentions if mention.value is not None}
    if len(values) == 1 and not any(mention.ambiguous for mention in mentions):
        return DateReading(values.pop())
    return DateReading(None, ambiguous=any(mention.ambiguous for mention in mentions))


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
