"""DEALCOACH_LOG_FORMAT=json: one JSON object a line, with the event id and the person's
id on every line logged while the engine handles their message."""

import io
import json
import logging
from pathlib import Path

import pytest
from support import person_id, with_stand_in

from bot.bootstrap import App
from bot.engine.feature import Command, Feature
from bot.engine.messages import Incoming
from bot.engine.turn import Turn
from bot.infra import logs
from bot.settings import SettingsError, load_settings


def test_json_lines_name_the_event_and_the_person(app: App) -> None:
    def digest(turn: Turn) -> None:
        logging.getLogger("bot.managers").warning("digest asked by %s", turn.person.name)

    bot = with_stand_in(app, Feature("managers", commands=(Command(("digest",), digest),)))
    dana = person_id(app.services.database, "dana@example.com")
    stream = io.StringIO()
    handler = logs.handler(stream, "json")
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        logging.getLogger("bot.test").warning('before, with "quotes"\nand a newline')
        bot.engine.handle(Incoming(person_id=dana, text="digest", event_id="Ev42"))
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("bot.test").exception("after")
    finally:
        root.removeHandler(handler)

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert len(lines) == 3  # one object a line, a newline in a message included
    before, during, after = lines
    assert before["message"] == 'before, with "quotes"\nand a newline'
    assert "event_id" not in before and "person_id" not in before
    assert during["message"] == "digest asked by Dana Whitfield"
    assert (during["event_id"], during["person_id"]) == ("Ev42", dana)
    assert (during["level"], during["logger"]) == ("WARNING", "bot.managers")
    assert during["time"].endswith("+00:00")
    assert "event_id" not in after and "ValueError: boom" in after["exception"]


def test_text_lines_name_them_too() -> None:
    stream = io.StringIO()
    logger = logging.getLogger("bot.test.text")
    handler = logs.handler(stream, "text")
    logger.addHandler(handler)
    try:
        with logs.about(event_id="Ev7", person_id=3):
            logger.warning("hello")
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue().rstrip().endswith("WARNING bot.test.text: hello [event=Ev7 person=3]")


def test_an_unknown_format_is_a_clear_error() -> None:
    with pytest.raises(SettingsError, match="DEALCOACH_LOG_FORMAT"):
        load_settings(log_format="xml")


def test_the_readme_table_documents_the_log_and_tick_settings() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    rows = [line for line in readme.splitlines() if line.startswith("| `DEALCOACH_")]
    for name in ("DEALCOACH_LOG_LEVEL", "DEALCOACH_LOG_FORMAT", "DEALCOACH_TICK_SECONDS"):
        assert any(row.startswith(f"| `{name}`") for row in rows), name
