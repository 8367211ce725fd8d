"""The corpus of malformed requests (tests/fixtures/malformed/), replayed against the
real server (the bootstrap's) with the real Slack and Teams transports, talking to the
fake Slack Web API and the fake Bot Framework connector on 127.0.0.1.

For each case: the status the case documents (never a 5xx but the deliberate ones),
no stack trace or internals in the body, nothing logged as an error, and nothing
changed in the database but what the case says. Then the whole corpus once more
against one server, which must still answer /healthz and handle valid requests.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence

import pytest
from malformed_corpus import (
    APPS,
    DELIBERATE_5XX,
    Case,
    Environment,
    Expect,
    Request,
    build,
    load_cases,
    slack_headers,
)
from malformed_server import (
    SIGNING_SECRET,
    Answer,
    CorpusServer,
    app_for,
    changed_tables,
    last_outbox_id,
    outbox_texts_since,
    snapshot,
    token_minter,
)

from coaching.clock import FixedClock
from storage.db import Database
from testkit.botframework_connector import FakeConnector
from testkit.slack_api import FakeSlack

CASES = load_cases()
TEAMS_HELP = Case(
    file="survival",
    name="teams-help",
    reason="a valid message after the corpus",
    apps=APPS,
    platform="teams",
    method="POST",
    path="/api/messages",
    spec={"body": {"fixture": "message_personal.json", "set": {"text": "help"}}},
    expect={},
)
RUNS = [(app, case) for case in CASES for app in case.apps]
# What a body must never show: a stack trace, or the names of what runs inside.
INTERNALS = (
    "Traceback",
    'File "',
    "Error(",
    "Exception",
    ".py",
    "sqlalchemy",
    "psycopg",
    "sqlite",
    "slack_bolt",
    "botbuilder",
    "msrest",
    "aiohttp",
)


def environment(app: str, values: dict[str, str], connector: FakeConnector, key) -> Environment:
    minter = token_minter(key, connector.service_url)
    secured = app == "secured"
    return Environment(SIGNING_SECRET, connector.service_url, values, minter, secured)


def problems_with(
    case: Case,
    expect: Expect,
    answer: Answer,
    changed: set[str],
    replies: Sequence[str],
    records: Sequence[logging.LogRecord],
) -> list[str]:
    """Everything wrong with how the server took one case (empty when all is well)."""
    found = []
    if answer.status != expect.status:
        found.append(f"answered {answer.status}, not {expect.status}: {answer.text[:300]!r}")
    if expect.error is not None and expect.error not in answer.text:
        found.append(f"the body does not say {expect.error!r}: {answer.text[:300]!r}")
    leaks = [marker for marker in INTERNALS if marker in answer.text]
    if leaks:
        found.append(f"the body shows internals ({', '.join(leaks)}): {answer.text[:300]!r}")
    accepted = 200 <= answer.status < 300
    allowed = expect.changes | (case.may_change if accepted else frozenset())
    if not expect.changes <= changed <= allowed:
        found.append(f"changed {sorted(changed)}, expected {sorted(expect.changes)}")
    if expect.reply is not None and not any(expect.reply in reply for reply in replies):
        found.append(f"no reply says {expect.reply!r}: {replies}")
    for record in records:
        if record.levelno >= logging.ERROR or record.exc_info:
            found.append(f"logged {record.levelname} {record.name}: {record.getMessage()[:300]}")
    return found


@pytest.mark.parametrize(("app", "case"), RUNS, ids=[f"{app}-{case.id}" for app, case in RUNS])
def test_each_malformed_request_is_refused_cleanly(
    app: str,
    case: Case,
    seeded: tuple[Database, dict[str, str]],
    slack: FakeSlack,
    connector: FakeConnector,
    signing_key,
    fixed_clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    database, values = seeded
    bot = app_for(app, database, fixed_clock, slack)
    request = build(case, environment(app, values, connector, signing_key))

    async def replay() -> tuple[Answer, set[str], list[str]]:
        async with CorpusServer(bot) as server:
            before, last = snapshot(database), last_outbox_id(database)
            caplog.clear()
            answer = await server.send(request)
            await server.settle()
            after = snapshot(database)
            return answer, changed_tables(before, after), outbox_texts_since(database, last)

    with caplog.at_level(logging.WARNING):
        answer, changed, replies = asyncio.run(replay())
    expect = case.expected(app)
    problems = problems_with(case, expect, answer, changed, replies, caplog.records)
    assert not problems, f"{case.id} ({case.reason}):\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("app", APPS)
def test_the_server_survives_the_whole_corpus(
    app: str,
    seeded: tuple[Database, dict[str, str]],
    slack: FakeSlack,
    connector: FakeConnector,
    signing_key,
    fixed_clock: FixedClock,
) -> None:
    database, values = seeded
    bot = app_for(app, database, fixed_clock, slack)
    env = environment(app, values, connector, signing_key)
    runs = [case for case in CASES if app in case.apps]
    event = {
        "token": "t",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": f"EvSurvivor{app}",
        "event": {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1"}
        | {"text": "help", "ts": "1795000009.000100"},
        "authorizations": [{"team_id": "T1", "user_id": "UBT1", "is_bot": True}],
    }

    async def corpus_then_valid_requests() -> dict[str, object]:
        async with CorpusServer(bot) as server:
            unexpected = []
            for case in runs:
                answer = await server.send(build(case, env))
                await server.settle()
                if answer.status >= 500 and answer.status not in DELIBERATE_5XX:
                    unexpected.append(f"{case.id}: {answer.status}")
            health = await server.send(Request("GET", "/healthz"))
            body = json.dumps(event).encode()
            headers = {"Content-Type": "application/json"} | slack_headers(SIGNING_SECRET, body)
            last = last_outbox_id(database)
            slack_answer = await server.send(Request("POST", "/slack/events", headers, body))
            await server.settle()
            slack_replies = outbox_texts_since(database, last)
            activity = build(TEAMS_HELP, env)
            if app == "secured":
                activity.headers["Authorization"] = env.mint_token({})
            last = last_outbox_id(database)
            teams_answer = await server.send(activity)
            await server.settle()
            teams_replies = outbox_texts_since(database, last)
            delivery = bot.delivery([server.slack.sender])
            while await delivery.deliver_due():
                pass
            return {
                "unexpected 5xx": unexpected,
                "healthz": (health.status, health.text),
                "valid Slack event": slack_answer.status,
                "its reply": [reply.split("\n")[0] for reply in slack_replies],
                "delivered to D1": any(
                    "Here is what I understand" in json.dumps(post.blocks)
                    for post in slack.posted("D1")
                ),
                "valid Teams message": teams_answer.status,
                "its Teams reply": [reply.split("\n")[0] for reply in teams_replies],
            }

    assert asyncio.run(corpus_then_valid_requests()) == {
        "unexpected 5xx": [],
        "healthz": (200, '{"status": "ok"}'),
        "valid Slack event": 200,
        "its reply": ["Here is what I understand:"],
        "delivered to D1": True,
        "valid Teams message": 202,
        "its Teams reply": ["Here is what I understand:"],
    }
