"""The deterministic reader: a reply and its context -> a Reading."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from coaching.playbook import NONE, UNKNOWN, FieldSpec
from coaching.understanding.context import ReplyContext
from coaching.understanding.corrections import read_correction
from coaching.understanding.extras import extra_facts
from coaching.understanding.intents import is_undo, not_an_answer
from coaching.understanding.lexicon import Phrases, lexicon
from coaching.understanding.options import Miss, read_choice
from coaching.understanding.people import PersonReading, find_people
from coaching.understanding.person_field import read_person
from coaching.understanding.phrases import covered, leftover, phrase_hits
from coaching.understanding.readings import (
    Answered,
    Candidate,
    Confidence,
    Correction,
    ProposedFact,
    Reading,
    Unclear,
    Undo,
    lower,
)
from coaching.understanding.scales import read_scale
from coaching.understanding.texts import read_listing, read_text
from coaching.understanding.when import read_date
from coaching.understanding.words import Word, content, fold, span_text, split


def understand(reply: str, context: ReplyContext) -> Reading:
    """Read `reply`, the rep's answer to the question on `context.field`.

    Returns `Answered` (proposed facts, the asked field's first), `Unclear` (ask again),
    `Skipped`, `Question`, `Command`, `SmallTalk`, `Correction` or `Undo`. Nothing is
    recorded here: the caller records high-confidence facts, confirms medium ones and
    never records low ones.
    """
    text = reply.strip()
    words = split(text)
    if not content(words) and not _asks_back(text):
        return Unclear(context.field, "empty")
    if is_undo(words):
        return Undo()
    correction = read_correction(text, words, context, _read)
    if correction is not None:
        return correction
    return not_an_answer(text, words, context) or read_answer(text, words, context)


def _asks_back(text: str) -> bool:
    """'?' alone: the rep does not know."""
    return bool(text) and set(text) <= {"?", " "}


def _read(text: str, context: ReplyContext) -> Reading:
    """An answer read for a correction: the same reader, without corrections again."""
    words = split(text)
    return not_an_answer(text, words, context) or read_answer(text, words, context)


def read_answer(text: str, words: Sequence[Word], context: ReplyContext) -> Answered | Unclear:
    """The reply as an answer to `context.field`, with extra facts for other fields."""
    lex = lexicon()
    spec = context.spec
    unsure = phrase_hits(words, lex.unsure) if not _asks_back(text) else []
    nothing = (
        phrase_hits(words, _none_phrases((*spec.names, spec.label))) if _takes_none(spec) else []
    )
    pure = not leftover(words, covered(unsure + nothing), lex, lex.none_tails)
    people = find_people(text, words, context) if _reads_people(context) else []
    candidate = _read_kind(text, _masked(words, covered(unsure)), context, people)
    source = text
    if _asks_back(text) or (unsure and pure):
        found: Candidate | Miss = Candidate(UNKNOWN, "high", source)
    elif nothing and pure:
        found = Candidate(NONE, "high", source)
    elif isinstance(candidate, Candidate):
        found = _mixed(candidate, spec, bool(unsure), bool(nothing))
    elif unsure:
        found = Candidate(UNKNOWN, "high", source)
    elif nothing:
        found = Candidate(NONE, "high", source)
    else:
        found = candidate
    hedge = _hedge(text, words)
    if isinstance(found, Miss):
        extras = extra_facts(text, words, context, asked=None, people=people)
        guesses = tuple(_fact(context.field, guess, None) for guess in found.guesses)
        return Unclear(context.field, found.reason, guesses, extras)
    fact = _fact(context.field, found, hedge)
    asked = Candidate(fact.value, fact.confidence, fact.words, fact.date, fact.people)
    extras = extra_facts(text, words, context, asked=asked, people=people)
    return Answered(context.field, (fact, *extras))


def _masked(words: Sequence[Word], hidden: set[int]) -> list[Word]:
    """The words with those of a "not sure" phrase blanked, so "no idea" is no "no"."""
    return [
        Word("…", word.start, word.end) if index in hidden else word
        for index, word in enumerate(words)
    ]


def _read_kind(
    text: str, words: Sequence[Word], context: ReplyContext, people: list[PersonReading]
) -> Candidate | Miss:
    spec = context.spec
    if spec.kind == "choice":
        chosen = read_choice(text, words, context)
        if isinstance(chosen, Miss) and spec.allow_text and chosen.reason == "option":
            return read_person(text, words, context, people)
        return chosen
    if spec.kind == "scale":
        return read_scale(text, words, context)
    if spec.kind == "date":
        return read_date(text, context)
    if spec.kind == "person":
        return read_person(text, words, context, people)
    if spec.listing:
        return read_listing(text, words, context)
    return read_text(text, words, context)


def _reads_people(context: ReplyContext) -> bool:
    spec = context.spec
    if spec.kind == "person" or spec.allow_text:
        return True
    return any(
        other.kind == "person"
        and (context.field in other.also_heard_in or "*" in other.also_heard_in)
        for other in context.playbook.fields
    )


def _mixed(candidate: Candidate, spec: FieldSpec, unsure: bool, nothing: bool) -> Candidate:
    """A reading next to "not sure" ("not sure, maybe Maria": a guess, confirm it) or
    next to "none" ("not yet, working on Tom": there is none yet, confirm it)."""
    if nothing and spec.kind == "person":
        return Candidate(NONE, "medium", candidate.words)
    if unsure and _is_yes_no(spec):
        return Candidate(UNKNOWN, "high", candidate.words)  # "not sure he can" is no yes
    if unsure or (nothing and spec.kind == "text" and not spec.listing):
        return Candidate(
            candidate.value,
            lower(candidate.confidence, "medium"),
            candidate.words,
            candidate.date,
            candidate.people,
        )
    return candidate


def _is_yes_no(spec: FieldSpec) -> bool:
    return {option.value for option in spec.options} >= {"yes", "no"}


def _takes_none(spec: FieldSpec) -> bool:
    """Whether the lexicon's "none" phrases answer this field. A choice says "none" in
    its own aliases ("no budget"): "not yet" is not "no budget"."""
    return spec.kind in {"person", "text", "date"}


@lru_cache(maxsize=64)
def _none_phrases(field_names: tuple[str, ...]) -> Phrases:
    """The lexicon's "none" phrases, and "no <field name>", "no real deadline"..."""
    lex = lexicon()
    nouns = [fold(name) for name in field_names] + [(noun,) for noun in lex.none_nouns]
    generated = [("no", *noun) for noun in nouns if noun]
    generated += [("no", adjective, *noun) for noun in nouns for adjective in lex.none_adjectives]
    return (*lex.none, *generated)


def _hedge(text: str, words: Sequence[Word]) -> str | None:
    found = phrase_hits(words, lexicon().hedges)
    hedges = [span_text(text, words[hit.start : hit.end]) for hit in found]
    if text.rstrip().endswith("?") and text.strip() != "?":
        hedges.append("?")
    return ", ".join(hedges) or None


def _fact(field: str, candidate: Candidate, hedge: str | None) -> ProposedFact:
    confidence: Confidence = (
        lower(candidate.confidence, "medium") if hedge else candidate.confidence
    )
    return ProposedFact(
        field,
        candidate.value,
        confidence,
        candidate.words,
        hedge=hedge,
        date=candidate.date,
        people=candidate.people,
    )


def read_chat_correction(reply: str, context: ReplyContext) -> Correction | None:
    """A correction said outside a check-in ("change champion to Priya Shah", "no, I
    meant Tom" with `context.previous` the rep's last answer); None when `reply` makes
    none. `context.field` stands for no question: a correction of it is one too."""
    text = reply.strip()
    words = split(text)
    reading = read_correction(text, words, context, _read)
    if reading is None or isinstance(reading, Correction):
        return reading
    if isinstance(reading, Answered):
        return Correction(context.field, reading.facts)
    if isinstance(reading, Unclear):
        return Correction(context.field, reason=reading.reason)
    return Correction(context.field, reason="correction")
