"""Hand-built deals and answer histories for the risk rule tests."""

from __future__ import annotations

import datetime as dt
import itertools
import zlib
from dataclasses import replace
from decimal import Decimal
from typing import Any

from coaching.evidence.lexicon import load_lexicon
from coaching.evidence.model import Activity
from coaching.evidence.reading import read_activities
from coaching.model import AnswerFact, DealFacts
from coaching.playbook import load_playbook
from coaching.risk import (
    AnswerHistory,
    DateChange,
    DealCase,
    Finding,
    RiskEngine,
    StageChange,
    TeamBaseline,
    load_risk_config,
    load_wording,
)

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 13, 0, tzinfo=dt.UTC)
TEAM = 7
ENGINE = RiskEngine(load_risk_config(), load_wording(), load_playbook())
LEXICON = load_lexicon()


def days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def deal(**changes: Any) -> DealFacts:
    """A healthy open deal in Prospecting (early): fresh, dated, recently touched."""
    base = DealFacts(
        id=1,
        crm_id="D-1",
        name="Acme rollout",
        account="Acme",
        amount=Decimal(50000),
        currency="USD",
        stage="Prospecting",
        stage_entered_on=days_ago(5),
        close_date=TODAY + dt.timedelta(days=30),
        owner_id=11,
        created_on=days_ago(10),
        last_activity_on=days_ago(1),
        status="open",
    )
    return replace(base, **changes)


def answer(field: str, value: str, ago: int = 1) -> AnswerFact:
    return AnswerFact(1, field, value, NOW - dt.timedelta(days=ago), "checkin")


def case(
    facts: DealFacts | None = None,
    answers: list[AnswerFact] | None = None,
    close_date_changes: tuple[DateChange, ...] = (),
    activities: tuple[Activity, ...] = (),
    stage_changes: tuple[StageChange, ...] = (),
) -> DealCase:
    """A deal's case; the signals are the lexicon's reading of its activities."""
    return DealCase(
        deal=facts or deal(),
        owner="Dana Rep",
        team=TEAM,
        today=TODAY,
        answers=AnswerHistory(answers or []),
        close_date_changes=close_date_changes,
        activities=activities,
        signals=tuple(read_activities(LEXICON, activities)),
        stage_changes=stage_changes,
    )


def activity(
    kind: str,
    ago: int,
    direction: str,
    body: str | None = None,
    *,
    status: str = "completed",
    contact: str | None = None,
) -> Activity:
    """A CRM activity `ago` days before today (negative: ahead), at 10:00 UTC."""
    at = dt.datetime.combine(TODAY - dt.timedelta(days=ago), dt.time(10), tzinfo=dt.UTC)
    ref = f"{kind}-{ago}-{direction}-{zlib.crc32((body or '').encode())}"
    return Activity(1, kind, status, at, None, body, contact, None, direction, "csv", ref)


def note(body: str, ago: int) -> Activity:
    return activity("note", ago, "rep", body)


def findings(
    deal_case: DealCase, baselines: dict[int, TeamBaseline] | None = None
) -> dict[str, Finding]:
    return {finding.rule: finding for finding in ENGINE.assess(deal_case, baselines or {})}


def rule(
    name: str, deal_case: DealCase, baselines: dict[int, TeamBaseline] | None = None
) -> Finding | None:
    return findings(deal_case, baselines).get(name)


def pushed(*dates: dt.date) -> tuple[DateChange, ...]:
    """Close-date changes through `dates`, one a week."""
    return tuple(
        DateChange(old, new, NOW - dt.timedelta(days=7 * (len(dates) - index)))
        for index, (old, new) in enumerate(itertools.pairwise(dates))
    )
