"""`dealcoach playbook try FIELD "TEXT"`: how the bot reads a reply, as a playbook
author runs it (in process, on a SQLite file holding the demo pipeline)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from support import bare_environment
from typer.testing import CliRunner

from bot.bootstrap import build_services, prepare_database
from bot.cli.main import app
from bot.settings import load_settings
from storage.demo import load_demo


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    env = bare_environment(
        DEALCOACH_DATABASE_URL=f"sqlite:///{tmp_path / 'try.sqlite3'}",
        DEALCOACH_DATA_DIR=str(tmp_path),
        DEALCOACH_LOG_LEVEL="WARNING",
    )
    monkeypatch.chdir(tmp_path)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    services = build_services(load_settings())
    prepare_database(services)
    with services.database.transaction() as session:
        load_demo(session, dt.datetime.now(dt.UTC))

    def run(*args: str):
        return CliRunner().invoke(app, list(args), env=env)

    return run


def test_try_prints_the_facts_their_confidence_and_the_next_step(run) -> None:
    done = run("playbook", "try", "authority", "the CFO, Maria, but I have only met her once",
               "--deal", "northwind")  # fmt: skip
    assert done.exit_code == 0, done.output
    assert done.output.splitlines() == [
        "Decision maker: “the CFO, Maria, but I have only met her once”",
        "  Decision maker = Maria Lopez [high], from “the CFO, Maria”",
        "  Exposure to decision maker = 2 [medium], from “met her once”",
        "next: asks: Record Maria Lopez (CFO) as decision maker and 2 as exposure to "
        "decision maker? yes / no / edit",
    ]


def test_without_a_deal_nobody_is_known(run) -> None:
    done = run("playbook", "try", "authority", "Maria")
    assert "Decision maker = Maria [medium]" in done.output
    assert "next: asks: Record Maria as decision maker?" in done.output


def test_what_is_not_recorded_says_why_and_what_would_be_asked(run) -> None:
    done = run("playbook", "try", "authority", "next quarter maybe")
    assert done.output.splitlines()[1:] == [
        "  not read (person): a name and title, e.g. 'Maria Lopez, CFO'",
        "next: asks again: I couldn't read that as decision maker "
        "(a name and title, e.g. 'Maria Lopez, CFO').",
    ]
    question = run("playbook", "try", "money", "what should I do about Northwind?")
    assert "next: hands it to the coach, then goes back to the question" in question.output


def test_json_carries_the_reading_and_the_next_step(run) -> None:
    done = run("playbook", "try", "next_step", "demo to their ops team on 2027-01-14", "--json")
    data = json.loads(done.output)
    assert data["reading"]["facts"] == [
        {"field": "next_step", "value": "Demo to their ops team on 2027-01-14",
         "confidence": "high", "words": "Demo to their ops team on 2027-01-14",
         "date": "2027-01-14"},
        {"field": "next_step_date", "value": "2027-01-14", "confidence": "high",
         "words": "2027-01-14", "date": "2027-01-14"},
    ]  # fmt: skip
    assert data["next"].startswith("records it: ✓ Next step: Demo to their ops team")


def test_a_field_or_deal_that_does_not_exist_is_a_clear_error(run) -> None:
    field = run("playbook", "try", "budget", "yes")
    assert field.exit_code == 2
    assert "the playbook has no field 'budget'; its fields: money, authority" in field.output
    deal = run("playbook", "try", "authority", "Maria", "--deal", "nowhere")
    assert deal.exit_code == 2
    assert "no open deal matches “nowhere”" in deal.output
