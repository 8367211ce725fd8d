"""Finding known phrases in a reply: exact, negated, misspelled, and what is left over."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz.distance import Levenshtein

from coaching.understanding.lexicon import Lexicon, Phrases
from coaching.understanding.words import Word, fold

T = TypeVar("T")
SLIP_MIN_CHARS = 5
LONG_WORD_CHARS = 8
NEGATION_REACH = 2


@dataclass(frozen=True, slots=True)
class Hit(Generic[T]):
    """A phrase found at words[start:end], standing for `value`."""

    start: int
    end: int
    value: T
    phrase: tuple[str, ...]


def hits(words: Sequence[Word], table: Iterable[tuple[tuple[str, ...], T]]) -> list[Hit[T]]:
    """Every phrase of `table` in `words`, longest first, without overlaps; in order.
    A typed word may add a plural or possessive s ("next years budget")."""
    texts = [word.text for word in words]
    starts: dict[str, list[int]] = {}
    for index, text in enumerate(texts):
        starts.setdefault(text, []).append(index)
        if _plural(text):
            starts.setdefault(text[:-1], []).append(index)
    matches = [
        (start, phrase, value)
        for phrase, value in table
        if phrase
        for start in starts.get(phrase[0], ())
        if _same(texts[start : start + len(phrase)], phrase)
    ]
    found: list[Hit[T]] = []
    taken: set[int] = set()
    for start, phrase, value in sorted(matches, key=lambda match: -len(match[1])):
        span = set(range(start, start + len(phrase)))
        if not span & taken:
            taken |= span
            found.append(Hit(start, start + len(phrase), value, phrase))
    return sorted(found, key=lambda hit: hit.start)


def _plural(text: str) -> bool:
    return len(text) >= 5 and text.endswith("s") and not text.endswith("ss")


def _same(typed: Sequence[str], phrase: tuple[str, ...]) -> bool:
    if len(typed) != len(phrase):
        return False
    return all(
        word == wanted or (_plural(word) and word[:-1] == wanted)
        for word, wanted in zip(typed, phrase, strict=True)
    )


def slipped(typed: str, meant: str, words: frozenset[str] = frozenset()) -> bool:
    """`typed` is `meant` with a slip: one edit in a word of 5 to 7 letters, two in a
    longer one ("budgetted", "desicion"); shorter words must be exact, and a typed
    word that is itself one of `words` (ordinary English: "budget") or another form of
    the word ("approve") is no slip."""
    if typed == meant or len(meant) < SLIP_MIN_CHARS or not typed.isalpha() or typed in words:
        return False
    if meant.startswith(typed) or typed.startswith(meant):
        return False  # another form of the word ("approve"), not a slip
    allowed = 2 if len(meant) >= LONG_WORD_CHARS else 1
    return Levenshtein.distance(typed, meant, score_cutoff=allowed) <= allowed


def fuzzy_hits(
    words: Sequence[Word], table: Iterable[tuple[tuple[str, ...], T]], known: frozenset[str]
) -> list[Hit[T]]:
    """Phrases of `table` typed with slips: every word the same or `slipped` (and not one
    of the `known` words), one at least."""
    found: list[Hit[T]] = []
    texts = [word.text for word in words]
    for phrase, value in table:
        size = len(phrase)
        for start in range(len(texts) - size + 1):
            window = texts[start : start + size]
            pairs = list(zip(window, phrase, strict=True))
            if all(
                typed == meant or slipped(typed, meant, known) for typed, meant in pairs
            ) and any(typed != meant for typed, meant in pairs):
                found.append(Hit(start, start + size, value, phrase))
    return found


def is_negated(words: Sequence[Word], start: int, lexicon: Lexicon) -> bool:
    """A negator within two words before `start` ("not approved", "no real budget"), or
    a not-yet marker right before it ("should be approved")."""
    before: list[str] = []
    for word in reversed(words[:start]):
        if word.is_punctuation or len(before) == NEGATION_REACH:
            break
        before.append(word.text)
    if before and before[0] in lexicon.not_yet_markers:
        return True
    return any(text in lexicon.negators for text in before)


def phrase_hits(words: Sequence[Word], phrases: Phrases) -> list[Hit[tuple[str, ...]]]:
    return hits(words, ((phrase, phrase) for phrase in phrases))


def covered(hit_list: Iterable[Hit[T]]) -> set[int]:
    return {index for hit in hit_list for index in range(hit.start, hit.end)}


def leftover(
    words: Sequence[Word], taken: set[int], lexicon: Lexicon, *ignore: Phrases
) -> list[Word]:
    """The words not in `taken`, not punctuation, and not filler, hedge or `ignore` words."""
    skip = set(taken)
    for phrases in (lexicon.fillers, lexicon.hedges, *ignore):
        skip |= covered(phrase_hits(words, phrases))
    return [
        word for index, word in enumerate(words) if index not in skip and not word.is_punctuation
    ]


def placeholders(phrase: str, fills: Mapping[str, Sequence[str]]) -> list[tuple[str, ...]]:
    """A phrase with "{competitor}" / "{person}" replaced by each known fill; none when
    it has a placeholder and nothing fills it."""
    for key, values in fills.items():
        marker = "{" + key + "}"
        if marker in phrase:
            return [
                folded
                for value in values
                for folded in placeholders(phrase.replace(marker, value), fills)
            ]
    folded = fold(phrase)
    return [folded] if folded else []
