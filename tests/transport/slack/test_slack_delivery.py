"""Outbox delivery to Slack: rate limits, failures, lost answers, splitting, pacing."""

import asyncio
import datetime as dt
from collections import Counter

import pytest
from slack_harness import SlackHarness, text_of
from sqlalchemy import select
from support import outbox_rows, person_id

from bot.bootstrap import App
from bot.engine.messages import Message, Paragraph
from bot.slack.pacing import ChannelPacer
from coaching.clock import FixedClock
from storage import outbox
from storage.db import Database
from storage.models import ChatIdentity
from testkit.slack_api import FakeSlack


def put(database: Database, clock: FixedClock, key: str, recipient: str, message: Message) -> None:
    with database.transaction() as session:
        outbox.enqueue(
            session,
            key=key,
            transport="slack",
            recipient=recipient,
            kind="message",
            payload={"message": message.model_dump(mode="json"), "replaces": None},
            now=clock.now(),
        )


def posted_keys(slack: FakeSlack, channel: str | None = None) -> list[str]:
    return [message.metadata["event_payload"]["key"] for message in slack.posted(channel)]


def statuses(database: Database) -> dict[str, str]:
    return {row.key: row.status for row in outbox_rows(database)}


def deliver_until_done(harness: SlackHarness, clock: FixedClock, step: float, rounds: int) -> int:
    """Delivery passes, the clock moving `step` seconds between them; returns the passes used."""

    async def loop() -> int:
        for number in range(1, rounds + 1):
            await harness.delivery.deliver_due()
            if all(
                status != "pending" for status in statuses(harness.app.services.database).values()
            ):
                return number
            clock.advance(dt.timedelta(seconds=step))
        return rounds

    return asyncio.run(loop())


def harnessed(app: App, slack: FakeSlack, **options) -> SlackHarness:
    return SlackHarness(app, slack, **options)


@pytest.fixture
def people(slack_bot: App) -> dict[str, int]:
    database = slack_bot.services.database
    return {who: person_id(database, f"{who}@example.com") for who in ("alex", "dana", "sam")}


def test_a_rate_limit_storm_delays_messages_but_loses_none(
    slack_bot: App, slack: FakeSlack, clock: FixedClock, people: dict[str, int]
) -> None:
    database = slack_bot.services.database
    recipients = [f"person:{people['alex']}", f"person:{people['dana']}", "channel:C1"]
    keys = [f"storm:{n}" for n in range(12)]
    for number, key in enumerate(keys):
        put(database, clock, key, recipients[number % 3], Message.text(f"message {number}"))
    slack.fail("chat.postMessage", status=429, retry_after=2, times=25)
    harness = harnessed(slack_bot, slack)

    first_pass = asyncio.run(harness.delivery.deliver_due())
    calls_after_first = len(slack.calls_to("chat.postMessage"))
    asyncio.run(harness.delivery.deliver_due())  # nobody is due before Retry-After
    assert len(slack.calls_to("chat.postMessage")) == calls_after_first
    assert first_pass == 0

    passes = deliver_until_done(harness, clock, step=2, rounds=60)
    assert passes < 60
    assert set(statuses(database).values()) == {"sent"}
    assert Counter(posted_keys(slack)) == Counter(keys)  # each message exactly once
    for number, recipient in enumerate(("D1", "D2", "C1")):
        assert posted_keys(slack, recipient) == keys[number::3]  # in order, per recipient
    assert len(slack.calls_to("chat.postMessage")) == 12 + 25


def test_server_errors_back_off_then_deliver(
    slack_bot: App, slack: FakeSlack, clock: FixedClock, people: dict[str, int]
) -> None:
    database = slack_bot.services.database
    put(database, clock, "flaky", f"person:{people['alex']}", Message.text("hello"))
    slack.fail("chat.postMessage", status=503, times=2)
    harness = harnessed(slack_bot, slack)
    deliver_until_done(harness, clock, step=5, rounds=10)
    [row] = outbox_rows(database)
    assert (row.status, row.attempts) == ("sent", 3)
    assert posted_keys(slack) == ["flaky"]


def test_a_post_whose_answer_was_lost_is_not_posted_twice(
    slack_bot: App, slack: FakeSlack, clock: FixedClock, people: dict[str, int]
) -> None:
    database = slack_bot.services.database
    put(database, clock, "lost", f"person:{people['alex']}", Message.text("hello"))
    slack.fail("chat.postMessage", status=500, after_effect=True)  # posted, answer lost
    harness = harnessed(slack_bot, slack)
    deliver_until_done(harness, clock, step=5, rounds=10)
    [message] = slack.posted("D1")
    [row] = outbox_rows(database)
    assert row.status == "sent"
    assert row.external_ref == f"D1:{message.ts}"
    assert len(slack.calls_to("conversations.history")) == 1


def test_a_message_claimed_by_a_dead_process_is_checked_before_posting(
    slack_bot: App, slack: FakeSlack, clock: FixedClock, people: dict[str, int]
) -> None:
    database = slack_bot.services.database
    put(database, clock, "orphan", f"person:{people['alex']}", Message.text("hello"))
    harness = harnessed(slack_bot, slack)
    with database.transaction() as session:  # a process claims it, posts, and dies
        [item] = outbox.claim(
            session,
            worker="dead",
            transports=["slack"],
            now=clock.now(),
            lease=dt.timedelta(seconds=60),
            limit=10,
        )
    asyncio.run(harness.transport.sender.send(item, Message.text("hello"), None))
    clock.advance(dt.timedelta(seconds=61))
    assert asyncio.run(harness.delivery.deliver_due()) == 1
    assert posted_keys(slack) == ["orphan"]
    assert statuses(database) == {"orphan": "sent"}


def test_permanent_refusals_fail_at_once_with_the_reason(
    slack_bot: App, slack: FakeSlack, clock: FixedClock, people: dict[str, int]
) -> None:
    database = slack_bot.services.database
    put(database, clock, "gone", "channel:CGONE", Message.text("hello"))
    put(database, clock, "stranger", f"person:{people['sam']}", Message.text("hello"))
    harness = harnessed(slack_bot, slack)
    asyncio.run(harness.delivery.deliver_due())
    rows = {row.key: row for row in outbox_rows(database)}
    assert rows["gone"].status == "dead"
    assert rows["gone"].last_error == "Slack refused the message: channel_not_found"
    assert rows["stranger"].status == "dead"
    assert "no Slack user has the email sam@example.com" in (rows["stranger"].last_error or "")


def test_a_person_never_seen_in_slack_is_found_by_email(
    slack_bot: App, slack: FakeSlack, clock: FixedClock, people: dict[str, int]
) -> None:
    database = slack_bot.services.database
    put(database, clock, "first", f"person:{people['dana']}", Message.text("hello Dana"))
    put(database, clock, "second", f"person:{people['dana']}", Message.text("again"))
    harness = harnessed(slack_bot, slack)
    asyncio.run(harness.delivery.deliver_due())
    assert posted_keys(slack, "D2") == ["first", "second"]
    assert len(slack.calls_to("users.lookupByEmail")) == 1
    assert len(slack.calls_to("conversations.open")) == 1
    with database.transaction() as session:
        identity = session.scalars(select(ChatIdentity)).one()
        assert (identity.person_id, identity.external_id, identity.dm_channel) == (
            people["dana"],
            "U2",
            "D2",
        )


def test_block_kit_limits_are_met_by_splitting(
    slack_bot: App, slack: FakeSlack, clock: FixedClock, people: dict[str, int]
) -> None:
    database = slack_bot.services.database
    long_paragraph = " ".join(f"word{n}" for n in range(1500))  # about 11,000 characters
    blocks = [Paragraph(text=f"line {n}") for n in range(120)] + [Paragraph(text=long_paragraph)]
    put(database, clock, "huge", f"person:{people['alex']}", Message(summary="huge", blocks=blocks))
    harness = harnessed(slack_bot, slack)
    asyncio.run(harness.delivery.deliver_due())
    assert statuses(database) == {"huge": "sent"}
    parts = slack.posted("D1")
    assert len(parts) == 3
    assert all(len(part.blocks) <= 50 for part in parts)
    text = "\n".join(text_of(part.blocks) for part in parts)
    assert "line 0\n" in text and "line 119\n" in text
    assert text.replace("\n", " ").count("word") == 1500
    assert [part.metadata["event_payload"]["part"] for part in parts] == [0, 1, 2]


def test_posts_keep_to_about_one_a_second_per_channel(
    slack_bot: App, slack: FakeSlack, clock: FixedClock, people: dict[str, int]
) -> None:
    database = slack_bot.services.database
    for number in range(9):
        put(database, clock, f"paced:{number}", f"person:{people['alex']}", Message.text("hi"))
    put(database, clock, "other", f"person:{people['dana']}", Message.text("hi"))
    pacer = ChannelPacer(lambda: clock.now().timestamp(), interval=1.0, burst=3)
    harness = harnessed(slack_bot, slack, pacer=pacer)
    deliver_until_done(harness, clock, step=0.5, rounds=100)
    sent = sorted(
        row.sent_at.timestamp() for row in outbox_rows(database) if row.key.startswith("paced")
    )
    assert len(sent) == 9
    for index in range(len(sent) - 3):
        assert sent[index + 3] - sent[index] >= 3.0  # never more than 3 in any 3 seconds
    assert sent[-1] - sent[0] <= 9.0  # and not much slower than one a second
    assert posted_keys(slack, "D2") == ["other"]  # another channel is not held back
    assert slack.calls_to("chat.postMessage")[-1].params["channel"] == "D1"
