"""The console transport: a terminal chat as one rep, the embedded default.

It talks to the same conversation engine as Slack and Teams and receives its
messages through the same outbox, so scheduled check-ins arrive while the rep is
typing. Reading stdin happens in a worker thread.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TextIO

from bot.engine.messages import Block, Image, Incoming, Message, Paragraph
from bot.engine.pictures import draw_pictures, has_pictures
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
PROMPT = "you> "


class PersonNotFound(Exception):
    """Nobody matches the --as value; the message lists who can be chosen."""


class ConsoleSender:
    """Prints messages; updates in place have nowhere to go in a terminal, so they are dropped.

    A message the bot sends on its own while the prompt waits (a scheduled check-in, a
    warning) starts on a new line and shows the prompt again after it."""

    transport = "console"

    def __init__(self, writer: TextIO, pictures: Path | None = None) -> None:
        self.writer = writer
        self.pictures = pictures  # where a picture (a chart) is saved as a file
        self.waiting: str | None = None  # the prompt on screen while input is awaited

    def write(self, text: str) -> None:
        self.writer.write(text)
        self.writer.flush()

    async def send(self, item: OutboxItem, message: Message, replaces: str | None) -> SendResult:
        if item.kind == "update":
            return Delivered()
        if self.pictures is not None:
            message = await asyncio.to_thread(save_pictures, message, self.pictures, f"{item.id}-")
        text = render_text(message) + "\n\n"
        if self.waiting is not None:
            text = f"\n{text}{self.waiting}"
        self.write(text)
        return Delivered(f"console:{item.id}")


def save_pictures(message: Message, folder: Path, prefix: str = "") -> Message:
    """The message with each picture saved as a PNG file in `folder`, named by its path."""
    if not has_pictures(message):
        return message
    message = draw_pictures(message)
    folder.mkdir(parents=True, exist_ok=True)
    blocks: list[Block] = []
    for block in message.blocks:
        if not isinstance(block, Image):
            blocks.append(block)
            continue
        path = folder / f"{prefix}{block.name}"
        path.write_bytes(block.data)
        blocks.append(Paragraph(text=say("picture_saved", alt=block.alt, path=path.resolve())))
    return message.model_copy(update={"blocks": tuple(blocks)})


class Console:
    """One rep's terminal session, with the scheduler running behind it. bot/bootstrap.py
    builds it (`App.console`): `delivery` prints this person's messages, `deliveries`
    are every delivery to run (email, for a champion briefing, goes out from here too)."""

    def __init__(
        self,
        inbox: SpooledInbox,
        person: Person,
        reader: TextIO,
        sender: ConsoleSender,
        *,
        delivery: Delivery,
        deliveries: list[Delivery],
        clockwork: Clockwork,
        prompt: bool = False,
    ) -> None:
        self.inbox = inbox
        self.person_id = person.id
        self.name = person.name
        self.greeting = "greeting_manager" if person.role == "manager" else "greeting"
        self.reader = reader
        self.sender = sender
        self.writer = sender.writer
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
            self.writer.write(render_text(Message.text(say(self.greeting, name=self.first_name))))
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
                self.sender.write(PROMPT)
                self.sender.waiting = PROMPT
            try:
                line = await asyncio.to_thread(self.reader.readline)
            finally:
                self.sender.waiting = None
            if not line or line.strip().lower() in QUIT_WORDS:
                return
            if line.strip():
                await self.say(line.strip())


def choose_person(services: Services, who: str | None, reader: TextIO, writer: TextIO) -> Person:
    """The person named by --as, or one picked from a numbered list of reps and managers."""
    with services.database.transaction() as session:
        if who:
            person = queries.find_person(session, who)
            if person is None:
                people = queries.chat_people(session)[:10]
                names = ", ".join(one.email or one.name for one in people)
                raise PersonNotFound(f"nobody matches {who!r}; try one of: {names}")
            return person
        people = queries.chat_people(session)
    if not people:
        raise PersonNotFound("there are no reps yet: run `dealcoach import team FILE.csv`")
    writer.write("Who are you?\n")
    for number, one in enumerate(people, start=1):
        email = f" <{one.email}>" if one.email else ""
        role = " (manager)" if one.role == "manager" else ""
        writer.write(f"  {number}) {one.name}{email}{role}\n")
    while True:
        writer.write(f"Pick 1-{len(people)}: ")
        writer.flush()
        answer = reader.readline()
        if not answer:
            raise PersonNotFound("nobody chosen")
        if answer.strip().isdecimal() and 1 <= int(answer) <= len(people):
            return people[int(answer) - 1]
