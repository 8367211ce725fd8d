"""Facts a model read from a reply: what the model is asked, and the checks its reading
passes before anything is proposed. They are the reader's own: a value the playbook
does not allow, or a "person" that is not one ("next quarter maybe"), is refused; a
gist (a text field) is never recorded without the rep's yes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from coaching.playbook import NONE, UNKNOWN
from coaching.understanding.context import ReplyContext
from coaching.understanding.reader import understand
from coaching.understanding.readings import (
    Answered,
    Confidence,
    ProposedFact,
    Reading,
    Unclear,
    lower,
)

HIGH_SCORE = 0.85  # a model's confidence from which a fact is recorded without asking
MEDIUM_SCORE = 0.6  # below: never recorded
MAX_TEXT_CHARS = 280
NONE_KINDS = frozenset({"person", "text", "date"})


def is_sure(reading: Reading) -> bool:
    """Whether the reader's reading needs no model: anything but an answer, or an
    answer read with high confidence."""
    if isinstance(reading, Unclear):
        return False
    return not isinstance(reading, Answered) or reading.asked.confidence == "high"


def confidence_of(score: float) -> Confidence:
    """A model's 0-1 confidence as the reader's high / medium / low."""
    if score >= HIGH_SCORE:
        return "high"
    return "medium" if score >= MEDIUM_SCORE else "low"


@dataclass(frozen=True, slots=True)
class ExtractionRequest:
    """A reply for the model to read: the question it answers (with the deal's known
    people in `context`), as the rep was asked it."""

    context: ReplyContext
    question: str
    text: str


class FactExtractor(Protocol):
    def extract(self, request: ExtractionRequest) -> tuple[ProposedFact, ...]:
        """The facts a model read, unchecked (empty: it read nothing). Raises when the
        model cannot be reached."""
        ...


def checked(facts: Sequence[ProposedFact], context: ReplyContext, text: str) -> Answered | None:
    """The model's facts that pass the reader's checks, the asked field's first; None
    when no usable answer to the asked field is among them."""
    asked = next((fact for fact in facts if fact.field == context.field), None)
    first = _check(asked, context, text) if asked is not None else None
    if first is None:
        return None
    extras: list[ProposedFact] = []
    seen = {context.field}
    for fact in facts:
        if fact.field in seen or fact.field not in context.playbook.by_key:
            continue
        extra = _check(fact, context.asking(fact.field), text)
        if extra is not None:
            extras.append(extra)
            seen.add(fact.field)
    return Answered(context.field, (first, *extras))


def _check(fact: ProposedFact, context: ReplyContext, text: str) -> ProposedFact | None:
    """The fact in the playbook's vocabulary, or None when it is not a valid one."""
    if fact.confidence == "low":
        return None
    spec = context.spec
    value = " ".join(fact.value.split())
    words = fact.words if fact.words and fact.words in text else text
    fact = dataclasses.replace(fact, value=value, words=words)
    if value == UNKNOWN or (value == NONE and (spec.kind in NONE_KINDS or spec.option(NONE))):
        return fact
    if spec.kind == "choice" and spec.option(value) is not None:
        return fact
    if spec.kind == "person" or (spec.kind == "choice" and spec.allow_text):
        return _person(fact, context)
    if spec.kind == "scale" and spec.scale:
        valid = value.isdecimal() and spec.scale.min <= int(value) <= spec.scale.max
        return fact if valid else None
    if spec.kind == "date":
        try:
            return dataclasses.replace(fact, date=dt.date.fromisoformat(value))
        except ValueError:
            return None
    if spec.kind == "text" and value:  # nothing to check a gist against: the rep confirms it
        cut = value if len(value) <= MAX_TEXT_CHARS else value[: MAX_TEXT_CHARS - 1] + "…"
        return dataclasses.replace(fact, value=cut, confidence=lower(fact.confidence, "medium"))
    return None


def _person(fact: ProposedFact, context: ReplyContext) -> ProposedFact | None:
    """A person the reader also reads as one (matched to the deal's known people)."""
    reading = understand(fact.value, dataclasses.replace(context, previous=None))
    if not isinstance(reading, Answered) or not reading.asked.people:
        return None
    person = reading.asked
    confidence = lower(fact.confidence, person.confidence)
    return dataclasses.replace(
        fact, value=person.value, confidence=confidence, people=person.people
    )
