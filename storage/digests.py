"""The weekly digests' SQL: every due manager's team read at once, and the send claim.

A manager's team is the people whose `manager_id` is that manager; every query
joins through it, so no digest can see another team's deals. The reads are a fixed
number of statements for any number of managers and deals.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from coaching.digest import CheckinOutcome, ClosedDeal, DigestInputs, OpenRisk, TeamDeal, Verdict
from coaching.model import AnswerFact
from storage.models import (
    CheckIn,
    CheckInQuestion,
    Deal,
    Digest,
    Person,
    RiskWarning,
    WarningFeedback,
)
from storage.queries import newest_answers
from storage.upsert import insert_ignoring_conflicts

PREVIOUS_WITHIN = dt.timedelta(days=35)


@dataclass(frozen=True, slots=True)
class Manager:
    id: int
    name: str
    email: str | None
    timezone: str
    digest_day: str | None
    digest_channel: str | None


def managers(session: Session, ids: list[int] | None = None) -> list[Manager]:
    """Active people with at least one active rep reporting to them."""
    rep = aliased(Person)
    has_team = select(rep.id).where(rep.manager_id == Person.id, rep.active.is_(True)).exists()
    query = (
        select(
            Person.id,
            Person.name,
            Person.email,
            Person.timezone,
            Person.digest_day,
            Person.digest_channel,
        )
        .where(Person.active.is_(True), has_team)
        .order_by(Person.name)
    )
    if ids is not None:
        query = query.where(Person.id.in_(ids))
    return [Manager(*row) for row in session.execute(query)]


def claimed_periods(session: Session, periods: dict[int, dt.date]) -> set[int]:
    """Managers whose digest for their period already exists."""
    if not periods:
        return set()
    rows = session.execute(
        select(Digest.manager_id, Digest.period_start).where(
            Digest.manager_id.in_(list(periods)), Digest.period_start.in_(set(periods.values()))
        )
    )
    return {manager for manager, start in rows if periods.get(manager) == start}


def claim_digests(
    session: Session,
    figures: dict[int, dict[str, Any]],
    periods: dict[int, dt.date],
    now: dt.datetime,
) -> set[int]:
    """Insert one Digest per (manager, period); returns the managers whose row this call
    inserted. Another process inserting the same row first makes this one skip it."""
    rows = [
        {
            "manager_id": manager,
            "period_start": periods[manager],
            "figures": figures[manager],
            "created_at": now,
        }
        for manager in figures
    ]
    ids = insert_ignoring_conflicts(session, Digest, rows, ["manager_id", "period_start"])
    if not ids:
        return set()
    return set(session.scalars(select(Digest.manager_id).where(Digest.id.in_(ids))))


def team_inputs(
    session: Session,
    manager_list: list[Manager],
    periods: dict[int, dt.date],
    *,
    closed_since: dt.date,
    checkins_since: dt.datetime,
) -> dict[int, DigestInputs]:
    """Each manager's DigestInputs, in eight statements for all of them."""
    ids = [manager.id for manager in manager_list]
    owner = aliased(Person)
    in_team = owner.manager_id.in_(ids)
    reps: dict[int, list[str]] = defaultdict(list)
    for name, manager in session.execute(
        select(owner.name, owner.manager_id)
        .where(in_team, owner.active.is_(True))
        .order_by(owner.name)
    ):
        if manager is not None:
            reps[manager].append(name)
    deals, team_of_deal = _open_deals(session, owner, in_team)
    answers = _latest_answers(session, owner, in_team)
    closed = _closed(session, owner, in_team, closed_since)
    risks = _risks(session, owner, in_team, team_of_deal)
    checkins = _checkins(session, owner, in_team, checkins_since)
    verdicts = _verdicts(session, owner, in_team)
    previous = _previous_velocity(session, periods)
    return {
        manager.id: DigestInputs(
            manager=manager.name,
            reps=reps[manager.id],
            deals=deals[manager.id],
            answers=answers,
            closed=closed[manager.id],
            risks=risks[manager.id],
            checkins=checkins[manager.id],
            verdicts=verdicts[manager.id],
            previous_velocity=previous.get(manager.id),
        )
        for manager in manager_list
    }


def _open_deals(
    session: Session, owner: Any, in_team: Any
) -> tuple[dict[int, list[TeamDeal]], dict[int, int]]:
    deals: dict[int, list[TeamDeal]] = defaultdict(list)
    team_of_deal: dict[int, int] = {}
    rows = session.execute(
        select(
            Deal.id,
            Deal.name,
            owner.name,
            Deal.stage,
            Deal.amount,
            Deal.currency,
            Deal.stage_group,
            owner.manager_id,
        )
        .join(owner, owner.id == Deal.owner_id)
        .where(Deal.status == "open", in_team)
        .order_by(Deal.id)
    )
    for *values, manager in rows:
        deals[manager].append(TeamDeal(*values))
        team_of_deal[values[0]] = manager
    return deals, team_of_deal


def _latest_answers(session: Session, owner: Any, in_team: Any) -> dict[int, list[AnswerFact]]:
    """The newest answer per open deal and field (the digest needs no trends)."""
    team_deals = (
        select(Deal.id).join(owner, owner.id == Deal.owner_id).where(Deal.status == "open", in_team)
    )
    return {
        deal_id: list(fields.values())
        for deal_id, fields in newest_answers(session, team_deals).items()
    }


def _closed(
    session: Session, owner: Any, in_team: Any, since: dt.date
) -> dict[int, list[ClosedDeal]]:
    closed_on = func.coalesce(Deal.closed_on, Deal.close_date)
    closed: dict[int, list[ClosedDeal]] = defaultdict(list)
    for status, amount, currency, created, on, manager in session.execute(
        select(
            Deal.status, Deal.amount, Deal.currency, Deal.created_on, closed_on, owner.manager_id
        )
        .join(owner, owner.id == Deal.owner_id)
        .where(Deal.status.in_(("won", "lost")), in_team, closed_on >= since)
    ):
        closed[manager].append(ClosedDeal(status == "won", amount, currency, created, on))
    return closed


def _risks(
    session: Session, owner: Any, in_team: Any, team_of_deal: dict[int, int]
) -> dict[int, list[OpenRisk]]:
    risks: dict[int, list[OpenRisk]] = defaultdict(list)
    for deal_id, rule, severity, reason, details, notified in session.execute(
        select(
            RiskWarning.deal_id,
            RiskWarning.rule_id,
            RiskWarning.severity,
            RiskWarning.reason,
            RiskWarning.details,
            RiskWarning.notified_at,
        )
        .join(Deal, Deal.id == RiskWarning.deal_id)
        .join(owner, owner.id == Deal.owner_id)
        .where(RiskWarning.resolved_at.is_(None), Deal.status == "open", in_team)
    ):
        signals = tuple((details or {}).get("signals", ()))
        evidence = tuple((details or {}).get("evidence", ()))
        if deal_id in team_of_deal:
            risks[team_of_deal[deal_id]].append(
                OpenRisk(
                    deal_id, rule, severity, reason, signals, evidence, posted=notified is not None
                )
            )
    return risks


def _checkins(
    session: Session, owner: Any, in_team: Any, since: dt.datetime
) -> dict[int, list[CheckinOutcome]]:
    answered = func.sum(case((CheckInQuestion.status == "answered", 1), else_=0))
    outcomes: dict[int, list[CheckinOutcome]] = defaultdict(list)
    for rep, status, count, manager in session.execute(
        select(owner.name, CheckIn.status, func.coalesce(answered, 0), owner.manager_id)
        .join(owner, owner.id == CheckIn.rep_id)
        .outerjoin(CheckInQuestion, CheckInQuestion.checkin_id == CheckIn.id)
        .where(in_team, CheckIn.created_at >= since)
        .group_by(CheckIn.id, owner.name, CheckIn.status, owner.manager_id)
    ):
        outcomes[manager].append(CheckinOutcome(rep, status, int(count)))
    return outcomes


def _verdicts(session: Session, owner: Any, in_team: Any) -> dict[int, list[Verdict]]:
    """Each person's latest verdict on each warning about the team's deals."""
    ranked = (
        select(
            RiskWarning.rule_id,
            WarningFeedback.verdict,
            owner.manager_id,
            func.row_number()
            .over(
                partition_by=(WarningFeedback.warning_id, WarningFeedback.person_id),
                order_by=(WarningFeedback.given_at.desc(), WarningFeedback.id.desc()),
            )
            .label("rank"),
        )
        .join(RiskWarning, RiskWarning.id == WarningFeedback.warning_id)
        .join(Deal, Deal.id == RiskWarning.deal_id)
        .join(owner, owner.id == Deal.owner_id)
        .where(in_team)
        .subquery()
    )
    verdicts: dict[int, list[Verdict]] = defaultdict(list)
    for rule, verdict, manager in session.execute(
        select(ranked.c.rule_id, ranked.c.verdict, ranked.c.manager_id).where(ranked.c.rank == 1)
    ):
        verdicts[manager].append(Verdict(rule, verdict))
    return verdicts


def _previous_velocity(session: Session, periods: dict[int, dt.date]) -> dict[int, float]:
    """Velocity of each manager's latest stored digest before their current period."""
    found: dict[int, float] = {}
    for manager, figures in previous_figures(session, periods).items():
        value = figures.get("velocity", {}).get("per_day")
        if value is not None:
            found[manager] = float(value)
    return found


def previous_figures(session: Session, periods: dict[int, dt.date]) -> dict[int, dict[str, Any]]:
    """Each manager's latest stored digest before their current period (recent ones only)."""
    if not periods:
        return {}
    rows = session.execute(
        select(Digest.manager_id, Digest.period_start, Digest.figures)
        .where(
            Digest.manager_id.in_(list(periods)),
            Digest.period_start >= min(periods.values()) - PREVIOUS_WITHIN,
        )
        .order_by(Digest.period_start)
    )
    return {
        manager: figures for manager, start, figures in rows if start < periods[manager] and figures
    }
