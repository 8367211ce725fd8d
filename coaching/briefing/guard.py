"""The leak guard: a briefing is checked against the deal's internal values.

Whatever a writer produced (or a rep typed in an edit), the text is compared with
every internal value of the deal, normalised (case, accents, punctuation, spacing):
- internal text (CRM description, the rep's notes on answers and stakeholders,
  answers of internal text fields such as competitors, stakeholders not marked
  shareable, pause reasons, warnings): each phrase of up to WINDOW words, and every
  run of WINDOW words of a longer phrase, must not appear; nor may a name-like word
  of it (capitalised inside a phrase, the lead word of a short phrase, mixing letters
  and digits, or of NAME_LENGTH letters and more: "Routeify", "Zx9", "confidential");
- internal numbers (the deal amount, and every percentage, sum of money or number
  of 100 and more in internal text, years excepted): must not appear in any
  spelling (84000, 84,000, 84 000, 84k, $84K, 15%, 15 percent).
Phrases and numbers that also appear in public text (the shareable view, the
writer's fixed wording) are not secrets: they were shared on purpose.
Choice and scale answers of internal fields (money, exposure, the champion tests)
never reach a writer; their labels are common words, so they are not matched here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from coaching.briefing.view import StakeholderFacts
from coaching.model import AnswerFact, latest_answers
from coaching.playbook import UNKNOWN, Playbook

WINDOW = 6
SHORT_PHRASE = 3
NAME_LENGTH = 12
MIN_NAME = 4
_PHRASE_BREAKS = re.compile(r"[;:\n\r\t•|()\[\]\"“”]+|(?<=[.!?])\s+")
_NUMBER = re.compile(
    r"(?P<currency>[$€£¥])?\s?"
    r"(?P<number>\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d+)(?P<fraction>\.\d+)?"
    r"\s?(?P<scale>k\b|m\b|thousand\b|million\b|mn\b)?"
    r"\s?(?P<percent>%|percent\b|per cent\b)?",
    re.IGNORECASE,
)
_SCALES = {"k": 1000, "thousand": 1000, "m": 1_000_000, "mn": 1_000_000, "million": 1_000_000}


@dataclass(frozen=True, slots=True)
class InternalText:
    """Internal text and where it came from (told to the rep when it leaks)."""

    source: str
    text: str


@dataclass(frozen=True, slots=True)
class InternalValues:
    texts: tuple[InternalText, ...]
    amounts: tuple[Decimal, ...] = ()


@dataclass(frozen=True, slots=True)
class Leak:
    source: str
    fragment: str


@dataclass(frozen=True, slots=True)
class _Number:
    value: Decimal
    percent: bool


def internal_values(
    playbook: Playbook,
    *,
    description: str | None,
    amount: Decimal | None,
    answers: Sequence[AnswerFact],
    stakeholders: Iterable[StakeholderFacts],
    other: Sequence[InternalText] = (),
) -> InternalValues:
    """Every internal value of a deal."""
    texts: list[InternalText] = []
    if description:
        texts.append(InternalText("the CRM description", description))
    for answer in answers:
        if answer.note:
            label = playbook.by_key[answer.field].label if answer.field in playbook.by_key else ""
            texts.append(InternalText(f"your note on {label or answer.field}", answer.note))
    for key, answer in latest_answers(list(answers)).items():
        spec = playbook.by_key.get(key)
        if spec is None or spec.shareable or spec.kind not in {"text", "person"}:
            continue
        if answer.value != UNKNOWN:
            texts.append(InternalText(f"the internal answer to {spec.label}", answer.value))
    for person in stakeholders:
        if person.notes:
            texts.append(InternalText(f"your notes on {person.name}", person.notes))
        if not person.shareable:
            texts.append(InternalText("a stakeholder not marked shareable", person.name))
            if person.title:
                texts.append(InternalText(f"{person.name}'s title (not shareable)", person.title))
    texts.extend(other)
    return InternalValues(tuple(texts), (amount,) if amount else ())


def find_leaks(output: str, internal: InternalValues, public: Iterable[str]) -> list[Leak]:
    """The internal values found in `output`, one per source; empty when it is clean."""
    said = _padded(output)
    known = _padded(" \n ".join(public))
    leaks: dict[str, Leak] = {}
    said_words, known_words = set(said.split()), set(known.split())
    for item in internal.texts:
        for phrase in _phrases(item.text):
            if phrase in said and phrase not in known:
                leaks.setdefault(item.source, Leak(item.source, phrase.strip()))
                break
        for name in _names(item.text):
            if name in said_words and name not in known_words:
                leaks.setdefault(item.source, Leak(item.source, name))
                break
    public_numbers = {number for number, _ in _numbers(" ".join(public))}
    said_numbers = {number for number, _ in _numbers(output)}
    secrets = {
        (_Number(amount.normalize(), False), "the deal amount") for amount in internal.amounts
    }
    for item in internal.texts:
        secrets |= {
            (number, item.source)
            for number, money in _numbers(item.text)
            if money or _sensitive(number)
        }
    for number, source in sorted(secrets, key=lambda pair: (pair[1], pair[0].value)):
        if number in said_numbers and number not in public_numbers:
            shown = f"{number.value:f}{'%' if number.percent else ''}"
            leaks.setdefault(f"{source} (a number)", Leak(source, shown))
    return list(leaks.values())


def normalise(text: str) -> str:
    """Lower case, no accents, words separated by single spaces."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return " ".join(re.findall(r"[a-z0-9]+", plain))


def _padded(text: str) -> str:
    return f" {normalise(text)} "


def _phrases(text: str) -> list[str]:
    """Short phrases whole, long ones as every run of WINDOW words (padded for matching)."""
    found = []
    for part in _PHRASE_BREAKS.split(text):
        words = normalise(part).split()
        if not words or (len(words) == 1 and len(words[0]) < 3):
            continue
        if len(words) <= WINDOW:
            found.append(f" {' '.join(words)} ")
            continue
        found.extend(
            f" {' '.join(words[start : start + WINDOW])} "
            for start in range(len(words) - WINDOW + 1)
        )
    return found


def _names(text: str) -> list[str]:
    """The name-like words of internal text (normalised), which leak even on their own."""
    names = []
    for part in _PHRASE_BREAKS.split(text):
        raw = re.findall(r"[^\W_]+", part)
        for position, word in enumerate(raw):
            lead_of_short = position == 0 and len(raw) <= SHORT_PHRASE
            capitalised = position > 0 and word[0].isupper()
            mixed = bool(re.search(r"\d", word)) and bool(re.search(r"[^\W\d_]", word))
            if len(word) >= MIN_NAME and (
                lead_of_short or capitalised or mixed or len(word) >= NAME_LENGTH
            ):
                names.append(normalise(word))
    return names


def _numbers(text: str) -> list[tuple[_Number, bool]]:
    """Every number in `text`, and whether it was written as a sum of money."""
    numbers = []
    for match in _NUMBER.finditer(text):
        digits = re.sub(r"[,\u00a0\u202f ]", "", match["number"]) + (match["fraction"] or "")
        try:
            value = Decimal(digits)
        except InvalidOperation:
            continue
        if match["scale"]:
            value *= _SCALES[match["scale"].lower()]
        money = bool(match["currency"])
        numbers.append((_Number(value.normalize(), bool(match["percent"])), money))
    return numbers


def _sensitive(number: _Number) -> bool:
    """Percentages, and numbers of 100 and more that are not years."""
    if number.percent:
        return True
    is_year = number.value == number.value.to_integral() and 1900 <= number.value <= 2100
    return number.value >= 100 and not is_year
