"""The console transport: a terminal chat as one rep, the embedded default.

It talks to the same conversation engine as Slack and Teams and receives its
messages through the same outbox, so scheduled check-ins arrive while the rep is
typing. Reading stdin happens in a worker thread.
"""

from __future__ import annotations

import asyncio
from typing import TextIO

from bot.engine.messages import Incoming, Message
from bot.engine.replies import say
from bot.engine.text_render import render_text
from bot.infra.delivery import Delivered, Delivery, SendResult
from bot.infra.inbox import SpooledInbox
from bot.infra.scheduler import Clockwork
from bot.infra.services import Services
from storage import queries
from storage.models import Person
from storage.outbox import OutboxItem

QUIT_WORDS = {"quit", "exit", "bye"}


class PersonNotFound(Exception):
    """Nobody matches the --as value; the message lists who can be chosen."""


class ConsoleSender:
    """Prints messages; updates in place have nowhere to go in a terminal, so they are dropped."""

    transport = "console"

    def __init__(self, writer: TextIO) -> None:
        self.writer = writer

    async def send(self, item: OutboxItem, message: Message, replaces: str | None) -> SendResult:
        if item.kind == "update":
            return Delivered()
        self.writer.write(render_text(message) + "\n\n")
        self.writer.flush()
        return Delivered(f"console:{item.id}")


class Console:
    """One rep's terminal session, with the scheduler running behind it. bot/bootstrap.py
    builds it (`App.console`): `delivery` prints this person's messages, `deliveries`
    are every delivery to run (email, for a champion briefing, goes out from here too)."""

    def __init__(
        self,
        inbox: SpooledInbox,
        person: Person,
        reader: TextIO,
        writer: TextIO,
        *,
        delivery: Delivery,
        deliveries: list[Delivery],
        clockwork: Clockwork,
        prompt: bool = False,
    ) -> None:
        self.inbox = inbox
        self.person_id = person.id
        self.name = person.name
        self.reader = reader
        self.writer = writer
        self.prompt = prompt
        self.delivery = delivery
        self.deliveries = deliveries
        self.clockwork = clockwork

    async def run(self, first: str | None = None) -> None:
        """Chat until end of input or `quit`; `first` is said before reading input."""
        stop = asyncio.Event()
        delivering = [asyncio.create_task(delivery.run(stop)) for delivery in self.deliveries]
        clockwork = self.clockwork
        clockwork.start()
        try:
            self.writer.write(render_text(Message.text(say("greeting", name=self.first_name))))
            self.writer.write("\n\n")
            if first:
                await self.say(first)
            await self._read_loop()
        finally:
            clockwork.shutdown()
            stop.set()
            await asyncio.gather(*delivering)
            for delivery in self.deliveries:
                while await delivery.deliver_due():
                    pass

    def kick(self) -> None:
        self.inbox.kick()

    @property
    def first_name(self) -> str:
        return self.name.split()[0]

    async def say(self, text: str) -> None:
        """Send one line as the rep and print the replies."""
        incoming = Incoming(person_id=self.person_id, text=text, transport="console")
        handled = await asyncio.to_thread(self.inbox.receive, incoming)
        if handled.kept:
            self.writer.write(render_text(Message.text(say("kept_for_later"))) + "\n\n")
            return
        await self.delivery.deliver_due()
        self.kick()

    async def _read_loop(self) -> None:
        while True:
            if self.prompt:
                self.writer.write("you> ")
                self.writer.flush()
            line = await asyncio.to_thread(self.reader.readline)
            if not line or line.strip().lower() in QUIT_WORDS:
                return
            if line.strip():
                await self.say(line.strip())


def choose_person(services: Services, who: str | None, reader: TextIO, writer: TextIO) -> Person:
    """The person named by --as, or one picked from a numbered list of reps."""
    with services.database.transaction() as session:
        if who:
            person = queries.find_person(session, who)
            if person is None:
                names = ", ".join(rep.email or rep.name for rep in queries.reps(session)[:10])
                raise PersonNotFound(f"nobody matches {who!r}; try one of: {names}")
            return person
        reps = queries.reps(session)
    if not reps:
        raise PersonNotFound("there are no reps yet: run `dealcoach import team FILE.csv`")
    writer.write("Who are you?\n")
    for number, rep in enumerate(reps, start=1):
        writer.write(f"  {number}) {rep.name}" + (f" <{rep.email}>" if rep.email else "") + "\n")
    while True:
        writer.write(f"Pick 1-{len(reps)}: ")
        writer.flush()
        answer = reader.readline()
        if not answer:
            raise PersonNotFound("no rep chosen")
        if answer.strip().isdecimal() and 1 <= int(answer) <= len(reps):
            return reps[int(answer) - 1]
