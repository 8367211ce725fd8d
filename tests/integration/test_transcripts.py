"""The shared transcripts (tests/transcripts/*.yaml), replayed through the console
transport: one console per person who speaks in them."""

import asyncio
import datetime as dt
import io
import re
import time
from pathlib import Path

import pytest
import yaml
from support import person_id

from bot.bootstrap import App
from bot.console.transport import Console
from coaching.clock import FixedClock
from storage.models import Person

TRANSCRIPTS = Path(__file__).resolve().parents[1] / "transcripts"


def load(name: str) -> dict:
    return yaml.safe_load((TRANSCRIPTS / name).read_text(encoding="utf-8"))


def typed_for_pick(label: str, last_output: str) -> str:
    """What a console user types to tap `label`: a choice's number or a button's command."""
    for number, choice in re.findall(r"^  (\d+)\) (.+)$", last_output, flags=re.M):
        if choice == label:
            return number
    button = re.search(rf"\[{re.escape(label)}: `([^`]+)`\]", last_output)
    assert button, f"no choice or button {label!r} in:\n{last_output}"
    return button.group(1)


def assert_in_order(output: str, expected: list[str]) -> None:
    position = 0
    for text in expected:
        found = output.find(text, position)
        assert found >= 0, f"{text!r} missing (in order) from:\n{output}"
        position = found + len(text)


@pytest.mark.parametrize("name", ["checkin.yaml", "coach.yaml", "rhythm.yaml"])
def test_transcript_over_the_console(app: App, name: str) -> None:
    transcript = load(name)
    database = app.services.database
    consoles: dict[str, tuple[Console, io.StringIO]] = {}
    last = ""
    for step in transcript["steps"]:
        who = step.get("as", transcript["as"])
        if who not in consoles:
            writer = io.StringIO()
            with database.transaction() as session:
                person = session.get_one(Person, person_id(database, who))
            consoles[who] = (app.console(person, io.StringIO(), writer, schedule=False), writer)
        console, writer = consoles[who]
        text = step["say"] if "say" in step else typed_for_pick(step["pick"], last)
        start = len(writer.getvalue())
        asyncio.run(console.say(text))
        last = writer.getvalue()[start:]
        assert_in_order(last, step["expect"])


class ReaderWaitingFor:
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


def test_a_scheduled_checkin_arrives_while_the_console_runs(app: App, clock: FixedClock) -> None:
    clock.set(dt.datetime(2026, 11, 24, 14, 30, tzinfo=dt.UTC))  # Tuesday 09:30 New York
    database = app.services.database
    writer = io.StringIO()
    reader = ReaderWaitingFor(writer, "Quick check-in", ["1", "quit"])
    with database.transaction() as session:
        alex = session.get_one(Person, person_id(database, "alex@example.com"))
    asyncio.run(app.console(alex, reader, writer).run())  # type: ignore[arg-type]
    output = writer.getvalue()
    assert "Quick check-in: 5 questions on Northwind fleet analytics" in output
    assert "✓ Decision maker: Maria Lopez" in output
