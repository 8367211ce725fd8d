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
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz

from coaching.playbook import Playbook
from coaching.understanding.context import KnownPerson, ReplyContext
from coaching.understanding.lexicon import Lexicon, lexicon
from coaching.understanding.phrases import hits
from coaching.understanding.readings import Confidence, Person
from coaching.understanding.words import Word, fold

NAME_PART_SCORE = 80
FULL_NAME_SCORE = 90
MAX_NAME_WORDS = 4
GLUE = frozenset({",", "(", ")", "-", "–", "from", "of", "at", "the", "their", "our", "s", ":"})
DETERMINERS = {"the": "the", "their": "the", "our": "the", "his": "the", "her": "the"}
SEPARATORS = frozenset({"and", "&", "or", "plus", "with", "+", "/"})
CONTRASTS = (("but", "really"), ("but", "actually"), ("really", "it"), ("actually", "it"))
DROPPED_MODIFIERS = frozenset({"new", "current"})
Strength = Literal["exact", "fuzzy"]


@dataclass(frozen=True)
class Mention:
    """A name or a title found at words[start:end]."""

    start: int
    end: int
    kind: Literal["name", "title"]
    text: str
    known: tuple[tuple[KnownPerson, Strength], ...] = ()
    determiner: str | None = None


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
    blocked = _non_name_words(field_names, tuple(context.competitors))
    mentions = _known_names(words, context.people)
    taken = {index for mention in mentions for index in range(mention.start, mention.end)}
    mentions += _titles(text, words, lex, context.people, taken)
    taken |= {index for mention in mentions for index in range(mention.start, mention.end)}
    mentions += _unknown_names(text, words, lex, blocked, taken)
    mentions = [mention for mention in mentions if not _negated(words, mention.start)]
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


@lru_cache(maxsize=64)
def _non_name_words(field_names: tuple[str, ...], competitors: tuple[str, ...]) -> frozenset[str]:
    lex = lexicon()
    words = set(lex.not_names) | set(lex.people.title_nouns) | set(lex.people.abbreviations)
    words |= set(lex.people.modifiers)
    for phrases in (
        lex.people.departments, lex.people.groups, lex.people.forgot, lex.fillers, lex.hedges,
        lex.small_talk, lex.none, lex.unsure, lex.skip,
    ):  # fmt: skip
        words |= {word for phrase in phrases for word in phrase}
    for name in field_names:
        words |= set(fold(name))
    for competitor in competitors:
        words |= set(fold(competitor))
    return frozenset(words)


def _forms(person: KnownPerson) -> list[tuple[tuple[str, ...], Strength, bool]]:
    """(folded words, strength, is the full name) for a person's full, first, last name."""
    full = fold(person.name)
    forms = [(full, "exact", True)]
    if len(full) > 1:
        forms += [((part,), "exact", False) for part in (full[0], full[-1]) if len(part) > 1]
    return forms  # type: ignore[return-value]


def _known_names(words: Sequence[Word], people: Sequence[KnownPerson]) -> list[Mention]:
    entries = [
        (form, (person, is_full)) for person in people for form, _, is_full in _forms(person)
    ]
    mentions = []
    for hit in hits(words, entries):
        matching = [
            person for person in people if any(form == hit.phrase for form, _, _ in _forms(person))
        ]
        mentions.append(
            Mention(
                hit.start, hit.end, "name", _span(words, hit.start, hit.end),
                tuple((person, "exact") for person in matching),
            )
        )  # fmt: skip
    taken = {index for mention in mentions for index in range(mention.start, mention.end)}
    return mentions + _fuzzy_names(words, people, taken)


def _fuzzy_names(
    words: Sequence[Word], people: Sequence[KnownPerson], taken: set[int]
) -> list[Mention]:
    blocked = lexicon().not_names
    mentions = []
    index = 0
    while index < len(words):
        if index in taken or not words[index].text.isalpha() or words[index].text in blocked:
            index += 1
            continue
        pair = " ".join(word.text for word in words[index : index + 2])
        full = [
            person
            for person in people
            if len(fold(person.name)) == 2
            and fuzz.ratio(pair, " ".join(fold(person.name))) >= FULL_NAME_SCORE
        ]
        if full and index + 1 not in taken:
            mentions.append(
                Mention(index, index + 2, "name", pair, tuple((p, "exact") for p in full))
            )
            index += 2
            continue
        word = words[index].text
        near = [
            person
            for person in people
            if len(word) >= 4
            and any(
                len(part) >= 3 and fuzz.ratio(word, part) >= NAME_PART_SCORE
                for part in fold(person.name)
            )
        ]
        if near:
            mentions.append(
                Mention(index, index + 1, "name", word, tuple((p, "fuzzy") for p in near))
            )
        index += 1
    return mentions


def _titles(
    text: str,
    words: Sequence[Word],
    lex: Lexicon,
    people: Sequence[KnownPerson],
    taken: set[int],
) -> list[Mention]:
    """Titles and roles: 'CFO', 'head of dispatch', 'their ops manager', 'the board',
    'from finance'."""
    people_words = lex.people
    cores = people_words.title_nouns | (people_words.abbreviations - {"it", "hr", "pm", "ops"})
    departments = {phrase[0] for phrase in people_words.departments} | people_words.abbreviations
    mentions: list[Mention] = []
    used = set(taken)
    for index, word in enumerate(words):
        if index in used:
            continue
        if word.text in cores:
            start = index
            while (
                start - 1 >= 0
                and start - 1 not in used
                and (
                    words[start - 1].text in departments
                    or words[start - 1].text in people_words.modifiers
                )
            ):
                start -= 1
            end = _title_end(words, index + 1, departments, lex)
        elif _after_from(words, index) and word.text in departments:
            start, end = index, index + 1
            while end < len(words) and words[end].text in departments and end - start < 3:
                end += 1
        else:
            continue
        start = _determiner_start(words, start)
        if set(range(start, end)) & used:
            continue
        mentions.append(_title(text, words, start, end, people))
        used |= set(range(start, end))
    for hit in hits(words, [(group, group) for group in people_words.groups]):
        if set(range(hit.start, hit.end)) & used or not _written_as_group(text, words, hit.start):
            continue
        start = _determiner_start(words, hit.start)
        mentions.append(_title(text, words, start, hit.end, people))
        used |= set(range(start, hit.end))
    return mentions


def _written_as_group(text: str, words: Sequence[Word], index: int) -> bool:
    """'IT' the department, not 'it' the pronoun."""
    word = words[index]
    return word.text != "it" or text[word.start : word.end] == "IT"


def _after_from(words: Sequence[Word], index: int) -> bool:
    return index > 0 and words[index - 1].text == "from"


def _determiner_start(words: Sequence[Word], start: int) -> int:
    return start - 1 if start > 0 and words[start - 1].text in DETERMINERS else start


def _title_end(words: Sequence[Word], end: int, departments: set[str], lex: Lexicon) -> int:
    """Where a title that ends in `end` really ends: 'head' + 'of dispatch', 'VP' + 'Finance'."""
    if end < len(words) and words[end].text in {"of", "for"}:
        tail = end + 1
        while (
            tail < len(words)
            and tail - end <= 3
            and words[tail].text.isalpha()
            and (words[tail].text in departments or words[tail].text not in lex.not_names)
        ):
            tail += 1
        return tail if tail > end + 1 else end
    while end < len(words) and words[end].text in departments and words[end].text != "it":
        end += 1
    return end


def _title(
    text: str, words: Sequence[Word], start: int, end: int, people: Sequence[KnownPerson]
) -> Mention:
    determiner = words[start].text if words[start].text in DETERMINERS else None
    body = start + 1 if determiner else start
    kept = [index for index in range(body, end) if words[index].text not in DROPPED_MODIFIERS]
    shown = " ".join(_shown_title_word(text, words[index]) for index in _dedup(words, kept))
    known = _known_by_title(tuple(words[index].text for index in kept), people)
    return Mention(start, end, "title", shown, known, determiner)


def _dedup(words: Sequence[Word], indexes: list[int]) -> list[int]:
    """One index per original token (a folded token may be several words)."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for index in indexes:
        span = (words[index].start, words[index].end)
        if span not in seen:
            seen.add(span)
            kept.append(index)
    return kept


def _shown_title_word(text: str, word: Word) -> str:
    original = text[word.start : word.end]
    if word.text in lexicon().people.abbreviations and word.text not in {"ops"}:
        return original.upper()
    return original


def _canonical_title(words: tuple[str, ...]) -> tuple[str, ...]:
    expansions = lexicon().people.expansions
    return tuple(expansions.get(word, word) for word in words if word not in {"of", "the"})


def _known_by_title(
    words: tuple[str, ...], people: Sequence[KnownPerson]
) -> tuple[tuple[KnownPerson, Strength], ...]:
    """Known people whose title is this one: exactly, or by a synonym or short form."""
    if not words:
        return ()
    synonyms = lexicon().people.synonyms
    exact = [person for person in people if person.title and fold(person.title) == words]
    if exact:
        return tuple((person, "exact") for person in exact)
    typed = {_canonical_title(words), _canonical_title(synonyms.get(words, words))}
    near = [
        person
        for person in people
        if person.title
        and (
            _canonical_title(fold(person.title)) in typed
            or _canonical_title(synonyms.get(fold(person.title), ())) in typed
        )
    ]
    return tuple((person, "fuzzy") for person in near)


def _unknown_names(
    text: str, words: Sequence[Word], lex: Lexicon, blocked: frozenset[str], taken: set[int]
) -> list[Mention]:
    """Names of people the deal does not know yet: capitalised words that are not
    ordinary words ('Dave Chen'); in a reply typed all in lower case, only when the
    reply is nothing but the name and its title ('john smith')."""
    lower_case = text == text.lower()
    mentions: list[Mention] = []
    run: list[int] = []

    def close() -> None:
        while run and words[run[-1]].text in lex.people.particles:
            run.pop()
        if run:
            mentions.append(
                Mention(run[0], run[-1] + 1, "name", _name_text(text, words, run, lower_case))
            )
        run.clear()

    for index, word in enumerate(words):
        original = text[word.start : word.end]
        candidate = (
            index not in taken
            and original.replace("'", "").replace("’", "").replace("-", "").isalpha()
            and word.text not in blocked
            and (original[:1].isupper() or lower_case)
        )
        room = len({(words[i].start, words[i].end) for i in run}) < MAX_NAME_WORDS
        particle = bool(run) and word.text in lex.people.particles and index not in taken
        if (candidate and room) or particle:
            run.append(index)
        else:
            close()
    close()
    if lower_case and mentions and not _only_names(words, mentions, lex, taken):
        return []
    return mentions


def _only_names(
    words: Sequence[Word], mentions: list[Mention], lex: Lexicon, taken: set[int]
) -> bool:
    named = {index for mention in mentions for index in range(mention.start, mention.end)}
    ignorable = GLUE | SEPARATORS | {word for phrase in lex.fillers + lex.hedges for word in phrase}
    return all(
        index in named or index in taken or word.text in ignorable or word.is_punctuation
        or any(word.text == phrase[0] for phrase in lex.people.forgot)
        for index, word in enumerate(words)
    )  # fmt: skip


def _name_text(text: str, words: Sequence[Word], run: list[int], lower_case: bool) -> str:
    particles = lexicon().people.particles
    parts = []
    for index in _dedup(words, run):
        original = text[words[index].start : words[index].end]
        if lower_case and words[index].text not in particles:
            original = "-".join(part[:1].upper() + part[1:] for part in original.split("-"))
        parts.append(original)
    return " ".join(parts)


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


def _span(words: Sequence[Word], start: int, end: int) -> str:
    return " ".join(word.text for word in words[start:end])
