"""The simulated, time-compressed week `dealcoach demo` prints, on the demo pipeline.

The real scheduler use cases, dialog and outbox run against a throwaway SQLite
database on a clock that jumps an hour at a time; scripted reps (demo_script.yaml)
answer by tapping or typing. The conversation and the resulting qualification cards
are printed; nothing is read from or written to the user's own database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import yaml

from bot.bootstrap import build_app, build_services
from bot.checkins import views
from bot.checkins.cards import open_cards
from bot.checkins.proposals import CONFIRM_ACTION
from bot.engine.messages import Actions, Button, Incoming, Message, Question
from bot.engine.text_render import render_text
from bot.infra.delivery import Delivered, SendResult
from bot.infra.local_time import local_date
from bot.infra.services import Services
from bot.settings import load_settings
from coaching.clock import FixedClock
from storage import checkins, deals, people
from storage.demo import DEMO_SELLER_FILE, load_demo
from storage.migrate import upgrade
from storage.models import Person
from storage.outbox import OutboxItem

SCRIPT = Path(__file__).with_name("demo_script.yaml")
STEP = dt.timedelta(minutes=15)
REPLY_DELAY = dt.timedelta(minutes=2)


@dataclass
class ReceivedQuestion:
    person_id: int
    key: str
    message: Message


@dataclass
class ReceivedProposal:
    """'Record Ken Wu (CIO) as decision maker?': the scripted rep taps Yes."""

    person_id: int
    confirm: Button


@dataclass
class DemoSender:
    """Prints every message as a line of the transcript and remembers what to answer."""

    writer: TextIO
    people: dict[int, Person]
    transport: str = "console"
    inbox: list[ReceivedQuestion | ReceivedProposal] = field(default_factory=list)

    async def send(self, item: OutboxItem, message: Message, replaces: str | None) -> SendResult:
        if item.kind == "update":
            return Delivered()
        person = self.people[int(item.recipient.removeprefix("person:"))]
        self.writer.write(f"{_stamp(item.created_at, person)} · dealcoach → {person.name}\n")
        self.writer.write(textwrap.indent(render_text(message), "    ") + "\n\n")
        if message.question is not None:
            self.inbox.append(ReceivedQuestion(person.id, item.key, message))
        elif (confirm := _confirm_button(message)) is not None:
            self.inbox.append(ReceivedProposal(person.id, confirm))
        return Delivered()


def _confirm_button(message: Message) -> Button | None:
    """The Yes button under a proposal, if the message is one."""
    buttons = (
        button for block in message.blocks if isinstance(block, Actions) for button in block.buttons
    )
    return next(
        (b for b in buttons if b.action == CONFIRM_ACTION and b.value.endswith(":yes")), None
    )


def _stamp(moment: dt.datetime, person: Person) -> str:
    local = moment.astimezone(ZoneInfo(person.timezone))
    return local.strftime("%a %d %b %H:%M ") + person.timezone


class DemoWeek:
    """Runs the simulated week; `run` writes the transcript and the final cards."""

    def __init__(self, services: Services, clock: FixedClock, writer: TextIO) -> None:
        self.services = services
        self.clock = clock
        self.writer = writer
        self.app = build_app(services)
        self.script: dict[str, Any] = yaml.safe_load(SCRIPT.read_text(encoding="utf-8"))["reps"]
        with services.database.transaction() as session:
            self.people = {person.id: person for person in people.everyone(session)}
        self.sender = DemoSender(writer, self.people)
        self.delivery = self.app.delivery([self.sender])
        self.first_checkin: dict[int, int] = {}
        self.timeline: dict[int, dt.datetime] = {}
        self.tick = clock.now()

    def run(self, days: int) -> None:
        start = self.clock.now()
        end = start + dt.timedelta(days=days)
        self.tick = start
        while self.tick < end:
            self.clock.set(self.tick)
            self.timeline.clear()
            self.app.tick("checkins").run(self.tick)
            self._exchange()
            self.tick += STEP
        self.clock.set(end)
        self._results()

    def _exchange(self) -> None:
        """Deliver, let the scripted reps answer, repeat until everyone is quiet."""
        while True:
            asyncio.run(self.delivery.deliver_due())
            if not self.sender.inbox:
                return
            pending, self.sender.inbox = self.sender.inbox, []
            for delivered in pending:
                if isinstance(delivered, ReceivedProposal):
                    self._confirm(delivered)
                else:
                    self._answer(delivered)

    def _confirm(self, proposal: ReceivedProposal) -> None:
        person = self.people[proposal.person_id]
        self._reply_moment(person)
        self._note(person, f"[taps “{proposal.confirm.label}”]")
        self._handle(
            Incoming(person_id=person.id, action=CONFIRM_ACTION, value=proposal.confirm.value)
        )

    def _reply_moment(self, person: Person) -> None:
        """A scripted rep replies a couple of minutes after their previous move."""
        moment = self.timeline.get(person.id, self.tick) + REPLY_DELAY
        self.timeline[person.id] = moment
        self.clock.set(moment)

    def _answer(self, delivered: ReceivedQuestion) -> None:
        person = self.people[delivered.person_id]
        script = self.script.get(person.email or "", {})
        question = delivered.message.question
        assert question is not None
        checkin_id = self._checkin_of(int(question.ref))
        first = self.first_checkin.setdefault(person.id, checkin_id) == checkin_id
        behaviour = script.get("first_checkin") if first else None
        if behaviour == "ignore":
            return
        self._reply_moment(person)
        if behaviour and delivered.key.endswith(":start"):
            self._type(person, behaviour)
            return
        crm_id, field_key = self._asked(int(question.ref))
        line = script.get("deals", {}).get(crm_id, {}).get(field_key)
        if line and "tap" in line:
            self._tap(person, question, str(line["tap"]))
        else:
            self._type(person, line["type"] if line else "not sure")

    def _tap(self, person: Person, question: Question, label: str) -> None:
        choice = next((choice for choice in question.choices if choice.label == label), None)
        if choice is None:
            self._type(person, label)
            return
        self._note(person, f"[taps “{label}”]")
        self._handle(
            Incoming(person_id=person.id, action="answer", value=f"{question.ref}:{choice.value}")
        )

    def _type(self, person: Person, text: str) -> None:
        self._note(person, text)
        self._handle(Incoming(person_id=person.id, text=text))

    def _handle(self, incoming: Incoming) -> None:
        self.app.engine.handle(incoming)

    def _note(self, person: Person, said: str) -> None:
        self.writer.write(f"{_stamp(self.clock.now(), person)} · {person.name}: {said}\n\n")

    def _checkin_of(self, question_id: int) -> int:
        with self.services.database.transaction() as session:
            question = checkins.question(session, question_id)
            assert question is not None
            return question.checkin_id

    def _asked(self, question_id: int) -> tuple[str, str]:
        """The CRM id of the deal and the field a question is about."""
        with self.services.database.transaction() as session:
            question = checkins.question(session, question_id)
            assert question is not None
            return deals.deal(session, question.deal_id).crm_id, question.field

    def _results(self) -> None:
        self.writer.write("=" * 72 + "\nAfter the week: each rep's pipeline and top deal\n\n")
        now = self.clock.now()
        with self.services.database.transaction() as session:
            for person in sorted(self.people.values(), key=lambda person: person.name):
                if person.role != "rep":
                    continue
                cards = open_cards(session, self.services.playbook, person.id, now)
                self.writer.write(f"--- {person.name} ---\n")
                today = local_date(now, person.timezone)
                self.writer.write(render_text(views.deals_message(cards, today)) + "\n\n")
                if cards:
                    self.writer.write(render_text(views.card_message(cards[0])) + "\n\n")


def run_demo(writer: TextIO, days: int = 7, start: dt.datetime | None = None) -> None:
    """Simulate `days` days from `start` (default: this week's Monday, 00:00 UTC)."""
    today = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    start = start or today - dt.timedelta(days=today.weekday())
    clock = FixedClock(start)
    with tempfile.TemporaryDirectory(prefix="dealcoach-demo-") as directory:
        settings = load_settings(
            database_url=f"sqlite:///{Path(directory) / 'demo.sqlite3'}",
            slack_bot_token=None,
            microsoft_app_id=None,
            openai_api_key=None,
            openai_base_url=None,
            seller_path=DEMO_SELLER_FILE,
        )
        services = build_services(settings, clock=clock)
        upgrade(services.database)
        with services.database.transaction() as session:
            load_demo(session, clock.now())
        writer.write(f"A simulated week from {start:%A %d %B %Y}, on the demo pipeline.\n\n")
        DemoWeek(services, clock, writer).run(days)
        services.database.dispose()
