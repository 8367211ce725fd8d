"""The learned stall threshold: 1.5 x the median time this team's won deals spent in a stage."""

from __future__ import annotations

import datetime as dt

from risk_support import TEAM, case, days_ago, deal, rule

from coaching.risk import StageChange, WonDeal, learn_baselines, load_risk_config
from coaching.risk.baseline import stage_spells, stall_limit

START = dt.date(2026, 1, 5)
STALLED = load_risk_config().stalled


def won(days_in_negotiation: int, team: int = TEAM) -> WonDeal:
    """Created in Discovery, 10 days later in Negotiation, then won after `days...`."""
    negotiation = START + dt.timedelta(days=10)
    won_on = negotiation + dt.timedelta(days=days_in_negotiation)
    return WonDeal(
        team=team,
        created_on=START,
        closed_on=won_on,
        stage_changes=(
            StageChange("Discovery", "Negotiation", negotiation),
            StageChange("Negotiation", "Closed Won", won_on),
        ),
    )


def test_stage_spells_run_from_creation_through_each_change() -> None:
    assert stage_spells(won(12)) == [("discovery", 10), ("negotiation", 12)]


def test_the_limit_is_one_and_a_half_times_the_median() -> None:
    history = [won(days) for days in (10, 12, 18, 20, 30)]
    baseline = learn_baselines(history)[TEAM]
    assert baseline.stages["negotiation"].median == 18
    limit = stall_limit(baseline, "Negotiation", never_moved=False, settings=STALLED)
    assert (limit.days, limit.basis, limit.samples) == (27, "stage", 5)
    assert baseline.cycle is not None and baseline.cycle.median == 28


def test_a_deal_is_stalled_the_day_after_the_learned_limit() -> None:
    baselines = learn_baselines([won(days) for days in (10, 12, 18, 20, 30)])
    at_limit = deal(stage="Negotiation", stage_entered_on=days_ago(27), created_on=days_ago(60))
    past = deal(stage="Negotiation", stage_entered_on=days_ago(28), created_on=days_ago(60))
    assert rule("stalled", case(at_limit), baselines) is None
    found = rule("stalled", case(past), baselines)
    assert found is not None
    assert found.reason == (
        "in Negotiation 28 days; this team's won deals leave it in 18 (median of 5, limit 27)"
    )


def test_too_thin_a_history_falls_back_to_thirty_days() -> None:
    baseline = learn_baselines([won(days) for days in (10, 12, 18, 20)])[TEAM]
    limit = stall_limit(baseline, "Negotiation", never_moved=False, settings=STALLED)
    assert (limit.days, limit.basis) == (30, "fallback")
    assert stall_limit(None, "Negotiation", never_moved=True, settings=STALLED).days == 30


def test_each_team_learns_from_its_own_won_deals() -> None:
    baselines = learn_baselines(
        [won(days) for days in (4, 4, 4, 4, 4)] + [won(40, team=99) for _ in range(5)]
    )
    assert baselines[TEAM].stages["negotiation"].median == 4
    assert baselines[99].stages["negotiation"].median == 40


def test_without_stage_history_the_whole_cycle_is_learned() -> None:
    """The crm-sample case: won deals with only created and closed dates."""
    history = [
        WonDeal(TEAM, START, START + dt.timedelta(days=days)) for days in (30, 40, 52, 60, 90)
    ]
    baseline = learn_baselines(history)[TEAM]
    assert baseline.stages == {}
    never_moved = stall_limit(baseline, "In Progress", never_moved=True, settings=STALLED)
    assert (never_moved.days, never_moved.basis, never_moved.median) == (78, "cycle", 52)
    moved = stall_limit(baseline, "In Progress", never_moved=False, settings=STALLED)
    assert moved.basis == "fallback"


def test_per_stage_settings_override_the_fallback_and_multiplier() -> None:
    settings = STALLED.model_copy(
        update={"stages": {"Negotiation": {"fallback_days": 21}, "late": {"multiplier": 2}}}
    )
    negotiation = settings.at("Negotiation", "late")
    assert negotiation.fallback_days == 21 and negotiation.multiplier == 1.5
    contract = settings.at("Contract", "late")
    assert contract.fallback_days == 30 and contract.multiplier == 2
