"""The housekeeping tick: event ids and sent messages older than the retention period go;
what is unsent, recent, or still referenced by an open warning or check-in stays."""

import asyncio
import datetime as dt

from sqlalchemy import select
from support import ScriptedSender, outbox_rows, person_id

from bot.bootstrap import App
from bot.engine.messages import Incoming
from bot.infra.delivery import Delivered, Failed, SendResult
from coaching.clock import FixedClock
from storage.housekeeping import Forgotten
from storage.models import ProcessedEvent, RiskWarning
from storage.outbox import OutboxItem

RETENTION = dt.timedelta(days=30)


def deliver(app: App, script) -> None:
    sender = ScriptedSender(script)
    sender.transport = "console"
    delivery = app.delivery([sender])

    async def everything() -> None:
        while await delivery.deliver_due():
            pass

    asyncio.run(everything())


def reply_key(app: App, who: int, text: str, event_id: str) -> str:
    [key] = app.engine.handle(Incoming(person_id=who, text=text, event_id=event_id))
    return key


def test_old_event_ids_and_sent_messages_are_forgotten(app: App, clock: FixedClock) -> None:
    database = app.services.database
    priya = person_id(database, "priya@example.com")
    alex = person_id(database, "alex@example.com")
    now = clock.now()
    clock.set(now - RETENTION - dt.timedelta(days=10))
    old_reply = reply_key(app, priya, "deals", "old-1")
    warned = reply_key(app, priya, "deal northwind", "old-2")  # an open warning's post
    resolved = reply_key(app, priya, "schedule", "old-3")  # a resolved warning's post
    refused = reply_key(app, priya, "help", "old-4")  # given up on: never forgotten
    question = reply_key(app, alex, "checkin", "old-5")  # the question of an open check-in

    def script(item: OutboxItem) -> SendResult:
        return Failed("gone") if item.key == refused else Delivered(f"ref-{item.key}")

    deliver(app, script)
    with database.transaction() as session:
        session.add_all(
            [
                RiskWarning(
                    deal_id=1, rule_id="stall", severity=2, reason="r", action="a",
                    message_ref=warned,
                ),
                RiskWarning(
                    deal_id=1, rule_id="no_decision", severity=2, reason="r", action="a",
                    message_ref=resolved, resolved_at=clock.now(),
                ),
            ]
        )  # fmt: skip
    clock.set(now - RETENTION + dt.timedelta(days=1))
    recent = reply_key(app, priya, "deals", "recent-1")
    deliver(app, lambda item: Delivered())
    clock.set(now)
    waiting = reply_key(app, priya, "deals", "now-1")  # not sent yet

    forgotten = app.tick("housekeeping").run(now)

    left = {row.key: row.status for row in outbox_rows(database)}
    assert left == {
        warned: "sent",
        refused: "dead",
        question: "sent",
        recent: "sent",
        waiting: "pending",
    }
    assert old_reply not in left and resolved not in left
    with database.transaction() as session:
        events = set(session.scalars(select(ProcessedEvent.event_id)))
    assert events == {"console:recent-1", "console:now-1"}
    assert (forgotten.events, forgotten.messages) == (5, 2)
    assert app.tick("housekeeping").run(now) == Forgotten(events=0, messages=0)


def test_the_retention_period_is_a_setting(app: App) -> None:
    assert app.services.settings.retention == RETENTION
    assert app.tick("housekeeping").every == dt.timedelta(hours=1)
