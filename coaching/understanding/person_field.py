"""Person fields: who the reply names for the field asked."""

from __future__ import annotations

from collections.abc import Sequence

from coaching.understanding.context import ReplyContext
from coaching.understanding.options import Miss
from coaching.understanding.people import PersonReading, contrasted, find_people
from coaching.understanding.readings import Candidate, Confidence, Person
from coaching.understanding.words import Word


def read_person(
    text: str,
    words: Sequence[Word],
    context: ReplyContext,
    found: list[PersonReading] | None = None,
) -> Candidate | Miss:
    """The person (or people) named for `context.field`; people the reply gives another
    role ("Tom is our champion") are left to that field."""
    readings = [
        reading
        for reading in (found if found is not None else find_people(text, words, context))
        if reading.role in (None, context.field)
    ]
    if not readings:
        return Miss("person")
    if any(reading.ambiguous or reading.person is None for reading in readings):
        return Miss("ambiguous_person")
    named_for_it = [reading for reading in readings if reading.role == context.field]
    readings = named_for_it or readings
    chosen = contrasted(words, readings)
    confidence: Confidence
    if chosen is not None:
        readings, confidence = [chosen], "medium"
    elif len(readings) > 1 and _but_between(words, readings[0], readings[1]):
        readings, confidence = readings[:1], readings[0].confidence  # "Maria, but the board..."
    elif len(readings) == 1:
        confidence = readings[0].confidence
    else:
        confidence = "medium"
    people: tuple[Person, ...] = tuple(
        reading.person for reading in readings if reading.person is not None
    )
    value = " and ".join(person.value for person in people)
    source = text[words[readings[0].start].start : words[readings[-1].end - 1].end]
    return Candidate(value, confidence, source, people=people)


def _but_between(words: Sequence[Word], first: PersonReading, second: PersonReading) -> bool:
    return any(word.text == "but" for word in words[first.end : second.start])
