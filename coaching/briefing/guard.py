"""The leak guard: a champion's text is checked against every internal value of a deal.

Internal values: the CRM description, the deal name (deal names carry internal notes),
the rep's notes on answers and stakeholders, answers of internal text fields
(competitors...), whatever was typed around a person's name, stakeholders not marked
shareable, pause reasons, warnings, customers who did not agree to be named, and the
deal amount. Each internal text is looked for in the champion's text four ways:
- a phrase of it (up to WINDOW words, or any run of WINDOW words of a longer one);
- a paraphrase: FUZZY_NEED of its words (stems, in any order) within a few words;
- a name-like word of it ("Routeify", "Zx9", "zqxconfidential"), on its own;
- a number of it worth keeping secret (a percentage, a sum of money, 100 and more but
  not a year), compared by value in any spelling ("USD 84.000", "84k", "eighty-four
  thousand").
What never blocks: ordinary words (common_words.yaml), and the public words given to
`find_leaks`: the product's own wording, the seller profile, calendar words, the names
of the deal's shareable people. Free text typed into a shareable answer is *not* public:
an internal word repeated there still blocks (a shareable answer launders nothing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from coaching.briefing.numbers import Quantity, quantities
from coaching.briefing.people import split_people, split_person
from coaching.briefing.view import StakeholderFacts
from coaching.briefing.words import common_words, normalise, stem
from coaching.model import AnswerFact, latest_answers
from coaching.playbook import UNKNOWN, Playbook

WINDOW = 6
SHORT_PHRASE = 3
NAME_LENGTH = 12
MIN_NAME = 4
FUZZY_NEED = 3
FUZZY_SPAN = 10
_PHRASE_BREAKS = re.compile(r"[;:\n\r\t•|()\[\]\"“”]+|(?<=[.!?])\s+|\s[-–—]\s")
_SENTENCES = re.compile(r"[;:\n\r\t•|()\[\]\"“”]+|(?<=[.!?])\s+")


@dataclass(frozen=True, slots=True)
class InternalText:
    """Internal text and where it came from (told to the rep when it leaks).
    `names_only`: look only for its names and numbers (a label such as a deal name)."""

    source: str
    text: str
    names_only: bool = False


@dataclass(frozen=True, slots=True)
class InternalValues:
    texts: tuple[InternalText, ...]
    amounts: tuple[Decimal, ...] = ()


@dataclass(frozen=True, slots=True)
class Leak:
    source: str
    fragment: str


def internal_values(
    playbook: Playbook,
    *,
    description: str | None,
    amount: Decimal | None,
    answers: Sequence[AnswerFact],
    stakeholders: Iterable[StakeholderFacts],
    deal_name: str | None = None,
    other: Sequence[InternalText] = (),
) -> InternalValues:
    """Every internal value of a deal."""
    texts: list[InternalText] = []
    if description:
        texts.append(InternalText("the CRM description", description))
    if deal_name:
        texts.append(InternalText("the deal name", deal_name, names_only=True))
    for answer in answers:
        if answer.note:
            label = playbook.by_key[answer.field].label if answer.field in playbook.by_key else ""
            texts.append(InternalText(f"your note on {label or answer.field}", answer.note))
    for key, answer in latest_answers(list(answers)).items():
        spec = playbook.by_key.get(key)
        if spec is None or spec.kind not in {"text", "person"} or answer.value == UNKNOWN:
            continue
        if not spec.shareable:
            texts.append(InternalText(f"the internal answer to {spec.label}", answer.value))
        elif spec.kind == "person":
            texts += [
                InternalText(
                    f"what you typed after {typed.name} in {spec.label}", typed.description
                )
                for typed in split_people(answer.value)
                if typed.description
            ]
    for person in stakeholders:
        texts.extend(_stakeholder_texts(person))
    texts.extend(other)
    return InternalValues(tuple(texts), (amount,) if amount else ())


def _stakeholder_texts(person: StakeholderFacts) -> list[InternalText]:
    typed = split_person(person.name)
    texts = []
    if person.notes:
        texts.append(InternalText(f"your notes on {typed.name}", person.notes))
    if typed.description:
        texts.append(InternalText(f"what you typed after {typed.name}", typed.description))
    if not person.shareable:
        texts.append(InternalText("a stakeholder not marked shareable", person.name))
        if person.title:
            texts.append(InternalText(f"{typed.name}'s title (not shareable)", person.title))
    return texts


def find_leaks(output: str, internal: InternalValues, public: Iterable[str]) -> list[Leak]:
    """The internal values found in `output`, one per source; empty when it is clean."""
    public_texts = list(public)
    said = _Text(output)
    known = _public_words(public_texts)
    leaks: dict[str, Leak] = {}
    for item in internal.texts:
        found = _name_leak(item, said, known)
        if not item.names_only:
            found = found or _phrase_leak(item.text, said, known)
        if found:
            leaks.setdefault(item.source, Leak(item.source, found))
    public_numbers = quantities(" \n ".join(public_texts))
    secrets = [(amount.normalize(), False, "the deal amount") for amount in internal.amounts]
    secrets += [
        (number.value, number.percent, item.source)
        for item in internal.texts
        for number in quantities(item.text)
        if number.sensitive
    ]
    for value, percent, source in secrets:
        if any(_is(number, value, percent) for number in public_numbers):
            continue
        if any(_is(number, value, percent) for number in said.numbers):
            shown = f"{value:f}{'%' if percent else ''}"
            leaks.setdefault(f"{source} (a number)", Leak(source, shown))
    return list(leaks.values())


class _Text:
    """The champion's text, read once: padded for phrases, sentences of stems, numbers."""

    def __init__(self, text: str) -> None:
        self.padded = f" {normalise(text)} "
        self.words = set(self.padded.split())
        self.sentences = [
            [stem(word) for word in normalise(part).split()] for part in _SENTENCES.split(text)
        ]
        self.numbers = quantities(text)


@dataclass(frozen=True, slots=True)
class _Public:
    words: frozenset[str]
    stems: frozenset[str]


def _public_words(texts: list[str]) -> _Public:
    words = frozenset(normalise(" \n ".join(texts)).split()) | common_words()
    return _Public(words, frozenset(stem(word) for word in words))


def _distinctive(word: str, known: _Public) -> bool:
    return (
        word not in known.words
        and stem(word) not in known.stems
        and (len(word) >= 3 or any(c.isdigit() for c in word))
    )


def _phrase_leak(text: str, said: _Text, known: _Public) -> str | None:
    common = common_words()
    for part in _PHRASE_BREAKS.split(text):
        words = normalise(part).split()
        if not any(_distinctive(word, known) for word in words):
            continue
        runs = (
            [words]
            if len(words) <= WINDOW
            else [words[start : start + WINDOW] for start in range(len(words) - WINDOW + 1)]
        )
        for run in runs:
            if any(_distinctive(w, known) for w in run) and f" {' '.join(run)} " in said.padded:
                return " ".join(run)
        content = {stem(word) for word in words if word not in common and len(word) >= 3}
        found = _paraphrase(content, said, known)
        if found:
            return found
    return None


def _paraphrase(content: set[str], said: _Text, known: _Public) -> str | None:
    """FUZZY_NEED of the phrase's words within FUZZY_SPAN words of one sentence of the
    output, at least one of them not public."""
    if len(content) < FUZZY_NEED:
        return None
    for sentence in said.sentences:
        hits = [(index, word) for index, word in enumerate(sentence) if word in content]
        for start, (first, _) in enumerate(hits):
            near = {word for index, word in hits[start:] if index - first <= FUZZY_SPAN}
            if len(near) >= FUZZY_NEED and any(word not in known.stems for word in near):
                return " ".join(sorted(near))
    return None


def _name_leak(item: InternalText, said: _Text, known: _Public) -> str | None:
    for name in _names(item.text, label=item.names_only):
        if name in said.words and name not in known.words and stem(name) not in known.stems:
            return name
    return None


def _names(text: str, *, label: bool) -> list[str]:
    """The name-like words of internal text (normalised), which leak even on their own:
    capitalised inside a phrase, letters mixed with digits, and (unless the text is a
    `label` such as a deal name, whose lead word names the buyer) the lead word of a
    short phrase or a word of NAME_LENGTH letters and more."""
    names = []
    for part in _PHRASE_BREAKS.split(text):
        raw = re.findall(r"[^\W_]+", part)
        for position, word in enumerate(raw):
            lead_of_short = not label and position == 0 and len(raw) <= SHORT_PHRASE
            capitalised = position > 0 and word[0].isupper()
            mixed = bool(re.search(r"\d", word)) and bool(re.search(r"[^\W\d_]", word))
            long = not label and len(word) >= NAME_LENGTH
            if len(word) >= MIN_NAME and (lead_of_short or capitalised or mixed or long):
                names.append(normalise(word))
    return [name for name in names if name and name not in common_words()]


def _is(number: Quantity, value: Decimal, percent: bool) -> bool:
    return number.percent == percent and value in number.values
