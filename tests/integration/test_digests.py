"""Weekly digests: contents on the crm-sample with team scoping, schedule, claims, destinations."""

from __future__ import annotations

import csv
import datetime as dt
import threading
from pathlib import Path

import pytest
from manager_support import add_deal, add_person, desk, import_crm_sample, sample_teams
from sqlalchemy import func, select, update
from support import outbox_rows, texts

from bot.engine.text_render import render_text
from bot.managers.digest_messages import digest_message
from coaching.clock import FixedClock
from storage.db import Database
from storage.models import Deal, Digest, Person, RiskWarning

MONDAY_8AM_NEW_YORK = dt.datetime(2026, 11, 23, 13, 0, tzinfo=dt.UTC)


def sample_win_rate(folder: Path, reps: set[str]) -> float:
    """The team's win rate over its last 365 days of closed deals, from the CSV itself."""
    with (folder / "sales_pipeline.csv").open(encoding="utf-8") as file:
        rows = [row for row in csv.DictReader(file) if row["sales_agent"] in reps]
    newest = max(
        dt.date.fromisoformat(row[column])
        for row in csv.DictReader((folder / "sales_pipeline.csv").open(encoding="utf-8"))
        for column in ("close_date", "created_on")
        if row[column]
    )
    since = newest - dt.timedelta(days=365)
    closed = [
        row
        for row in rows
        if row["deal_stage"] in ("Won", "Lost")
        and dt.date.fromisoformat(row["close_date"]) >= since
    ]
    return sum(row["deal_stage"] == "Won" for row in closed) / len(closed)


@pytest.mark.slow
def test_each_managers_digest_on_the_crm_sample_covers_only_their_team(
    database: Database, clock: FixedClock, crm_sample: Path
) -> None:
    clock.set(MONDAY_8AM_NEW_YORK + dt.timedelta(hours=3))  # after 08:00 in every US zone
    import_crm_sample(database, crm_sample, clock.now())
    managers = desk(database, clock)
    managers.scan.run(clock.now())
    teams = sample_teams(crm_sample)
    everyone = set().union(*teams.values())
    assert len(teams) == 6 and len(everyone) == 30

    with database.transaction() as session:
        people = dict(session.execute(select(Person.name, Person.id)).all())
        for manager, reps in teams.items():
            figures = managers.digests.compose(session, people[manager], clock.now())
            assert figures is not None and figures["manager"] == manager
            open_deals = session.scalar(
                select(func.count())
                .select_from(Deal)
                .join(Person, Person.id == Deal.owner_id)
                .where(Deal.status == "open", Person.name.in_(reps))
            )
            at_risk = session.scalar(
                select(func.count(func.distinct(RiskWarning.deal_id)))
                .join(Deal, Deal.id == RiskWarning.deal_id)
                .join(Person, Person.id == Deal.owner_id)
                .where(RiskWarning.resolved_at.is_(None), Person.name.in_(reps))
            )
            assert figures["team"] == {"reps": len(reps), "open_deals": open_deals}
            assert sum(row["deals"] for row in figures["pipeline_by_stage"]) == open_deals
            assert figures["pipeline_by_stage"][0]["stage"] == "In Progress"
            assert figures["at_risk"]["deals"] == at_risk > 0
            shown = figures["at_risk"]["shown"]
            assert len(shown) == 10 and {deal["owner"] for deal in shown} <= reps
            velocity = figures["velocity"]
            assert velocity["win_rate"] == pytest.approx(sample_win_rate(crm_sample, reps))
            assert velocity["per_day"] > 0 and velocity["median_cycle_days"] > 0

            text = render_text(digest_message(figures))
            assert text.startswith(f"== Weekly digest · {manager}'s team · week of 2026-11-23 ==")
            assert not [rep for rep in everyone - reps if rep in text], manager
            first = figures["at_risk"]["shown"][0]
            assert f" {first['deal']} · " in text and first["warnings"][0]["label"] in text


def digests(database: Database, recipient: str) -> list[str]:
    return [text for text in texts(database, recipient) if text.startswith("== Weekly digest")]


def manager_with_history(database: Database, today: dt.date, **person: object) -> int:
    """A manager in New York with one rep, a stalled deal, and won and lost deals."""
    manager = add_person(
        database, "Dana Manager", role="manager", timezone="America/New_York", **person
    )
    rep = add_person(database, "Alex Rep", manager=manager)
    add_deal(database, rep, "Stuck deal", today=today, in_stage_days=45)
    for number, status in enumerate(("won", "won", "lost")):
        add_deal(database, rep, f"Closed {number}", today=today, in_stage_days=20, status=status)
    with database.transaction() as session:
        session.execute(
            update(Deal).where(Deal.status != "open").values(closed_on=today - dt.timedelta(days=3))
        )
    return manager


def test_the_digest_goes_out_once_on_the_managers_day_at_the_set_hour(
    database: Database, clock: FixedClock
) -> None:
    clock.set(MONDAY_8AM_NEW_YORK - dt.timedelta(minutes=1))
    manager = manager_with_history(database, clock.now().date())
    managers = desk(database, clock)
    managers.scan.run(clock.now())

    assert managers.digests.run_due(clock.now()).sent == 0  # 07:59 in New York
    clock.advance(dt.timedelta(minutes=1))
    assert managers.digests.run_due(clock.now()).sent == 1
    assert managers.digests.run_due(clock.now()).sent == 0
    clock.advance(dt.timedelta(hours=12))
    assert managers.digests.run_due(clock.now()).sent == 0

    [digest] = digests(database, f"person:{manager}")  # no channel: a direct message
    assert digest.startswith("== Weekly digest · Dana Manager's team · week of 2026-11-23 ==")
    assert "*Stuck deal*" not in digest and " Stuck deal · $10,000 · Alex Rep: " in digest
    assert "No earlier digest to compare with." in digest

    clock.set(MONDAY_8AM_NEW_YORK + dt.timedelta(days=7))
    add_deal(database, None, "Unowned", today=clock.now().date())  # nobody's team
    add_deal(
        database, add_person(database, "Sam Rep", manager=manager), "New", today=clock.now().date()
    )
    assert managers.digests.run_due(clock.now()).sent == 1
    with database.transaction() as session:
        weeks = session.scalars(select(Digest).order_by(Digest.period_start)).all()
    assert [week.period_start for week in weeks] == [dt.date(2026, 11, 23), dt.date(2026, 11, 30)]
    second = weeks[1].figures["velocity"]
    assert second["previous_per_day"] == weeks[0].figures["velocity"]["per_day"]
    assert second["change"] == pytest.approx(1.0)  # 2 open deals instead of 1
    assert "Up 100% since the last digest" in digests(database, f"person:{manager}")[-1]


def test_a_digest_more_than_a_day_late_is_skipped(database: Database, clock: FixedClock) -> None:
    manager_with_history(database, clock.now().date())
    managers = desk(database, clock)
    assert managers.digests.run_due(clock.now() + dt.timedelta(days=1, minutes=1)).sent == 0


def test_the_digest_day_and_channel_are_the_managers(database: Database, clock: FixedClock) -> None:
    manager = manager_with_history(
        database, clock.now().date(), digest_day="fri", digest_channel="slack:C0DIGEST"
    )
    managers = desk(database, clock)
    assert managers.digests.run_due(clock.now()).sent == 0  # Monday
    friday = clock.now() + dt.timedelta(days=4)
    assert managers.digests.run_due(friday).sent == 1
    [row] = [row for row in outbox_rows(database) if row.key.startswith("digest:")]
    assert (row.transport, row.recipient) == ("slack", "channel:C0DIGEST")
    with database.transaction() as session:
        assert session.get_one(Digest, 1).manager_id == manager


def test_two_processes_send_each_digest_once(database: Database, clock: FixedClock) -> None:
    manager_with_history(database, clock.now().date())
    start = threading.Barrier(2)
    sent: list[int] = []

    def run() -> None:
        own = Database(database.url)
        try:
            digests = desk(own, clock).digests
            start.wait()
            sent.append(digests.run_due(clock.now()).sent)
        finally:
            own.dispose()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == [0, 1]
    assert len(outbox_rows(database)) == 1
