"""A post that times out may still have been made: the next attempt looks before posting."""

import asyncio

from slack_harness import BOT_TOKEN
from slack_sdk.web.async_client import AsyncWebClient

from bot.engine.messages import Message
from bot.infra.delivery import Delivered, RetryLater
from bot.slack.directory import SlackDirectory
from bot.slack.pacing import ChannelPacer
from bot.slack.sender import SlackSender
from bot.slack.workspaces import SingleWorkspace
from coaching.clock import FixedClock
from storage.db import Database
from storage.outbox import OutboxItem
from testkit.slack_api import FakeSlack


def test_a_timed_out_post_is_found_instead_of_posted_again(
    sqlite_database: Database, clock: FixedClock, slack: FakeSlack
) -> None:
    client = AsyncWebClient(base_url=slack.base_url, timeout=0.3, retry_handlers=[])
    directory = SlackDirectory(sqlite_database, client, SingleWorkspace(client, BOT_TOKEN), clock)
    sender = SlackSender(client, directory, ChannelPacer(lambda: 0.0, burst=100))
    item = OutboxItem(
        id=1,
        key="slow:1",
        transport="slack",
        recipient="channel:D1",
        kind="message",
        payload={},
        attempts=1,
        in_doubt=False,
        created_at=clock.now(),
    )
    message = Message.text("are you there?")
    slack.delay("chat.postMessage", 0.8)  # Slack posts it, but answers too late

    async def attempts():
        first = await sender.send(item, message, None)
        await asyncio.sleep(1.0)  # the slow post lands meanwhile
        second = await sender.send(item, message, None)
        return first, second

    first, second = asyncio.run(attempts())
    assert isinstance(first, RetryLater) and first.after is None and not first.rate_limited
    [posted] = slack.posted("D1")
    assert second == Delivered(f"D1:{posted.ts}")
    assert len(slack.calls_to("chat.postMessage")) == 1
    assert len(slack.calls_to("conversations.history")) == 1
