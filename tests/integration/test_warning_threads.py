"""Fewer, truer warnings: one post per deal with all its reasons, ranked, within a daily
and a weekly budget per manager, and tuned by the manager's feedback."""

from __future__ import annotations

import datetime as dt

from manager_support import add_deal, add_person, desk
from sqlalchemy import select, update
from support import outbox_rows, texts

from coaching.clock import FixedClock
from storage import risk as store
from storage.db import Database
from storage.models import Deal, RiskWarning

DAY = dt.timedelta(days=1)


def team(database: Database) -> tuple[int, int]:
    manager = add_person(database, "Dana Manager", role="manager")
    return manager, add_person(database, "Alex Rep", manager=manager)


def warnings_of(database: Database, deal: int) -> list[RiskWarning]:
    with database.transaction() as session:
        query = select(RiskWarning).where(RiskWarning.deal_id == deal).order_by(RiskWarning.id)
        return list(session.scalars(query))


def test_one_deal_one_post_with_all_its_reasons(database: Database, clock: FixedClock) -> None:
    manager, rep = team(database)
    deal = add_deal(
        database,
        rep,
        "Globex renewal",
        today=clock.now().date(),
        stage="Negotiation",
        in_stage_days=40,
    )
    report = desk(database, clock).scan.run(clock.now())
    found = warnings_of(database, deal)
    assert len(found) >= 3 and report.posted == 1
    [post] = texts(database, f"person:{manager}")
    for warning in found:
        assert f"(`#{warning.id}`)" in post
    assert {warning.message_ref for warning in found} == {found[0].message_ref}


def test_a_new_reason_updates_the_deals_post_in_place(
    database: Database, clock: FixedClock
) -> None:
    manager, rep = team(database)
    today = clock.now().date()
    deal = add_deal(database, rep, "Acme rollout", today=today, in_stage_days=31)
    scan = desk(database, clock).scan
    assert scan.run(clock.now()).posted == 1
    with database.transaction() as session:
        session.execute(
            update(Deal)
            .where(Deal.id == deal)
            .values(last_activity_on=today - 15 * DAY, stage_entered_on=today - 32 * DAY)
        )
    second = scan.run(clock.now())
    assert (second.raised, second.posted) == (1, 0)
    first, update_row = outbox_rows(database, f"person:{manager}")
    assert update_row.kind == "update" and update_row.payload["replaces"] == first.key
    [updated] = texts(database, f"person:{manager}", kind="update")
    assert "Stalled (`#" in updated and "No activity (`#" in updated


def test_posts_are_ranked_by_severity_and_value_within_the_weekly_budget(
    database: Database, clock: FixedClock
) -> None:
    manager, rep = team(database)
    today = clock.now().date()
    for number in range(7):
        add_deal(
            database,
            rep,
            f"Deal {number}",
            today=today,
            in_stage_days=31,
            amount=10_000 * (number + 1),
        )
    scan = desk(database, clock, alert_budget=10, alert_budget_week=5).scan
    report = scan.run(clock.now())
    assert (report.posted, report.held) == (5, 2)
    posted = texts(database, f"person:{manager}")
    assert [post.split("\n")[0].split(": ")[-1] for post in posted] == [
        "Deal 6 ==",
        "Deal 5 ==",
        "Deal 4 ==",
        "Deal 3 ==",
        "Deal 2 ==",
    ]
    clock.advance(2 * DAY)
    add_deal(database, rep, "Big one", today=clock.now().date(), in_stage_days=31, amount=400_000)
    later = scan.run(clock.now())
    assert (later.raised, later.posted, later.held) == (1, 0, 1)  # the week's five are spent
    clock.advance(6 * DAY)
    add_deal(
        database, rep, "Bigger one", today=clock.now().date(), in_stage_days=31, amount=450_000
    )
    assert scan.run(clock.now()).posted == 1  # a new week


def test_not_useful_feedback_raises_the_rules_threshold_until_useful_brings_it_back(
    database: Database, clock: FixedClock
) -> None:
    manager, rep = team(database)
    today = clock.now().date()
    for number in range(6):
        add_deal(database, rep, f"Old {number}", today=today, in_stage_days=31)
    scan = desk(database, clock, alert_budget=50, alert_budget_week=50).scan
    scan.run(clock.now())
    with database.transaction() as session:
        ids = session.scalars(select(RiskWarning.id).where(RiskWarning.rule_id == "stalled"))
        for warning_id in list(ids):
            store.record_feedback(session, warning_id, manager, "not_useful", clock.now())
    add_deal(database, rep, "New stall", today=today, in_stage_days=31)
    muted = scan.run(clock.now())
    assert (muted.raised, muted.posted, muted.held) == (1, 0, 1)  # 6 net: urgent only
    with database.transaction() as session:
        listed = [w.rule for w, _ in store.warnings_with_deals(session, manager_id=manager)]
    assert listed.count("stalled") == 7  # still listed: feedback tunes posts, not the truth
    with database.transaction() as session:
        ids = session.scalars(select(RiskWarning.id).where(RiskWarning.rule_id == "stalled"))
        for warning_id in list(ids)[:6]:
            store.record_feedback(session, warning_id, manager, "useful", clock.now() + DAY)
    clock.advance(2 * DAY)
    add_deal(database, rep, "Another stall", today=clock.now().date(), in_stage_days=31)
    assert scan.run(clock.now()).posted == 1
