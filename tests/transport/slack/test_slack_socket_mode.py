"""Socket Mode: SLACK_APP_TOKEN selects it; events, commands and clicks arrive over a
WebSocket (the fake Slack's), are acked by envelope id, and need no public URL."""

import asyncio

import pytest
from slack_harness import SlackHarness, command_fields, message_event, slack_app, text_of

from bot.bootstrap import App
from coaching.clock import FixedClock
from storage.db import Database
from testkit.slack_api import FakeSlack

APP_TOKEN = "xapp-1-A1-dealcoach-test"


@pytest.fixture
def socket_bot(demo_database: Database, clock: FixedClock, slack: FakeSlack) -> App:
    slack.add_app_token(APP_TOKEN)
    return slack_app(
        demo_database, clock, slack, slack_app_token=APP_TOKEN, slack_signing_secret=None
    )


def test_the_app_token_selects_socket_mode(socket_bot: App) -> None:
    [transport] = socket_bot.chat_transports()
    assert transport.name == "slack"
    assert transport.settings.slack_app_token == APP_TOKEN
    assert not transport.http_mode  # no signing secret: /slack/events is not served


def test_events_and_commands_over_the_socket(socket_bot: App, slack: FakeSlack) -> None:
    async def scenario():
        async with SlackHarness(socket_bot, slack) as harness:
            await asyncio.to_thread(slack.wait_for_socket)
            event_ack = await asyncio.to_thread(
                slack.socket_request, "events_api", message_event("deals")
            )
            await harness.settle()
            command_ack = await asyncio.to_thread(
                slack.socket_request, "slash_commands", command_fields("help")
            )
            await harness.settle()
            http = await harness.event(message_event("deals"))
            return event_ack, command_ack, http

    event_ack, command_ack, (http_status, _) = asyncio.run(scenario())
    assert [call.token for call in slack.calls_to("apps.connections.open")] == [APP_TOKEN]
    assert set(event_ack) == {"envelope_id"}
    assert (
        "my answer to `/dealcoach help` is in our direct messages"
        in (command_ack["payload"]["text"])
    )
    replies = [text_of(message.blocks) for message in slack.posted("D1")]
    assert "Your open deals (3)" in replies[0]
    assert "Here is what I understand" in replies[1]
    assert http_status == 404
