"""HTTP mode: signed requests only, retries acted on once, ack before the slow work,
unknown users told how to get linked."""

import asyncio
import json
import time

from slack_harness import (
    SIGNING_SECRET,
    SlackHarness,
    message_event,
    signed_headers,
    text_of,
)
from sqlalchemy import func, select
from support import outbox_rows

from bot.bootstrap import App
from storage.models import ChatIdentity, ProcessedEvent
from testkit.slack_api import FakeSlack


def processed_events(app: App) -> int:
    with app.services.database.transaction() as session:
        return session.scalar(select(func.count()).select_from(ProcessedEvent)) or 0


def run(app: App, slack: FakeSlack, scenario):
    async def main():
        async with SlackHarness(app, slack) as harness:
            result = await scenario(harness)
            await harness.settle()
            return result

    return asyncio.run(main())


def test_forged_stale_or_unsigned_requests_get_401_and_change_nothing(
    slack_bot: App, slack: FakeSlack
) -> None:
    body = json.dumps(message_event("checkin")).encode()
    forged = signed_headers(body, secret="not-the-signing-secret")
    stale = signed_headers(body, at=int(time.time()) - 10 * 60)
    tampered = signed_headers(b'{"type": "event_callback"}')
    unsigned = {"X-Slack-Request-Timestamp": str(int(time.time()))}

    async def scenario(harness: SlackHarness):
        return [
            await harness.post(body, "application/json", headers=headers)
            for headers in (forged, stale, tampered, unsigned)
        ]

    answers = run(slack_bot, slack, scenario)
    assert [status for status, _ in answers] == [401, 401, 401, 401]
    assert [call.method for call in slack.calls] == ["auth.test"]  # at start only
    assert outbox_rows(slack_bot.services.database) == []
    assert processed_events(slack_bot) == 0


def test_a_retried_event_is_acked_and_acted_on_once(slack_bot: App, slack: FakeSlack) -> None:
    payload = message_event("checkin", event_id="Ev0RETRIED01")
    body = json.dumps(payload).encode()

    async def scenario(harness: SlackHarness):
        first = await harness.post(body, "application/json")
        retries = []
        for attempt in (1, 2):
            headers = signed_headers(body) | {
                "X-Slack-Retry-Num": str(attempt),
                "X-Slack-Retry-Reason": "http_timeout",
            }
            retries.append(await harness.post(body, "application/json", headers=headers))
        return [first, *retries]

    answers = run(slack_bot, slack, scenario)
    assert [status for status, _ in answers] == [200, 200, 200]
    intros = [
        message for message in slack.posted("D1") if "Quick check-in" in text_of(message.blocks)
    ]
    assert len(intros) == 1
    assert processed_events(slack_bot) == 1


def test_slack_gets_its_ack_before_the_slow_work(slack_bot: App, slack: FakeSlack) -> None:
    slack.delay("users.info", 1.5)  # resolving who wrote is slow this time

    async def scenario(harness: SlackHarness):
        started = time.monotonic()
        status, _ = await harness.event(message_event("deals"))
        acked_after = time.monotonic() - started
        await harness.settle()
        return status, acked_after, time.monotonic() - started

    status, acked_after, done_after = run(slack_bot, slack, scenario)
    assert status == 200
    assert acked_after < 1.0 <= done_after
    assert "Your open deals (3)" in text_of(slack.posted("D1")[-1].blocks)


def test_the_bots_own_and_edited_messages_are_ignored(slack_bot: App, slack: FakeSlack) -> None:
    own = message_event("checkin")
    own["event"]["bot_id"] = "BT1"
    edited = message_event("checkin")
    edited["event"]["subtype"] = "message_changed"
    in_a_channel = message_event("checkin", channel="C1")
    in_a_channel["event"]["channel_type"] = "channel"

    async def scenario(harness: SlackHarness):
        return [await harness.event(payload) for payload in (own, edited, in_a_channel)]

    answers = run(slack_bot, slack, scenario)
    assert [status for status, _ in answers] == [200, 200, 200]
    assert slack.posted() == []
    assert processed_events(slack_bot) == 0


def test_first_contact_links_the_slack_user_by_email(slack_bot: App, slack: FakeSlack) -> None:
    async def scenario(harness: SlackHarness):
        await harness.event(message_event("help"))
        await harness.settle()
        await harness.event(message_event("deals"))

    run(slack_bot, slack, scenario)
    with slack_bot.services.database.transaction() as session:
        identity = session.scalars(select(ChatIdentity)).one()
        assert (identity.platform, identity.tenant, identity.external_id) == ("slack", "T1", "U1")
        assert identity.dm_channel == "D1"
        assert identity.person.email == "alex@example.com"
    assert len(slack.calls_to("users.info")) == 1  # the second message needed no lookup
    assert len(slack.posted("D1")) == 2


def test_unknown_users_are_told_how_to_get_linked(slack_bot: App, slack: FakeSlack) -> None:
    slack.add_user("U7", None, team="T1", name="No Email")
    retried = message_event("checkin", user="U9", channel="D9", event_id="Ev0UNKNOWN01")

    async def scenario(harness: SlackHarness):
        await harness.event(retried)
        await harness.event(retried)  # Slack's retry: still one notice
        await harness.event(message_event("hello", user="U7", channel="D7"))

    run(slack_bot, slack, scenario)
    [notice] = slack.posted("D9")
    text = text_of(notice.blocks)
    assert "visitor@elsewhere.example is not on dealcoach's team list" in text
    assert "dealcoach people link --slack U9 --email" in text
    [no_email] = slack.posted("D7")
    assert "shows me no email" in text_of(no_email.blocks)
    assert processed_events(slack_bot) == 0  # nothing reached the engine


def test_the_url_verification_handshake_is_answered(slack_bot: App, slack: FakeSlack) -> None:
    challenge = {
        "token": "Jhj5dZrVaK7ZwHHjRyZWjbDl",
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
        "type": "url_verification",
    }

    async def scenario(harness: SlackHarness):
        return await harness.event(challenge)

    status, body = run(slack_bot, slack, scenario)
    assert status == 200
    assert challenge["challenge"] in body
    assert SIGNING_SECRET not in body
