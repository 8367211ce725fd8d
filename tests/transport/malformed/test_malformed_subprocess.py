"""The corpus once more, against `dealcoach run` as a real process (Slack HTTP mode and
Teams' local mode, against the fakes): it answers no unexpected 5xx, and afterwards it
is still alive, healthy and serving valid requests."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from malformed_corpus import DELIBERATE_5XX, Environment, Request, build, load_cases, slack_headers
from malformed_server import BOT_TOKEN, SIGNING_SECRET, seed, send
from support import bare_environment, fresh_sqlite

from coaching.clock import FixedClock
from testkit.botframework_connector import FakeConnector
from testkit.slack_api import FakeSlack

DEALCOACH = Path(sys.executable).with_name("dealcoach")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        try:
            answer = asyncio.run(send(url, Request("GET", "/healthz")))
        except OSError:
            answer = None
        if answer is not None and answer.status == 200:
            return
        time.sleep(0.2)
    pytest.fail("dealcoach run never became healthy")


@pytest.mark.slow
def test_dealcoach_run_survives_the_corpus(
    sqlite_template: Path,
    tmp_path: Path,
    fixed_clock: FixedClock,
    slack: FakeSlack,
    connector: FakeConnector,
) -> None:
    database = fresh_sqlite(sqlite_template, tmp_path)
    values = seed(database, fixed_clock)
    database.dispose()
    port = free_port()
    environment = bare_environment() | {
        "DEALCOACH_DATABASE_URL": database.url,
        "DEALCOACH_DATA_DIR": str(tmp_path / "data"),
        "DEALCOACH_PORT": str(port),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.base_url,
    }
    process = subprocess.Popen(
        [str(DEALCOACH), "run", "--teams"],
        env=environment,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    env = Environment(SIGNING_SECRET, connector.service_url, values, lambda _: "", False)
    try:
        wait_until_healthy(url, process)
        unexpected = []
        for case in load_cases():
            if "local" not in case.apps:
                continue
            answer = asyncio.run(send(url, build(case, env)))
            if answer.status >= 500 and answer.status not in DELIBERATE_5XX:
                unexpected.append(f"{case.id}: {answer.status} {answer.text[:200]}")
            if "Traceback" in answer.text:
                unexpected.append(f"{case.id}: a traceback in the body")
        assert unexpected == []
        assert process.poll() is None, "the process died during the corpus"
        health = asyncio.run(send(url, Request("GET", "/healthz")))
        assert (health.status, health.text) == (200, '{"status": "ok"}')
        event = {
            "type": "event_callback",
            "team_id": "T1",
            "api_app_id": "A1",
            "event_id": "EvAfterTheCorpus",
            "event": {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1"}
            | {"text": "help", "ts": "1795000099.000100"},
            "authorizations": [{"team_id": "T1", "user_id": "UBT1", "is_bot": True}],
        }
        body = json.dumps(event).encode()
        headers = {"Content-Type": "application/json"} | slack_headers(SIGNING_SECRET, body)
        time.sleep(2)  # let replies to the corpus's accepted cases go out first
        before = len(slack.posted("D1"))
        answer = asyncio.run(send(url, Request("POST", "/slack/events", headers, body)))
        assert answer.status == 200
        deadline = time.monotonic() + 20
        while not any(
            "Here is what I understand" in json.dumps(post.blocks)
            for post in slack.posted("D1")[before:]
        ):
            assert time.monotonic() < deadline, "no reply to a valid event after the corpus"
            time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=20)
