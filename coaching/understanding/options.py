"""Choice fields: an option number, label, alias or hint, in the words reps use.

Strength decides between phrases for different options: an alias or label means its
option, a hint only suggests it, a bare yes/no word is weakest. Two options at the
same strength are ambiguous and asked again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from coaching.dates import find_dates
from coaching.playbook import UNKNOWN, FieldSpec, Option
from coaching.understanding.context import ReplyContext
from coaching.understanding.lexicon import Lexicon, lexicon
from coaching.understanding.phrases import Hit, fuzzy_hits, hits, is_negated, placeholders
from coaching.understanding.readings import Candidate, Confidence
from coaching.understanding.words import PUNCTUATION, Word, content, fold, span_text

Strength = Literal["alias", "hint", "weak", "weak_hedged"]
STRENGTHS: tuple[Strength, ...] = ("alias", "hint", "weak", "weak_hedged")
CONFIDENCE: dict[Strength, Confidence] = {
    "alias": "high",
    "hint": "medium",
    "weak": "high",
    "weak_hedged": "medium",
}
Entry = tuple[tuple[str, ...], tuple[str, Strength]]


@dataclass(frozen=True, slots=True)
class Miss:
    """No reading: `reason` keys the hint for asking again."""

    reason: str
    guesses: tuple[Candidate, ...] = ()


def option_phrases(spec: FieldSpec, context: ReplyContext) -> list[Entry]:
    """Every phrase that names an option of `spec`, with its option and strength."""
    lex = lexicon()
    fills = {
        "competitor": context.competitors,
        "person": [part for person in context.people for part in _name_forms(person.name)],
    }
    entries: list[Entry] = []
    yes_no = {option.value for option in spec.options} >= {"yes", "no"}
    for option in spec.options:
        if option.value == UNKNOWN:
            continue
        names = (option.label, option.value.replace("_", " "))
        groups: tuple[tuple[Sequence[str], Strength], ...] = (
            (names, "alias"),
            (option.aliases, "alias"),
            (option.hints, "hint"),
        )
        for phrases, strength in groups:
            entries.extend(_phrases(option, phrases, strength, lex=lex, fills=fills, yes_no=yes_no))
    return entries


def _name_forms(name: str) -> list[str]:
    parts = name.split()
    return [name, *parts] if len(parts) > 1 else [name]


def _phrases(
    option: Option,
    phrases: Sequence[str],
    strength: Strength,
    *,
    lex: Lexicon,
    fills: Mapping[str, Sequence[str]],
    yes_no: bool,
) -> list[Entry]:
    """The folded phrases for an option. "yes" / "no" stand for every way of saying it
    (with "he does" / "he won't" only in a yes/no question)."""
    entries: list[Entry] = []
    for phrase in phrases:
        if fold(phrase) in {("yes",), ("no",)}:
            said_yes = fold(phrase) == ("yes",)
            plain = lex.yes if said_yes else lex.no
            if yes_no:
                plain = plain + (lex.yes_forms if said_yes else lex.no_forms)
            hedged = lex.yes_hedged if said_yes else lex.no_hedged
            entries.extend((words, (option.value, "weak")) for words in plain)
            entries.extend((words, (option.value, "weak_hedged")) for words in hedged)
        else:
            entries.extend(
                (words, (option.value, strength)) for words in placeholders(phrase, fills)
            )
    return entries


def read_choice(text: str, words: Sequence[Word], context: ReplyContext) -> Candidate | Miss:
    """Read a reply to a choice question (not the free-text fallback of `allow_text`)."""
    spec = context.spec
    spoken = content(words)
    if len(spoken) == 1 and spoken[0].text.isdecimal():
        return _numbered(spec, int(spoken[0].text), text)
    found = option_hits(text, words, option_phrases(spec, context), spec, lexicon())
    if not found:
        found = [
            hit
            for hit in fuzzy_hits(words, _spelled(spec, context), lexicon().not_names)
            if not is_negated(words, hit.start, lexicon())
        ]
        if found:
            return _decide(found, text, words, confidence="medium")
        return _by_period(text, context) or Miss("option")
    return _decide(found, text, words)


def _spelled(spec: FieldSpec, context: ReplyContext) -> list[Entry]:
    return [entry for entry in option_phrases(spec, context) if entry[1][1] == "alias"]


def _numbered(spec: FieldSpec, number: int, text: str) -> Candidate | Miss:
    if not 1 <= number <= len(spec.options):
        return Miss("option_number")
    return Candidate(spec.options[number - 1].value, "high", text.strip())


def option_hits(
    text: str, words: Sequence[Word], entries: list[Entry], spec: FieldSpec, lex: Lexicon
) -> list[Hit[tuple[str, Strength]]]:
    """The option phrases in the reply, negated ones dropped; in a yes/no question a
    negated yes-phrase ("he doesn't love us") reads as a hinted no."""
    size = len(content(words))
    kept: list[Hit[tuple[str, Strength]]] = []
    for hit in hits(words, entries):
        value, strength = hit.value
        weak = strength in {"weak", "weak_hedged"}
        short = len("".join(hit.phrase)) <= (1 if weak else 2)
        if short and size != len(hit.phrase) and not _capitals(text, words, hit):
            continue  # "y", "n", "it": only as the whole reply, or written "IT"
        if weak:
            following = words[hit.end].text if hit.end < len(words) else None
            if following == "not":
                continue  # "she can" in "she can not"
            if is_negated(words, hit.start, lex):
                flipped = _opposite(spec, value)
                if flipped is not None:  # "I doubt he can": a no to confirm
                    kept.append(Hit(hit.start, hit.end, (flipped, "weak_hedged"), hit.phrase))
                continue
            if hit.phrase in lex.yes_forms + lex.no_forms and following not in (None, *PUNCTUATION):
                kept.append(Hit(hit.start, hit.end, (value, "weak_hedged"), hit.phrase))
                continue  # "he will" in "he will wait": depends on what follows
        elif is_negated(words, hit.start, lex):
            flipped = _opposite(spec, value) if strength == "alias" else None
            if flipped is not None:
                kept.append(Hit(hit.start, hit.end, (flipped, "hint"), hit.phrase))
            continue
        kept.append(hit)
    return kept


def _capitals(text: str, words: Sequence[Word], hit: Hit[tuple[str, Strength]]) -> bool:
    """An acronym written in capitals ("IT mostly")."""
    original = text[words[hit.start].start : words[hit.end - 1].end]
    return len(original) > 1 and original.isupper()


def _opposite(spec: FieldSpec, value: str) -> str | None:
    values = {option.value for option in spec.options}
    if {"yes", "no"} <= values and value in {"yes", "no"}:
        return "no" if value == "yes" else "yes"
    return None


def _decide(
    found: list[Hit[tuple[str, Strength]]],
    text: str,
    words: Sequence[Word],
    confidence: Confidence | None = None,
) -> Candidate | Miss:
    for strength in STRENGTHS:
        values = {hit.value[0] for hit in found if hit.value[1] == strength}
        if not values:
            continue
        chosen = [hit for hit in found if hit.value[1] == strength]
        source = span_text(text, words[chosen[0].start : chosen[-1].end])
        if len(values) > 1:
            guesses = tuple(Candidate(value, "low", source) for value in sorted(values))
            return Miss("several_options", guesses)
        return Candidate(values.pop(), confidence or CONFIDENCE[strength], source)
    return Miss("option")


def _by_period(text: str, context: ReplyContext) -> Candidate | None:
    """An option standing for a fiscal year, picked by a date in the reply ("money comes
    in April" with April in next fiscal year)."""
    periods = {option.period: option.value for option in context.spec.options if option.period}
    if not periods:
        return None
    fiscal = context.fiscal
    current = fiscal.year_of(context.today)
    chosen: dict[str, str] = {}
    for mention in find_dates(text, context.today, fiscal=fiscal, day_first=context.day_first):
        if (
            mention.value is None
            or mention.value < context.today
            or _negated_text(text, mention.start)
        ):
            continue
        period = (
            "this_fiscal_year" if fiscal.year_of(mention.value) == current else "next_fiscal_year"
        )
        if period in periods:
            chosen[periods[period]] = mention.text
    if len(chosen) != 1:
        return None
    value, source = chosen.popitem()
    return Candidate(value, "high", source)


def _negated_text(text: str, start: int) -> bool:
    before = text[:start].lower().split()[-2:]
    return any(word.strip(",.") in lexicon().negators for word in before)
