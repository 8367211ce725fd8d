"""The digest's figures from hand-built team records (pure; no database)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from risk_support import TODAY, answer

from coaching.digest import (
    CheckinOutcome,
    ClosedDeal,
    DigestInputs,
    OpenRisk,
    TeamDeal,
    Verdict,
    build_figures,
)
from coaching.playbook import load_playbook
from coaching.risk import load_wording

PLAYBOOK, WORDING = load_playbook(), load_wording()


def team_deal(id_: int, stage: str = "Negotiation", amount: int | None = 10000) -> TeamDeal:
    return TeamDeal(
        id_, f"Deal {id_}", "Alex Rep", stage, Decimal(amount) if amount else None, "USD"
    )


def closed(won: bool, amount: int, cycle: int, closed_days_ago: int = 30) -> ClosedDeal:
    closed_on = TODAY - dt.timedelta(days=closed_days_ago)
    return ClosedDeal(won, Decimal(amount), "USD", closed_on - dt.timedelta(days=cycle), closed_on)


def figures(**changes: object) -> dict:
    values: dict = {
        "manager": "Dana",
        "reps": ["Alex Rep", "Sam Rep"],
        "deals": [team_deal(1), team_deal(2), team_deal(3, "Demo"), team_deal(4, "Prospecting")],
        "answers": {},
        "closed": [],
        "risks": [],
        "checkins": [],
        "verdicts": [],
    }
    values.update(changes)
    return build_figures(
        DigestInputs(**values),
        PLAYBOOK,
        WORDING,
        today=TODAY,
        period_start=TODAY,
    )


def test_velocity_is_open_deals_times_win_rate_times_size_over_cycle() -> None:
    history = [
        closed(True, 1000, 10),
        closed(True, 2000, 20),
        closed(True, 3000, 30),
        closed(False, 9000, 5),
        closed(True, 99999, 1, closed_days_ago=400),  # outside the 365-day window
    ]
    velocity = figures(closed=history, previous_velocity=250.0)["velocity"]
    assert velocity["win_rate"] == 0.75
    assert velocity["average_won"] == 2000
    assert velocity["median_cycle_days"] == 20
    assert velocity["per_day"] == pytest.approx(4 * 0.75 * 2000 / 20)
    assert velocity["change"] == pytest.approx(0.2)


def test_velocity_needs_closed_deals() -> None:
    velocity = figures()["velocity"]
    assert velocity["per_day"] is None and velocity["change"] is None


def test_pipeline_by_stage_group_order_and_by_buying_phase() -> None:
    result = figures(
        answers={1: [answer("buying_phase", "decision")], 2: [answer("buying_phase", "unknown")]}
    )
    assert [(row["stage"], row["deals"]) for row in result["pipeline_by_stage"]] == [
        ("Prospecting", 1),
        ("Demo", 1),
        ("Negotiation", 2),
    ]
    assert result["pipeline_by_stage"][2]["amounts"] == {"USD": 20000.0}
    assert [(row["phase"], row["deals"]) for row in result["pipeline_by_phase"]] == [
        ("decision", 1),
        ("unknown", 1),
        ("not_asked", 2),
    ]


def test_coverage_of_late_stage_deals() -> None:
    qualified = [
        answer("champion", "Hannah"),
        answer("champion_prefers_us", "yes"),
        answer("champion_can_fund", "yes"),
        answer("champion_sells", "yes"),
        answer("exposure", "3"),
        answer("next_step_date", TODAY.isoformat()),
        answer("money", "confirmed"),
    ]
    weak = [
        answer("champion", "Tom"),
        answer("champion_prefers_us", "yes"),
        answer("exposure", "2"),
        answer("next_step_date", (TODAY - dt.timedelta(days=1)).isoformat()),
        answer("money", "this_year"),
    ]
    coverage = figures(answers={1: qualified, 2: weak, 3: qualified})["coverage"]
    assert coverage == {
        "late_deals": 2,
        "tested_champion": 1,
        "exposure_3_plus": 1,
        "dated_next_step": 1,
        "money_confirmed": 1,
    }


def test_deals_at_risk_and_recurring_blockers() -> None:
    unknown = "in Negotiation: the decision maker is unknown"
    risks = [
        OpenRisk(1, "no_power", 2, unknown, ("authority_unknown",)),
        OpenRisk(2, "no_tested_champion", 3, "in Negotiation: no champion named", ("no_champion",)),
        OpenRisk(2, "no_power", 2, unknown, ("authority_unknown",)),
        OpenRisk(9, "stalled", 3, "another team's deal", ("stalled_stage",)),
    ]
    result = figures(risks=risks)
    at_risk = result["at_risk"]
    assert (at_risk["deals"], at_risk["warnings"]) == (2, 3)
    assert [deal["deal"] for deal in at_risk["shown"]] == ["Deal 2", "Deal 1"]
    assert at_risk["shown"][0]["warnings"][0]["label"] == "No tested champion"
    assert result["blockers"][0] == {"blocker": "decision maker unknown", "deals": 2}


def test_reps_who_left_checkins_unanswered() -> None:
    checkins = [
        CheckinOutcome("Alex Rep", "expired", 0),
        CheckinOutcome("Alex Rep", "expired", 2),
        CheckinOutcome("Alex Rep", "done", 3),
        CheckinOutcome("Sam Rep", "skipped", 0),
        CheckinOutcome("Sam Rep", "done", 1),
    ]
    assert figures(checkins=checkins)["unanswered_checkins"] == {
        "checkins": 4,
        "reps": [{"rep": "Alex Rep", "checkins": 3, "unanswered": 1}],
    }


def test_rule_precision_counts_useful_and_handled_as_right() -> None:
    verdicts = [
        Verdict("stalled", "useful"),
        Verdict("stalled", "handled"),
        Verdict("stalled", "not_useful"),
        Verdict("stalled", "useful"),
        Verdict("late_entry", "not_useful"),
    ]
    precision = {row["rule"]: row for row in figures(verdicts=verdicts)["precision"]}
    assert precision["stalled"]["precision"] == 0.75
    assert precision["late_entry"]["precision"] == 0
    assert precision["stalled"]["label"] == "Stalled"


def test_figures_are_plain_json() -> None:
    result = figures(closed=[closed(True, 10, 3), closed(False, 1, 3)])
    assert json.loads(json.dumps(result)) == result


def test_deals_at_risk_are_ordered_by_severity_then_value() -> None:
    deals = [team_deal(1, amount=5000), team_deal(2, amount=90000), team_deal(3, amount=40000)]
    risks = [
        OpenRisk(1, "no_power", 3, "in Negotiation: the decision maker is unknown", ()),
        OpenRisk(2, "stalled", 2, "in Negotiation 50 days", ()),
        OpenRisk(3, "stalled", 2, "in Negotiation 40 days", ()),
        OpenRisk(3, "no_activity", 1, "no activity for 20 days", ()),
    ]
    shown = figures(deals=deals, risks=risks)["at_risk"]["shown"]
    assert [(deal["deal"], deal["severity"]) for deal in shown] == [
        ("Deal 1", 3),
        ("Deal 2", 2),
        ("Deal 3", 2),
    ]


def test_each_stage_counts_its_deals_by_their_worst_warning() -> None:
    risks = [
        OpenRisk(1, "no_power", 3, "reason", ()),
        OpenRisk(1, "stalled", 2, "reason", ()),
        OpenRisk(3, "no_activity", 1, "reason", ()),
        OpenRisk(9, "stalled", 3, "another team's deal", ()),
    ]
    result = figures(risks=risks)
    assert result["risk_by_stage"] == [
        {"stage": "Prospecting", "deals_by_severity": [1, 0, 0, 0]},
        {"stage": "Demo", "deals_by_severity": [0, 1, 0, 0]},
        {"stage": "Negotiation", "deals_by_severity": [1, 0, 0, 1]},
    ]
    assert [row["stage"] for row in result["pipeline_by_stage"]] == [
        row["stage"] for row in result["risk_by_stage"]
    ]


def test_a_deal_the_import_placed_late_counts_as_late() -> None:
    placed = TeamDeal(5, "Deal 5", "Alex Rep", "Verbal Commit", Decimal(1), "EUR", "late")
    deals = [team_deal(1), team_deal(4, "Prospecting"), team_deal(6, "Verbal Commit"), placed]
    assert figures(deals=deals)["coverage"]["late_deals"] == 2
