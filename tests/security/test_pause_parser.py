"""Finding 15 (issue 15): the `pause` parser was quadratic (a regular expression with
`\\s+` around its keywords, on long runs of spaces) and ran inside the engine's
transaction: a 40,000-character message took 3.6 s and held up other reps' replies.

Linearity is shown by counting the parser's steps (Python line events) for a message
and for one ten times longer: linear work grows ten times, quadratic work a hundred.
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

from support import make_services, person_id, texts

from bot.bootstrap import build_app
from bot.checkins import pause_text
from bot.checkins.pause_text import PauseRequest, parse_pause
from bot.engine.messages import Incoming
from coaching.clock import FixedClock
from storage.db import Database
from storage.demo import load_demo

PARSER = pause_text.__file__


def steps(text: str) -> int:
    """Line events executed in the parser's module while it reads `text`."""
    count = 0

    def trace(frame: FrameType, event: str, _arg: Any) -> Any:
        nonlocal count
        if frame.f_code.co_filename == PARSER:
            if event == "line":
                count += 1
            return trace
        return None

    sys.settrace(trace)
    try:
        parse_pause(text)
    finally:
        sys.settrace(None)
    return count


def message(words: int) -> str:
    return "Globex until friday because " + " ".join(["x"] * words) + " " * (words * 3)


def test_f15_the_pause_parser_is_linear() -> None:
    short, long = steps(message(4_000)), steps(message(40_000))
    assert long / short < 12  # quadratic would be about 100
    assert parse_pause(message(10)) == PauseRequest("Globex", "friday", " ".join(["x"] * 10))


def test_f15_a_40000_character_pause_is_read_before_the_transaction(
    sqlite_database: Database, clock: FixedClock
) -> None:
    with sqlite_database.transaction() as session:
        load_demo(session, clock.now())
    app = build_app(make_services(sqlite_database, clock))
    alex = person_id(sqlite_database, "alex@example.com")
    text = "pause " + message(10_000)
    assert len(text) >= 40_000
    incoming = Incoming(person_id=alex, text=text, transport="console")

    prepared = app.engine.preparers["pause"](incoming, text.removeprefix("pause "))
    assert prepared == PauseRequest("Globex", "friday", " ".join(["x"] * 10_000))
    app.engine.handle(incoming)
    [answer] = texts(sqlite_database, f"person:{alex}")
    assert "no open deal of yours matching “Globex”" in answer
