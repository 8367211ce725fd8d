"""What a feature declares to the engine, as data: its commands (with their help lines),
button actions, slow preparers, follow-up dialogs, open questions, fallbacks and ticks.

The engine builds its routing tables from the features it is given and hard-codes
none; adding a feature is its own package (a `feature(ctx) -> Feature` factory) and
one registration line in bot/bootstrap.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from bot.engine.messages import Incoming
from bot.engine.turn import Turn

T = TypeVar("T")

ActionHandler = Callable[[Turn, str], None]
"""A button click: (turn, the button's value)."""

Prepare = Callable[[Incoming, str], object]
"""Slow work (a model call) for a command word or action id, done before the
transaction with no database lock held: (incoming, the command's arguments or the
action's value) -> what the handler finds in `turn.prepared`."""

PrepareFallback = Callable[[Incoming], object]
"""Slow work for free text that may reach the fallbacks (a model's answer), before the
transaction: incoming -> what the fallback finds in `turn.prepared` (None: nothing)."""

FollowUp = Callable[[Turn, str], bool]
"""A dialog waiting for free text (e.g. an edit in progress): True when it took the text."""

Fallback = Callable[[Turn, str], bool]
"""Free text that no command, follow-up or open question took: True when it answered."""

IsCommand = Callable[[str, str, bool], bool]
"""(first word, the rest, whether the open question is answered in free text) -> whether
the text runs a command rather than answering the question."""


@dataclass(frozen=True, slots=True)
class Command:
    """A word (or several synonyms) a person types, and what it runs."""

    words: tuple[str, ...]
    run: Callable[[Turn], None]
    help: str | None = None  # key of its help line in a replies YAML (None: not listed)
    audience: Literal["everyone", "manager"] = "everyone"  # which part of `help` lists it
    takes_free_text_args: bool = False  # wins even while a free-text question waits
    # (e.g. `snooze 2h`); other commands followed by more words are then an answer


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    """A question waiting for this person's answer.

    `answer` returns False when the text is not an answer (a question for the coach,
    small talk): the engine then gives it to the fallbacks as if no question were open,
    and afterwards calls `resume`, which asks the waiting question again."""

    free_text: bool  # answered in free text: "deal review with the CFO" is an answer
    answer: Callable[[Turn, str], bool]
    resume: Callable[[Turn], None] | None = None


@dataclass(frozen=True, slots=True)
class Questions:
    """How a feature's questions wait for answers typed in free text."""

    open_for: Callable[[Turn], OpenQuestion | None]
    read_ahead: Callable[[Incoming, IsCommand], object] | None = None
    """Slow reading of an answer (a model call) before the transaction; what it returns
    (None: nothing read) reaches `answer` as `turn.prepared`."""


@dataclass(frozen=True, slots=True)
class Tick:
    """A scheduled use case, under a stable id: called every `every` with the time."""

    id: str
    every: dt.timedelta
    run: Callable[[dt.datetime], object]


@dataclass(frozen=True, slots=True)
class Feature:
    """Everything one feature adds to the conversation and to the clock."""

    name: str
    commands: tuple[Command, ...] = ()
    actions: Mapping[str, ActionHandler] = field(default_factory=dict)  # action id -> handler
    preparers: Mapping[str, Prepare] = field(default_factory=dict)  # command word or action id
    follow_ups: tuple[FollowUp, ...] = ()  # asked before an open question; first taker wins
    questions: Questions | None = None
    fallbacks: tuple[Fallback, ...] = ()  # before the engine's "I didn't understand"
    fallback_preparers: tuple[PrepareFallback, ...] = ()  # free text no command or
    # answer reading took; the first that prepares something wins
    help_notes: tuple[str, ...] = ()  # keys of lines `help` shows after the command list
    ticks: tuple[Tick, ...] = ()
    parts: tuple[object, ...] = ()  # its use cases, for the CLI and tests to call directly

    def part(self, kind: type[T]) -> T | None:
        """This feature's use case of type `kind`, if it has one."""
        return next((part for part in self.parts if isinstance(part, kind)), None)
