"""Cell values from CRM exports: dates, amounts, currencies, emails, header names.

Each parser takes the stripped text of one non-empty cell and returns the value or
raises ValueError with a message that says what was wrong and what is accepted.

Dates: ISO (2017-05-06, 2017/05/06), US month/day/year as Salesforce exports it
(5/6/2017, 05/06/17), day.month.year (06.05.2017), and English month names
(May 6, 2017; 6 May 2017; 06-May-2017), each optionally followed by a time, which is
dropped. Slash dates are always month/day/year: "25/12/2017" is rejected rather than
silently read as day/month, because a file in that order would have its other dates
(day <= 12) misread without any sign.

Amounts: currency symbols and upper-case ISO codes around the number are dropped ("$1,234.50",
"1.234,50 EUR"). Spaces, non-breaking spaces and apostrophes group thousands. When
both "," and "." appear, the rightmost one is the decimal mark. A lone "," is a
decimal comma only when one or two digits follow it ("1 234,50" -> 1234.50,
"12,5" -> 12.50); otherwise it groups thousands as in US exports ("1,234" -> 1234).
A lone "." is always a decimal point ("1.234" -> 1.23); several dots group thousands
("1.234.567"). Thousands groups must have three digits, so typos such as "1,23,4" are
rejected. Values are rounded to cents; negative amounts are rejected.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DATE_FORMATS_HELP = "use YYYY-MM-DD, M/D/YYYY or D.M.YYYY"

_TIME = (
    r"(?:[T ,]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"  # a time: 10:15, 10:15:00.000
    r"\s*(?:[AaPp][Mm])?\s*(?:Z|UTC|[+-]\d{2}:?\d{2})?)?"  # 10:15 AM, Z, +02:00
)
_ISO = re.compile(rf"(\d{{4}})[-/](\d{{1,2}})[-/](\d{{1,2}}){_TIME}")
_US = re.compile(rf"(\d{{1,2}})/(\d{{1,2}})/(\d{{4}}|\d{{2}}){_TIME}")
_DOTTED = re.compile(rf"(\d{{1,2}})\.(\d{{1,2}})\.(\d{{4}}|\d{{2}})\.?{_TIME}")
_NAMED_MONTH_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %b %Y", "%d %B %Y", "%d-%b-%Y", "%d-%b-%y")

_CURRENCY_AROUND = re.compile(
    r"^(?:[A-Z]{3}\s*|[A-Z]{0,2}[$€£¥₹]\s*)?(?P<number>.*?)(?:\s*[$€£¥₹]|\s*[A-Z]{3})?$"
)
_GROUPING = re.compile(r"[,.' \u00a0\u202f]")
_CENT = Decimal("0.01")
_AMOUNT_LIMIT = Decimal("1e14")
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def fold(text: str) -> str:
    """Lower-case letters and digits only: "Close Date" -> "closedate"."""
    return re.sub(r"[\W_]+", "", text.casefold())


def parse_date(text: str) -> dt.date:
    """A calendar date from the common export formats (see the module docstring)."""
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _US.fullmatch(text):
        month, day, year = match.groups()
    elif match := _DOTTED.fullmatch(text):
        day, month, year = match.groups()
    else:
        return _named_month_date(text)
    try:
        return dt.date(_full_year(year), int(month), int(day))
    except ValueError:
        if match.re is _US:
            raise ValueError(
                f"{text!r} is not a real month/day/year date (slash dates are read as "
                "US month/day/year; write day-first dates as D.M.YYYY or use YYYY-MM-DD)"
            ) from None
        raise ValueError(f"{text!r} is not a real date") from None


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


def parse_amount(text: str) -> Decimal:
    """A non-negative money amount rounded to cents (rules in the module docstring)."""
    match = _CURRENCY_AROUND.fullmatch(text)
    number = match.group("number").strip() if match else text
    if number.startswith(("-", "(", "−")) or number.endswith(("-", ")")):
        raise ValueError(f"amount {text!r} is negative: deal amounts must be 0 or more")
    number = number.removeprefix("+")
    if (
        not number
        or not re.fullmatch(r"[\d,.' \u00a0\u202f]+", number)
        or not any(char.isdecimal() for char in number)
    ):
        raise ValueError(f"cannot read {text!r} as an amount (write it like 1234.50 or $1,234.50)")
    integer, fraction = _split_decimal(number)
    groups = _GROUPING.split(integer)
    if len(groups) > 1 and (
        not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])
    ):
        raise ValueError(
            f"cannot read {text!r} as an amount: its thousands separators are not "
            "in groups of three (write it like 1234.50)"
        )
    digits = "".join(groups) or "0"
    if not digits.isdecimal() or (fraction and not fraction.isdecimal()):
        raise ValueError(f"cannot read {text!r} as an amount (write it like 1234.50)")
    try:
        value = Decimal(f"{digits}.{fraction or '0'}").quantize(_CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError(f"cannot read {text!r} as an amount") from None
    if value >= _AMOUNT_LIMIT:
        raise ValueError(f"amount {text!r} is too large (the limit is 99,999,999,999,999.99)")
    return value


def _split_decimal(number: str) -> tuple[str, str]:
    """(integer part, fraction digits) once the decimal mark is decided."""
    compact = re.sub(r"[' \u00a0\u202f]", "", number)
    if "." in compact and "," in compact:
        mark = "." if compact.rfind(".") > compact.rfind(",") else ","
    elif compact.count(",") == 1 and re.search(r",\d{1,2}$", compact):
        mark = ","
    elif compact.count(".") == 1:
        mark = "."
    else:
        return number, ""
    integer, _, fraction = number.rpartition(mark)
    return integer.strip(), fraction


def parse_currency(text: str) -> str:
    """An ISO 4217 code (upper case) from a code or the symbols $, € and £."""
    if text in _CURRENCY_SYMBOLS:
        return _CURRENCY_SYMBOLS[text]
    if re.fullmatch(r"[A-Za-z]{3}", text):
        return text.upper()
    raise ValueError(f"currency {text!r} is not a 3-letter ISO code such as USD or EUR")


def parse_email(text: str) -> str:
    """An email address, as written (matching ignores case)."""
    if not _EMAIL.fullmatch(text):
        raise ValueError(f"{text!r} is not an email address")
    return text
