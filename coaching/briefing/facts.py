"""The buyer's facts, typed: a gain is a gain, a cost is a cost.

The shared summary is read clause by clause; each clause becomes a typed fact
(saving, cost, volume, or a plain statement) carrying its figures with their units
("6% of revenue", "400 daily routes"). The compelling event and the decision date
stay facts of their own (the view's dates and answers). The cue words live in facts.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import yaml

from coaching.briefing.numbers import quantities

FACTS_FILE = Path(__file__).with_name("facts.yaml")
FactKind = Literal["saving", "cost", "volume", "statement"]
_CLAUSES = re.compile(r"(?<=[.!?])\s+|\s*;\s*|\n+")
_UNIT = re.compile(r"^\s*((?:[a-z%][\w%-]*\s*){1,4})", re.IGNORECASE)
_UNIT_STOP = {"and", "but", "so", "because", "which", "that", "in", "on", "by", "to", "for"}


@dataclass(frozen=True, slots=True)
class Figure:
    """A number with its unit, as the buyer wrote it: "6% of revenue"."""

    text: str
    unit: str


@dataclass(frozen=True, slots=True)
class Fact:
    kind: FactKind
    text: str
    figures: tuple[Figure, ...] = ()


def summary_facts(summary: str | None) -> list[Fact]:
    """The summary's clauses as typed facts, in the buyer's order."""
    if not summary:
        return []
    facts = []
    for clause in _CLAUSES.split(summary.strip()):
        text = sentence(clause)
        if text:
            facts.append(Fact(kind=_kind(text), text=text, figures=figures(text)))
    return facts


def figures(text: str) -> tuple[Figure, ...]:
    """Each number of `text` with the words that say what it counts."""
    found = []
    for quantity in quantities(text):
        start = text.find(quantity.text)
        after = text[start + len(quantity.text) :] if start >= 0 else ""
        match = _UNIT.match(after)
        words = match.group(1).split() if match else []
        unit_words: list[str] = []
        for word in words:
            if word.casefold() in _UNIT_STOP and unit_words and unit_words[-1] != "of":
                break
            unit_words.append(word)
        if unit_words and unit_words[-1].casefold() in _UNIT_STOP:
            unit_words.pop()
        unit = " ".join(unit_words).strip(" .,;")
        found.append(Figure(text=f"{quantity.text} {unit}".strip(), unit=unit))
    return tuple(found)


def sentence(text: str) -> str:
    """`text` on one line, opening with a capital and ending with a full stop."""
    text = " ".join(str(text).split()).strip(" ;,")
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else f"{text}."


def _kind(text: str) -> FactKind:
    words = f" {' '.join(re.findall(r'[a-z0-9%-]+', text.casefold()))} "
    cues = _cues()
    for kind in ("saving", "cost", "volume"):
        if any(f" {cue} " in words for cue in cues[kind]):
            return kind
    return "statement"


@cache
def _cues() -> dict[str, tuple[str, ...]]:
    raw = yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))
    return {kind: tuple(raw[kind]) for kind in ("saving", "cost", "volume")}
