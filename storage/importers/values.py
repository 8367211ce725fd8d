"""Cell values from CRM exports other than dates and money: emails, probabilities, names.

Each parser takes the stripped text of one non-empty cell and returns the value or
raises ValueError with a message that says what was wrong and what is accepted.
Dates live in `dates`, amounts and currencies in `money`.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_HUNDRED = Decimal(100)


def fold(text: str) -> str:
    """Lower-case letters and digits only: "Close Date" -> "closedate"."""
    return re.sub(r"[\W_]+", "", text.casefold())


def parse_email(text: str) -> str:
    """An email address, as written (matching ignores case)."""
    if not _EMAIL.fullmatch(text):
        raise ValueError(f"{text!r} is not an email address")
    return text


def probability_number(text: str) -> Decimal | None:
    """The number in a probability cell ("90%", "90", "0.9", "90,5 %"), or None."""
    try:
        return Decimal(text.removesuffix("%").strip().replace(",", "."))
    except InvalidOperation:
        return None


def parse_probability(text: str, *, fractions: bool) -> int:
    """A win probability in whole percent, 0-100.

    "90%" is always a percentage; a bare number is a fraction of one when the file
    writes probabilities that way (`fractions`: HubSpot's 0.9), else a percentage.
    """
    number = probability_number(text)
    if number is None or not number.is_finite():
        raise ValueError(f"cannot read {text!r} as a probability (write it like 90% or 0.9)")
    if fractions and not text.endswith("%"):
        number *= _HUNDRED
    if not 0 <= number <= _HUNDRED:
        raise ValueError(f"probability {text!r} is not between 0% and 100%")
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))
