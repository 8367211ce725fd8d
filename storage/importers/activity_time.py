"""Date-times in activity exports: the deals importer's dates, plus a time and a zone.

The date part is read exactly as deal dates are (`FileLocale.date`: the file's day or
month order, --date-format, named months); a time may follow ("15:30", "3:30 PM",
"T15:30:00.000Z", "15:30 +01:00"). Without a zone the time is in the import's timezone;
a date without a time is taken as noon there, so it stays on its day in any zone.
Epoch milliseconds (HubSpot API exports) are read as UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from storage.importers.file_locale import FileLocale

_TIME_TAIL = re.compile(
    r"(?:[T ,]\s*|^)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp]\.?[Mm]\.?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$"
)
_EPOCH_MS = re.compile(r"\d{12,13}")
_NOON = dt.time(12)
_HALF_DAY = 12


def parse_datetime(text: str, locale: FileLocale, zone: ZoneInfo) -> dt.datetime:
    """An aware UTC datetime from one non-empty cell, or ValueError saying what is wrong."""
    if _EPOCH_MS.fullmatch(text):
        return dt.datetime.fromtimestamp(int(text) / 1000, dt.UTC)
    if locale.date_format and "%H" in locale.date_format:
        try:
            parsed = dt.datetime.strptime(text, locale.date_format)
        except ValueError:
            pass
        else:
            return _aware(parsed, None, zone)
    match = _TIME_TAIL.search(text)
    if match is None:
        return _aware(dt.datetime.combine(locale.date(text), _NOON), None, zone)
    day = locale.date(text[: match.start()].rstrip(" ,T"))
    hour, minute = int(match.group(1)), int(match.group(2))
    second = int(match.group(3) or 0)
    if meridiem := match.group(4):
        if not 1 <= hour <= _HALF_DAY:
            raise ValueError(f"{text!r}: {hour} is not an hour of a 12-hour clock")
        hour = hour % _HALF_DAY + (_HALF_DAY if meridiem[0] in "Pp" else 0)
    try:
        clock = dt.time(hour, minute, second)
    except ValueError:
        raise ValueError(f"{text!r} has no real time of day (write it like 14:30)") from None
    return _aware(dt.datetime.combine(day, clock), match.group(5), zone)


def _aware(local: dt.datetime, offset: str | None, zone: ZoneInfo) -> dt.datetime:
    if offset in {"Z", "UTC", "GMT"}:
        return local.replace(tzinfo=dt.UTC)
    if offset:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        delta = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return local.replace(tzinfo=dt.timezone(sign * delta)).astimezone(dt.UTC)
    return local.replace(tzinfo=zone).astimezone(dt.UTC)
