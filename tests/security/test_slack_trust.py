"""Findings 1, 12 and 14 (issue 15): who may reach the bot through Slack.

1. any workspace could install, and its users were linked to people by profile email
   (confirmed or not), so a stranger showing a manager's email got her warnings and
   moved her digest channel;
12. `app_uninstalled` and `tokens_revoked` got 404 and the token stayed;
14. an inactive person was served in Slack.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from http.cookies import SimpleCookie

import pytest
from slack_harness import (
    SlackHarness,
    command_fields,
    fixture,
    message_event,
    slack_app,
    text_of,
)
from sqlalchemy import select
from support import TOKEN_KEY

from bot.bootstrap import App
from coaching.clock import FixedClock
from storage import slack_workspaces
from storage.db import Database
from storage.models import ChatIdentity, Person, SlackInstallation
from storage.sealing import TokenSealer
from testkit.slack_api import FakeSlack
from testkit.smtp_server import FakeSMTPServer

CLIENT_ID = "1111111111.2222222222"
OUTSIDER = "T9"  # a workspace nobody allowed
OUTSIDER_TOKEN = "xoxb-9-outsider"
T2_TOKEN = "xoxb-2-second-workspace"


def oauth_app(database: Database, clock: FixedClock, slack: FakeSlack, allowed: str) -> App:
    return slack_app(
        database,
        clock,
        slack,
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret="client-secret",
        slack_workspaces=allowed,
        token_key=TOKEN_KEY,
    )


def installed(database: Database, team: str, token: str) -> None:
    """A stored installation (as an OAuth install, or an old one, leaves it)."""
    values = {
        "team_id": team,
        "team_name": f"Workspace {team}",
        "app_id": "A1",
        "bot_token": TokenSealer(TOKEN_KEY).seal(token),
        "bot_id": f"B{team}",
        "bot_user_id": f"UB{team}",
        "bot_scopes": "chat:write",
        "is_enterprise_install": False,
        "installed_at": dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
    }
    with database.transaction() as session:
        slack_workspaces.save_installation(session, values)


def installations(database: Database) -> list[str]:
    with database.transaction() as session:
        return list(session.scalars(select(SlackInstallation.team_id)))


def links_of(database: Database, email: str) -> list[tuple[str, str]]:
    with database.transaction() as session:
        rows = session.execute(
            select(ChatIdentity.tenant, ChatIdentity.external_id)
            .join(Person, Person.id == ChatIdentity.person_id)
            .where(Person.email == email)
        )
        return [tuple(row) for row in rows]


def digest_channel(database: Database, email: str) -> str | None:
    with database.transaction() as session:
        return session.scalar(select(Person.digest_channel).where(Person.email == email))


def from_team(payload: dict, team: str) -> dict:
    payload["team_id"] = team
    payload["event"]["team"] = team
    payload["authorizations"][0]["team_id"] = team
    return payload


@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")  # in slack_sdk
def test_f01_a_workspace_outside_the_allowlist_cannot_install(
    demo_database: Database, clock: FixedClock, slack: FakeSlack
) -> None:
    slack.add_oauth_code("code-for-T9", team=OUTSIDER, token=OUTSIDER_TOKEN)
    app = oauth_app(demo_database, clock, slack, allowed="T1,T2")

    async def scenario() -> tuple[int, str]:
        async with SlackHarness(app, slack) as harness:
            install = await harness.get("/slack/install")
            state = re.search(r"state=([\w-]+)", install[1])
            assert state, install[1]
            cookie = SimpleCookie()
            for header in install[2]:
                cookie.load(header)
            cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in cookie.items())
            status, body, _ = await harness.get(
                f"/slack/oauth_redirect?code=code-for-T9&state={state.group(1)}",
                headers={"Cookie": cookies},
            )
            return status, body

    status, body = asyncio.run(scenario())
    assert status == 403
    assert "DEALCOACH_SLACK_WORKSPACES" in body
    assert installations(demo_database) == []


def test_f01_a_user_of_another_workspace_showing_a_managers_email_is_not_linked(
    demo_database: Database, clock: FixedClock, slack: FakeSlack
) -> None:
    """The outsider's workspace has an installation (from before the allowlist): its
    requests are still refused, and its user is linked to nobody."""
    installed(demo_database, OUTSIDER, OUTSIDER_TOKEN)
    slack.add_workspace(OUTSIDER, OUTSIDER_TOKEN)
    slack.add_user("U91", "dana@example.com", team=OUTSIDER, name="Not Dana")
    slack.add_channel("C91", OUTSIDER)
    app = oauth_app(demo_database, clock, slack, allowed="T1")
    before = digest_channel(demo_database, "dana@example.com")

    async def scenario() -> list[int]:
        async with SlackHarness(app, slack) as harness:
            dm = from_team(message_event("warnings", user="U91", channel="D91"), OUTSIDER)
            command = command_fields("digest here", channel="C91", user="U91")
            command["team_id"] = OUTSIDER
            statuses = [(await harness.event(dm))[0], (await harness.command(command))[0]]
            await harness.settle()
            return statuses

    assert asyncio.run(scenario()) == [403, 403]
    assert links_of(demo_database, "dana@example.com") == []
    assert digest_channel(demo_database, "dana@example.com") == before
    assert slack.calls_to("users.info") == []
    assert slack.calls_to("chat.postMessage") == []


def test_f01_an_unconfirmed_email_links_nobody(
    demo_database: Database, clock: FixedClock, slack: FakeSlack
) -> None:
    slack.add_user("U7", "dana@example.com", team="T1", name="Dana?", email_confirmed=False)
    app = slack_app(demo_database, clock, slack)

    async def scenario() -> None:
        async with SlackHarness(app, slack) as harness:
            await harness.event(message_event("warnings", user="U7", channel="D7"))
            await harness.settle()

    asyncio.run(scenario())
    assert links_of(demo_database, "dana@example.com") == []
    [notice] = slack.posted("D7")
    assert "I don't know who you are yet" in notice.text


def test_f01_a_first_link_is_logged_and_shown_to_the_person(
    demo_database: Database, clock: FixedClock, slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    """Told by email, at the address on the team list: the one the real person reads."""
    with FakeSMTPServer() as smtp:
        app = slack_app(demo_database, clock, slack, **smtp.settings())

        async def scenario() -> None:
            async with SlackHarness(app, slack) as harness:
                for _ in range(2):
                    await harness.event(message_event("help", user="U2", channel="D2"))
                    await harness.settle()

        with caplog.at_level(logging.WARNING, logger="bot.infra.first_link"):
            asyncio.run(scenario())
    [logged] = [record.getMessage() for record in caplog.records]
    assert "first slack link" in logged and "dana@example.com" in logged and "T1" in logged
    [notice] = smtp.received  # the first link only
    assert notice.rcpt_tos == ["dana@example.com"]
    body = notice.message.get_body(("plain",)).get_content()
    assert "user U2 in Slack workspace T1 is now linked" in body


def test_f12_uninstall_and_revocation_delete_the_workspaces_token(
    demo_database: Database, clock: FixedClock, slack: FakeSlack
) -> None:
    installed(demo_database, "T2", T2_TOKEN)
    installed(demo_database, "T3", "xoxb-3-third")
    app = oauth_app(demo_database, clock, slack, allowed="T1,T2,T3")

    async def scenario() -> list[int]:
        async with SlackHarness(app, slack) as harness:
            uninstalled = (await harness.event(fixture("event_app_uninstalled.json")))[0]
            remaining = installations(demo_database)
            installed(demo_database, "T2", T2_TOKEN)  # installed again, then revoked
            revoked = (await harness.event(fixture("event_tokens_revoked.json")))[0]
            return [uninstalled, revoked, remaining]

    uninstalled, revoked, after_uninstall = asyncio.run(scenario())
    assert (uninstalled, revoked) == (200, 200)
    assert after_uninstall == ["T3"]
    assert installations(demo_database) == ["T3"]


def test_f14_an_inactive_person_is_refused_in_slack(
    demo_database: Database, clock: FixedClock, slack: FakeSlack
) -> None:
    app = slack_app(demo_database, clock, slack)

    async def say(text: str) -> None:
        async with SlackHarness(app, slack) as harness:
            await harness.event(message_event(text, user="U1", channel="D1"))
            await harness.settle()

    asyncio.run(say("deals"))  # linked while active
    with demo_database.transaction() as session:
        alex = session.scalars(select(Person).where(Person.email == "alex@example.com")).one()
        alex.active = False
    served_before = len(slack.posted("D1"))
    asyncio.run(say("deals"))
    [answer] = slack.posted("D1")[served_before:]
    assert "Your open deals" not in text_of(answer.blocks) + answer.text
    assert "I don't know who you are yet" in answer.text
