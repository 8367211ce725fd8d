"""A corpus of replies with the reading each should get, and how a reader scores on it.

A team that extends its playbook's aliases keeps such a corpus of its reps' own
replies: a directory with `context.yaml` (today, deals with their people and
competitors, command words) and any number of reply files. See
tests/understanding/corpus/context.yaml for the format.

Three figures per reply: read correctly (the reading is the expected one, facts and
confidence included), recorded wrongly (a high-confidence fact that is not the
expected one: it would be recorded without asking), asked again (an answer was
given but nothing was read for its field).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coaching.data_files import read_yaml_mapping
from coaching.playbook import Playbook
from coaching.understanding.context import KnownPerson, PreviousAnswer, ReplyContext
from coaching.understanding.readings import (
    Answered,
    Command,
    Confidence,
    Correction,
    ProposedFact,
    Reading,
    Unclear,
)

CONTEXT_FILE = "context.yaml"
KINDS = {"answer", "unclear", "skip", "question", "small_talk", "undo", "command", "correction"}
ANSWER_KINDS = {"answer", "correction"}


class CorpusError(Exception):
    """A corpus file is unreadable or malformed; the message says which and where."""


@dataclass(frozen=True, slots=True)
class ExpectedFact:
    value: str
    confidence: Confidence = "high"
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Expected:
    """The reading a reply should get: its kind, the facts (for an answer or a
    correction, the target's first), the command word."""

    kind: str
    facts: Mapping[str, ExpectedFact]
    command: str | None = None


@dataclass(frozen=True)
class Case:
    where: str
    reply: str
    context: ReplyContext
    expected: Expected

    @property
    def field(self) -> str:
        return self.context.field


@dataclass(frozen=True)
class Verdict:
    case: Case
    reading: Reading
    correct: bool
    wrong: tuple[ProposedFact, ...]
    asked_again: bool


def load_corpus(directory: Path, playbook: Playbook) -> list[Case]:
    """Every reply of the corpus in `directory`, with its context and expected reading."""
    world = read_yaml_mapping(directory / CONTEXT_FILE, "corpus context", CorpusError, "deals")
    cases: list[Case] = []
    for path in sorted(directory.glob("*.yaml")):
        if path.name == CONTEXT_FILE:
            continue
        raw = read_yaml_mapping(path, "corpus file", CorpusError, "replies")
        for index, entry in enumerate(raw.get("replies") or []):
            where = f"{path.name} #{index + 1}"
            try:
                cases.append(_case(where, {**_defaults(raw), **entry}, world, playbook))
            except (KeyError, TypeError, ValueError) as exc:
                raise CorpusError(f"{where}: {exc}") from None
    return cases


def _defaults(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {key: raw[key] for key in ("ask", "deal") if key in raw}


def _case(
    where: str, entry: Mapping[str, Any], world: Mapping[str, Any], playbook: Playbook
) -> Case:
    deal = world["deals"][entry["deal"]]
    if "fiscal_year_starts" in entry:
        playbook = playbook.model_copy(update={"fiscal_year_starts": entry["fiscal_year_starts"]})
    previous = entry.get("previous")
    context = ReplyContext(
        playbook,
        entry["ask"],
        _date(entry.get("today", world["today"])),
        people=tuple(
            KnownPerson(person["name"], person.get("title")) for person in deal["stakeholders"]
        ),
        competitors=tuple(deal.get("competitors") or ()),
        previous=PreviousAnswer(previous["field"], str(previous["value"])) if previous else None,
        day_first=entry.get("day_first"),
        commands=frozenset(world.get("commands") or ()),
        text_commands=frozenset(world.get("text_commands") or ()),
    )
    return Case(where, str(entry["say"]), context, _expected(entry["read"]))


def _expected(raw: Any) -> Expected:
    if isinstance(raw, str):
        if raw not in KINDS - ANSWER_KINDS - {"command"}:
            raise ValueError(f"unknown reading {raw!r}")
        return Expected(raw, {})
    if not isinstance(raw, dict):
        raise ValueError(f"a reading is a kind or a mapping, not {raw!r}")
    if "command" in raw:
        return Expected("command", {}, command=str(raw["command"]))
    if "correction" in raw:
        return Expected("correction", _facts(raw["correction"]))
    return Expected("answer", _facts(raw))


def _facts(raw: Mapping[str, Any]) -> dict[str, ExpectedFact]:
    facts = {}
    for field, spec in raw.items():
        if isinstance(spec, dict):
            facts[field] = ExpectedFact(
                str(spec["value"]),
                spec.get("confidence", "high"),
                _date(spec["date"]) if "date" in spec else None,
            )
        else:
            facts[field] = ExpectedFact(_value(spec))
    return facts


def _value(raw: Any) -> str:
    return raw.isoformat() if isinstance(raw, dt.date) else str(raw)


def _date(raw: Any) -> dt.date:
    return raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw))


def proposed(reading: Reading) -> tuple[ProposedFact, ...]:
    """The facts a reading proposes (medium or high: what would be recorded or confirmed)."""
    if isinstance(reading, Answered | Correction):
        facts = reading.facts
    elif isinstance(reading, Unclear):
        facts = reading.extras
    else:
        facts = ()
    return tuple(fact for fact in facts if fact.confidence != "low")


def judge(case: Case, reading: Reading) -> Verdict:
    """How the reading of one reply compares with the expected one."""
    expected = case.expected
    facts = proposed(reading)
    wrong = tuple(
        fact for fact in facts if fact.confidence == "high" and not _matches(fact, expected)
    )
    got = {(fact.field, fact.value, fact.confidence, fact.date) for fact in facts}
    wanted = {
        (field, fact.value, fact.confidence, fact.date or _got_date(facts, field))
        for field, fact in expected.facts.items()
    }
    correct = _same_kind(reading, expected) and got == wanted
    main = next(iter(expected.facts), None)
    asked_again = expected.kind in ANSWER_KINDS and not any(fact.field == main for fact in facts)
    return Verdict(case, reading, correct, wrong, asked_again)


def _matches(fact: ProposedFact, expected: Expected) -> bool:
    wanted = expected.facts.get(fact.field)
    if wanted is None or wanted.value != fact.value:
        return False
    return wanted.date is None or wanted.date == fact.date


def _got_date(facts: Iterable[ProposedFact], field: str) -> dt.date | None:
    """A date the expectation leaves open is whatever the reading carries."""
    return next((fact.date for fact in facts if fact.field == field), None)


def _same_kind(reading: Reading, expected: Expected) -> bool:
    if reading.kind != expected.kind:
        return False
    if isinstance(reading, Command):
        return reading.word == expected.command
    if isinstance(reading, Correction):
        return reading.field == next(iter(expected.facts), None)
    return True


@dataclass(frozen=True)
class Tally:
    replies: int
    correct: int
    wrong: int
    asked_again: int

    @property
    def correct_share(self) -> float:
        return self.correct / self.replies if self.replies else 1.0


def tally(verdicts: Iterable[Verdict]) -> Tally:
    items = list(verdicts)
    return Tally(
        len(items),
        sum(verdict.correct for verdict in items),
        sum(bool(verdict.wrong) for verdict in items),
        sum(verdict.asked_again for verdict in items),
    )


def score(cases: Iterable[Case], read: Callable[[str, ReplyContext], Reading]) -> list[Verdict]:
    """Read every reply with `read` and judge it."""
    return [judge(case, read(case.reply, case.context)) for case in cases]


def by_field(verdicts: Iterable[Verdict]) -> dict[str, Tally]:
    """A tally per field asked, in first-seen order."""
    grouped: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        grouped.setdefault(verdict.case.field, []).append(verdict)
    return {field: tally(items) for field, items in grouped.items()}
