"""Money in CRM exports: amounts, the currency written with them, and decimal marks.

Each parser takes the stripped text of one non-empty cell and returns the value or
raises ValueError with a message that says what was wrong and what is accepted.

A currency may stand before or after the number, as an ISO code ("EUR 15,000.00",
"15.000,00 EUR") or a symbol ("€ 15.000,00", "$1,234.50", "1 234 kr"). A symbol shared
by several currencies ($, ¥, kr) means the default currency when that is one of them,
else the first listed below ($ is USD).

Spaces, non-breaking spaces and apostrophes group thousands. The decimal mark is the
file's (`decimal_mark`, "," or "."), decided once per file by `DecimalMarkEvidence`.
Left unset, each value decides alone: when both "," and "." appear the rightmost is
the decimal mark; a lone mark followed by one or two digits is decimal ("12,5" ->
12.50); a lone mark followed by three digits after 1-3 digits groups thousands
("1,234" and "1.234" -> 1234: amounts have cents, not thousandths). Thousands groups
must have three digits, so "1,23,4" is rejected. Values are rounded to cents;
negative amounts are rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from storage.importers.dates import Example

DecimalMark = Literal[",", "."]

CURRENCY_SYMBOLS: dict[str, tuple[str, ...]] = {
    "US$": ("USD",),
    "C$": ("CAD",),
    "CA$": ("CAD",),
    "A$": ("AUD",),
    "AU$": ("AUD",),
    "NZ$": ("NZD",),
    "HK$": ("HKD",),
    "S$": ("SGD",),
    "R$": ("BRL",),
    "MX$": ("MXN",),
    "$": ("USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"),
    "€": ("EUR",),
    "£": ("GBP",),
    "¥": ("JPY", "CNY"),
    "₹": ("INR",),
    "₩": ("KRW",),
    "₽": ("RUB",),
    "₺": ("TRY",),
    "₪": ("ILS",),
    "zł": ("PLN",),
    "kr": ("SEK", "NOK", "DKK", "ISK"),
    "Fr.": ("CHF",),
}
_SYMBOL = "|".join(re.escape(symbol) for symbol in sorted(CURRENCY_SYMBOLS, key=len, reverse=True))
_MARKER = rf"(?:[A-Z]{{3}}(?![A-Za-z])|{_SYMBOL})"
_AROUND = re.compile(
    rf"(?P<before>{_MARKER})?\s*(?P<number>[^A-Za-z$€£¥₹₩₽₺₪]*?)\s*(?P<after>{_MARKER})?"
)
_NUMBER = re.compile(r"[\d,.' \u00a0\u202f]+")
_SPACING = re.compile(r"[' \u00a0\u202f]")
_GROUPING = re.compile(r"[,.' \u00a0\u202f]")
_THOUSANDS = re.compile(r"[1-9]\d{0,2}[,.]\d{3}")
_PLAIN = re.compile(r"\d+(?:\.\d{1,2})?")
_MARK_EVIDENCE = re.compile(
    r"(?P<comma>\d+,\d{1,2}|\d+,\d{4,}|\d{1,3}(?:\.\d{3})+,\d*|\d{1,3}(?:\.\d{3}){2,})"
    r"|(?P<point>\d*\.\d{1,2}|\d+\.\d{4,}|\d{4,}\.\d+|0\.\d+"
    r"|\d{1,3}(?:,\d{3})+\.\d*|\d{1,3}(?:,\d{3}){2,})"
)
_CENT = Decimal("0.01")
_AMOUNT_LIMIT = Decimal("1e14")


@dataclass(frozen=True, slots=True)
class Money:
    """An amount, and the currency its cell named (None when it named none)."""

    amount: Decimal
    currency: str | None


def parse_money(
    text: str, *, decimal_mark: DecimalMark | None = None, default_currency: str | None = None
) -> Money:
    """The amount and the currency written with it (rules in the module docstring)."""
    if _PLAIN.fullmatch(text) and decimal_mark != ",":  # 15000, 500.0: the common case
        return Money(
            _within_limit(text, Decimal(text).quantize(_CENT, rounding=ROUND_HALF_UP)), None
        )
    match = _around(text)
    currency = _currency_of(text, match.group("before"), match.group("after"), default_currency)
    return Money(_amount(text, match.group("number"), decimal_mark), currency)


def parse_amount(text: str, *, decimal_mark: DecimalMark | None = None) -> Decimal:
    """The amount alone, whatever currency the cell names."""
    return parse_money(text, decimal_mark=decimal_mark).amount


def parse_currency(text: str, default_currency: str | None = None) -> str:
    """An ISO 4217 code (upper case) from a code or a currency symbol."""
    if text in CURRENCY_SYMBOLS:
        return _from_symbol(text, default_currency)
    if re.fullmatch(r"[A-Za-z]{3}", text):
        return text.upper()
    raise ValueError(f"currency {text!r} is not a 3-letter ISO code such as USD or EUR")


def decimal_mark_of(text: str) -> DecimalMark | None:
    """The decimal mark one amount shows beyond doubt: the only one it reads with
    ("1.234,50" -> ","; "1,234" reads both ways and "12..5" neither: None)."""
    if "," not in text and "." not in text:
        return None
    number = _SPACING.sub("", _number_of(text).strip())
    match = _MARK_EVIDENCE.fullmatch(number)
    if match is None:
        return None
    return "," if match.lastgroup == "comma" else "."


class DecimalMarkEvidence:
    """The first amount of a file that shows each decimal mark, to decide it once."""

    def __init__(self) -> None:
        self.found: dict[DecimalMark, Example] = {}

    def observe(self, text: str, line: int, column: str) -> None:
        mark = decimal_mark_of(text)
        if mark is not None and mark not in self.found:
            self.found[mark] = Example(line, column, text)

    def decide(self, decimal_mark: DecimalMark | None) -> DecimalMark | None:
        """The user's choice, else the one mark the file shows; ValueError when it shows both."""
        if decimal_mark is not None:
            return decimal_mark
        if len(self.found) > 1:
            raise ValueError(
                f"its amounts write decimals both ways: {self.found[',']} has a decimal comma "
                f"and {self.found['.']} a decimal point; fix the file, or say which to use "
                "with --decimal-comma or --decimal-point"
            )
        return next(iter(self.found), None)

    def reading(self, decimal_mark: DecimalMark | None) -> str:
        """How amounts were read, for the import summary (a point the file shows goes
        without saying)."""
        found = self.found.get(decimal_mark) if decimal_mark else None
        if decimal_mark is None or (decimal_mark == "." and found):
            return ""
        name = "comma" if decimal_mark == "," else "point"
        return f"decimal {name} (as {found})" if found else f"decimal {name} (as chosen)"


def _around(text: str) -> re.Match[str]:
    match = _AROUND.fullmatch(text)
    if match is None:
        raise ValueError(f"cannot read {text!r} as an amount (write it like 1234.50 or $1,234.50)")
    return match


def _number_of(text: str) -> str:
    return _around(text).group("number")


def _currency_of(
    text: str, before: str | None, after: str | None, default_currency: str | None
) -> str | None:
    codes = {
        _from_symbol(marker, default_currency) if marker in CURRENCY_SYMBOLS else marker
        for marker in (before, after)
        if marker
    }
    if len(codes) > 1:
        raise ValueError(f"amount {text!r} names two currencies ({', '.join(sorted(codes))})")
    return next(iter(codes), None)


def _from_symbol(symbol: str, default_currency: str | None) -> str:
    candidates = CURRENCY_SYMBOLS[symbol]
    return default_currency if default_currency in candidates else candidates[0]


def _amount(text: str, number: str, decimal_mark: DecimalMark | None) -> Decimal:
    number = number.strip()
    if number.startswith(("-", "(", "−")) or number.endswith(("-", ")")):
        raise ValueError(f"amount {text!r} is negative: deal amounts must be 0 or more")
    number = number.removeprefix("+")
    if not number or not _NUMBER.fullmatch(number) or not any(c.isdecimal() for c in number):
        raise ValueError(f"cannot read {text!r} as an amount (write it like 1234.50 or $1,234.50)")
    integer, fraction = _split_decimal(number, decimal_mark)
    if decimal_mark is not None and decimal_mark in integer:
        raise ValueError(
            f"cannot read {text!r} as an amount: it has more than one decimal mark"
            + _mark_hint(decimal_mark)
        )
    groups = _GROUPING.split(integer)
    if len(groups) > 1 and (
        not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])
    ):
        raise ValueError(
            f"cannot read {text!r} as an amount: its thousands separators are not "
            "in groups of three (write it like 1234.50)" + _mark_hint(decimal_mark)
        )
    digits = "".join(groups) or "0"
    if not digits.isdecimal() or (fraction and not fraction.isdecimal()):
        raise ValueError(
            f"cannot read {text!r} as an amount (write it like 1234.50)" + _mark_hint(decimal_mark)
        )
    try:
        value = Decimal(f"{digits}.{fraction or '0'}").quantize(_CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError(f"cannot read {text!r} as an amount") from None
    return _within_limit(text, value)


def _within_limit(text: str, value: Decimal) -> Decimal:
    if value >= _AMOUNT_LIMIT:
        raise ValueError(f"amount {text!r} is too large (the limit is 99,999,999,999,999.99)")
    return value


def _split_decimal(number: str, decimal_mark: DecimalMark | None) -> tuple[str, str]:
    """(integer part, fraction digits) once the decimal mark is decided."""
    compact = _SPACING.sub("", number)
    mark = decimal_mark or _own_mark(compact)
    if mark is None or mark not in compact:
        return number, ""
    integer, _, fraction = number.rpartition(mark)
    return integer.strip(), fraction


def _own_mark(compact: str) -> DecimalMark | None:
    """The decimal mark of a value read alone (no file-wide decision)."""
    if "." in compact and "," in compact:
        return "." if compact.rfind(".") > compact.rfind(",") else ","
    if _THOUSANDS.fullmatch(compact):
        return None
    for mark in (",", "."):
        if compact.count(mark) == 1 and (mark == "." or re.search(r",\d{1,2}$", compact)):
            return mark
    return None


def _mark_hint(decimal_mark: DecimalMark | None) -> str:
    if decimal_mark is None:
        return ""
    name = "commas" if decimal_mark == "," else "points"
    return f"; this file's amounts have decimal {name}"
