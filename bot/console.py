"""The console transport: a terminal chat as one rep, the embedded default.

It talks to the same conversation engine as Slack and Teams. Reading stdin happens
in a worker thread, so scheduled messages can arrive while the rep is typing.
"""

from __future__ import annotations

import asyncio
from typing import TextIO

from bot.app import Services
from bot.conversation.engine import ConversationEngine
from bot.conversation.messages import Incoming, Message
from bot.conversation.replies import say
from bot.conversation.text_render import render_text
from storage import queries
from storage.models import Person

QUIT_WORDS = {"quit", "exit", "bye"}


class PersonNotFound(Exception):
    """Nobody matches the --as value; the message lists who can be chosen."""


class Console:
    """One rep's terminal session."""

    def __init__(
        self,
        engine: ConversationEngine,
        person: Person,
        reader: TextIO,
        writer: TextIO,
        *,
        prompt: bool = False,
    ) -> None:
        self.engine = engine
        self.person_id = person.id
        self.name = person.name
        self.reader = reader
        self.writer = writer
        self.prompt = prompt

    def show(self, messages: list[Message]) -> None:
        for message in messages:
            self.writer.write(render_text(message) + "\n\n")
        self.writer.flush()

    async def run(self) -> None:
        """Chat until end of input or `quit`."""
        self.show([Message.text(say("greeting", name=self.name.split()[0]))])
        while True:
            if self.prompt:
                self.writer.write("you> ")
                self.writer.flush()
            line = await asyncio.to_thread(self.reader.readline)
            if not line:
                return
            text = line.strip()
            if text.lower() in QUIT_WORDS:
                return
            incoming = Incoming(person_id=self.person_id, text=text, transport="console")
            replies = await asyncio.to_thread(self.engine.handle, incoming)
            self.show(replies)


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
        if answer.strip().isdigit() and 1 <= int(answer) <= len(reps):
            return reps[int(answer) - 1]
