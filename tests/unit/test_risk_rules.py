"""Each risk rule on hand-built deals, at and around its thresholds (defaults of rules.yaml)."""

from __future__ import annotations

import datetime as dt

import pytest
from risk_support import TEAM, TODAY, answer, case, days_ago, deal, findings, pushed, rule

from coaching.risk import TeamBaseline
from coaching.risk.baseline import Sample

NEGOTIATION = {"stage": "Negotiation"}  # a late stage in the playbook


def test_a_healthy_deal_raises_nothing() -> None:
    assert findings(case()) == {}


# stalled: fallback 30 days without history; urgent past twice the limit


@pytest.mark.parametrize(("days", "severity"), [(30, None), (31, 2), (60, 2), (61, 3)])
def test_stalled_against_the_fallback_limit(days: int, severity: int | None) -> None:
    facts = deal(stage="Negotiation", stage_entered_on=days_ago(days), created_on=days_ago(90))
    found = rule("stalled", case(facts))
    assert (found and found.severity) == severity
    if found:
        assert found.reason == (
            f"in Negotiation {days} days; too few won deals to learn from, so the limit is 30"
        )
        assert found.facts["basis"] == "fallback"


@pytest.mark.parametrize(("days", "raised"), [(27, False), (28, True)])
def test_stalled_against_the_teams_learned_limit(days: int, raised: bool) -> None:
    baseline = {TEAM: TeamBaseline(stages={"negotiation": Sample(18.0, 5)})}
    facts = deal(stage="Negotiation", stage_entered_on=days_ago(days), created_on=days_ago(90))
    found = rule("stalled", case(facts), baseline)
    assert (found is not None) == raised
    if found:
        assert found.reason == (
            f"in Negotiation {days} days; this team's won deals leave it in 18 "
            "(median of 5, limit 27)"
        )


def test_stalled_uses_only_the_deals_own_team_history() -> None:
    other_team = {TEAM + 1: TeamBaseline(stages={"negotiation": Sample(5.0, 50)})}
    facts = deal(stage="Negotiation", stage_entered_on=days_ago(20), created_on=days_ago(90))
    assert rule("stalled", case(facts), other_team) is None


def test_a_deal_that_never_moved_is_compared_with_the_won_cycle() -> None:
    baseline = {TEAM: TeamBaseline(cycle=Sample(52.0, 700))}
    young = deal(stage="In Progress", stage_entered_on=days_ago(78), created_on=days_ago(78))
    old = deal(stage="In Progress", stage_entered_on=days_ago(79), created_on=days_ago(79))
    assert rule("stalled", case(young), baseline) is None
    found = rule("stalled", case(old), baseline)
    assert found is not None
    assert found.reason == (
        "open 79 days without leaving In Progress; this team's won deals close in 52 days "
        "(median of 700, limit 78)"
    )


def test_a_deal_that_moved_is_not_compared_with_the_whole_cycle() -> None:
    baseline = {TEAM: TeamBaseline(cycle=Sample(100.0, 700))}
    facts = deal(stage="Negotiation", stage_entered_on=days_ago(31), created_on=days_ago(60))
    found = rule("stalled", case(facts), baseline)
    assert found is not None and found.facts["basis"] == "fallback"


# stalled, when the CRM gave no stage entry date: stage_entered_on is when an import
# first saw the deal in its stage, a lower bound


def test_a_first_import_raises_no_stall_by_itself() -> None:
    baseline = {TEAM: TeamBaseline(stages={"negotiation": Sample(5.0, 50)})}
    facts = deal(
        stage="Negotiation",
        stage_entered_on=TODAY,
        stage_entered_known=False,
        created_on=days_ago(400),
    )
    assert rule("stalled", case(facts)) is None
    assert rule("stalled", case(facts), baseline) is None


@pytest.mark.parametrize(("days", "severity"), [(30, None), (31, 2), (61, 3)])
def test_an_unknown_entry_stalls_at_least_since_the_deal_was_first_seen(
    days: int, severity: int | None
) -> None:
    facts = deal(
        stage="Negotiation",
        stage_entered_on=days_ago(days),
        stage_entered_known=False,
        created_on=days_ago(400),
    )
    found = rule("stalled", case(facts))
    assert (found and found.severity) == severity
    if found:
        assert found.reason == (
            f"in Negotiation at least {days} days (first seen there on "
            f"{days_ago(days).isoformat()}); too few won deals to learn from, so the limit is 30"
        )
        assert found.facts["since"] == days_ago(days).isoformat()


def test_an_unknown_entry_on_an_old_deal_is_a_stall_against_the_cycle_never_urgent() -> None:
    baseline = {TEAM: TeamBaseline(cycle=Sample(52.0, 700))}
    old = deal(
        stage="In Progress",
        stage_entered_on=days_ago(3),
        stage_entered_known=False,
        created_on=days_ago(900),
    )
    young = deal(
        stage="In Progress",
        stage_entered_on=days_ago(3),
        stage_entered_known=False,
        created_on=days_ago(78),
    )
    assert rule("stalled", case(young), baseline) is None
    found = rule("stalled", case(old), baseline)
    assert found is not None and found.severity == 2
    assert found.reason == (
        "open 900 days; this team's won deals close in 52 days (median of 700, limit 78); "
        "when it entered In Progress is not known"
    )
    assert found.facts["basis"] == "cycle"


def test_a_placed_stage_group_wins_over_the_stage_name() -> None:
    unknown_name = {"stage": "Verbal Commit", "stage_entered_on": days_ago(5)}
    assert "no_tested_champion" not in findings(case(deal(**unknown_name)))
    placed = findings(case(deal(**unknown_name, stage_group="late")))
    assert placed["no_tested_champion"].reason == "in Verbal Commit: no champion named"


def test_a_paused_deal_raises_no_stall_until_its_date() -> None:
    stuck = {"stage": "Negotiation", "stage_entered_on": days_ago(45), "created_on": days_ago(90)}
    paused = deal(**stuck, paused_until=TODAY + dt.timedelta(days=1), last_activity_on=None)
    assert rule("stalled", case(paused)) is None
    assert rule("no_activity", case(paused)) is None
    assert rule("stalled", case(deal(**stuck, paused_until=TODAY))) is not None


# no activity: 14 days, urgent from 30


@pytest.mark.parametrize(("days", "severity"), [(13, None), (14, 1), (29, 1), (30, 2)])
def test_no_activity_after_fourteen_days(days: int, severity: int | None) -> None:
    facts = deal(
        last_activity_on=days_ago(days), stage_entered_on=days_ago(90), created_on=days_ago(99)
    )
    found = rule("no_activity", case(facts))
    assert (found and found.severity) == severity


def test_a_checkin_answer_never_clears_no_activity() -> None:
    facts = deal(
        last_activity_on=days_ago(40), stage_entered_on=days_ago(90), created_on=days_ago(99)
    )
    found = rule("no_activity", case(facts, [answer("need", "defined", ago=0)]))
    assert found is not None
    assert found.reason == "no activity and no stage change for 40 days (since 2026-10-14)"


# close date slipping: overdue, or pushed 2+ times; urgent at 30 days overdue or 3 pushes


@pytest.mark.parametrize(("overdue", "severity"), [(0, None), (1, 2), (29, 2), (30, 3)])
def test_an_overdue_close_date(overdue: int, severity: int | None) -> None:
    found = rule("close_date_slipping", case(deal(close_date=days_ago(overdue))))
    assert (found and found.severity) == severity


def test_a_close_date_pushed_twice_then_three_times() -> None:
    d = [TODAY + dt.timedelta(days=days) for days in (0, 14, 28, 42)]
    assert rule("close_date_slipping", case(close_date_changes=pushed(d[0], d[1]))) is None
    twice = rule("close_date_slipping", case(close_date_changes=pushed(d[0], d[1], d[2])))
    assert twice is not None and twice.severity == 2
    assert twice.reason == "close date pushed 2 times (2026-11-23 → 2026-12-07 → 2026-12-21)"
    thrice = rule("close_date_slipping", case(close_date_changes=pushed(*d)))
    assert thrice is not None and thrice.severity == 3


def test_pulling_a_close_date_in_is_not_a_push() -> None:
    d = [TODAY + dt.timedelta(days=days) for days in (40, 20, 30)]
    assert rule("close_date_slipping", case(close_date_changes=pushed(*d))) is None


# no decision, status quo: 2 signals, urgent at 3


def test_status_quo_needs_two_signals() -> None:
    one = [answer("money", "next_year")]
    assert rule("no_decision_status_quo", case(answers=one)) is None
    two = [*one, answer("compelling_event", "none")]
    found = rule("no_decision_status_quo", case(answers=two))
    assert found is not None and found.severity == 2
    assert found.reason == (
        "drifting to no decision (status quo): no compelling event; money only next year"
    )
    three = [*two, answer("need", "research")]
    found = rule("no_decision_status_quo", case(answers=three))
    assert found is not None and found.severity == 3
    assert "Build urgency" in found.action


def test_a_real_compelling_event_or_an_unasked_field_is_no_signal() -> None:
    answers = [answer("money", "none"), answer("compelling_event", "Regulation from March")]
    assert rule("no_decision_status_quo", case(answers=answers)) is None


# no decision, indecision: middle and late stages, 2 signals


def test_indecision_from_an_untested_champion_and_many_options() -> None:
    answers = [
        answer("champion", "Tom Becker"),
        answer("champion_prefers_us", "yes"),
        answer("competitors", "Routeify, Fleetly and doing nothing"),
    ]
    found = rule("no_decision_indecision", case(deal(**NEGOTIATION), answers))
    assert found is not None and found.severity == 2
    assert found.reason == (
        "drifting to no decision (indecision): champion Tom Becker untested (can get budget: "
        "not asked, sells for us: not asked); 3 options under evaluation "
        "(Routeify, Fleetly, doing nothing)"
    )
    assert "narrow the options" in found.action
    assert rule("no_decision_indecision", case(deal(), answers)) is None  # early stage


def test_two_options_are_not_many() -> None:
    answers = [answer("champion", "unknown"), answer("competitors", "Routeify or nothing")]
    assert rule("no_decision_indecision", case(deal(**NEGOTIATION), answers)) is None


def test_indecision_from_a_moving_decision_date_and_a_phase_going_back() -> None:
    answers = [
        answer("decision_date", "2026-12-01", ago=30),
        answer("decision_date", "2027-01-15", ago=20),
        answer("buying_phase", "decision", ago=15),
        answer("decision_date", "2027-02-28", ago=10),
        answer("buying_phase", "preference", ago=2),
    ]
    found = rule("no_decision_indecision", case(deal(**NEGOTIATION), answers))
    assert found is not None
    assert found.reason == (
        "drifting to no decision (indecision): the decision date moved later 2 times; "
        "the buyer went back from Decision to Preference"
    )


def test_status_quo_and_indecision_carry_opposite_remedies() -> None:
    answers = [
        answer("money", "none"),
        answer("need", "pain"),
        answer("champion", "unknown"),
        answer("competitors", "A, B, C"),
    ]
    found = findings(case(deal(**NEGOTIATION), answers))
    assert found["no_decision_status_quo"].action.startswith("Build urgency")
    assert found["no_decision_indecision"].action.startswith("Take risk off the table")


# no power: late stages, exposure 2 or less or authority unknown


@pytest.mark.parametrize(("exposure", "severity"), [("3", None), ("2", 2), ("1", 3)])
def test_no_power_from_low_exposure(exposure: str, severity: int | None) -> None:
    answers = [answer("authority", "Maria Lopez"), answer("exposure", exposure)]
    found = rule("no_power", case(deal(**NEGOTIATION), answers))
    assert (found and found.severity) == severity


def test_no_power_cites_the_trend() -> None:
    answers = [
        answer("authority", "Maria Lopez", ago=40),
        answer("exposure", "4", ago=30),
        answer("exposure", "2", ago=3),
    ]
    found = rule("no_power", case(deal(**NEGOTIATION), answers))
    assert found is not None
    assert found.reason == "in Negotiation: exposure to Maria Lopez went from 4 to 2"


def test_no_power_when_nobody_knows_the_decision_maker_late_but_not_early() -> None:
    late = rule("no_power", case(deal(**NEGOTIATION), [answer("authority", "unknown")]))
    assert late is not None and late.reason == "in Negotiation: the decision maker is unknown"
    assert rule("no_power", case(deal(stage="Demo"))) is None  # middle stage


# no tested champion: late stages


def test_no_champion_named_late_is_urgent() -> None:
    found = rule("no_tested_champion", case(deal(**NEGOTIATION)))
    assert found is not None and found.severity == 3
    assert found.reason == "in Negotiation: no champion named"


def test_a_champion_passing_all_three_tests_is_fine_one_short_is_not() -> None:
    tested = [
        answer("champion", "Hannah Moss"),
        answer("champion_prefers_us", "yes"),
        answer("champion_can_fund", "yes"),
    ]
    short = [*tested, answer("champion_sells", "unknown")]
    found = rule("no_tested_champion", case(deal(**NEGOTIATION), short))
    assert found is not None and found.severity == 2
    assert found.reason == (
        "in Negotiation: champion Hannah Moss untested (sells for us: not sure)"
    )
    passed = [*tested, answer("champion_sells", "yes")]
    assert rule("no_tested_champion", case(deal(**NEGOTIATION), passed)) is None


def test_a_champion_who_passed_the_tests_then_wavered_is_wavering_not_untested() -> None:
    passed = [
        answer("champion", "Hannah Moss", ago=30),
        answer("champion_prefers_us", "yes", ago=30),
        answer("champion_can_fund", "yes", ago=30),
        answer("champion_sells", "yes", ago=30),
    ]
    unsure = [*passed, answer("champion_can_fund", "unknown", ago=0)]
    found = rule("no_tested_champion", case(deal(**NEGOTIATION), unsure))
    assert found is not None and found.severity == 3
    assert found.reason == (
        "in Negotiation: champion Hannah Moss passed the tests, now wavering "
        "(can get budget: not sure)"
    )


# nobody owns the vision


def test_vision_owner_unknown_after_two_checkins() -> None:
    once = [answer("vision_owner", "unknown", ago=14)]
    assert rule("no_vision_owner", case(answers=once)) is None
    twice = [*once, answer("vision_owner", "unknown", ago=3)]
    found = rule("no_vision_owner", case(answers=twice))
    assert found is not None and found.severity == 1
    assert found.reason == "the vision owner is still unknown after 2 check-ins"
    late = rule("no_vision_owner", case(deal(**NEGOTIATION), twice))
    assert late is not None and late.severity == 2


def test_nobody_owning_the_vision_is_a_warning_at_once() -> None:
    nobody = [answer("vision_owner", "none")]
    found = rule("no_vision_owner", case(answers=nobody))
    assert found is not None and found.severity == 1
    assert found.reason == "the rep says nobody owns the vision"
    late = rule("no_vision_owner", case(deal(**NEGOTIATION), nobody))
    assert late is not None and late.severity == 2


def test_vision_owner_missing_matters_only_late() -> None:
    assert rule("no_vision_owner", case()) is None
    assert rule("no_vision_owner", case(deal(**NEGOTIATION))) is not None
    named = [answer("vision_owner", "new_executive")]
    assert rule("no_vision_owner", case(deal(**NEGOTIATION), named)) is None


# late entry


def test_late_entry() -> None:
    assert rule("late_entry", case(answers=[answer("late_entry", "no")])) is None
    found = rule("late_entry", case(answers=[answer("late_entry", "yes")]))
    assert found is not None and found.severity == 2
    assert found.action.startswith("Flank")
    both = [answer("late_entry", "yes"), answer("vision_owner", "competitor")]
    found = rule("late_entry", case(answers=both))
    assert found is not None and found.severity == 3


# optimism gap


def test_a_late_stage_ahead_of_the_buyers_phase() -> None:
    interest = [answer("buying_phase", "interest")]
    found = rule("optimism_gap", case(deal(**NEGOTIATION), interest))
    assert found is not None and found.reason == "in Negotiation, but the buyer is only at Interest"
    assert rule("optimism_gap", case(deal(stage="Demo"), interest)) is None
    preference = [answer("buying_phase", "preference")]
    assert rule("optimism_gap", case(deal(**NEGOTIATION), preference)) is None


def test_a_close_date_ahead_of_the_decision_or_the_money() -> None:
    close = TODAY + dt.timedelta(days=30)
    same_day = [answer("decision_date", close.isoformat())]
    assert rule("optimism_gap", case(answers=same_day)) is None
    later = [answer("decision_date", (close + dt.timedelta(days=1)).isoformat())]
    found = rule("optimism_gap", case(answers=later))
    assert found is not None
    assert found.reason == "closes 2026-12-23, but the buyer decides 2026-12-24"
    money = [*later, answer("money", "next_year")]
    found = rule("optimism_gap", case(answers=money))
    assert found is not None and found.severity == 3
    next_year = deal(close_date=dt.date(2027, 1, 15))
    assert rule("optimism_gap", case(next_year, [answer("money", "next_year")])) is None
