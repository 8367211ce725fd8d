"""Finding 9's second half (issue 15): Slack bot tokens were stored in plain text.

They are sealed with DEALCOACH_TOKEN_KEY (Fernet): at install, and by migration 0012
for tokens stored before; without the key nothing starts or migrates, with a clear line.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from slack_harness import SlackHarness, message_event, slack_app
from sqlalchemy import select, text
from support import TOKEN_KEY

from bot.infra.server import TransportStartError
from coaching.clock import FixedClock
from storage import slack_workspaces
from storage.db import Database
from storage.migrate import upgrade
from storage.models import SlackInstallation
from storage.sealing import TokenKeyError, TokenSealer
from testkit.slack_api import FakeSlack

T2_TOKEN = "xoxb-2-second-workspace"


def stored_tokens(database: Database) -> list[str]:
    with database.transaction() as session:
        return list(session.scalars(select(SlackInstallation.bot_token)))


def oauth_settings(**more: object) -> dict[str, object]:
    return {
        "slack_bot_token": None,
        "slack_client_id": "1111111111.2222222222",
        "slack_client_secret": "client-secret",
        "slack_workspaces": "T1,T2",
    } | more


@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")  # in slack_sdk
def test_f09_an_installed_workspaces_token_is_stored_sealed(
    demo_database: Database, clock: FixedClock, slack: FakeSlack
) -> None:
    slack.add_user("U21", "priya@example.com", team="T2", name="Priya Shah")
    slack.add_oauth_code("code-for-T2", team="T2", token=T2_TOKEN)
    app = slack_app(demo_database, clock, slack, **oauth_settings(token_key=TOKEN_KEY))

    async def scenario() -> None:
        async with SlackHarness(app, slack) as harness:
            install = await harness.get("/slack/install")
            state = re.search(r"state=([\w-]+)", install[1])
            assert state
            cookie = SimpleCookie()
            for header in install[2]:
                cookie.load(header)
            cookies = "; ".join(f"{name}={morsel.value}" for name, morsel in cookie.items())
            await harness.get(
                f"/slack/oauth_redirect?code=code-for-T2&state={state.group(1)}",
                headers={"Cookie": cookies},
            )
            event = message_event("deals", user="U21", channel="D21")
            event["team_id"] = event["event"]["team"] = "T2"
            event["authorizations"][0]["team_id"] = "T2"
            await harness.event(event)
            await harness.settle()

    asyncio.run(scenario())
    [stored] = stored_tokens(demo_database)
    assert T2_TOKEN not in stored and stored.startswith("fernet:")
    assert TokenSealer(TOKEN_KEY).unseal(stored) == T2_TOKEN
    assert {call.token for call in slack.calls_to("chat.postMessage")} == {T2_TOKEN}


def test_f09_migration_0012_seals_tokens_stored_in_plain_text(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(database, "0011")
    with database.transaction() as session:
        slack_workspaces.save_installation(
            session,
            {
                "team_id": "T2",
                "bot_token": T2_TOKEN,
                "bot_scopes": "",
                "installed_at": dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
            },
        )
    with pytest.raises(TokenKeyError, match="DEALCOACH_TOKEN_KEY: required"):
        upgrade(database)
    assert stored_tokens(database) == [T2_TOKEN]  # nothing half-done

    upgrade(database, token_key=TOKEN_KEY)
    [stored] = stored_tokens(database)
    assert stored.startswith("fernet:")
    assert TokenSealer(TOKEN_KEY).unseal(stored) == T2_TOKEN
    with database.engine.connect() as connection:
        raw = connection.execute(text("SELECT bot_token FROM slack_installations")).scalar()
    assert T2_TOKEN not in str(raw)
    database.dispose()


def test_f09_without_the_key_a_server_with_stored_tokens_refuses_to_start(
    demo_database: Database, clock: FixedClock, slack: FakeSlack
) -> None:
    with demo_database.transaction() as session:
        slack_workspaces.save_installation(
            session,
            {
                "team_id": "T2",
                "bot_token": TokenSealer(TOKEN_KEY).seal(T2_TOKEN),
                "bot_scopes": "",
                "installed_at": dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
            },
        )
    app = slack_app(demo_database, clock, slack, **oauth_settings())

    async def start() -> None:
        async with SlackHarness(app, slack):
            pass

    with pytest.raises(TransportStartError, match="DEALCOACH_TOKEN_KEY: required: 1 Slack"):
        asyncio.run(start())
