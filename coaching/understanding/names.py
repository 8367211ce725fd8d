"""Names in a reply: the deal's known people (by full, first or last name, or a near
spelling) and people the deal does not know yet. Words about time, money, feelings or
process are never part of a name (lexicon `not_names`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from coaching.understanding.context import KnownPerson
from coaching.understanding.lexicon import Lexicon, lexicon
from coaching.understanding.mentions import Mention, Strength, one_per_token
from coaching.understanding.phrases import hits
from coaching.understanding.words import Word, fold

NAME_PART_SCORE = 80
FULL_NAME_SCORE = 90
MAX_NAME_WORDS = 4
GLUE = frozenset({",", "(", ")", "-", "–", "from", "of", "at", "the", "their", "our", "s", ":"})
SEPARATORS = frozenset({"and", "&", "or", "plus", "with", "+", "/"})


@lru_cache(maxsize=64)
def non_name_words(field_names: tuple[str, ...], competitors: tuple[str, ...]) -> frozenset[str]:
    lex = lexicon()
    words = set(lex.not_names) | set(lex.people.title_nouns) | set(lex.people.abbreviations)
    words |= set(lex.people.modifiers) | set(lex.people.honorifics)
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


def known_names(words: Sequence[Word], people: Sequence[KnownPerson]) -> list[Mention]:
    entries = [
        (form, (person, is_full)) for person in people for form, _, is_full in _forms(person)
    ]
    mentions = []
    for hit in hits(words, entries):
        matching = [
            person for person in people if any(form == hit.phrase for form, _, _ in _forms(person))
        ]
        end = hit.end
        initial = words[end].text if end < len(words) else ""
        if len(initial) == 1 and initial.isalpha() and initial not in {"i", "a"}:
            by_initial = [person for person in matching if fold(person.name)[-1][:1] == initial]
            if by_initial:  # "Priya S", "tom b"
                matching, end = by_initial, end + 1
        mentions.append(
            Mention(
                hit.start, end, "name", _span(words, hit.start, end),
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


def unknown_names(
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
    for index in one_per_token(words, run):
        original = text[words[index].start : words[index].end]
        if lower_case and words[index].text not in particles:
            original = "-".join(part[:1].upper() + part[1:] for part in original.split("-"))
        parts.append(original)
    return " ".join(parts)


def bracketed_titles(mentions: list[Mention], words: Sequence[Word]) -> list[Mention]:
    """In 'Hans Müller (Geschäftsführer)' what follows a name in brackets is their title,
    whatever the word."""
    result: list[Mention] = []
    for mention in mentions:
        previous = result[-1] if result else None
        bracketed = (
            previous is not None
            and previous.kind == "name"
            and mention.kind == "name"
            and mention.start == previous.end + 1
            and words[previous.end].text == "("
        )
        result.append(
            Mention(mention.start, mention.end, "title", mention.text) if bracketed else mention
        )
    return result


def _span(words: Sequence[Word], start: int, end: int) -> str:
    return " ".join(word.text for word in words[start:end])
