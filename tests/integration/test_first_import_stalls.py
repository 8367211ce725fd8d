"""A first import raises no stall it cannot justify.

An export without stage history does not say when a deal entered its stage. The import
records the day it first saw the deal there (a lower bound), so the stall rule can say
"at least N days" later on, and on day one it only compares a deal's age, a fact from
the CRM, with the team's won cycle, never as urgent. A stage entry date the CRM gives
(HubSpot's "Date entered", Salesforce's "Last Stage Change Date") is a fact: a stall
measured from it may be urgent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coaching.playbook import load_playbook
from coaching.risk import (
    AnswerHistory,
    DealCase,
    Finding,
    RiskEngine,
    learn_baselines,
    load_risk_config,
    load_wording,
)
from storage.db import Database
from storage.importers.deal_import import DealImportOptions, import_deals
from storage.importers.team_import import import_team
from storage.risk import OpenDeal, scan_inputs

FIXTURES = Path(__file__).parents[1] / "fixtures" / "crm"
ENGINE = RiskEngine(load_risk_config(), load_wording(), load_playbook())
URGENT = 3


def stalls(database: Database, today: dt.date) -> list[tuple[OpenDeal, Finding]]:
    """Every stalled finding of a scan at `today`, with its deal (no chat, no model)."""
    with database.transaction() as session:
        inputs = scan_inputs(session)
    baselines = learn_baselines(inputs.won)
    found = []
    for deal in inputs.deals:
        case = DealCase(
            deal=deal.facts,
            owner=deal.owner,
            team=deal.team,
            today=today,
            answers=AnswerHistory(inputs.answers.get(deal.facts.id, ())),
            close_date_changes=tuple(inputs.close_date_changes.get(deal.facts.id, ())),
        )
        found += [(deal, f) for f in ENGINE.assess(case, baselines) if f.rule == "stalled"]
    return found


@pytest.mark.slow
@pytest.mark.parametrize("shift", [False, True], ids=["as-exported", "shifted-to-today"])
def test_a_first_import_of_the_crm_sample_raises_no_unjustified_stall(
    database: Database, crm_sample: Path, shift: bool
) -> None:
    now = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
    import_team(database, crm_sample / "sales_teams.csv", encoding=None, default_timezone="UTC")
    options = DealImportOptions(shift_dates_to_today=shift)
    import_deals(database, crm_sample / "sales_pipeline.csv", options, now=now)

    found = stalls(database, now.date())

    assert found, "deals far older than their team's won cycle are still worth a warning"
    for deal, finding in found:
        assert finding.severity < URGENT
        assert finding.signals == ("stalled_cycle_unknown_entry",)
        assert deal.facts.created_on is not None
        assert finding.facts["days"] == (now.date() - deal.facts.created_on).days
        assert finding.facts["days"] > finding.facts["limit"]
        assert "when it entered" in finding.reason and "is not known" in finding.reason
    # a month later, with no newer export, the stage time is known to be at least a month
    later = stalls(database, now.date() + dt.timedelta(days=31))
    at_least = [f for _, f in later if f.signals == ("stalled_fallback_at_least",)]
    assert at_least and all(f.facts["days"] == 31 for f in at_least)
    assert all(f.severity < URGENT for f in at_least)


def test_a_stage_entry_date_from_the_crm_can_justify_an_urgent_stall(database: Database) -> None:
    now = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)
    import_deals(database, FIXTURES / "hubspot_deals_eu.csv", DealImportOptions(), now=now)

    found = {deal.facts.crm_id: finding for deal, finding in stalls(database, now.date())}

    verbal = found["3001"]  # in Verbal Commit since 04/08/2026, HubSpot's "Date entered"
    assert (verbal.severity, verbal.facts["days"]) == (URGENT, 122)
    assert verbal.reason == (
        "in Verbal Commit 122 days; too few won deals to learn from, so the limit is 30"
    )
    assert "3015" not in found  # entered Evaluation on 24/11/2026: ten days
