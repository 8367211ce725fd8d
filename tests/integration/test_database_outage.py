"""The database unreachable for a while: the bot keeps what it is told, logs one clear
line, and catches up when the database is back, losing nothing."""

import asyncio
import datetime as dt
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from support import ScriptedSender, fresh_postgres, make_services, outbox_rows, person_id, texts

from bot.bootstrap import App, build_app
from bot.engine.messages import Incoming
from coaching.clock import FixedClock
from storage.db import Database
from storage.demo import load_demo
from storage.models import OutboxMessage
from testkit.tcp_proxy import CuttableProxy, cuttable_proxy


@pytest.fixture
def proxy(postgres_url: str) -> Iterator[CuttableProxy]:
    url = make_url(postgres_url)
    with cuttable_proxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        yield proxy


@pytest.fixture
def app_behind_proxy(
    postgres_url: str, proxy: CuttableProxy, clock: FixedClock, tmp_path
) -> Iterator[App]:
    direct = fresh_postgres(postgres_url)
    with direct.transaction() as session:
        load_demo(session, clock.now())
    direct.dispose()
    url = make_url(postgres_url).set(port=proxy.port)
    url = url.update_query_dict({"connect_timeout": "2"})
    database = Database(url.render_as_string(hide_password=False))
    app = build_app(make_services(database, clock, data_dir=tmp_path))
    yield app
    database.dispose()


@pytest.mark.postgres
def test_messages_told_during_an_outage_are_kept_and_handled_after(
    app_behind_proxy: App,
    proxy: CuttableProxy,
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = app_behind_proxy
    database = app.services.database
    alex = person_id(database, "alex@example.com")
    proxy.cut()
    with caplog.at_level(logging.WARNING):
        first = app.inbox.receive(Incoming(person_id=alex, text="checkin", event_id="E1"))
        second = app.inbox.receive(Incoming(person_id=alex, text="Maria", event_id="E2"))
    assert first.kept and second.kept
    assert len(app.inbox.spool) == 2
    assert "database unreachable" in caplog.text and "message kept for later" in caplog.text
    assert "Traceback" not in caplog.text
    proxy.restore()
    app.inbox.replay_kept(clock.now())
    assert len(app.inbox.spool) == 0
    replies = texts(database, f"person:{alex}")
    assert replies[0].startswith("Quick check-in")
    assert "✓ Decision maker: Maria Lopez" in replies[1]
    app.inbox.replay_kept(clock.now())  # nothing left, nothing doubled
    assert len(texts(database, f"person:{alex}")) == 2


@pytest.mark.postgres
def test_ticks_and_delivery_survive_an_outage_and_catch_up(
    app_behind_proxy: App,
    proxy: CuttableProxy,
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = app_behind_proxy
    database = app.services.database
    clock.set(dt.datetime(2026, 11, 24, 14, 30, tzinfo=dt.UTC))  # Alex and Priya are due
    sender = ScriptedSender()
    sender.transport = "console"
    delivery = app.delivery([sender])
    clockwork = app.clockwork()

    async def outage_then_recovery() -> int:
        stop = asyncio.Event()
        proxy.cut()
        await clockwork.fire(clockwork.ticks[0])
        delivering = asyncio.create_task(delivery.run(stop))
        await asyncio.sleep(0.5)
        proxy.restore()
        await clockwork.fire(clockwork.ticks[0])  # the slot is still due: caught up
        await asyncio.sleep(1.5)
        stop.set()
        await delivering
        return len(sender.sent)

    with caplog.at_level(logging.WARNING):
        delivered = asyncio.run(outage_then_recovery())
    assert "tick checkins: database unreachable" in caplog.text
    assert "delivery: database unreachable" in caplog.text
    assert "Traceback" not in caplog.text
    assert delivered == 2
    assert {key.split(":")[0] for key, _, _ in sender.sent} == {"checkin"}
    with database.transaction() as session:
        pending = session.scalar(select(func.count()).where(OutboxMessage.status == "pending"))
    assert pending == 0
    assert len(outbox_rows(database)) == 2
