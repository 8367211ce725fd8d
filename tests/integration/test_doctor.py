"""`dealcoach doctor` against the fakes: every part healthy, then one broken at a time,
each named in its own line with what to fix."""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import bare_environment, make_services

from bot.cli.doctor import Finding, diagnose
from bot.slack.scopes import BOT_SCOPES
from coaching.clock import FixedClock
from storage.db import Database
from storage.demo import load_demo
from storage.models import Person
from testkit.openai_server import FakeOpenAIServer, Reply
from testkit.slack_api import FakeSlack
from testkit.smtp_server import FakeSMTPServer

TOKEN = "xoxb-doctor"


class Parts:
    def __init__(self, slack: FakeSlack, smtp: FakeSMTPServer, model: FakeOpenAIServer) -> None:
        self.slack, self.smtp, self.model = slack, smtp, model

    def settings(self) -> dict[str, object]:
        return {
            "slack_bot_token": TOKEN,
            "slack_signing_secret": "secret",
            "slack_api_url": self.slack.base_url,
            "openai_base_url": self.model.base_url,
            **self.smtp.settings(),
        }


@pytest.fixture
def parts() -> Iterator[Parts]:
    with FakeSlack() as slack, FakeSMTPServer() as smtp, FakeOpenAIServer() as model:
        slack.add_workspace("T1", TOKEN, scopes=BOT_SCOPES)
        yield Parts(slack, smtp, model)


@pytest.fixture
def demo(sqlite_database: Database, clock: FixedClock) -> Database:
    with sqlite_database.transaction() as session:
        load_demo(session, clock.now())
    return sqlite_database


def run(database: Database, clock: FixedClock, parts: Parts, **changes: object) -> dict:
    services = make_services(database, clock, **(parts.settings() | changes))
    return {finding.part: finding for finding in diagnose(services)}


def test_a_healthy_setup_is_all_ok(demo: Database, clock: FixedClock, parts: Parts) -> None:
    parts.model.script(Reply(content="OK"))
    found = run(demo, clock, parts)
    assert {part: finding.status for part, finding in found.items()} == {
        "database": "ok",
        "slack": "ok",
        "teams": "skip",
        "smtp": "ok",
        "model": "ok",
        "time zones": "ok",
        "manager channels": "warn",  # the demo's managers have not picked a channel
    }
    assert found["slack"].text == "workspace Acme Sales as @dealcoach, every scope granted"
    assert "Dana Whitfield" in found["manager channels"].text
    assert "`digest here`" in found["manager channels"].text
    [ping] = parts.model.requests
    assert ping.body["max_completion_tokens"] == 5  # one tiny call


def broken_scopes(parts: Parts) -> dict[str, object]:
    parts.slack.add_workspace("T1", TOKEN, scopes=tuple(set(BOT_SCOPES) - {"chat:write"}))
    return {}


def closed_port(_parts: Parts) -> dict[str, object]:
    return {"smtp_port": 1}


def failing_model(parts: Parts) -> dict[str, object]:
    parts.model.script(Reply.failure(500, "the model is down"))
    return {}


@pytest.mark.parametrize(
    ("part", "breaks", "says"),
    [
        ("slack", lambda parts: {"slack_bot_token": "xoxb-revoked"}, "(invalid_auth)"),
        ("slack", broken_scopes, "the bot token lacks chat:write"),
        (
            "teams",
            lambda parts: {"microsoft_app_id": "my-bot", "microsoft_app_password": "x"},
            "GUID",
        ),
        ("smtp", closed_port, "cannot talk to 127.0.0.1:1"),
        ("model", failing_model, "did not answer"),
    ],
)
def test_one_broken_part_is_named_and_the_rest_still_check(
    demo: Database, clock: FixedClock, parts: Parts, part: str, breaks, says: str
) -> None:
    if part != "model":
        parts.model.script(Reply(content="OK"))
    found = run(demo, clock, parts, **breaks(parts))
    failed = {name: finding.text for name, finding in found.items() if finding.status == "FAIL"}
    assert list(failed) == [part]
    assert says in failed[part]
    assert "\n" not in Finding(part, "FAIL", failed[part]).line()


def test_a_person_in_an_unknown_time_zone(demo: Database, clock: FixedClock, parts: Parts) -> None:
    parts.model.script(Reply(content="OK"))
    with demo.transaction() as session:
        alex = session.query(Person).filter_by(email="alex@example.com").one()
        alex.timezone = "Mars/Olympus_Mons"
    zones = run(demo, clock, parts)["time zones"]
    assert zones.status == "FAIL"
    assert zones.text.startswith(
        "1 person has an unknown time zone: Alex Rivera (Mars/Olympus_Mons)"
    )


def test_a_database_behind_this_version(tmp_path: Path, clock: FixedClock, parts: Parts) -> None:
    parts.model.script(Reply(content="OK"))
    empty = Database(f"sqlite:///{tmp_path / 'never-migrated.sqlite3'}")
    found = run(empty, clock, parts)
    assert found["database"].status == "FAIL"
    assert found["database"].text.startswith("schema at nothing, this version needs ")
    assert found["database"].text.endswith("run `dealcoach db upgrade`")
    assert "time zones" not in found  # the team's data is not read from a stale schema
    assert [f.status for f in found.values() if f.part != "database"] == ["ok", "skip", "ok", "ok"]
    empty.dispose()


def test_the_command_prints_one_line_a_part_and_fails_when_one_does(tmp_path: Path) -> None:
    env = bare_environment(DEALCOACH_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    done = subprocess.run(
        [str(Path(sys.executable).with_name("dealcoach")), "doctor"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("FAIL database: schema at nothing, this version needs ")
    assert lines[1:] == [
        "skip slack: not configured",
        "skip teams: not configured",
        "skip smtp: not configured",
        "skip model: not configured",
    ]
