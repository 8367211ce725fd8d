"""Scheduled rounds, reminders and expiry, on SQLite and PostgreSQL."""

import datetime as dt
import threading

from sqlalchemy import func, select
from support import outbox_rows, person_id, texts

from bot.bootstrap import App
from bot.checkins.rounds import CheckinRounds
from bot.engine.messages import Incoming
from coaching.clock import FixedClock
from storage.models import CheckIn, CheckInQuestion, OutboxMessage, Person

TUESDAY_0930_NEW_YORK = dt.datetime(2026, 11, 24, 14, 30, tzinfo=dt.UTC)


def checkins(app: App) -> list[tuple[str, str]]:
    with app.services.database.transaction() as session:
        rows = session.execute(
            select(Person.email, CheckIn.status).join(Person).order_by(Person.email)
        )
        return [(email, status) for email, status in rows]


def test_round_starts_due_checkins_in_each_reps_time_zone(app: App, clock: FixedClock) -> None:
    clock.set(TUESDAY_0930_NEW_YORK)
    report = app.part(CheckinRounds).run_round(clock.now())
    # Alex (New York, 09:30 now) and Priya (London, 09:30 was five hours ago) are due;
    # Sam (Los Angeles) is not yet.
    assert (report.due, report.started) == (2, 2)
    assert checkins(app) == [("alex@example.com", "open"), ("priya@example.com", "open")]
    alex = person_id(app.services.database, "alex@example.com")
    [start] = texts(app.services.database, f"person:{alex}")
    assert start.startswith("Quick check-in: 5 questions on Northwind fleet analytics")
    rows = outbox_rows(app.services.database, f"person:{alex}")
    assert rows[0].transport == "console"
    assert rows[0].not_after == TUESDAY_0930_NEW_YORK + dt.timedelta(hours=8)


def test_round_claims_each_slot_once(app: App, clock: FixedClock) -> None:
    clock.set(TUESDAY_0930_NEW_YORK)
    app.part(CheckinRounds).run_round(clock.now())
    clock.advance(dt.timedelta(minutes=1))
    again = app.part(CheckinRounds).run_round(clock.now())
    assert again.started == 0
    assert len(checkins(app)) == 2
    assert len(outbox_rows(app.services.database)) == 2


def test_concurrent_rounds_never_double_ask(app: App, clock: FixedClock) -> None:
    clock.set(TUESDAY_0930_NEW_YORK)
    barrier = threading.Barrier(4)
    reports = []

    def round_() -> None:
        barrier.wait()
        reports.append(app.part(CheckinRounds).run_round(clock.now()))

    threads = [threading.Thread(target=round_) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(report.started for report in reports) == 2
    assert len(outbox_rows(app.services.database)) == 2


def test_the_first_question_can_be_answered(app: App, clock: FixedClock) -> None:
    clock.set(TUESDAY_0930_NEW_YORK)
    app.part(CheckinRounds).run_round(clock.now())
    database = app.services.database
    alex = person_id(database, "alex@example.com")
    app.engine.handle(Incoming(person_id=alex, text="Maria"))
    replies = texts(database, f"person:{alex}")
    assert "✓ Decision maker: Maria Lopez" in replies[1]
    updates = [row for row in outbox_rows(database, f"person:{alex}") if row.kind == "update"]
    assert updates[0].payload["replaces"] == outbox_rows(database, f"person:{alex}")[0].key


def test_one_reminder_then_expiry(app: App, clock: FixedClock) -> None:
    database = app.services.database
    clock.set(TUESDAY_0930_NEW_YORK)
    app.part(CheckinRounds).run_round(clock.now())
    clock.advance(dt.timedelta(hours=2))
    assert app.part(CheckinRounds).send_reminders(clock.now()) == 0
    clock.advance(dt.timedelta(hours=1))
    assert app.part(CheckinRounds).send_reminders(clock.now()) == 2
    assert app.part(CheckinRounds).send_reminders(clock.now()) == 0
    alex = person_id(database, "alex@example.com")
    reminder = texts(database, f"person:{alex}")[-1]
    assert reminder.startswith("Still got a minute? This one is waiting:")
    assert "who makes the final decision?" in reminder
    clock.set(TUESDAY_0930_NEW_YORK + dt.timedelta(hours=8))
    assert app.part(CheckinRounds).expire(clock.now()) == 2
    assert {status for _, status in checkins(app)} == {"expired"}
    expired = texts(database, f"person:{alex}", kind="update")[-1]
    assert "This check-in expired." in expired
    app.engine.handle(Incoming(person_id=alex, text="Maria"))
    assert texts(database, f"person:{alex}")[-1].startswith("That's not something I can help with")
    with database.transaction() as session:
        statuses = set(session.scalars(select(CheckInQuestion.status)))
    assert statuses == {"expired"}


def test_snoozed_rep_is_not_asked_and_busy_rep_is_skipped(app: App, clock: FixedClock) -> None:
    database = app.services.database
    alex = person_id(database, "alex@example.com")
    priya = person_id(database, "priya@example.com")
    app.engine.handle(Incoming(person_id=alex, text="snooze 2d"))
    app.engine.handle(Incoming(person_id=priya, text="checkin"))
    clock.set(TUESDAY_0930_NEW_YORK)
    report = app.part(CheckinRounds).run_round(clock.now())
    assert (report.due, report.started, report.nothing_to_ask) == (1, 0, 1)
    with database.transaction() as session:
        statuses = dict(session.execute(select(CheckIn.kind, CheckIn.status)).all())
        assert statuses == {"manual": "open", "scheduled": "skipped"}
        # the snooze reply and the manual check-in; nothing from the round
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
