"""Numbers read by value, whatever their spelling: "84,000", "USD 84.000", "84k",
"$84K", "0.084m", "eighty-four thousand", "15 percent", "fifteen per cent".

A written number can mean more than one value ("84.000" is 84 thousand in much of
Europe and 84 in English); `Quantity.values` holds every value it may mean, and
`Quantity.value` the likeliest one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_CURRENCY = r"(?:[$€£¥]|\b(?:usd|eur|gbp|chf|cad|aud|us\$)\b)"
_SCALE = r"(?:k|m|mn|bn|thousand|million|billion|grand)\b"
_PERCENT = r"(?:%|\bper\s?cent\b|\bpct\b)"
_MONEY_WORD = r"(?:\b(?:dollars?|euros?|pounds?|bucks)\b)"
_DIGITS = re.compile(
    rf"(?P<before>{_CURRENCY})?\s?"
    r"(?P<number>\d{1,3}(?:(?P<group>[.,'\u00a0\u202f ])\d{3})(?:(?P=group)\d{3})*"
    r"(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?!\d)"
    rf"(?:\s?(?P<scale>{_SCALE}))?"
    rf"(?:\s?(?P<percent>{_PERCENT}))?"
    rf"(?:\s?(?P<after>{_CURRENCY}|{_MONEY_WORD}))?",
    re.IGNORECASE,
)
_UNIT_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_UNITS = {word: index for index, word in enumerate(_UNIT_WORDS.split(" "))}
_TENS = {
    word: 10 * index
    for index, word in enumerate(
        ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    )
    if word != "_"
}
_MULTIPLIERS = {"thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_SCALES = {"k": 1000, "grand": 1000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000}
_SCALES |= _MULTIPLIERS
_NUMBER_WORD = "|".join([*_UNITS, *_TENS, "hundred", *_MULTIPLIERS])
_WORDS = re.compile(
    rf"(?P<before>{_CURRENCY})?\s?"
    rf"(?P<words>(?:\ba\s+)?\b(?:{_NUMBER_WORD})\b(?:(?:\s+and\s+|[\s-]+)\b(?:{_NUMBER_WORD})\b)*)"
    rf"(?:\s?(?P<percent>{_PERCENT}))?"
    rf"(?:\s?(?P<after>{_CURRENCY}|{_MONEY_WORD}))?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as written: every value it may stand for, and how it was meant."""

    text: str
    value: Decimal
    values: frozenset[Decimal]
    percent: bool
    money: bool

    @property
    def sensitive(self) -> bool:
        """Worth keeping secret: a percentage, a sum of money, or 100 and more (not a year)."""
        if self.percent or self.money:
            return True
        whole = self.value == self.value.to_integral_value()
        return self.value >= 100 and not (whole and 1900 <= self.value <= 2100)

    def same_as(self, other: Quantity) -> bool:
        """Whether the two could be the same figure (a percentage only equals a percentage)."""
        return self.percent == other.percent and bool(self.values & other.values)


def quantities(text: str) -> list[Quantity]:
    """Every number in `text`, in digits or in words."""
    found = [_from_digits(match) for match in _DIGITS.finditer(text)]
    found += [item for match in _WORDS.finditer(text) if (item := _from_words(match))]
    return [item for item in found if item is not None]


def _from_digits(match: re.Match[str]) -> Quantity | None:
    readings = _readings(match["number"], match["group"])
    if not readings:
        return None
    scale = Decimal(_SCALES[match["scale"].lower()]) if match["scale"] else Decimal(1)
    values = [(value * scale).normalize() for value in readings]
    return Quantity(
        text=match.group(0).strip(),
        value=values[0],
        values=frozenset(values),
        percent=bool(match["percent"]),
        money=bool(match["before"] or match["after"]),
    )


def _readings(number: str, group: str | None) -> list[Decimal]:
    """The values a digit string may mean, likeliest first."""
    if group is None:
        plain = [number.replace(",", ".")]  # "84,5" is 84.5
    else:
        whole, _, fraction = _split_fraction(number, group)
        plain = [whole.replace(group, "") + (f".{fraction}" if fraction else "")]
        if group in ".," and number.count(group) == 1 and not fraction:
            plain.append(number.replace(group, "."))  # "84.000" may also be 84
    readings = []
    for text in plain:
        try:
            readings.append(Decimal(text))
        except InvalidOperation:
            continue
    return readings


def _split_fraction(number: str, group: str) -> tuple[str, str, str]:
    """`12.345,67` -> ("12.345", ",", "67") when the last mark is not the group mark."""
    last = max(number.rfind("."), number.rfind(","))
    if last >= 0 and number[last] != group:
        return number[:last], number[last], number[last + 1 :]
    return number, "", ""


def _from_words(match: re.Match[str]) -> Quantity | None:
    words = re.findall(r"[a-z]+", match["words"].lower())
    total = current = 0
    seen = False
    for position, word in enumerate(words):
        if word in ("a", "and"):
            following = words[position + 1] if position + 1 < len(words) else ""
            if word == "a" and (following == "hundred" or following in _MULTIPLIERS):
                current = 1  # "a hundred", "a million"
            continue
        seen = True
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * _MULTIPLIERS[word]
            current = 0
    if not seen:
        return None
    value = Decimal(total + current)
    return Quantity(
        text=match.group(0).strip(),
        value=value,
        values=frozenset({value}),
        percent=bool(match["percent"]),
        money=bool(match["before"] or match["after"]),
    )
