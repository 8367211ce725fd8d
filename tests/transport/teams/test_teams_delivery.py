"""Teams delivery through the outbox against a connector that throttles and fails."""

import asyncio
import datetime as dt

import pytest
from support import outbox_rows, person_id
from teams_support import TEAM, TeamsServer, activity

from bot.bootstrap import App
from bot.engine.messages import Message
from bot.infra.delivery import DeliveryPolicy
from bot.teams.sender import retry_after
from storage import outbox
from testkit.botframework_connector import Failure, FakeConnector

POLICY = DeliveryPolicy(backoff_base=1, backoff_cap=8)


def enqueue(app: App, key: str, recipient: str, **extra: object) -> None:
    with app.services.database.transaction() as session:
        outbox.enqueue(
            session,
            key=key,
            transport="teams",
            recipient=recipient,
            kind=str(extra.get("kind", "message")),
            payload={
                "message": Message.text(key).model_dump(mode="json"),
                "replaces": extra.get("replaces"),
            },
            now=app.services.clock.now(),
        )


def statuses(app: App) -> dict[str, str]:
    return {row.key: row.status for row in outbox_rows(app.services.database)}


def row(app: App, key: str):
    return next(row for row in outbox_rows(app.services.database) if row.key == key)


@pytest.fixture
def installed(teams_app: App, connector: FakeConnector) -> App:
    """Alex installed the app personally and Dana added it to the East Sales team."""

    async def install() -> None:
        async with TeamsServer(teams_app) as server:
            for name in ("conversation_update_personal", "conversation_update_team"):
                assert (await server.post(activity(name, connector)))[0] == 202
            await server.deliver()

    asyncio.run(install())
    connector.posts.clear()
    return teams_app


def test_a_storm_of_429_412_and_5xx_loses_nothing_and_keeps_each_recipients_order(
    installed: App, connector: FakeConnector
) -> None:
    alex = f"person:{person_id(installed.services.database, 'alex@example.com')}"
    for number in range(1, 7):
        enqueue(installed, f"alex-{number}", alex)
    for number in range(1, 5):
        enqueue(installed, f"channel-{number}", f"channel:{TEAM}")
    storm = [
        Failure(429, "2"),
        Failure(412),
        Failure(502),
        Failure(504),
        Failure(429, "1"),
        Failure(503),
        Failure(500),
        Failure(429),
        Failure(502),
        Failure(412),
        Failure(504),
        Failure(429, "3"),
    ]
    connector.fail(*storm)
    clock = installed.services.clock

    async def weather() -> int:
        passes = 0
        async with TeamsServer(installed, policy=POLICY) as server:
            while set(statuses(installed).values()) != {"sent"}:
                passes += 1
                assert passes < 60, statuses(installed)
                await server.deliver()
                clock.advance(dt.timedelta(seconds=10))
        return passes

    passes = asyncio.run(weather())
    assert connector.refused == storm
    texts = [post.text for post in connector.posts]
    assert [text for text in texts if text.startswith("alex")] == [f"alex-{n}" for n in range(1, 7)]
    assert [text for text in texts if text.startswith("channel")] == [
        f"channel-{n}" for n in range(1, 5)
    ]
    assert len(texts) == 10  # each exactly once
    assert passes > 3  # the storm really held messages back


def test_retry_after_is_waited_for_and_rate_limits_are_not_failures(
    installed: App, connector: FakeConnector
) -> None:
    alex = f"person:{person_id(installed.services.database, 'alex@example.com')}"
    enqueue(installed, "limited", alex)
    connector.fail(Failure(429, "30"))
    clock = installed.services.clock
    start = clock.now()

    async def scenario() -> None:
        async with TeamsServer(installed, policy=POLICY) as server:
            await server.deliver()
            limited = row(installed, "limited")
            assert limited.next_attempt_at == start + dt.timedelta(seconds=30)
            assert "HTTP 429" in (limited.last_error or "")
            clock.advance(dt.timedelta(seconds=29))
            assert await server.deliver() == 0
            clock.advance(dt.timedelta(seconds=1))
            assert await server.deliver() == 1

    asyncio.run(scenario())
    assert [post.text for post in connector.posts] == ["limited"]


def test_gateway_errors_back_off_and_refusals_are_permanent(
    installed: App, connector: FakeConnector
) -> None:
    alex = f"person:{person_id(installed.services.database, 'alex@example.com')}"
    start = installed.services.clock.now()

    async def scenario() -> None:
        async with TeamsServer(installed, policy=POLICY) as server:
            enqueue(installed, "gateway", alex)
            connector.fail(Failure(502))
            await server.deliver()
            enqueue(installed, "forbidden", f"channel:{TEAM}")
            connector.fail(Failure(403))
            await server.deliver()

    asyncio.run(scenario())
    gateway, forbidden = row(installed, "gateway"), row(installed, "forbidden")
    assert gateway.status == "pending" and "HTTP 502" in (gateway.last_error or "")
    wait = (gateway.next_attempt_at - start).total_seconds()
    assert 0.8 <= wait <= 1.2  # the first backoff step, with jitter
    assert forbidden.status == "dead" and "HTTP 403" in (forbidden.last_error or "")
    assert connector.posts == []


def test_a_slow_connector_times_out_and_the_message_is_retried(
    installed: App, connector: FakeConnector
) -> None:
    alex = f"person:{person_id(installed.services.database, 'alex@example.com')}"
    enqueue(installed, "slow", alex)
    connector.fail(Failure(201, delay_s=1.5))

    async def scenario() -> None:
        async with TeamsServer(installed, policy=POLICY) as server:
            server.transport.sender.connectors.timeout = 0.3
            assert await server.deliver() == 0
            assert "too slow" in (row(installed, "slow").last_error or "")
            installed.services.clock.advance(dt.timedelta(seconds=2))
            assert await server.deliver() == 1

    asyncio.run(scenario())
    assert [post.text for post in connector.posts] == ["slow"]


def test_an_update_of_a_vanished_activity_is_given_up(
    installed: App, connector: FakeConnector
) -> None:
    alex = f"person:{person_id(installed.services.database, 'alex@example.com')}"
    enqueue(installed, "original", alex)

    async def scenario() -> None:
        async with TeamsServer(installed, policy=POLICY) as server:
            await server.deliver()
            connector.posts.clear()  # the connector forgot it (deleted in Teams)
            enqueue(installed, "update", alex, kind="update", replaces="original")
            await server.deliver()

    asyncio.run(scenario())
    update = row(installed, "update")
    assert update.status == "dead" and "HTTP 404" in (update.last_error or "")


def test_unaddressable_recipients_fail_and_unknown_ones_wait(installed: App) -> None:
    enqueue(installed, "nowhere", "team:42")
    enqueue(installed, "not-installed", "person:999999")

    async def scenario() -> None:
        async with TeamsServer(installed, policy=POLICY) as server:
            await server.deliver()

    asyncio.run(scenario())
    assert statuses(installed)["nowhere"] == "dead"
    assert "cannot address 'team:42' on Teams" in (row(installed, "nowhere").last_error or "")
    assert statuses(installed)["not-installed"] == "pending"


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = dt.datetime(2026, 11, 23, 13, 0, tzinfo=dt.UTC)
    assert retry_after("12") == 12.0
    assert retry_after("Mon, 23 Nov 2026 13:00:45 GMT", now) == 45.0
    assert retry_after("Mon, 23 Nov 2026 12:00:00 GMT", now) == 0.0
    assert retry_after("soon") is None
    assert retry_after(None) is None
