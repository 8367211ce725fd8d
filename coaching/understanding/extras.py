"""Facts a reply gives in passing for fields other than the one asked: the exposure in
"Maria, but I have only met her once", a competitor named while talking about the
buying phase, the date of a next step. Each field lists where it may be heard
(`also_heard_in` in the playbook). They are proposed with medium confidence (confirm
first), except a date the asked answer itself carries."""

from __future__ import annotations

from collections.abc import Sequence

from coaching.playbook import FieldSpec, Scale
from coaching.understanding.context import ReplyContext
from coaching.understanding.lexicon import lexicon
from coaching.understanding.options import option_hits, option_phrases
from coaching.understanding.people import PersonReading
from coaching.understanding.readings import Candidate, ProposedFact, lower
from coaching.understanding.scales import scale_phrases
from coaching.understanding.texts import known_competitors
from coaching.understanding.when import carried_date, dates_in
from coaching.understanding.words import Word, fold


def extra_facts(
    text: str,
    words: Sequence[Word],
    context: ReplyContext,
    *,
    asked: Candidate | None,
    people: Sequence[PersonReading],
) -> tuple[ProposedFact, ...]:
    """The facts for other fields that may be heard in a reply to `context.field`."""
    facts: list[ProposedFact] = []
    for spec in context.playbook.fields:
        if spec.key == context.field or not (
            context.field in spec.also_heard_in or "*" in spec.also_heard_in
        ):
            continue
        fact = _heard(spec, text, words, context, asked=asked, people=people)
        if fact is not None:
            facts.append(fact)
    return tuple(facts)


def _heard(
    spec: FieldSpec,
    text: str,
    words: Sequence[Word],
    context: ReplyContext,
    *,
    asked: Candidate | None,
    people: Sequence[PersonReading],
) -> ProposedFact | None:
    if spec.kind == "person":
        named = [reading for reading in people if reading.role == spec.key and reading.person]
        if len(named) == 1 and named[0].person is not None:
            person = named[0].person
            return ProposedFact(spec.key, person.value, "medium", named[0].words, people=(person,))
        return None
    if spec.kind == "date":
        return _carried_date(spec, text, context, asked)
    if spec.kind == "scale":
        found = scale_phrases(text, words, context.asking(spec.key), spec.scale or Scale())
        if found is None:
            return None
        return ProposedFact(spec.key, found.value, "medium", found.words)
    if spec.kind == "choice":
        return _option(spec, text, words, context)
    if spec.listing:
        named_competitors = known_competitors(words, context.competitors)
        if named_competitors:
            value = ", ".join(name for _, name, _ in named_competitors)
            return ProposedFact(spec.key, value, "medium", text.strip())
    return None


def _carried_date(
    spec: FieldSpec, text: str, context: ReplyContext, asked: Candidate | None
) -> ProposedFact | None:
    """The date of the asked answer, for the date field that depends on it."""
    if spec.requires != context.field or asked is None or asked.date is None:
        return None
    mention = next(mention for mention in dates_in(text, context) if mention.value == asked.date)
    confidence = lower(asked.confidence, carried_date(mention))
    return ProposedFact(spec.key, asked.date.isoformat(), confidence, mention.text, date=asked.date)


def _option(
    spec: FieldSpec, text: str, words: Sequence[Word], context: ReplyContext
) -> ProposedFact | None:
    """An option named by one of its aliases that also names the field ("budgeted", "no
    budget" in a reply about the need)."""
    topics = {word for name in spec.names for word in fold(name)}
    entries = [
        entry
        for entry in option_phrases(spec, context.asking(spec.key))
        if entry[1][1] == "alias" and any(topic in word for word in entry[0] for topic in topics)
    ]
    found = option_hits(text, words, entries, spec, lexicon())
    values = {hit.value[0] for hit in found}
    if len(values) != 1:
        return None
    source = text[words[found[0].start].start : words[found[-1].end - 1].end]
    return ProposedFact(spec.key, values.pop(), "medium", source)
