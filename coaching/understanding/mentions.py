"""A name or a title found in a reply (what people.py puts together into persons)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from coaching.understanding.context import KnownPerson
from coaching.understanding.words import Word

Strength = Literal["exact", "fuzzy"]
DETERMINERS = {"the": "the", "their": "the", "our": "the", "his": "the", "her": "the"}


@dataclass(frozen=True)
class Mention:
    """A name or a title found at words[start:end]."""

    start: int
    end: int
    kind: Literal["name", "title"]
    text: str
    known: tuple[tuple[KnownPerson, Strength], ...] = ()
    determiner: str | None = None


def one_per_token(words: Sequence[Word], indexes: list[int]) -> list[int]:
    """One index per original token (a folded token may be several words)."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for index in indexes:
        span = (words[index].start, words[index].end)
        if span not in seen:
            seen.add(span)
            kept.append(index)
    return kept
