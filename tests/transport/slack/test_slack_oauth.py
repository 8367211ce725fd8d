"""Several workspaces: the OAuth install flow stores each workspace's bot token in our
database, and that workspace's events and replies use it."""

import asyncio
import re
from http.cookies import SimpleCookie

import pytest
from slack_harness import SlackHarness, message_event, slack_app, text_of
from sqlalchemy import select
from support import TOKEN_KEY

from bot.bootstrap import App
from bot.slack.scopes import BOT_SCOPES
from coaching.clock import FixedClock
from storage.db import Database
from storage.models import SlackInstallation
from storage.sealing import TokenSealer
from testkit.slack_api import FakeSlack

CLIENT_ID = "1111111111.2222222222"
T2_TOKEN = "xoxb-2-second-workspace"


@pytest.fixture
def oauth_bot(demo_database: Database, clock: FixedClock, slack: FakeSlack) -> App:
    slack.add_user("U21", "priya@example.com", team="T2", name="Priya Shah")
    slack.add_oauth_code("code-for-T2", team="T2", token=T2_TOKEN)
    return slack_app(
        demo_database,
        clock,
        slack,
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret="client-secret",
        slack_workspaces="T1,T2",
        token_key=TOKEN_KEY,
    )


def installations(app: App) -> list[tuple[str, str]]:
    with app.services.database.transaction() as session:
        rows = session.scalars(select(SlackInstallation))
        sealer = TokenSealer(TOKEN_KEY)
        return [(row.team_id, sealer.unseal(row.bot_token)) for row in rows]


@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")  # in slack_sdk
def test_install_then_serve_the_new_workspace(oauth_bot: App, slack: FakeSlack) -> None:
    async def scenario():
        async with SlackHarness(oauth_bot, slack) as harness:
            install = await harness.get("/slack/install")
            state = re.search(r"state=([\w-]+)", install[1])
            assert state, install[1]
            cookie = SimpleCookie()
            for header in install[2]:
                cookie.load(header)
            cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in cookie.items())
            redirect = await harness.get(
                f"/slack/oauth_redirect?code=code-for-T2&state={state.group(1)}",
                headers={"Cookie": cookies},
            )
            event = message_event("deals", user="U21", channel="D21")
            event["team_id"] = event["event"]["team"] = "T2"
            event["authorizations"][0]["team_id"] = "T2"
            status, _ = await harness.event(event)
            await harness.settle()
            return install, redirect, status

    install, redirect, status = asyncio.run(scenario())
    assert install[0] == 200
    assert f"client_id={CLIENT_ID}" in install[1]
    assert f"scope={','.join(BOT_SCOPES)}" in install[1]
    assert redirect[0] == 200
    assert installations(oauth_bot) == [("T2", T2_TOKEN)]
    assert status == 200
    [reply] = slack.posted("D21")
    assert "Your open deals" in text_of(reply.blocks)
    assert {call.token for call in slack.calls_to("chat.postMessage")} == {T2_TOKEN}


def test_a_redirect_without_its_state_installs_nothing(oauth_bot: App, slack: FakeSlack) -> None:
    async def scenario():
        async with SlackHarness(oauth_bot, slack) as harness:
            forged = await harness.get("/slack/oauth_redirect?code=code-for-T2&state=made-up")
            install = await harness.get("/slack/install")
            state = re.search(r"state=([\w-]+)", install[1])
            assert state
            no_cookie = await harness.get(
                f"/slack/oauth_redirect?code=code-for-T2&state={state.group(1)}"
            )
            return forged[0], no_cookie[0]

    assert asyncio.run(scenario()) == (400, 400)
    assert installations(oauth_bot) == []
    assert slack.calls_to("oauth.v2.access") == []
