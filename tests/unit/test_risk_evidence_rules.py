"""A test per rule with its evidence: activities and notes change the judgment, and each
warning quotes what it rests on (date, source, words)."""

from __future__ import annotations

from decimal import Decimal

from risk_support import (
    TODAY,
    activity,
    answer,
    case,
    days_ago,
    deal,
    findings,
    note,
    rule,
)

from coaching.risk import StageChange

MIDDLE = {"stage": "Solution"}
LATE = {"stage": "Negotiation"}
BIG = Decimal(2_400_000)


def meeting(ago: int, contact: str | None = None, **options: str) -> object:
    return activity("meeting", ago, "buyer", None, contact=contact, **options)


# no activity: from buyer activity only


def test_a_reps_answers_and_emails_never_clear_buyer_silence() -> None:
    facts = deal(
        last_activity_on=days_ago(0), stage_entered_on=days_ago(60), created_on=days_ago(90)
    )
    log = (meeting(16, "Priya Shah"), activity("email", 5, "rep"), activity("email", 1, "rep"))
    answered_today = [answer("money", "confirmed", ago=0), answer("need", "defined", ago=0)]
    found = rule("no_activity", case(facts, answered_today, activities=log))
    assert found is not None
    assert found.reason == (
        "no word from the buyer for 16 days (since 2026-11-07; last: meeting with Priya Shah "
        "on 2026-11-07); the rep reached out 2 times since"
    )
    heard = (*log, activity("email", 2, "buyer"))
    assert rule("no_activity", case(facts, answered_today, activities=heard)) is None


# ghosting: silence while the rep keeps chasing


def test_ghosting_counts_the_reps_unanswered_follow_ups_and_quotes_them() -> None:
    log = (
        meeting(25, "Priya Shah"),
        activity("email", 18, "rep"),
        activity("email", 11, "rep"),
        note("Left a voicemail, no reply to my last two emails.", 4),
    )
    found = rule("ghosting", case(deal(**MIDDLE), activities=log))
    assert found is not None and found.severity == 2
    assert found.reason == (
        "the buyer has not answered 2 follow-ups since their last activity on 2026-10-29 "
        "(25 days): note of 19 Nov: 'Left a voicemail, no reply to my last two emails'"
    )
    assert [q.as_dict() for q in found.evidence] == [
        {
            "kind": "follow_up_unanswered",
            "date": "2026-11-19",
            "source": "note",
            "quote": "Left a voicemail, no reply to my last two emails",
        }
    ]
    answered = (*log, activity("email", 2, "buyer"))
    assert rule("ghosting", case(deal(**MIDDLE), activities=answered)) is None


# indecision from the notes


def test_indecision_from_repeated_requests_and_fear_of_change_quotes_both() -> None:
    log = (
        meeting(2),
        note("They asked for a third reference call.", 12),
        note("Their COO: we need to learn to walk before we run.", 6),
        note("Maria worries about the change for the team", 3),
    )
    found = rule("no_decision_indecision", case(deal(**MIDDLE), activities=log))
    assert found is not None
    assert found.reason == (
        "drifting to no decision (indecision): the buyer keeps asking for more: note of "
        "11 Nov: 'They asked for a third reference call'; fear of change: note of 20 Nov: "
        "'Maria worries about the change for the team'; note of 17 Nov: 'Their COO: we need "
        "to learn to walk before we run'"
    )
    assert {q.kind for q in found.evidence} == {"repeated_request", "fear_of_change"}
    one_sign = (meeting(2), note("They asked for a third reference call.", 12))
    assert rule("no_decision_indecision", case(deal(**MIDDLE), activities=one_sign)) is None


def test_a_champion_who_passed_the_tests_and_now_wavers_in_the_notes() -> None:
    tested = [
        answer("champion", "Tom Ng", ago=40),
        answer("champion_prefers_us", "yes", ago=40),
        answer("champion_can_fund", "yes", ago=40),
        answer("champion_sells", "yes", ago=40),
    ]
    log = (meeting(1), note("Tom is not sure he can get this past the CFO.", 5))
    found = rule("no_tested_champion", case(deal(**LATE), tested, activities=log))
    assert found is not None
    assert found.reason == (
        "in Negotiation: champion Tom Ng passed the tests, now wavering (note of 18 Nov: "
        "'Tom is not sure he can get this past the CFO')"
    )
    assert rule("no_tested_champion", case(deal(**LATE), tested, activities=(meeting(1),))) is None


# status quo from the notes


def test_status_quo_counts_a_blocked_budget_and_no_urgency_from_notes() -> None:
    log = (meeting(1), note("No rush on their side.", 9), note("Budget frozen until Q2.", 3))
    found = rule("no_decision_status_quo", case(deal(), activities=log))
    assert found is not None
    assert found.reason == (
        "drifting to no decision (status quo): money blocked: note of 20 Nov: 'Budget frozen "
        "until Q2'; no urgency: note of 14 Nov: 'No rush on their side'"
    )


# competitor and incumbent leverage


def test_an_incumbent_in_the_notes_is_leverage_against_us() -> None:
    log = (meeting(1), note("Their current vendor is up for renewal in March.", 7))
    found = rule("competitor_leverage", case(deal(**MIDDLE), activities=log))
    assert found is not None
    assert found.reason == (
        "an incumbent is in place: note of 16 Nov: 'Their current vendor is up for renewal in "
        "March'"
    )


def test_a_competitor_the_rep_already_named_is_no_news() -> None:
    log = (meeting(1), note("Also evaluating Gong, demo Tuesday.", 7))
    blind = rule("competitor_leverage", case(deal(**MIDDLE), activities=log))
    assert blind is not None and "the rep named: none" in blind.reason
    known = [answer("competitors", "Gong")]
    assert rule("competitor_leverage", case(deal(**MIDDLE), known, activities=log)) is None


# the optimism gap: the rep's answer against the notes


def test_the_optimism_gap_confronts_the_reps_money_with_a_note() -> None:
    said = [answer("money", "confirmed", ago=5)]
    log = (meeting(1), note("Finance: budget frozen until Q2.", 3))
    found = rule("optimism_gap", case(deal(**MIDDLE), said, activities=log))
    assert found is not None
    assert found.reason == (
        "rep: Budget confirmed (18 Nov); note of 20 Nov: 'Finance: budget frozen until Q2'"
    )
    thawed = (*log, note("Good news: budget approved by the board.", 1))
    assert rule("optimism_gap", case(deal(**MIDDLE), said, activities=thawed)) is None


# a dated next step in middle and late stages


def test_no_dated_next_step_in_a_middle_stage() -> None:
    found = rule("no_next_step", case(deal(**MIDDLE), activities=(meeting(3),)))
    assert found is not None and found.severity == 1
    assert found.reason == (
        "in Solution: no meeting scheduled with the buyer and no dated next step"
    )
    planned = (meeting(3), meeting(-5, status="scheduled"))
    assert rule("no_next_step", case(deal(**MIDDLE), activities=planned)) is None
    dated = [answer("next_step", "pricing call"), answer("next_step_date", "2026-11-30")]
    assert rule("no_next_step", case(deal(**MIDDLE), dated)) is None
    assert rule("no_next_step", case(deal())) is None  # early: not yet


def test_a_next_step_date_that_passed_is_no_next_step_and_urgent_late() -> None:
    passed = [answer("next_step", "pricing call"), answer("next_step_date", "2026-11-16")]
    found = rule("no_next_step", case(deal(**LATE), passed))
    assert found is not None and found.severity == 3
    assert found.reason == (
        "in Negotiation: the next step (pricing call) was due 2026-11-16 and nothing is "
        "scheduled since"
    )


# no power: earlier for large deals, and in stages the playbook does not know


def test_no_power_in_discovery_on_a_large_deal_with_an_unknown_decision_maker() -> None:
    big = deal(stage="Discovery", amount=BIG)
    found = rule("no_power", case(big))
    assert found is not None
    assert found.reason == (
        "in Discovery: the decision maker is unknown; a large deal, so it matters already in "
        "the early stages"
    )
    assert rule("no_power", case(deal(stage="Discovery"))) is None


def test_no_power_in_a_stage_the_playbook_does_not_know() -> None:
    found = rule("no_power", case(deal(stage="Evaluation")))
    assert found is not None
    assert found.reason == (
        "in Evaluation: the decision maker is unknown; the playbook does not know the stage "
        "Evaluation, so it is not assumed early"
    )


def test_no_power_quotes_a_partner_led_deal_and_a_meeting_with_the_dm_clears_low_exposure() -> None:
    answers = [answer("authority", "Ann Lee"), answer("exposure", "2")]
    log = (
        meeting(30, "Bob Day"),
        note("All contact goes through the partner, we never see Ann.", 4),
    )
    found = rule("no_power", case(deal(**LATE), answers, activities=log))
    assert found is not None
    assert found.reason == (
        "in Negotiation: exposure to Ann Lee is 2 of 5; no direct access to the buyer: note of "
        "19 Nov: 'All contact goes through the partner, we never see Ann'"
    )
    met = (meeting(6, "Ann Lee"),)
    assert rule("no_power", case(deal(**LATE), answers, activities=met)) is None


# stage skipping


def test_qualification_to_negotiation_in_three_days() -> None:
    facts = deal(stage="Negotiation", created_on=days_ago(10), stage_entered_on=days_ago(4))
    jumped = (
        StageChange("Prospecting", "Qualification", days_ago(7)),
        StageChange("Qualification", "Negotiation", days_ago(4)),
    )
    found = rule("stage_skipped", case(facts, stage_changes=jumped))
    assert found is not None and found.severity == 3
    assert found.reason == (
        "went from Qualification to Negotiation in 3 days (on 2026-11-19), skipping the stages "
        "between"
    )
    walked = (
        StageChange("Qualification", "Solution", days_ago(30)),
        StageChange("Solution", "Negotiation", days_ago(4)),
    )
    assert rule("stage_skipped", case(facts, stage_changes=walked)) is None


# severity rises with deal value


def test_the_same_finding_is_one_level_more_severe_on_a_large_deal() -> None:
    stale = {
        "last_activity_on": days_ago(20),
        "stage_entered_on": days_ago(60),
        "created_on": days_ago(90),
    }
    small = rule("no_activity", case(deal(**stale)))
    large = rule("no_activity", case(deal(amount=BIG, **stale)))
    assert small is not None and large is not None
    assert (small.severity, large.severity) == (1, 2)
    assert large.facts["large_deal"] is True


def test_a_healthy_deal_with_a_busy_log_raises_nothing() -> None:
    log = (
        meeting(2, "Ann Lee"),
        meeting(-4, status="scheduled"),
        note("Good call, they liked the roadmap.", 2),
    )
    assert findings(case(deal(**MIDDLE), activities=log)) == {}


def test_an_imports_first_sighting_of_the_stage_is_no_buyer_touch() -> None:
    first_seen = deal(
        stage_entered_on=TODAY,
        stage_entered_known=False,
        created_on=days_ago(60),
        last_activity_on=None,
    )
    found = rule("no_activity", case(first_seen, activities=(meeting(20),)))
    assert found is not None and found.facts["days"] == 20
