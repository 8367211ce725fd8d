"""The risk scan on real databases: posted once, escalated, resolved, within the budget."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from manager_support import add_deal, add_person, desk, touch_all
from sqlalchemy import select, update
from support import outbox_rows, texts

from bot.infra.recipients import Recipients
from bot.managers.risk_scan import AlertPolicy, RiskScan
from coaching.clock import FixedClock
from storage import risk as store
from storage.db import Database
from storage.importers.deal_import import DealImportOptions, import_deals
from storage.models import ChatIdentity, Deal, OutboxMessage, Person, RiskWarning

DAY = dt.timedelta(days=1)


def open_warnings(database: Database) -> list[RiskWarning]:
    with database.transaction() as session:
        return list(
            session.scalars(
                select(RiskWarning)
                .where(RiskWarning.resolved_at.is_(None))
                .order_by(RiskWarning.id)
            )
        )


def team(database: Database) -> tuple[int, int]:
    manager = add_person(database, "Dana Manager", role="manager")
    return manager, add_person(database, "Alex Rep", manager=manager)


def test_a_warning_is_posted_once_then_only_on_escalation(
    database: Database, clock: FixedClock
) -> None:
    manager, rep = team(database)
    today = clock.now().date()
    add_deal(database, rep, "Acme rollout", today=today, in_stage_days=31)
    scan = desk(database, clock).scan

    first = scan.run(clock.now())
    assert (first.raised, first.posted, first.held) == (1, 1, 0)
    [post] = texts(database, f"person:{manager}")
    assert "Warning · Stalled: Acme rollout" in post
    assert "in Prospecting 31 days; too few won deals to learn from, so the limit is 30" in post
    assert "[Useful: `feedback 1 useful`]" in post

    for _ in range(5):  # hourly, then daily: nothing new to say
        clock.advance(dt.timedelta(hours=6))
        again = scan.run(clock.now())
        assert (again.raised, again.escalated, again.posted) == (0, 0, 0)
    assert len(outbox_rows(database)) == 1
    [warning] = open_warnings(database)
    assert "in Prospecting 32 days" in warning.reason  # the text follows the facts quietly

    clock.advance(29 * DAY)  # 61 days: past twice the limit
    touch_all(database, clock.now().date())
    escalated = scan.run(clock.now())
    assert (escalated.escalated, escalated.posted) == (1, 1)
    assert "Now Urgent · Stalled: Acme rollout" in texts(database)[-1]
    assert scan.run(clock.now() + DAY).posted == 0
    assert len(outbox_rows(database)) == 2


def test_a_warning_resolves_when_its_condition_clears_and_its_post_says_so(
    database: Database, clock: FixedClock
) -> None:
    manager, rep = team(database)
    deal = add_deal(database, rep, "Acme rollout", today=clock.now().date(), in_stage_days=40)
    scan = desk(database, clock).scan
    scan.run(clock.now())
    with database.transaction() as session:
        session.execute(
            update(Deal)
            .where(Deal.id == deal)
            .values(stage="Qualification", stage_entered_on=clock.now().date())
        )
    report = scan.run(clock.now())
    assert report.resolved == 1 and open_warnings(database) == []
    [resolution] = texts(database, f"person:{manager}", kind="update")
    assert resolution.startswith("✓ Resolved · Stalled: Acme rollout")
    [first, update_row] = outbox_rows(database)
    assert update_row.payload["replaces"] == first.key

    clock.advance(31 * DAY)  # stuck again in the new stage: a new crossing, a new post
    touch_all(database, clock.now().date())
    again = scan.run(clock.now())
    assert (again.raised, again.posted) == (1, 1)


def test_a_closed_deal_resolves_its_warnings(database: Database, clock: FixedClock) -> None:
    _, rep = team(database)
    deal = add_deal(database, rep, "Acme rollout", today=clock.now().date(), in_stage_days=40)
    scan = desk(database, clock).scan
    scan.run(clock.now())
    with database.transaction() as session:
        session.execute(update(Deal).where(Deal.id == deal).values(status="won"))
    assert scan.run(clock.now()).resolved == 1


def test_the_budget_posts_the_worst_three_a_day_and_holds_the_rest(
    database: Database, clock: FixedClock
) -> None:
    manager, rep = team(database)
    today = clock.now().date()
    for number, (days, amount) in enumerate([(31, 1), (70, 5), (31, 9), (31, 7), (31, 3)]):
        add_deal(database, rep, f"Deal {number}", today=today, in_stage_days=days, amount=amount)
    scan = desk(database, clock).scan

    report = scan.run(clock.now())
    assert (report.raised, report.posted, report.held) == (5, 3, 2)
    posted = [text.splitlines()[0] for text in texts(database, f"person:{manager}")]
    assert posted == [
        "== Urgent · Stalled: Deal 1 ==",  # most severe first
        "== Warning · Stalled: Deal 2 ==",  # then the largest
        "== Warning · Stalled: Deal 3 ==",
    ]

    add_deal(database, rep, "Late comer", today=today, in_stage_days=31)
    assert scan.run(clock.now()).held == 1  # the budget is spent for today

    clock.advance(DAY)
    add_deal(database, rep, "Next day", today=clock.now().date(), in_stage_days=31)
    next_day = scan.run(clock.now())
    assert (next_day.raised, next_day.posted) == (1, 1)  # held ones wait for the digest
    assert texts(database)[-1].startswith("== Warning · Stalled: Next day ==")


def test_the_budget_follows_the_managers_local_day(database: Database, clock: FixedClock) -> None:
    """13:00 UTC is 22:00 in Tokyo; 16:00 UTC the same day is already tomorrow there."""
    manager = add_person(database, "Dana Manager", role="manager", timezone="Asia/Tokyo")
    rep = add_person(database, "Alex Rep", manager=manager)
    today = clock.now().date()
    console = Recipients()
    scan = RiskScan(database, desk(database, clock).scan.engine, AlertPolicy(budget=1), console)
    add_deal(database, rep, "First", today=today, in_stage_days=31)
    assert scan.run(clock.now()).posted == 1
    clock.advance(dt.timedelta(hours=1))
    add_deal(database, rep, "Same local day", today=today, in_stage_days=32)
    assert scan.run(clock.now()).posted == 0
    clock.advance(dt.timedelta(hours=2))
    add_deal(database, rep, "Next local day", today=today, in_stage_days=33)
    assert scan.run(clock.now()).posted == 1


def test_posts_go_to_the_managers_channel_or_fall_back_to_a_direct_message(
    database: Database, clock: FixedClock
) -> None:
    in_teams = add_person(
        database, "Tia Teams", role="manager", digest_channel="teams:19:abc@thread.skype"
    )
    on_slack = add_person(database, "Sol Slack", role="manager")
    nowhere = add_person(database, "Con Console", role="manager")
    with database.transaction() as session:
        session.add(ChatIdentity(person_id=on_slack, platform="slack", external_id="U1"))
    today = clock.now().date()
    for manager in (in_teams, on_slack, nowhere):
        rep = add_person(database, f"Rep of {manager}", manager=manager)
        add_deal(database, rep, f"Deal of {manager}", today=today, in_stage_days=31)
    engine = desk(database, clock).scan.engine
    recipients = Recipients(default="console", platforms=("slack",))
    RiskScan(database, engine, AlertPolicy(), recipients).run(clock.now())

    places = {(row.transport, row.recipient) for row in outbox_rows(database)}
    assert places == {
        ("teams", "channel:19:abc@thread.skype"),
        ("slack", f"person:{on_slack}"),
        ("console", f"person:{nowhere}"),
    }
    with database.transaction() as session:
        found = Recipients().managers(session, [in_teams, nowhere])
    assert found[in_teams].recipient == "channel:19:abc@thread.skype"
    assert found[nowhere].recipient == f"person:{nowhere}"


def test_deals_of_reps_in_no_team_raise_nothing_until_they_are_placed(
    database: Database, clock: FixedClock
) -> None:
    loner = add_person(database, "Lone Rep")  # as an import creates an unknown owner
    add_deal(database, loner, "Orphan deal", today=clock.now().date(), in_stage_days=31)
    scan = desk(database, clock).scan
    report = scan.run(clock.now())
    assert (report.deals, report.raised, report.posted) == (0, 0, 0)
    assert outbox_rows(database) == []

    manager = add_person(database, "Dana Manager", role="manager")
    with database.transaction() as session:
        session.execute(update(Person).where(Person.id == loner).values(manager_id=manager))
    placed = scan.run(clock.now())

    assert (placed.deals, placed.raised, placed.posted) == (1, 1, 1)


def test_a_manager_who_owns_deals_is_in_a_team_of_their_own(
    database: Database, clock: FixedClock
) -> None:
    manager = add_person(database, "Dana Manager", role="manager")
    add_deal(database, manager, "Own deal", today=clock.now().date(), in_stage_days=31)
    report = desk(database, clock).scan.run(clock.now())
    assert (report.deals, report.raised) == (1, 1)


def test_two_scans_at_once_raise_and_post_each_warning_once(
    database: Database, clock: FixedClock
) -> None:
    _, rep = team(database)
    for number in range(20):
        add_deal(database, rep, f"Deal {number}", today=clock.now().date(), in_stage_days=31)
    start = threading.Barrier(2)
    reports = []

    def scan() -> None:
        own = Database(database.url)  # a second connection pool, as in another process
        try:
            worker = desk(own, clock).scan
            start.wait()
            reports.append(worker.run(clock.now()))
        finally:
            own.dispose()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(report.raised for report in reports) == [0, 20]
    assert sorted(report.posted for report in reports) == [0, 3]
    assert len(open_warnings(database)) == 20
    with database.transaction() as session:
        keys = session.scalars(select(OutboxMessage.key)).all()
    assert len(keys) == len(set(keys)) == 3


def test_one_open_warning_per_deal_and_rule_is_enforced_by_the_database(
    database: Database, clock: FixedClock
) -> None:
    _, rep = team(database)
    deal = add_deal(database, rep, "Acme rollout", today=clock.now().date())
    row = {
        "deal_id": deal,
        "rule_id": "stalled",
        "severity": 2,
        "reason": "r",
        "action": "a",
        "details": None,
        "manager_id": None,
        "raised_at": clock.now(),
        "escalated_at": None,
        "notified_at": None,
        "resolved_at": None,
        "message_ref": None,
    }
    with database.transaction() as session:
        store.insert_warnings(session, [row, row])
    with database.transaction() as session:
        store.insert_warnings(session, [row])
    [first] = open_warnings(database)
    with database.transaction() as session:
        assert store.resolve(session, [first.id], clock.now()) == {first.id}
        store.insert_warnings(session, [row])  # resolved: the deal may cross again
    assert [warning.id for warning in open_warnings(database)] != [first.id]
    assert len(open_warnings(database)) == 1


def test_an_imported_deals_warning_shows_its_own_currency_and_crm_dates(
    database: Database, clock: FixedClock, tmp_path: Path
) -> None:
    manager, rep = team(database)
    export = tmp_path / "opportunities.csv"
    export.write_bytes(
        '\ufeff"Opportunity ID","Opportunity Name","Stage","Amount","Created Date",'
        '"Last Stage Change Date","Close Date","Owner Email","Last Activity"\r\n'
        '"006A","Globex - Renewal","Negotiation","EUR 42.500,00","15/06/2026",'
        '"09/10/2026","18/12/2026","alex.rep@example.com","20/11/2026"\r\n'.encode()
    )
    import_deals(database, export, DealImportOptions(), now=clock.now())

    desk(database, clock).scan.run(clock.now())

    posts = texts(database, f"person:{manager}")
    [post] = [text for text in posts if "Globex - Renewal" in text and "Stalled" in text]
    assert "€42,500" in post
    assert "in Negotiation 45 days" in post  # since 9 October, read day-first
    with database.transaction() as session:
        assert session.scalar(select(Deal.owner_id)) == rep
