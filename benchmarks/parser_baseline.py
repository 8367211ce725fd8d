"""The answer parser check-ins used before coaching/understanding, kept only as the
baseline of the benchmark's "understanding" section: free text -> a value in the
playbook's vocabulary, or `unclear`. It knows option numbers, labels and aliases,
yes/no, scales ("3", "3/5", "three"), dates (coaching.dates), names of known people,
and "not sure" / "skip"; whatever it read was recorded.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from coaching.dates import NUMBER_WORDS, parse_date
from coaching.playbook import UNKNOWN, FieldSpec, Option

Outcome = Literal["answer", "unsure", "skip", "unclear"]

SKIP_PHRASES = {"skip", "pass", "next", "later", "not now", "skip it", "skip this", "ask later"}
UNSURE_PHRASES = (
    "not sure", "unsure", "don't know", "dont know", "do not know", "dunno", "no idea",
    "unknown", "idk", "no clue", "tbd", "haven't asked", "havent asked", "not known",
    "can't tell", "cant tell", "hard to say", "nobody", "no one", "noone", "none yet",
)  # fmt: skip
HEDGES = ("maybe", "probably", "possibly", "i think", "kind of", "sort of", "perhaps", "likely")
NEGATIONS = ("not", "no", "isn't", "isnt", "aren't", "never", "hardly")
YES_WORDS = (
    "yes", "yeah", "yep", "yup", "y", "sure", "definitely", "absolutely", "correct",
    "of course", "for sure", "certainly", "they do", "he does", "she does", "they will",
    "he will", "she will", "they can", "he can", "she can", "true",
)  # fmt: skip
NO_WORDS = (
    "no", "nope", "n", "not really", "not at all", "never", "they don't", "he doesn't",
    "she doesn't", "won't", "wont", "can't", "cannot", "doesn't", "false",
)  # fmt: skip
NAME_FILLERS = re.compile(
    r"^(it's|it is|its|that's|that is|probably|maybe|i think|i guess|the champion is|"
    r"our champion is|decision maker is|they are|he is|she is)\s+",
    re.IGNORECASE,
)
ROLE_WORDS = {
    "ceo", "cfo", "cio", "cto", "coo", "cmo", "cro", "vp", "svp", "evp", "director", "head",
    "manager", "owner", "board", "procurement", "founder", "president", "chief", "lead",
}  # fmt: skip
SCALE_WORDS = {word: number for word, number in NUMBER_WORDS.items() if word not in {"a", "an"}}


@dataclass(frozen=True, slots=True)
class ParsedAnswer:
    outcome: Outcome
    value: str | None = None
    confidence: float = 1.0
    hint: str | None = None


def parse_answer(
    spec: FieldSpec, text: str, today: dt.date, known_names: Sequence[str] = ()
) -> ParsedAnswer:
    """Read `text` as an answer to `spec`'s question."""
    phrase = _normalize(text)
    if set(text.strip()) == {"?"}:
        return ParsedAnswer("unsure", UNKNOWN)
    if not phrase:
        return ParsedAnswer("unclear", hint="empty answer")
    if phrase in SKIP_PHRASES:
        return ParsedAnswer("skip")
    if _is_unsure(phrase):
        return ParsedAnswer("unsure", UNKNOWN)
    readers = {
        "choice": _choice,
        "scale": _scale,
        "date": _date,
        "person": _person,
        "text": _text,
    }
    return readers[spec.kind](spec, text.strip(), phrase, today, known_names)


def _normalize(text: str) -> str:
    phrase = text.lower().replace("’", "'")
    phrase = re.sub(r"[^\w'/.\- ]+", " ", phrase)
    return re.sub(r"\s+", " ", phrase).strip(" .")


def _is_unsure(phrase: str) -> bool:
    return any(_contains(phrase, unsure) for unsure in UNSURE_PHRASES)


def _contains(phrase: str, words: str) -> bool:
    return f" {words} " in f" {phrase} "


def _confidence(phrase: str) -> float:
    return 0.7 if any(_contains(phrase, hedge) for hedge in HEDGES) else 1.0


def _phrases(option: Option) -> list[str]:
    phrases = [option.value.replace("_", " "), _normalize(option.label), *option.aliases]
    if option.value == "yes":
        phrases.extend(YES_WORDS)
    elif option.value == "no":
        phrases.extend(NO_WORDS)
    return [_normalize(phrase) for phrase in phrases if phrase]


def _choice(
    spec: FieldSpec, raw: str, phrase: str, _today: dt.date, _names: Sequence[str]
) -> ParsedAnswer:
    options = [option for option in spec.options if option.value != UNKNOWN]
    if phrase.isdecimal() and 1 <= int(phrase) <= len(spec.options):
        chosen = spec.options[int(phrase) - 1]
        return ParsedAnswer("unsure" if chosen.value == UNKNOWN else "answer", chosen.value)
    matched = _matched_options(options, phrase)
    if len(matched) == 1:
        return ParsedAnswer("answer", matched.pop(), _confidence(phrase))
    if not matched and spec.allow_text and not phrase.isdecimal():
        return ParsedAnswer("answer", _clean_name(raw), 0.8)
    hint = "that matches more than one option" if matched else "pick one of the options"
    return ParsedAnswer("unclear", hint=hint)


def _matched_options(options: list[Option], phrase: str) -> set[str]:
    """Options whose phrases occur in the text, longest phrase first, skipping negated ones.

    Phrases of one or two letters ("it", "y") count only as the whole answer.
    """
    candidates = sorted(
        (
            (text, option.value)
            for option in options
            for text in _phrases(option)
            if len(text) > 2 or text == phrase
        ),
        key=lambda candidate: -len(candidate[0]),
    )
    remaining = f" {phrase} "
    matched: set[str] = set()
    for text, value in candidates:
        needle = f" {text} "
        position = remaining.find(needle)
        if position < 0:
            continue
        before = remaining[:position].split()[-1:]
        if not (before and before[0] in NEGATIONS and value not in {"yes", "no"}):
            matched.add(value)
        remaining = remaining.replace(needle, " ~ ")
    return matched


def _scale(
    spec: FieldSpec, _raw: str, phrase: str, _today: dt.date, _names: Sequence[str]
) -> ParsedAnswer:
    scale = spec.scale
    assert scale is not None
    for label, value in ((scale.min_label, scale.min), (scale.max_label, scale.max)):
        if label and _contains(phrase, _normalize(label)):
            return ParsedAnswer("answer", str(value), _confidence(phrase))
    phrase = re.sub(r"\b(\d+)\s*(?:/|out of|of)\s*\d+\b", r"\1", phrase)
    numbers = [int(token) for token in re.findall(r"\b\d+\b", phrase)]
    numbers += [SCALE_WORDS[word] for word in phrase.split() if word in SCALE_WORDS]
    distinct = sorted(set(numbers))
    span = f"{scale.min} to {scale.max}"
    if len(distinct) != 1:
        hint = "give one number" if distinct else f"a number from {span}"
        return ParsedAnswer("unclear", hint=hint)
    if not scale.min <= distinct[0] <= scale.max:
        return ParsedAnswer("unclear", hint=f"use a number from {span}")
    return ParsedAnswer("answer", str(distinct[0]), _confidence(phrase))


def _date(
    _spec: FieldSpec, _raw: str, phrase: str, today: dt.date, _names: Sequence[str]
) -> ParsedAnswer:
    reading = parse_date(phrase, today)
    if reading.ambiguous:
        return ParsedAnswer("unclear", hint="day and month could be either way: use YYYY-MM-DD")
    if reading.value is None:
        return ParsedAnswer("unclear", hint="a date like 2026-12-15, 'next Friday' or 'end of Q1'")
    return ParsedAnswer("answer", reading.value.isoformat(), _confidence(phrase))


def _person(
    _spec: FieldSpec, raw: str, phrase: str, today: dt.date, names: Sequence[str]
) -> ParsedAnswer:
    known = _known_name(phrase, names)
    if known:
        return ParsedAnswer("answer", known, _confidence(phrase))
    name = _clean_name(raw)
    if not _looks_like_person(name, phrase, today):
        return ParsedAnswer("unclear", hint="a name, e.g. 'Maria Lopez, CFO'")
    return ParsedAnswer("answer", name, 0.9 * _confidence(phrase))


def _looks_like_person(name: str, phrase: str, today: dt.date) -> bool:
    """A name or a role, maybe with a title after a comma ("Maria Lopez, CFO", "the CFO");
    not a date, a yes/no, a lone lower-case word ("approved") or a sentence."""
    if not re.search(r"[^\W\d_]", name) or parse_date(phrase, today).value is not None:
        return False
    head = re.split(r"[,(\-–]", name, maxsplit=1)[0].strip()
    words = head.split()
    if not words or len(words) > 4:
        return False
    if any(word.lower() in ROLE_WORDS for word in words):
        return True
    if head.lower() in YES_WORDS or head.lower() in NO_WORDS:
        return False
    return any(word[:1].isupper() for word in words) or len(words) >= 2


def _known_name(phrase: str, names: Sequence[str]) -> str | None:
    """A known person named in full, or by a first or last name only they have."""
    full = [name for name in names if _contains(phrase, _normalize(name))]
    if len(full) == 1:
        return full[0]
    partial = [
        name
        for name in names
        if any(_contains(phrase, part) for part in _normalize(name).split() if len(part) > 2)
    ]
    return partial[0] if len(partial) == 1 else None


def _clean_name(raw: str) -> str:
    name = NAME_FILLERS.sub("", raw.strip()).strip(" .")
    return name[:120]


def _text(
    _spec: FieldSpec, raw: str, _phrase: str, _today: dt.date, _names: Sequence[str]
) -> ParsedAnswer:
    return ParsedAnswer("answer", raw[:1000])
