"""What someone typed, read as what they want from the coach (intents.yaml).

`read_intent` turns free text into an `Intent` with its slots (a deal, a person, a
date, the kind of meeting); small talk is recognised before anything else; text
that fits nothing is `unknown`. `suggest_command` catches a mistyped command word
("chekin" -> "checkin").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from rapidfuzz import process
from rapidfuzz.distance import OSA

from coaching.data_files import read_yaml_mapping

INTENTS_FILE = Path(__file__).with_name("intents.yaml")
Kind = Literal[
    "one_on_one",
    "role_play",
    "meeting_prep",
    "slipping",
    "pipeline",
    "rep_summary",
    "deal_review",
    "small_talk",
    "unknown",
]
TYPO_SIMILARITY = 0.75  # one slip in four letters (a swap counts as one)
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


class IntentsError(Exception):
    """The intents file is unreadable or invalid; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Intent:
    kind: Kind
    text: str
    topic: str | None = None  # small talk: greeting, thanks...
    deal: str | None = None
    who: str | None = None
    when: str | None = None
    meeting: str | None = None


class IntentBook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    intents: dict[str, tuple[str, ...]]
    small_talk: dict[str, str]
    when: str
    deal_filler: tuple[str, ...]

    @field_validator("intents")
    @classmethod
    def _known_kinds(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        allowed = set(Kind.__args__) - {"small_talk", "unknown"}  # type: ignore[attr-defined]
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise ValueError(f"unknown intent {unknown[0]!r} (known: {', '.join(sorted(allowed))})")
        for patterns in value.values():
            for pattern in patterns:
                re.compile(pattern)
        return value

    @cached_property
    def compiled(self) -> list[tuple[str, re.Pattern[str]]]:
        return [
            (kind, re.compile(pattern))
            for kind, patterns in self.intents.items()
            for pattern in patterns
        ]

    @cached_property
    def chat(self) -> list[tuple[str, re.Pattern[str]]]:
        return [(topic, re.compile(pattern)) for topic, pattern in self.small_talk.items()]

    @cached_property
    def date_pattern(self) -> re.Pattern[str]:
        return re.compile(self.when)


def normalize(text: str) -> str:
    """Lower case, straight quotes, single spaces, no punctuation at the ends."""
    text = " ".join(text.translate(_QUOTES).lower().split())
    return text.strip(" .,!?;:")


def read_intent(text: str, book: IntentBook) -> Intent:
    """The intent of `text`, with its slots; small talk first, `unknown` when nothing fits."""
    clean = normalize(text)
    for topic, pattern in book.chat:
        if pattern.search(clean):
            return Intent("small_talk", clean, topic=topic)
    when_match = book.date_pattern.search(clean)
    when = when_match.group("when") if when_match else None
    rest = clean
    if when_match:
        rest = normalize(f"{clean[: when_match.start()]} {clean[when_match.end() :]}")
    for kind, pattern in book.compiled:
        match = pattern.search(rest)
        if match:
            slots = {key: _slot(value) for key, value in match.groupdict().items()}
            return Intent(kind, clean, when=when, **slots)  # type: ignore[arg-type]
    return Intent("unknown", clean, when=when)


def _slot(value: str | None) -> str | None:
    value = (value or "").strip(" '\"")
    return value or None


def deal_words(words: str, book: IntentBook) -> str:
    """The words of a deal name without the filler around it ("the contoso one")."""
    kept = [word for word in normalize(words).split() if word not in book.deal_filler]
    return " ".join(kept)


def suggest_command(text: str, commands: Iterable[str]) -> str | None:
    """`text` with its first word replaced by the command it mistypes ("chekin" ->
    "checkin"), or None when the first word is a command or near none."""
    word, _, rest = normalize(text).partition(" ")
    known = sorted(set(commands))
    if not word or word in known or len(word) < 3:
        return None
    found = process.extractOne(
        word, known, scorer=OSA.normalized_similarity, score_cutoff=TYPO_SIMILARITY
    )
    if found is None:
        return None
    return f"{found[0]} {rest}".strip()


def load_intents(path: Path = INTENTS_FILE) -> IntentBook:
    raw: dict[str, Any] = read_yaml_mapping(path, "coach intents", IntentsError, "intents")
    try:
        return IntentBook.model_validate(raw)
    except (ValidationError, re.error) as exc:
        raise IntentsError(f"coach intents {path} are invalid: {exc}") from None


@cache
def default_intents() -> IntentBook:
    return load_intents()
