"""Grounding over real data: every fact in the coach's replies is what the tables hold,
everything else is the coach's own wording, and no figure or name appears from
nowhere. On the demo pipeline (SQLite and PostgreSQL) and on the crm-sample."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from coach_data import KIT, TableResolver, load_views, totals
from manager_support import import_crm_sample
from sqlalchemy import select

from coaching.clock import FixedClock
from coaching.coach import (
    CheckinStats,
    DealView,
    Reply,
    check_reply,
    compose_one_on_one,
    compose_pipeline,
    compose_prep,
    compose_rep_summary,
    compose_review,
    compose_slipping,
    find_attendee,
    roleplay_turn,
    start_roleplay,
    unsupported,
    yaml_texts,
)
from coaching.coach.managers import at_risk
from storage.coach import team_members
from storage.db import Database
from storage.demo import load_demo
from storage.models import Person

OWN_TEXTS = yaml_texts()
THURSDAY = dt.date(2026, 11, 26)
ANSWERS = (
    "It pays back in 7 months: today you lose 6% of revenue in penalties.",
    "I don't know.",
    "Trust me.",
    "We start with one depot as a pilot, and you can call two customers like you.",
)


def assert_grounded(reply: Reply, resolve: TableResolver) -> None:
    assert check_reply(reply, OWN_TEXTS, resolve) == [], reply.text()
    known = [fact.shown for fact in reply.facts] + OWN_TEXTS
    assert unsupported(reply.text(), known) == [], reply.text()


def beyond(shown: int, count: int) -> int:
    return max(0, count - shown)


def counts(views: list[DealView], **more: int) -> dict[str, str]:
    """Every count a pipeline or a rep summary of these deals may state, recounted."""
    risky = at_risk(views)
    active = [view for view in views if not view.is_paused()]
    figures = {
        "more.at_risk": beyond(10, len(risky)),
        "more.on_track": beyond(5, sum(not view.findings for view in active)),
        "more.paused": beyond(5, len(views) - len(active)),
        "more.calm": beyond(8, len(views) - len(risky)),
        "pipeline.open_deals": len(views),
        "pipeline.at_risk": len(at_risk(views)),
        "rep.open_deals": len(views),
        "rep.at_risk": len(at_risk(views)),
        "rep.fields_known": sum(
            line.status == "known" for view in views for line in view.card.lines
        ),
        "rep.fields_asked": sum(
            line.status != "waiting" for view in views for line in view.card.lines
        ),
    }
    return {key: str(value) for key, value in (figures | more).items()} | totals(views)


def replies_for_a_rep(views: list[DealView], resolver: TableResolver) -> int:
    """Pipeline, and for every deal a review, preps and a role-play; returns the count."""
    checked = 0
    resolver.extra = counts(views)
    assert_grounded(compose_pipeline(views, KIT), resolver)
    checked += 1
    for view in views:
        whos = ["the CFO", "their IT director", "", *(person.name for person in view.stakeholders)]
        assert_grounded(compose_review(view, KIT, show_owner=True), resolver)
        checked += 1
        for who in whos:
            attendee = find_attendee(view, who, KIT.roles)
            resolver.extra = {"request.when": THURSDAY.isoformat(), "request.meeting": "call"}
            if attendee.title and attendee.title.source == "request.who":
                resolver.extra["request.who"] = attendee.title.value
            assert_grounded(
                compose_prep(view, KIT, attendee, when=THURSDAY, meeting="call"), resolver
            )
            state, opening = start_roleplay(view, KIT, attendee)
            assert_grounded(opening, resolver)
            for answer in ANSWERS:
                if state.done:
                    break
                state, reply = roleplay_turn(state, view, KIT, attendee, answer)
                handled = sum(result.outcome == "handled" for result in state.results)
                resolver.extra |= {
                    "roleplay.handled": str(handled),
                    "roleplay.objections": str(len(state.objections)),
                }
                assert_grounded(reply, resolver)
            checked += 2
    return checked


def test_every_reply_on_the_demo_pipeline_is_grounded(
    database: Database, clock: FixedClock
) -> None:
    now = clock.now()
    with database.transaction() as session:
        load_demo(session, now)
    with database.transaction() as session:
        manager = session.scalars(select(Person).where(Person.name == "Dana Whitfield")).one()
        resolver = TableResolver(session, now, {})
        checked = 0
        for rep_id, _name in team_members(session, manager.id):
            checked += replies_for_a_rep(load_views(session, now, owner_ids=[rep_id]), resolver)
        team = load_views(session, now, manager_id=manager.id)
        due = [view for view in team if view.deal.close_date <= dt.date(2026, 12, 31)]
        slipping = [view for view in due if may_slip(view)]
        resolver.extra = counts(team) | totals(slipping)
        resolver.extra |= {"quarter.end": "2026-12-31", "quarter.due": str(len(due))}
        resolver.extra["quarter.slipping"] = str(len(slipping))
        resolver.extra["more.slipping"] = str(beyond(15, len(slipping)))
        resolver.extra["more.calm"] = str(beyond(8, len(due) - len(slipping)))
        assert_grounded(compose_slipping(team, KIT, now.date()), resolver)
        for rep_id, _name in team_members(session, manager.id):
            views = [view for view in team if view.deal.owner_id == rep_id]
            stats = CheckinStats(sent=2, answered=1, days=14)
            resolver.extra = counts(views, **{"checkins.sent": 2, "checkins.answered": 1})
            resolver.extra["checkins.days"] = "14"
            assert_grounded(compose_rep_summary(views, KIT, checkins=stats), resolver)
            assert_grounded(compose_one_on_one(views, KIT), resolver)
            checked += 2
    assert checked > 40


def may_slip(view: DealView) -> bool:
    """The spec of "may slip", restated: a timing, momentum or no-decision risk, a
    close date ahead of the buyer, or no dated next step from today on."""
    rules = {"close_date_slipping", "stalled", "no_activity", "no_decision_status_quo"}
    signals = {"close_before_decision", "close_ahead_of_money"}
    risky = any(f.rule in rules or set(f.signals) & signals for f in view.findings)
    step = view.card.value("next_step_date")
    return risky or step is None or step < view.today.isoformat()


@pytest.mark.slow
def test_every_review_and_prep_on_the_crm_sample_is_grounded(
    sqlite_database: Database, clock: FixedClock, crm_sample: Path
) -> None:
    now = clock.now()
    import_crm_sample(sqlite_database, crm_sample, now)
    with sqlite_database.transaction() as session:
        managers = session.scalars(select(Person).where(Person.role == "manager")).all()
        team = load_views(session, now, manager_id=managers[0].id)
        assert len(team) > 100
        resolver = TableResolver(session, now, {})
        for view in team:
            assert_grounded(compose_review(view, KIT, show_owner=True), resolver)
        for view in team[::25]:
            attendee = find_attendee(view, "the CFO", KIT.roles)
            resolver.extra = {
                "request.when": THURSDAY.isoformat(),
                "request.meeting": "call",
                "request.who": "the CFO",
            }
            assert_grounded(
                compose_prep(view, KIT, attendee, when=THURSDAY, meeting="call"), resolver
            )
        for rep_id, _name in team_members(session, managers[0].id):
            views = [view for view in team if view.deal.owner_id == rep_id]
            resolver.extra = counts(views)
            assert_grounded(compose_pipeline(views, KIT), resolver)
            assert_grounded(compose_rep_summary(views, KIT), resolver)
            assert_grounded(compose_one_on_one(views, KIT), resolver)
