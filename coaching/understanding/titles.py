"""Titles and roles in a reply: 'CFO', 'head of dispatch', 'their ops manager Dave Chen',
'Chief Medical Officer', 'the board', 'from finance'; matched to the titles of the
deal's known people exactly or through synonyms and short forms (lexicon.yaml)."""

from __future__ import annotations

from collections.abc import Sequence

from coaching.understanding.context import KnownPerson
from coaching.understanding.lexicon import Lexicon, lexicon
from coaching.understanding.mentions import DETERMINERS, Mention, Strength, one_per_token
from coaching.understanding.phrases import hits
from coaching.understanding.words import Word, fold

DROPPED_MODIFIERS = frozenset({"new", "current"})


def find_titles(
    text: str,
    words: Sequence[Word],
    lex: Lexicon,
    people: Sequence[KnownPerson],
    taken: set[int],
) -> list[Mention]:
    """Titles and roles: 'CFO', 'head of dispatch', 'their ops manager', 'the board',
    'from finance'."""
    people_words = lex.people
    cores = frozenset(
        people_words.title_nouns | (people_words.abbreviations - {"it", "hr", "pm", "ops"})
    )
    departments = {phrase[0] for phrase in people_words.departments} | people_words.abbreviations
    used = set(taken)
    several_words = [group for group in people_words.groups if len(group) > 1]
    mentions = _groups(text, words, several_words, used, people)  # "board of directors"
    for index, word in enumerate(words):
        if index in used:
            continue
        if _is_title_word(word.text, cores):
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
            end = _title_end(text, words, index + 1, departments=departments, lex=lex, cores=cores)
        elif _after_from(words, index) and word.text in departments:
            start, end = index, index + 1
            while end < len(words) and words[end].text in departments and end - start < 3:
                end += 1
        else:
            continue
        start = determiner_start(words, start)
        if set(range(start, end)) & used:
            continue
        mentions.append(_title(text, words, start, end, people))
        used |= set(range(start, end))
    one_word = [group for group in people_words.groups if len(group) == 1]
    return mentions + _groups(text, words, one_word, used, people)  # "finance chief" first


def _groups(
    text: str,
    words: Sequence[Word],
    groups: Sequence[tuple[str, ...]],
    used: set[int],
    people: Sequence[KnownPerson],
) -> list[Mention]:
    """Bodies that decide ('the board', 'procurement'), in words not `used` yet."""
    mentions = []
    for hit in hits(words, [(group, group) for group in groups]):
        if set(range(hit.start, hit.end)) & used or not _written_as_group(text, words, hit.start):
            continue
        start = determiner_start(words, hit.start)
        mentions.append(_title(text, words, start, hit.end, people))
        used |= set(range(start, hit.end))
    return mentions


def _written_as_group(text: str, words: Sequence[Word], index: int) -> bool:
    """'IT' the department, not 'it' the pronoun."""
    word = words[index]
    return word.text != "it" or text[word.start : word.end] == "IT"


def _after_from(words: Sequence[Word], index: int) -> bool:
    return index > 0 and words[index - 1].text == "from"


def determiner_start(words: Sequence[Word], start: int) -> int:
    return start - 1 if start > 0 and words[start - 1].text in DETERMINERS else start


def _is_title_word(word: str, cores: frozenset[str]) -> bool:
    return word in cores or (word.endswith("s") and word[:-1] in cores)  # "directors"


def _title_end(
    text: str,
    words: Sequence[Word],
    end: int,
    *,
    departments: set[str],
    lex: Lexicon,
    cores: frozenset[str],
) -> int:
    """Where a title that ends in `end` really ends: 'head' + 'of dispatch', 'VP' +
    'Finance', 'Chief' + 'Medical Officer'."""
    for reach in range(end, min(end + 3, len(words))):
        if not text[words[reach].start : words[reach].end][:1].isupper():
            break
        if _is_title_word(words[reach].text, cores):
            return reach + 1
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
    shown = " ".join(_shown_title_word(text, words[index]) for index in one_per_token(words, kept))
    known = _known_by_title(tuple(words[index].text for index in kept), people)
    return Mention(start, end, "title", shown, known, determiner)


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
