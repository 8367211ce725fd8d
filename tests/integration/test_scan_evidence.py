"""Imported activities reach the risk scan: buyer silence is judged from the log, and
the signals read from notes at import are stored for the rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from manager_support import add_deal, add_person, desk
from sqlalchemy import select
from support import texts

from coaching.clock import FixedClock
from storage.activities import signals_for_deals
from storage.db import Database
from storage.demo import load_demo
from storage.importers.activity_import import ActivityImportOptions, import_activities
from storage.models import Deal, RiskWarning


def write_log(path: Path, today: dt.date) -> Path:
    def on(days_ago: int) -> str:
        return (today - dt.timedelta(days=days_ago)).isoformat()

    path.write_text(
        "activity_id,type,status,direction,date,deal_id,contact,notes\n"
        f"M1,meeting,completed,,{on(20)} 15:00,CRM-Acme rollout,Dana Whit,"
        "Good demo. Budget frozen until Q2 though.\n"
        f"E1,email,completed,out,{on(9)} 09:00,CRM-Acme rollout,Dana Whit,Sent the proposal.\n"
        f"E2,email,completed,out,{on(2)} 09:00,CRM-Acme rollout,Dana Whit,"
        '"Chased again, no reply."\n',
        encoding="utf-8",
    )
    return path


def test_the_reps_own_emails_never_clear_buyer_silence(
    database: Database, clock: FixedClock, tmp_path: Path
) -> None:
    manager = add_person(database, "Dana Manager", role="manager")
    rep = add_person(database, "Alex Rep", manager=manager)
    today = clock.now().date()
    deal = add_deal(database, rep, "Acme rollout", today=today, in_stage_days=25)  # active today
    scan = desk(database, clock).scan
    assert scan.run(clock.now()).raised == 0

    log = write_log(tmp_path / "log.csv", today)
    report = import_activities(database, log, ActivityImportOptions(), now=clock.now())
    assert report.saved.inserted == 3
    assert (report.signals["budget_blocked"], report.signals["follow_up_unanswered"]) == (1, 1)

    scanned = scan.run(clock.now())

    assert scanned.raised >= 1
    with database.transaction() as session:
        rules = set(session.scalars(select(RiskWarning.rule_id).where(RiskWarning.deal_id == deal)))
        quotes = [signal.quote for signal in signals_for_deals(session, [deal])[deal]]
    assert "no_activity" in rules
    assert {"Budget frozen until Q2 though", "Chased again, no reply"} <= set(quotes)
    assert any("Acme rollout" in text for text in texts(database, f"person:{manager}"))


def test_the_demo_activity_log_gives_each_evidence_rule_a_recognisable_reason(
    database: Database, clock: FixedClock
) -> None:
    with database.transaction() as session:
        load_demo(session, clock.now())
    desk(database, clock).scan.run(clock.now())

    with database.transaction() as session:
        rows = session.execute(
            select(Deal.name, RiskWarning.rule_id, RiskWarning.details)
            .join(Deal, Deal.id == RiskWarning.deal_id)
            .where(RiskWarning.resolved_at.is_(None))
        ).all()
    rules: dict[str, set[str]] = {}
    for name, rule, _ in rows:
        rules.setdefault(name, set()).add(rule)
    assert {"no_activity", "ghosting", "optimism_gap"} <= rules["Northwind fleet analytics"]
    assert "competitor_leverage" in rules["Contoso service desk"]
    assert "no_decision_indecision" in rules["Tailspin route optimisation"]
    assert "no_next_step" in rules["Adventure Works telematics"]
    evidence_rules = {"no_activity", "ghosting", "competitor_leverage", "no_decision_indecision",
                      "no_next_step"}  # fmt: skip
    assert not rules.get("Fabrikam warehouse pilot", set()) & evidence_rules
