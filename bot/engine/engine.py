"""The channel-neutral dialog engine: an incoming message becomes outbox entries.

Every transport (console, Slack, Teams) resolves who is talking, hands the engine an
`Incoming`, then delivers what the engine wrote to the outbox. One transaction
covers the event's dedupe claim, the state change and the replies, so a retried
event is handled once and a crash loses nothing. The engine is synchronous; async
transports call it in a worker thread.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from bot.bootstrap import Services
from bot.checkins import rep_commands, views
from bot.checkins.dialog import CheckinDialog
from bot.engine.messages import Incoming, Message
from bot.engine.outgoing import Outgoing, person_address
from bot.engine.replies import say
from bot.engine.turn import Turn, local_today
from coaching.extraction import Extraction
from coaching.matching import match_deals
from coaching.model import answers_by_deal
from coaching.qualification import QualificationCard, build_card
from storage import checkins, queries
from storage.events import claim_event
from storage.models import CheckInQuestion, Person
from storage.row_ids import row_id

Command = Callable[[Turn], None]


@dataclass(frozen=True, slots=True)
class ModelReading:
    question_id: int
    extraction: Extraction


FREE_TEXT = {"text", "person"}
RHYTHM_COMMANDS = {"snooze", "ooo", "pause"}
ActionHandler = Callable[[Turn, str], None]
Prepare = Callable[[Incoming, str], object]
FollowUp = Callable[[Turn, str], bool]


class ConversationEngine:
    """Routes commands, answers and button clicks; one instance serves every transport."""

    def __init__(self, services: Services, dialog: CheckinDialog) -> None:
        self.services = services
        self.dialog = dialog
        self.commands: dict[str, Command] = {
            "help": self._help,
            "deals": self._deals,
            "deal": self._deal,
            "checkin": dialog.start,
            "check-in": dialog.start,
            "stop": self._stop,
            "snooze": rep_commands.snooze,
            "unsnooze": rep_commands.unsnooze,
            "ooo": rep_commands.out_of_office,
            "pause": rep_commands.pause,
            "resume": rep_commands.resume,
        }
        self.actions: dict[str, ActionHandler] = {
            "answer": self._answer_action,
            "unsure": self._unsure_action,
            "skip": self._skip_action,
        }
        # Slow work (a model call) for a command word or action, done before the
        # transaction; its result reaches the handler as `turn.prepared`.
        self.preparers: dict[str, Prepare] = {}
        # Dialogs waiting for free text (e.g. an edit); the first that takes the text wins.
        self.follow_ups: list[FollowUp] = []

    def handle(self, incoming: Incoming) -> list[str]:
        """Process one incoming message; returns the outbox keys of the replies."""
        now = self.services.clock.now()
        event_id = incoming.event_id or uuid.uuid4().hex
        reading = self._model_reading(incoming, now)
        prepared = self._prepare(incoming)
        with self.services.database.transaction() as session:
            seen_before = incoming.event_id and not claim_event(
                session, f"{incoming.transport}:{incoming.event_id}", now
            )
            if seen_before:
                return []
            person = session.get_one(Person, incoming.person_id)
            out = Outgoing(
                session,
                transport=incoming.transport,
                recipient=person_address(person.id),
                key_prefix=f"in:{incoming.transport}:{event_id}",
                now=now,
            )
            turn = Turn(session, out, person, now, channel=incoming.channel, prepared=prepared)
            if incoming.action:
                self._on_action(turn, incoming.action, incoming.value or "")
            else:
                self._on_text(turn, (incoming.text or "").strip(), reading)
            return out.keys

    def _model_reading(self, incoming: Incoming, now: dt.datetime) -> ModelReading | None:
        """When the parser cannot read an answer, the model's reading, fetched outside any
        transaction so no database lock is held during a slow model call."""
        if self.dialog.extractor is None or not incoming.text:
            return None
        with self.services.database.transaction() as session:
            person = session.get_one(Person, incoming.person_id)
            asked = checkins.asked_question(session, person.id)
            word, _, rest = incoming.text.strip().partition(" ")
            if asked is None or self._is_command(word.lower(), rest.strip(), asked):
                return None
            today = local_today(person, now)
            request = self.dialog.extraction_request(session, asked, incoming.text, today, now)
        if request is None:
            return None
        extraction = self.dialog.extract(request)
        return None if extraction is None else ModelReading(request.question_id, extraction)

    def _prepare(self, incoming: Incoming) -> object:
        if incoming.action:
            key, args = incoming.action, incoming.value or ""
        else:
            word, _, rest = (incoming.text or "").strip().partition(" ")
            key, args = word.lower(), rest.strip()
        prepare = self.preparers.get(key)
        return prepare(incoming, args) if prepare else None

    def _on_text(self, turn: Turn, text: str, reading: ModelReading | None = None) -> None:
        if not text:
            turn.out.send(Message.text(say("empty_input")))
            return
        word, _, rest = text.partition(" ")
        word, rest = word.lower(), rest.strip()
        bare_command = word in self.commands and (not rest or word in RHYTHM_COMMANDS)
        if not bare_command and any(follow_up(turn, text) for follow_up in self.follow_ups):
            return
        asked = checkins.asked_question(turn.session, turn.person.id)
        if self._is_command(word, rest, asked):
            turn.args = rest
            self.commands[word](turn)
        elif asked is not None:
            extraction = reading.extraction if reading and reading.question_id == asked.id else None
            self.dialog.answer_text(turn, asked, text, extraction)
        elif word == "skip":
            turn.out.send(Message.text(say("question_closed")))
        else:
            turn.out.send(Message.text(say("unknown_command", text=text)))

    def _is_command(self, word: str, rest: str, asked: CheckInQuestion | None) -> bool:
        """Commands win, except that a free-text answer may start with a command word
        ("deal review with the CFO"): then only a bare command or a rhythm command counts."""
        if word not in self.commands:
            return False
        if asked is None or self.services.playbook.field(asked.field).kind not in FREE_TEXT:
            return True
        return not rest or word in RHYTHM_COMMANDS

    def _on_action(self, turn: Turn, action: str, value: str) -> None:
        handler = self.actions.get(action)
        if handler is None:
            turn.out.send(Message.text(say("unknown_command", text=action)))
            return
        handler(turn, value)

    # Check-in actions: value is "<question id>" or "<question id>:<choice value>".

    def _question(self, turn: Turn, value: str) -> CheckInQuestion | None:
        question_id = row_id(value.partition(":")[0])
        question = turn.session.get(CheckInQuestion, question_id) if question_id else None
        if question is None or question.checkin.rep_id != turn.person.id:
            turn.out.send(Message.text(say("question_closed")))
            return None
        return question

    def _answer_action(self, turn: Turn, value: str) -> None:
        question = self._question(turn, value)
        if question is not None:
            self.dialog.settle(turn, question, value.partition(":")[2], "button")

    def _unsure_action(self, turn: Turn, value: str) -> None:
        question = self._question(turn, value)
        if question is not None:
            self.dialog.settle(turn, question, "unknown", "button")

    def _skip_action(self, turn: Turn, value: str) -> None:
        question = self._question(turn, value)
        if question is not None:
            self.dialog.skip(turn, question)

    # Commands

    def _help(self, turn: Turn) -> None:
        text = say("help")
        if turn.person.role == "manager":
            text = f"{text}\n{say('help_manager')}"
        turn.out.send(Message.text(text))

    def _stop(self, turn: Turn) -> None:
        if not self.dialog.stop(turn):
            turn.out.send(Message.text(say("question_closed")))

    def _deals(self, turn: Turn) -> None:
        turn.out.send(views.deals_message(self._cards(turn)))

    def _deal(self, turn: Turn) -> None:
        cards = self._cards(turn)
        query = turn.args
        if not query:
            example = cards[0].deal.name if cards else "Acme"
            turn.out.send(Message.text(say("deal_usage", example=example)))
            return
        matches = match_deals(query, [card.deal for card in cards])
        if len(matches) != 1:
            key = "deal_ambiguous" if matches else "deal_not_found"
            names = ", ".join(deal.name for deal in matches[:8])
            turn.out.send(Message.text(say(key, query=query, names=names)))
            return
        card = next(card for card in cards if card.deal.id == matches[0].id)
        turn.out.send(views.card_message(card))

    def _cards(self, turn: Turn) -> list[QualificationCard]:
        deals = queries.open_deals(turn.session, turn.person.id)
        history = answers_by_deal(queries.answers_for(turn.session, [deal.id for deal in deals]))
        playbook = self.services.playbook
        return [build_card(playbook, deal, history.get(deal.id, []), turn.now) for deal in deals]
