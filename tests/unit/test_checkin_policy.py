import datetime as dt
from decimal import Decimal

import pytest

from coaching.checkin_policy import CheckinRules, RepRhythm, due_slot, select_questions
from coaching.model import AnswerFact, DealFacts, latest_answers
from coaching.playbook import load_playbook
from coaching.schedule import CheckinSchedule, ScheduleError, parse_days, parse_time

PLAYBOOK = load_playbook()
RULES = CheckinRules()  # tue,thu 09:30, 5 questions, 3 per deal, expires after 8 h
UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(UTC)


def rep(**changes: object) -> RepRhythm:
    values = {"timezone": "America/New_York", "working_days": "mon-fri"} | changes
    return RepRhythm(**values)  # type: ignore[arg-type]


def test_days_and_times_parse() -> None:
    assert parse_days("mon,wed,fri") == {0, 2, 4}
    assert parse_days("Mon-Fri") == {0, 1, 2, 3, 4}
    assert parse_days("tuesday, thursday") == {1, 3}
    assert parse_time("09:30") == dt.time(9, 30)
    with pytest.raises(ScheduleError, match="unknown day 'funday'"):
        parse_days("funday")
    with pytest.raises(ScheduleError, match="runs backwards"):
        parse_days("fri-mon")
    with pytest.raises(ScheduleError, match="use HH:MM"):
        parse_time("half nine")


def test_due_at_local_time_in_the_reps_time_zone() -> None:
    # Tuesday 24 Nov 2026, 09:30 in New York is 14:30 UTC.
    assert due_slot(rep(), at("2026-11-24T14:29:00+00:00"), RULES) is None
    assert due_slot(rep(), at("2026-11-24T14:30:00+00:00"), RULES) == at("2026-11-24T14:30+00:00")
    assert due_slot(rep(), at("2026-11-24T16:00:00+00:00"), RULES) == at("2026-11-24T14:30+00:00")
    london = rep(timezone="Europe/London")
    assert due_slot(london, at("2026-11-24T09:30:00+00:00"), RULES) == at("2026-11-24T09:30+00:00")


def test_a_slot_stays_due_until_it_would_have_expired() -> None:
    late = at("2026-11-24T22:29:00+00:00")  # 7 h 59 min after the slot
    assert due_slot(rep(), late, RULES) is not None
    assert due_slot(rep(), at("2026-11-24T22:31:00+00:00"), RULES) is None


def test_only_checkin_days_that_are_working_days() -> None:
    wednesday = at("2026-11-25T15:00:00+00:00")
    assert due_slot(rep(), wednesday, RULES) is None
    assert due_slot(rep(checkin_days="wed"), wednesday, RULES) is not None
    assert due_slot(rep(checkin_days="wed", working_days="mon,tue"), wednesday, RULES) is None


def test_rep_setting_beats_team_setting_beats_default() -> None:
    wednesday_8am = at("2026-11-25T13:00:00+00:00")  # 08:00 New York
    team = rep(team_checkin_days="wed", team_checkin_time="08:00")
    assert due_slot(team, wednesday_8am, RULES) == wednesday_8am
    own = rep(team_checkin_days="wed", team_checkin_time="08:00", checkin_time="11:00")
    assert due_slot(own, wednesday_8am, RULES) is None


def test_daylight_saving_keeps_local_wall_clock_time() -> None:
    schedule = CheckinSchedule(frozenset(range(7)), dt.time(9, 30), "America/New_York")
    before = schedule.slot_on(dt.date(2026, 10, 31))  # EDT, UTC-4
    after = schedule.slot_on(dt.date(2026, 11, 2))  # EST, UTC-5
    assert (before.hour, after.hour) == (13, 14)
    gap = CheckinSchedule(frozenset(range(7)), dt.time(2, 30), "America/New_York")
    spring = gap.slot_on(dt.date(2026, 3, 8))  # 02:30 does not exist that night
    assert spring.astimezone(dt.timezone(dt.timedelta(hours=-4))).time() == dt.time(3, 30)


def test_next_slot_crosses_weekends_and_dst() -> None:
    schedule = CheckinSchedule(parse_days("mon"), dt.time(9, 0), "Europe/Berlin")
    friday = at("2026-10-23T12:00:00+00:00")
    assert schedule.next_slot(friday) == at("2026-10-26T08:00:00+00:00")  # CET after DST ends
    assert CheckinSchedule(frozenset(), dt.time(9), "UTC").next_slot(friday) is None


def test_snooze_and_out_of_office_suppress() -> None:
    slot_time = at("2026-11-24T15:00:00+00:00")
    assert due_slot(rep(snoozed_until=at("2026-11-24T16:00:00+00:00")), slot_time, RULES) is None
    assert due_slot(rep(snoozed_until=at("2026-11-24T14:00:00+00:00")), slot_time, RULES)
    assert due_slot(rep(out_until=dt.date(2026, 11, 25)), slot_time, RULES) is None
    assert due_slot(rep(out_until=dt.date(2026, 11, 24)), slot_time, RULES) is not None


NOW = at("2026-11-24T15:00:00+00:00")


def deal(deal_id: int, amount: int, stage: str = "Negotiation", **changes: object) -> DealFacts:
    values = {
        "id": deal_id, "crm_id": f"D{deal_id}", "name": f"Deal {deal_id}", "account": None,
        "amount": Decimal(amount), "currency": "USD", "stage": stage, "stage_entered_on": None,
        "close_date": None, "owner_id": 1, "created_on": None, "last_activity_on": None,
        "status": "open",
    } | changes  # fmt: skip
    return DealFacts(**values)  # type: ignore[arg-type]


def answered(deal_id: int, field: str, value: str, days_ago: int) -> AnswerFact:
    return AnswerFact(deal_id, field, value, NOW - dt.timedelta(days=days_ago), "test")


def plan(deals: list[DealFacts], answers: list[AnswerFact], limit: int = 5, per_deal: int = 3):
    latest = {d.id: latest_answers([a for a in answers if a.deal_id == d.id]) for d in deals}
    return select_questions(
        PLAYBOOK, deals, latest, NOW, today=NOW.date(), limit=limit, per_deal=per_deal
    )


def test_at_most_n_questions_and_per_deal_cap() -> None:
    chosen = plan([deal(1, 100_000), deal(2, 50_000), deal(3, 10_000)], [])
    assert len(chosen) == 5
    per_deal = [sum(1 for q in chosen if q.deal_id == d) for d in (1, 2, 3)]
    assert max(per_deal) <= 3


def test_bigger_deals_and_late_stages_come_first() -> None:
    chosen = plan([deal(1, 5_000, "Prospecting"), deal(2, 500_000, "Negotiation")], [], limit=3)
    assert {q.deal_id for q in chosen} == {2}


def test_fresh_answers_are_never_asked_again() -> None:
    fresh = [answered(1, key, "x", 1) for key in ("money", "need", "next_step", "authority")]
    chosen = plan([deal(1, 100_000)], fresh, limit=16, per_deal=16)
    assert not {"money", "need", "next_step", "authority"} & {q.field for q in chosen}


def test_stale_answers_are_asked_again() -> None:
    stale = [answered(1, "next_step", "Demo", PLAYBOOK.field("next_step").fresh_for_days or 7)]
    chosen = plan([deal(1, 100_000)], stale, limit=16, per_deal=16)
    assert "next_step" in {q.field for q in chosen}


def test_paused_and_closed_deals_are_not_asked_about() -> None:
    paused = deal(1, 900_000, paused_until=dt.date(2026, 12, 1), pause_reason="freeze")
    won = deal(2, 900_000, status="won")
    chosen = plan([paused, won, deal(3, 1_000)], [])
    assert {q.deal_id for q in chosen} == {3}
    expired_pause = deal(1, 900_000, paused_until=dt.date(2026, 11, 24))
    assert {q.deal_id for q in plan([expired_pause], [])} == {1}


def test_questions_come_grouped_by_deal_in_playbook_order() -> None:
    chosen = plan([deal(1, 100_000), deal(2, 90_000)], [], limit=6)
    deals_in_order = [q.deal_id for q in chosen]
    assert deals_in_order == sorted(deals_in_order, key=deals_in_order.index)
    order = [spec.key for spec in PLAYBOOK.fields]
    for deal_id in set(deals_in_order):
        fields = [q.field for q in chosen if q.deal_id == deal_id]
        assert fields == sorted(fields, key=order.index)
