"""The terminal chat's prompt: what the bot sends on its own (a scheduled check-in)
starts on a fresh line, and the `you> ` prompt comes back after it."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import time

import pytest
from support import person_id

from bot.bootstrap import App
from bot.console.transport import choose_person
from coaching.clock import FixedClock
from storage.models import Person

pytestmark = pytest.mark.serial


class TypesAfter:
    """Stdin that stays silent until `marker` has been printed, then types `lines`."""

    def __init__(self, writer: io.StringIO, marker: str, lines: list[str]) -> None:
        self.writer, self.marker, self.lines = writer, marker, list(lines)

    def readline(self) -> str:
        deadline = time.monotonic() + 20
        while self.marker not in self.writer.getvalue():
            if time.monotonic() > deadline:
                return ""
            time.sleep(0.02)
        return self.lines.pop(0) + "\n" if self.lines else ""


def chat(app: App, who: str, marker: str, lines: list[str]) -> str:
    database = app.services.database
    writer = io.StringIO()
    with database.transaction() as session:
        person = session.get_one(Person, person_id(database, who))
    console = app.console(person, TypesAfter(writer, marker, lines), writer, prompt=True)  # type: ignore[arg-type]
    asyncio.run(console.run())
    return writer.getvalue()


def test_a_message_the_bot_sends_on_its_own_reprints_the_prompt(
    app: App, clock: FixedClock
) -> None:
    clock.set(dt.datetime(2026, 11, 24, 14, 30, tzinfo=dt.UTC))  # Tuesday 09:30 New York
    output = chat(app, "alex@example.com", "Quick check-in", ["quit"])
    before, _, after = output.partition("Quick check-in")
    assert before.endswith("you> \n"), before[-80:]  # the prompt's line is left alone
    assert after.endswith("\n\nyou> ")  # and the prompt is shown again


def test_a_manager_is_greeted_as_a_manager(app: App) -> None:
    output = chat(app, "dana@example.com", "you> ", ["quit"])
    assert output.startswith("Hi Dana. I'm dealcoach: I keep your team's deals qualified")
    rep = chat(app, "alex@example.com", "you> ", ["quit"])
    assert rep.startswith("Hi Alex. I'm dealcoach: I keep your open deals qualified")


def test_the_picker_lists_managers_too(app: App) -> None:
    writer = io.StringIO()
    picked = choose_person(app.services, None, io.StringIO("4\n"), writer)
    assert "  4) Dana Whitfield <dana@example.com> (manager)\n" in writer.getvalue()
    assert "  1) Alex Rivera <alex@example.com>\n" in writer.getvalue()
    assert (picked.name, picked.role) == ("Dana Whitfield", "manager")
