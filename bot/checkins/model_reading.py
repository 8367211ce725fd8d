"""The model's reading of a reply the deterministic reader was not sure of, fetched
before the transaction (a slow call) and checked like any reading: a value the
playbook does not allow, or a "person" that is not one, is refused."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from coaching.extraction import AnswerExtractor, Extraction
from coaching.playbook import UNKNOWN, FieldSpec
from coaching.understanding import (
    Answered,
    Confidence,
    ProposedFact,
    Reading,
    ReplyContext,
    understand,
)

log = logging.getLogger(__name__)
MEDIUM_FLOOR = 0.6  # below: not an answer
HIGH_FLOOR = 0.85  # at or above: recorded without asking


@dataclass(frozen=True, slots=True)
class ModelRequest:
    question_id: int
    context: ReplyContext
    question: str
    text: str


@dataclass(frozen=True, slots=True)
class ModelReading:
    """What the model read, for the question it was read for."""

    question_id: int
    reading: Reading


def read_with_model(extractor: AnswerExtractor, request: ModelRequest) -> ModelReading | None:
    """Call the model (outside any transaction); None when it fails or reads nothing."""
    context = request.context
    try:
        extraction = extractor.extract(
            context.spec,
            request.question,
            request.text,
            today=context.today,
            known_names=[person.name for person in context.people],
        )
    except Exception:
        log.warning("answer extraction failed; re-asking", exc_info=True)
        return None
    fact = checked(extraction, context, request.text)
    return (
        None if fact is None else ModelReading(request.question_id, Answered(fact.field, (fact,)))
    )


def checked(extraction: Extraction, context: ReplyContext, text: str) -> ProposedFact | None:
    """The model's reading as a fact, if it is confident enough and valid for the field."""
    if extraction.confidence < MEDIUM_FLOOR:
        return None
    confidence: Confidence = "high" if extraction.confidence >= HIGH_FLOOR else "medium"
    field = context.field
    if extraction.unsure:
        return ProposedFact(field, UNKNOWN, confidence, text)
    if extraction.value is None:
        return None
    spec = context.spec
    if spec.kind == "person":
        reading = understand(extraction.value, context)
        if not isinstance(reading, Answered) or not reading.asked.people:
            return None  # a model's "person" that is not one
        person = reading.asked
        return ProposedFact(field, person.value, confidence, text, people=person.people)
    if not _valid(spec, extraction.value):
        return None
    return ProposedFact(field, extraction.value, confidence, text)


def _valid(spec: FieldSpec, value: str) -> bool:
    """A model's value must be one the playbook allows: never an invented option."""
    if spec.kind == "choice" and not spec.allow_text:
        return spec.option(value) is not None
    if spec.kind == "scale" and spec.scale:
        return value.isdecimal() and spec.scale.min <= int(value) <= spec.scale.max
    if spec.kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return False
    return bool(value.strip())
