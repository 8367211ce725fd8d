"""The channel-neutral dialog engine: an incoming message becomes outbox entries.

Every transport (console, Slack, Teams) resolves who is talking, hands the engine an
`Incoming`, then delivers what the engine wrote to the outbox. One transaction
covers the event's dedupe claim, the state change and the replies, so a retried
event is handled once and a crash loses nothing. The engine is synchronous; async
transports call it in a worker thread (through bot/infra/inbox.py).

It knows no feature: commands, actions, preparers, follow-ups, open questions and
fallbacks come from the `Feature`s it is built with (bot/engine/feature.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import TypeVar

from bot.engine.feature import (
    ActionHandler,
    Command,
    Fallback,
    Feature,
    FollowUp,
    OpenQuestion,
    Prepare,
    PrepareFallback,
    Questions,
)
from bot.engine.messages import Incoming, Message
from bot.engine.outgoing import Outgoing, person_address
from bot.engine.replies import say
from bot.engine.turn import Turn
from bot.infra import logs
from coaching.clock import Clock
from storage import people
from storage.db import Database
from storage.events import claim_event

HELP = "help"
V = TypeVar("V")


class FeatureConflict(Exception):
    """Two features claim the same command word, action id or preparer."""


class ConversationEngine:
    """Routes commands, answers and button clicks; one instance serves every transport."""

    def __init__(self, database: Database, clock: Clock, features: Sequence[Feature]) -> None:
        self.database = database
        self.clock = clock
        self.features = tuple(features)
        own = Feature("engine", commands=(Command((HELP,), self._help, help="help_help"),))
        self.commands: dict[str, Command] = _table(
            (word, command, feature.name)
            for feature in (*self.features, own)
            for command in feature.commands
            for word in command.words
        )
        self.actions: dict[str, ActionHandler] = _table(
            (key, handler, feature.name)
            for feature in self.features
            for key, handler in feature.actions.items()
        )
        self.preparers: dict[str, Prepare] = _table(
            (key, prepare, feature.name)
            for feature in self.features
            for key, prepare in feature.preparers.items()
        )
        self.follow_ups: tuple[FollowUp, ...] = tuple(
            follow_up for feature in self.features for follow_up in feature.follow_ups
        )
        self.questions: tuple[Questions, ...] = tuple(
            feature.questions for feature in self.features if feature.questions is not None
        )
        self.fallbacks: tuple[Fallback, ...] = tuple(
            fallback for feature in self.features for fallback in feature.fallbacks
        )
        self.fallback_preparers: tuple[PrepareFallback, ...] = tuple(
            prepare for feature in self.features for prepare in feature.fallback_preparers
        )
        self.help_lines = _help_lines((*self.features, own))

    def handle(self, incoming: Incoming) -> list[str]:
        """Process one incoming message; returns the outbox keys of the replies."""
        event_id = incoming.event_id or uuid.uuid4().hex
        with logs.about(event_id=event_id, person_id=incoming.person_id):
            return self._handle(incoming, event_id)

    def _handle(self, incoming: Incoming, event_id: str) -> list[str]:
        now = self.clock.now()
        prepared = self._prepare(incoming)
        with self.database.transaction() as session:
            seen_before = incoming.event_id and not claim_event(
                session, f"{incoming.transport}:{incoming.event_id}", now
            )
            if seen_before:
                return []
            person = people.person(session, incoming.person_id)
            out = Outgoing(
                session,
                transport=incoming.transport,
                recipient=person_address(person.id),
                key_prefix=f"in:{incoming.transport}:{event_id}",
                now=now,
            )
            if not person.active:  # transports refuse them too; this covers every path
                out.send(Message.text(say("person_inactive")))
                return out.keys
            turn = Turn(
                session,
                out,
                person,
                now,
                channel=incoming.channel,
                prepared=prepared,
                commands=frozenset(self.commands),
            )
            if incoming.action:
                self._on_action(turn, incoming.action, incoming.value or "")
            else:
                self._on_text(turn, (incoming.text or "").strip())
            return out.keys

    def is_command(self, word: str, rest: str, free_text: bool) -> bool:
        """Commands win, except that a free-text answer may start with a command word
        ("deal review with the CFO"): then only a bare command, or one that takes free
        text after it (`snooze 2h`), counts."""
        command = self.commands.get(word)
        if command is None:
            return False
        return not free_text or not rest or command.takes_free_text_args

    # Before the transaction

    def _prepare(self, incoming: Incoming) -> object:
        """Slow work (a model call) before the transaction, so no lock is held meanwhile:
        a feature's reading of an answer, else the command's or action's preparer, else
        (free text that is no command) the fallbacks' preparers."""
        if incoming.action:
            prepare = self.preparers.get(incoming.action)
            return prepare(incoming, incoming.value or "") if prepare else None
        if incoming.text:
            for questions in self.questions:
                if questions.read_ahead is not None:
                    reading = questions.read_ahead(incoming, self.is_command)
                    if reading is not None:
                        return reading
        word, _, rest = (incoming.text or "").strip().partition(" ")
        prepare = self.preparers.get(word.lower())
        if prepare is not None:
            return prepare(incoming, rest.strip())
        if not incoming.text or word.lower() in self.commands:
            return None
        for prepare_fallback in self.fallback_preparers:
            prepared = prepare_fallback(incoming)
            if prepared is not None:
                return prepared
        return None

    # In the transaction

    def _on_text(self, turn: Turn, text: str) -> None:
        if not text:
            turn.out.send(Message.text(say("empty_input")))
            return
        word, _, rest = text.partition(" ")
        word, rest = word.lower(), rest.strip()
        command = self.commands.get(word)
        bare_command = command is not None and (not rest or command.takes_free_text_args)
        if not bare_command and any(follow_up(turn, text) for follow_up in self.follow_ups):
            return
        question = self._open_question(turn)
        if command is not None and self.is_command(word, rest, _free_text(question)):
            turn.args = rest
            command.run(turn)
        elif question is not None:
            if not question.answer(turn, text):
                self._aside(turn, text, question)
        elif not any(fallback(turn, text) for fallback in self.fallbacks):
            turn.out.send(Message.text(say("unknown_command", text=text)))

    def _aside(self, turn: Turn, text: str, question: OpenQuestion) -> None:
        """Text the open question declined: the fallbacks (the coach) answer it, else a
        promise to answer after the question; then the question is asked again."""
        if not any(fallback(turn, text) for fallback in self.fallbacks):
            turn.out.send(Message.text(say("answer_after_question")))
        if question.resume is not None:
            question.resume(turn)

    def _open_question(self, turn: Turn) -> OpenQuestion | None:
        for questions in self.questions:
            question = questions.open_for(turn)
            if question is not None:
                return question
        return None

    def _on_action(self, turn: Turn, action: str, value: str) -> None:
        handler = self.actions.get(action)
        if handler is None:
            turn.out.send(Message.text(say("unknown_command", text=action)))
            return
        handler(turn, value)

    def _help(self, turn: Turn) -> None:
        lines = self.help_lines["everyone"]
        if turn.person.role == "manager":
            lines = [*lines, *self.help_lines["manager"]]
        if turn.out.transport == "console":
            lines = [*lines, say("help_quit")]
        turn.out.send(Message.text("\n".join(lines)))


def _free_text(question: OpenQuestion | None) -> bool:
    return question is not None and question.free_text


def _table(entries: Iterable[tuple[str, V, str]]) -> dict[str, V]:
    """key -> value; a key claimed by two features is an error when the engine is built."""
    table: dict[str, V] = {}
    owners: dict[str, str] = {}
    for key, value, owner in entries:
        if key in table:
            raise FeatureConflict(f"{key!r} is claimed by both {owners[key]} and {owner}")
        table[key], owners[key] = value, owner
    return table


def _help_lines(features: Sequence[Feature]) -> dict[str, list[str]]:
    """What `help` lists: each audience's heading and its commands' lines, in the order
    the features and their commands are declared (the engine's own `help` last), then
    the features' notes."""
    lines: dict[str, list[str]] = {
        "everyone": [say("help_heading")],
        "manager": [say("help_manager_heading")],
    }
    for feature in features:
        for command in feature.commands:
            if command.help is not None:
                lines[command.audience].append(f"• {say(command.help)}")
    lines["everyone"].extend(say(note) for feature in features for note in feature.help_notes)
    return lines
