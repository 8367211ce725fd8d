"""Outbox delivery: order per recipient, retries, Retry-After, giving up, expiry, leases."""

import asyncio
import datetime as dt

import pytest
from support import ScriptedSender, outbox_rows

from bot.engine.messages import Message
from bot.infra.delivery import Delivered, Delivery, DeliveryPolicy, Failed, RetryLater, SendResult
from coaching.clock import FixedClock
from storage import outbox
from storage.db import Database
from storage.outbox import OutboxItem

POLICY = DeliveryPolicy(max_failures=3, backoff_base=10, backoff_cap=60)


def put(database: Database, clock: FixedClock, key: str, recipient: str, **extra: object) -> None:
    with database.transaction() as session:
        outbox.enqueue(
            session,
            key=key,
            transport="test",
            recipient=recipient,
            kind=str(extra.get("kind", "message")),
            payload={
                "message": Message.text(key).model_dump(mode="json"),
                "replaces": extra.get("replaces"),
            },
            now=clock.now(),
            not_after=extra.get("not_after"),  # type: ignore[arg-type]
        )


def deliver(delivery: Delivery) -> int:
    return asyncio.run(delivery.deliver_due())


def statuses(database: Database) -> dict[str, str]:
    return {row.key: row.status for row in outbox_rows(database)}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC))


def test_sends_in_order_and_updates_get_the_original_reference(
    database: Database, clock: FixedClock
) -> None:
    put(database, clock, "a1", "person:1")
    put(database, clock, "b1", "person:2")
    put(database, clock, "a2", "person:1", kind="update", replaces="a1")
    sender = ScriptedSender()
    assert deliver(Delivery(database, [sender], clock, policy=POLICY)) == 3
    assert [key for key, _, _ in sender.sent if key.startswith("a")] == ["a1", "a2"]
    assert ("a2", "a2", "ref-a1") in sender.sent
    assert set(statuses(database).values()) == {"sent"}
    assert deliver(Delivery(database, [sender], clock, policy=POLICY)) == 0


def test_a_waiting_message_holds_back_later_ones_to_the_same_recipient(
    database: Database, clock: FixedClock
) -> None:
    put(database, clock, "a1", "person:1")
    put(database, clock, "a2", "person:1")
    put(database, clock, "b1", "person:2")
    failing = {"a1"}
    sender = ScriptedSender(
        lambda item: RetryLater(5, "429", rate_limited=True) if item.key in failing else Delivered()
    )
    delivery = Delivery(database, [sender], clock, policy=POLICY)
    deliver(delivery)
    assert [key for key, _, _ in sender.sent] == ["b1"]
    deliver(delivery)  # a1 waits for its Retry-After; a2 may not overtake it
    assert [key for key, _, _ in sender.sent] == ["b1"]
    failing.clear()
    clock.advance(dt.timedelta(seconds=5))
    deliver(delivery)
    assert [key for key, _, _ in sender.sent] == ["b1", "a1", "a2"]


def test_rate_limits_never_give_up_but_failures_do(database: Database, clock: FixedClock) -> None:
    put(database, clock, "limited", "person:1")
    put(database, clock, "broken", "person:2")
    sender = ScriptedSender(
        lambda item: (
            RetryLater(1, "429", rate_limited=True)
            if item.key == "limited"
            else RetryLater(1, "HTTP 503")
        )
    )
    delivery = Delivery(database, [sender], clock, policy=POLICY)
    for _ in range(8):
        deliver(delivery)
        clock.advance(dt.timedelta(seconds=61))
    assert statuses(database) == {"limited": "pending", "broken": "dead"}
    broken = [item for item in sender.items if item.key == "broken"]
    assert [item.attempts for item in broken] == [1, 2, 3]


def test_backoff_grows_between_failures(database: Database, clock: FixedClock) -> None:
    put(database, clock, "flaky", "person:1")
    sender = ScriptedSender(lambda item: RetryLater(None, "HTTP 502"))
    delivery = Delivery(database, [sender], clock, policy=POLICY)
    waits = []
    for _ in range(3):
        start = clock.now()
        deliver(delivery)
        [row] = outbox_rows(database)
        waits.append((row.next_attempt_at - start).total_seconds())
        clock.set(row.next_attempt_at)
    assert row.last_error == "HTTP 502"
    # 10 s, 20 s, then 40 s, each within 20% jitter (the last attempt gives up: dead)
    assert 8 <= waits[0] <= 12
    assert 16 <= waits[1] <= 24
    assert row.status == "dead"


def test_exceptions_in_a_sender_are_retried_not_lost(database: Database, clock: FixedClock) -> None:
    put(database, clock, "boom", "person:1")

    def explode(item: OutboxItem) -> SendResult:
        raise ConnectionError("connection reset")

    delivery = Delivery(database, [ScriptedSender(explode)], clock, policy=POLICY)
    deliver(delivery)
    [row] = outbox_rows(database)
    assert row.status == "pending"
    assert "connection reset" in (row.last_error or "")
    assert row.next_attempt_at > clock.now()


def test_permanent_failure_is_dead_at_once(database: Database, clock: FixedClock) -> None:
    put(database, clock, "gone", "person:1")
    deliver(Delivery(database, [ScriptedSender(lambda item: Failed("user_not_found"))], clock))
    assert statuses(database) == {"gone": "dead"}


def test_messages_past_their_moment_expire_unsent(database: Database, clock: FixedClock) -> None:
    put(database, clock, "stale", "person:1", not_after=clock.now() + dt.timedelta(hours=1))
    clock.advance(dt.timedelta(hours=2))
    sender = ScriptedSender()
    deliver(Delivery(database, [sender], clock, policy=POLICY))
    assert sender.sent == []
    assert statuses(database) == {"stale": "expired"}


def test_a_lease_that_ran_out_marks_the_next_attempt_in_doubt(
    database: Database, clock: FixedClock
) -> None:
    put(database, clock, "m1", "person:1")
    with database.transaction() as session:  # a process claimed it, then died
        outbox.claim(
            session,
            worker="dead-process",
            transports=["test"],
            now=clock.now(),
            lease=dt.timedelta(seconds=60),
            limit=10,
        )
    sender = ScriptedSender()
    delivery = Delivery(database, [sender], clock, policy=POLICY)
    assert deliver(delivery) == 0  # still leased
    clock.advance(dt.timedelta(seconds=61))
    assert deliver(delivery) == 1
    assert [(item.key, item.in_doubt, item.attempts) for item in sender.items] == [("m1", True, 2)]


def test_only_the_given_recipients_are_claimed(database: Database, clock: FixedClock) -> None:
    put(database, clock, "mine", "person:1")
    put(database, clock, "theirs", "person:2")
    sender = ScriptedSender()
    deliver(Delivery(database, [sender], clock, policy=POLICY, recipients=["person:1"]))
    assert statuses(database) == {"mine": "sent", "theirs": "pending"}


def test_a_long_rate_limit_storm_does_not_use_up_the_attempts(
    database: Database, clock: FixedClock
) -> None:
    put(database, clock, "patient", "person:1")
    storm = {"left": 25}

    def script(item: OutboxItem) -> SendResult:
        if storm["left"]:
            storm["left"] -= 1
            return RetryLater(1, "429", rate_limited=True)
        return RetryLater(None, "HTTP 503")

    delivery = Delivery(database, [ScriptedSender(script)], clock, policy=POLICY)
    for _ in range(26):
        deliver(delivery)
        clock.advance(dt.timedelta(seconds=61))
    [row] = outbox_rows(database)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "HTTP 503")
