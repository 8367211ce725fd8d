"""A reply as words: folded for matching, each pointing back at the text it came from.

Folding lower-cases, drops apostrophe forms ("don't" -> "do not", "they're" -> "they
are", "Maria's" -> "maria s") and splits hyphens, so a phrase matches however it was
typed. Punctuation stays as its own word, so a phrase never matches across a comma.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(
    r"[^\W_]+(?:['’][^\W_]+)*(?:[-/.][^\W_]+)*%?|[?!.,;:()\[\]\-–—&+/=]|[^\w\s]",
)
_NOT = {
    "won": ("will", "not"), "can": ("can", "not"), "shan": ("shall", "not"),
    "ain": ("is", "not"),
}  # fmt: skip
_JOINED_NOT = {
    "dont": "do", "doesnt": "does", "didnt": "did", "isnt": "is", "arent": "are",
    "wasnt": "was", "werent": "were", "havent": "have", "hasnt": "has", "hadnt": "had",
    "wont": "will", "cant": "can", "couldnt": "could", "wouldnt": "would",
    "shouldnt": "should", "aint": "is", "mustnt": "must",
}  # fmt: skip
_SUFFIXES = {"re": "are", "ve": "have", "ll": "will", "m": "am", "d": "would", "s": "s"}
PUNCTUATION = frozenset("?!.,;:()[]-–—&+/=")


@dataclass(frozen=True, slots=True)
class Word:
    """One folded word and the span of the original text it came from."""

    text: str
    start: int
    end: int

    @property
    def is_punctuation(self) -> bool:
        return self.text in PUNCTUATION


def _fold_token(token: str) -> tuple[str, ...]:
    token = token.lower().replace("’", "'")
    if "'" in token:
        head, _, tail = token.rpartition("'")
        if tail == "t" and head.endswith("n"):
            return _NOT.get(head, (head[:-1], "not"))
        if tail in _SUFFIXES:
            return (*_fold_token(head), _SUFFIXES[tail])
        return (token.replace("'", ""),)
    if token in _JOINED_NOT:
        return (_JOINED_NOT[token], "not")
    if "-" in token and not token[0].isdigit():
        return tuple(part for part in token.split("-") if part)
    return (token,)


def split(text: str) -> tuple[Word, ...]:
    """The folded words of `text`, in order."""
    words: list[Word] = []
    for match in _TOKEN.finditer(text):
        for part in _fold_token(match.group(0)):
            words.append(Word(part, match.start(), match.end()))
    return tuple(words)


@lru_cache(maxsize=8192)
def fold(phrase: str) -> tuple[str, ...]:
    """A phrase as folded words, to match against `split` output."""
    return tuple(word.text for word in split(phrase))


def fold_all(phrases: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(folded for folded in (fold(phrase) for phrase in phrases) if folded)


def span_text(text: str, words: Sequence[Word]) -> str:
    """The original text the words cover."""
    if not words:
        return ""
    return text[words[0].start : words[-1].end]


def content(words: Sequence[Word]) -> list[Word]:
    return [word for word in words if not word.is_punctuation]
