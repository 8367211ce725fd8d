"""People in a reply: names and titles, matched to the deal's known people.

A person is a name, a title or role, or both ("Maria Lind (CFO)", "the CFO, Maria",
"their ops manager Dave Chen"). Words about time, money, feelings or process are
never part of a name (lexicon `not_names`), so "next quarter maybe" names nobody.
Several people in one reply stay several people. Known people are matched by full
name, a first or last name only they have, their title, or a near spelling (rapidfuzz).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from coaching.playbook import Playbook
from coaching.understanding.context import KnownPerson, ReplyContext
from coaching.understanding.lexicon import lexicon
from coaching.understanding.mentions import DETERMINERS, Mention, Strength
from coaching.understanding.names import (
    GLUE,
    SEPARATORS,
    bracketed_titles,
    known_names,
    non_name_words,
    unknown_names,
)
from coaching.understanding.readings import Confidence, Person
from coaching.understanding.titles import find_titles
from coaching.understanding.words import Word, fold

CONTRASTS = (("but", "really"), ("but", "actually"), ("really", "it"), ("actually", "it"))


@dataclass
class Found:
    """One person in the reply, as first read: the mentions that make them up."""

    mentions: list[Mention] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.mentions[0].start

    @property
    def end(self) -> int:
        return self.mentions[-1].end

    def named(self, kind: str) -> Mention | None:
        return next((mention for mention in self.mentions if mention.kind == kind), None)


@dataclass(frozen=True)
class PersonReading:
    """A person found in a reply: who, how sure, from which words, and the field the
    reply gives them ("Tom is our champion") when it says."""

    person: Person | None
    confidence: Confidence
    words: str
    start: int
    end: int
    role: str | None = None
    ambiguous: bool = False


def find_people(text: str, words: Sequence[Word], context: ReplyContext) -> list[PersonReading]:
    """Every person the reply names, in order."""
    lex = lexicon()
    field_names = tuple(
        name for spec in context.playbook.fields for name in (*spec.names, spec.label)
    )
    blocked = non_name_words(field_names, tuple(context.competitors))
    mentions = known_names(words, context.people)
    taken = {index for mention in mentions for index in range(mention.start, mention.end)}
    mentions += find_titles(text, words, lex, context.people, taken)
    taken |= {index for mention in mentions for index in range(mention.start, mention.end)}
    mentions += unknown_names(text, words, lex, blocked, taken)
    mentions = [mention for mention in mentions if not _negated(words, mention.start)]
    mentions = bracketed_titles(sorted(mentions, key=lambda mention: mention.start), words)
    readings = []
    for found in _grouped(sorted(mentions, key=lambda mention: mention.start), words):
        reading = _resolve(found, text, words)
        role = _role(words, found, context.playbook)
        readings.append(
            PersonReading(
                reading.person, reading.confidence, reading.words, found.start, found.end,
                role, reading.ambiguous,
            )
        )  # fmt: skip
    return readings


def _negated(words: Sequence[Word], start: int) -> bool:
    before = [word.text for word in words[max(0, start - 2) : start] if not word.is_punctuation]
    return bool(before) and before[-1] == "not"


def _grouped(mentions: list[Mention], words: Sequence[Word]) -> list[Found]:
    """Mentions that belong to one person: a name and a title next to each other
    ('Maria Lind (CFO)', 'the CFO, Maria'), or two mentions of one known person."""
    groups: list[Found] = []
    for mention in mentions:
        current = groups[-1] if groups else None
        if current is not None and _same_person(current, mention, words):
            current.mentions.append(mention)
        else:
            groups.append(Found([mention]))
    return groups


def _same_person(found: Found, mention: Mention, words: Sequence[Word]) -> bool:
    between = [word.text for word in words[found.end : mention.start]]
    if any(text in SEPARATORS for text in between):
        return False
    known_here = {person for item in found.mentions for person, _ in item.known}
    if known_here & {person for person, _ in mention.known} and len(between) <= 4:
        return True
    kinds = {item.kind for item in found.mentions}
    if mention.kind in kinds or len(between) > 3:
        return False
    return all(text in GLUE for text in between)


@dataclass(frozen=True)
class _Resolved:
    person: Person | None
    confidence: Confidence
    words: str
    ambiguous: bool = False


def _resolve(found: Found, text: str, words: Sequence[Word]) -> _Resolved:
    source = text[words[found.start].start : words[found.end - 1].end]
    name, title = found.named("name"), found.named("title")
    by_name = _candidates(name)
    by_title = _candidates(title)
    if by_name:
        people = set(by_name) & set(by_title) if by_title else set(by_name)
        people = people or set(by_name)
        if len(people) > 1:
            return _Resolved(None, "low", source, ambiguous=True)
        person = people.pop()
        exact = by_name[person] == "exact"
        return _Resolved(
            Person(person.name, person.title, known=True), "high" if exact else "medium", source
        )
    if by_title and name is None:
        if len(by_title) == 1:
            person, strength = next(iter(by_title.items()))
            confidence: Confidence = "high" if strength == "exact" else "medium"
            return _Resolved(Person(person.name, person.title, known=True), confidence, source)
        return _Resolved(None, "low", source, ambiguous=True)
    if name is not None:
        return _Resolved(Person(name.text, title.text if title else None), "medium", source)
    assert title is not None
    return _Resolved(Person(None, _role_text(title)), "medium", source)


def _candidates(mention: Mention | None) -> dict[KnownPerson, Strength]:
    if mention is None:
        return {}
    return dict(mention.known)


def _role_text(title: Mention) -> str:
    return f"{DETERMINERS[title.determiner]} {title.text}" if title.determiner else title.text


def _role(words: Sequence[Word], found: Found, playbook: Playbook) -> str | None:
    """The person field the reply gives this person: '... is our champion', '... signs',
    'champion is ...'."""
    after = tuple(word.text for word in words[found.end : found.end + 6])
    before = tuple(word.text for word in words[max(0, found.start - 5) : found.start])
    for spec in playbook.fields:
        if spec.kind != "person":
            continue
        for name in (*spec.names, spec.label):
            folded = fold(name)
            for lead in (
                ("is", "our"),
                ("is", "the"),
                ("is", "my"),
                ("is", "their"),
                ("s", "our"),
                ("s", "the"),
            ):
                if after[: len(lead) + len(folded)] == (*lead, *folded):
                    return spec.key
            for tail in (("is",), ("is", "the"), ("is", "actually"), (":",), ("=",)):
                if before[-(len(folded) + len(tail)) :] == (*folded, *tail):
                    return spec.key
        for cue in spec.cues:
            folded = fold(cue)
            if after[: len(folded)] == folded:
                return spec.key
    return None


def contrasted(words: Sequence[Word], readings: list[PersonReading]) -> PersonReading | None:
    """In 'Tom thinks it's him but really it's Maria', the person after the contrast."""
    texts = [word.text for word in words]
    for reading in readings[1:]:
        before = tuple(texts[max(0, reading.start - 4) : reading.start])
        if any(
            before[index : index + len(contrast)] == contrast
            for contrast in CONTRASTS
            for index in range(len(before))
        ):
            return reading
    return None
