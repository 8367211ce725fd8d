"""What a reply says: proposed facts, or what it is instead of an answer.

A fact is proposed, never recorded here: the caller records a `high` fact and echoes
it, asks the rep to confirm a `medium` one, and never records a `low` one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from coaching.playbook import NONE, UNKNOWN

Confidence = Literal["high", "medium", "low"]
CONFIDENCE_ORDER: tuple[Confidence, ...] = ("low", "medium", "high")


def lower(confidence: Confidence, cap: Confidence) -> Confidence:
    """The lower of two confidences."""
    return min(confidence, cap, key=CONFIDENCE_ORDER.index)


@dataclass(frozen=True, slots=True)
class Person:
    """A person as the rep named them: a name, a title or role, or both. `known`: one of
    the deal's known people (then `name` is spelled as the deal has it)."""

    name: str | None
    title: str | None = None
    known: bool = False

    @property
    def value(self) -> str:
        """How the person is recorded: 'Maria Lind, CFO', 'Maria Lopez', 'the CFO'."""
        if self.name and self.title and not self.known:
            return f"{self.name}, {self.title}"
        return self.name or self.title or ""

    @property
    def display(self) -> str:
        """How the person reads to people: 'Maria Lind (CFO)'."""
        if self.name and self.title:
            return f"{self.name} ({self.title})"
        return self.name or self.title or ""


@dataclass(frozen=True, slots=True)
class ProposedFact:
    """One fact read from a reply, in the playbook's vocabulary.

    `value`: an option value, a scale point ("3"), an ISO date, a person ("Maria Lopez",
    "Maria Lind, CFO", "the CFO", several joined by " and "), a text; or "unknown" (the
    rep is not sure) or "none" (there is none). `words`: the part of the reply it was
    read from. `hedge`: the rep's hedge ("probably"), kept. `date`: the date the fact
    carries (a next step's day). `people`: the persons a person fact names.
    """

    field: str
    value: str
    confidence: Confidence
    words: str
    hedge: str | None = None
    date: dt.date | None = None
    people: tuple[Person, ...] = ()

    @property
    def is_unsure(self) -> bool:
        return self.value == UNKNOWN

    @property
    def is_none(self) -> bool:
        return self.value == NONE

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "field": self.field,
            "value": self.value,
            "confidence": self.confidence,
            "words": self.words,
        }
        if self.hedge:
            data["hedge"] = self.hedge
        if self.date:
            data["date"] = self.date.isoformat()
        if self.people:
            data["people"] = [
                {"name": person.name, "title": person.title, "known": person.known}
                for person in self.people
            ]
        return data


@dataclass(frozen=True, slots=True)
class Answered:
    """The reply answers the question asked (`facts[0]`, for `field`), maybe with extra
    facts for other fields after it."""

    field: str
    facts: tuple[ProposedFact, ...]
    kind: Literal["answer"] = "answer"

    @property
    def asked(self) -> ProposedFact:
        return self.facts[0]

    @property
    def extras(self) -> tuple[ProposedFact, ...]:
        return self.facts[1:]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "field": self.field, "facts": _facts(self.facts)}


@dataclass(frozen=True, slots=True)
class Unclear:
    """The reply does not answer the question readably: ask again. `reason` keys the
    hint (see `explain`); `guesses` are low-confidence readings, never recorded;
    `extras` are facts for other fields the reply did give."""

    field: str
    reason: str
    guesses: tuple[ProposedFact, ...] = ()
    extras: tuple[ProposedFact, ...] = ()
    kind: Literal["unclear"] = "unclear"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "field": self.field,
            "reason": self.reason,
            "guesses": _facts(self.guesses),
            "extras": _facts(self.extras),
        }


@dataclass(frozen=True, slots=True)
class Skipped:
    """The rep skips the question for now ("skip", "ask me later")."""

    field: str
    kind: Literal["skip"] = "skip"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "field": self.field}


@dataclass(frozen=True, slots=True)
class Question:
    """A question or request for the coach, not an answer."""

    text: str
    kind: Literal["question"] = "question"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text}


@dataclass(frozen=True, slots=True)
class Command:
    """A command (`word`, one the caller routes, e.g. "stop") with its arguments."""

    word: str
    args: str = ""
    kind: Literal["command"] = "command"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "word": self.word, "args": self.args}


@dataclass(frozen=True, slots=True)
class SmallTalk:
    """Thanks, a greeting, an acknowledgement."""

    text: str
    kind: Literal["small_talk"] = "small_talk"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text}


@dataclass(frozen=True, slots=True)
class Correction:
    """A new reading for an earlier answer to `field` ("no, I meant Tom", "change
    champion to Priya Shah"). `facts` is empty when the new value could not be read
    (`reason` says why)."""

    field: str
    facts: tuple[ProposedFact, ...] = ()
    reason: str | None = None
    kind: Literal["correction"] = "correction"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "field": self.field}
        data["facts"] = _facts(self.facts)
        if self.reason:
            data["reason"] = self.reason
        return data


@dataclass(frozen=True, slots=True)
class Undo:
    """Take back the last answer."""

    kind: Literal["undo"] = "undo"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind}


Reading = Answered | Unclear | Skipped | Question | Command | SmallTalk | Correction | Undo


def _facts(facts: tuple[ProposedFact, ...]) -> list[dict[str, Any]]:
    return [fact.to_dict() for fact in facts]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A reader's reading of the asked field, before the reply-wide decisions
    (hedges, "not sure" or "none" phrases, extras) are made."""

    value: str
    confidence: Confidence
    words: str
    date: dt.date | None = None
    people: tuple[Person, ...] = ()
