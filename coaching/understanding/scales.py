"""Scale fields: "3", "3/5", "three", "I'd say a 4", or the words of a point
("never met", "only met her once")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from coaching.dates import NUMBER_WORDS
from coaching.playbook import Scale
from coaching.understanding.context import ReplyContext
from coaching.understanding.lexicon import lexicon
from coaching.understanding.options import Miss
from coaching.understanding.phrases import hits, is_negated, placeholders
from coaching.understanding.readings import Candidate, Confidence
from coaching.understanding.words import Word, span_text

_OUT_OF = re.compile(r"\b(\d+)\s*(?:/|out of|outta|of)\s*\d+\b")
_NUMBER = re.compile(r"(?<![\w.])(\d+)(?![\w.]|/\d)")
_COUNTED = re.compile(r"\s*(?:x\b|times|calls|meetings|emails|occasions)")  # "3 times": a count
_PRONOUNS = {"him": "them", "her": "them", "them": "them"}
_SPOKEN_NUMBERS = {word: number for word, number in NUMBER_WORDS.items() if word not in {"a", "an"}}
_ALTERNATIVES = {"or", "-", "to", "and"}


def read_scale(text: str, words: Sequence[Word], context: ReplyContext) -> Candidate | Miss:
    scale = context.spec.scale or Scale()
    numbers = _numbers(text)
    if numbers:
        return _numbered(scale, numbers, text)
    return scale_phrases(text, words, context, scale) or Miss("scale")


def _numbers(text: str) -> list[tuple[int, int]]:
    """(position, number) of each number said, "3/5" and "4 out of 5" as their first."""
    lowered = text.lower()
    found = [(match.start(), int(match.group(1))) for match in _OUT_OF.finditer(lowered)]
    taken = [range(match.start(), match.end()) for match in _OUT_OF.finditer(lowered)]
    for match in _NUMBER.finditer(lowered):
        if not any(match.start() in span for span in taken) and not _COUNTED.match(
            lowered, match.end()
        ):
            found.append((match.start(), int(match.group(1))))
    for match in re.finditer(r"[a-z]+", lowered):
        if match.group(0) in _SPOKEN_NUMBERS and not _COUNTED.match(lowered, match.end()):
            found.append((match.start(), _SPOKEN_NUMBERS[match.group(0)]))
    return sorted(found)


def _numbered(scale: Scale, numbers: list[tuple[int, int]], text: str) -> Candidate | Miss:
    distinct = sorted({number for _, number in numbers})
    first_at, first = numbers[0]
    if len(distinct) > 1:
        between = text.lower()[first_at : numbers[1][0]]
        if set(re.findall(r"[a-z]+|-", between)) & _ALTERNATIVES or not _hedged_after(between):
            return Miss("several_numbers")
        return _in_range(scale, first, text, "medium")
    return _in_range(scale, first, text, "high")


def _hedged_after(between: str) -> bool:
    return any(
        word in {"maybe", "perhaps", "possibly", "prob", "probably"} for word in between.split()
    )


def _in_range(scale: Scale, number: int, text: str, confidence: Confidence) -> Candidate | Miss:
    if not scale.min <= number <= scale.max:
        return Miss("scale_range")
    return Candidate(str(number), confidence, text.strip())


def scale_phrases(
    text: str, words: Sequence[Word], context: ReplyContext, scale: Scale
) -> Candidate | None:
    """A point named in words: the labels and aliases with confidence, hints medium."""
    lex = lexicon()
    words = [Word(_PRONOUNS.get(word.text, word.text), word.start, word.end) for word in words]
    fills: dict[str, Sequence[str]] = {
        "person": [person.name.split()[0] for person in context.people]
    }
    entries: list[tuple[tuple[str, ...], tuple[int, Confidence]]] = []
    for point, label in ((scale.min, scale.min_label), (scale.max, scale.max_label)):
        if label:
            entries.extend((phrase, (point, "high")) for phrase in placeholders(label, fills))
    tables: tuple[tuple[dict[int, tuple[str, ...]], Confidence], ...] = (
        (scale.aliases, "high"),
        (scale.hints, "medium"),
    )
    for table, confidence in tables:
        for point, phrases in table.items():
            for phrase in phrases:
                entries.extend(
                    (_pronouns(words_), (point, confidence))
                    for words_ in placeholders(phrase, fills)
                )
    found = [hit for hit in hits(words, entries) if not is_negated(words, hit.start, lex)]
    points = {hit.value[0] for hit in found}
    if len(points) != 1:
        return None
    best: Confidence = "high" if any(hit.value[1] == "high" for hit in found) else "medium"
    source = span_text(text, words[found[0].start : found[-1].end])
    return Candidate(str(points.pop()), best, source)


def _pronouns(phrase: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_PRONOUNS.get(word, word) for word in phrase)
