"""A manager's weekly digest as figures: plain data, stored as JSON, worded by the bot.

Pipeline by stage (with each stage's deals by risk) and by buying phase; velocity
(open deals x win rate x average won size / median cycle length, in money per day)
and its change since the previous digest; qualification coverage of late-stage
deals; the deals at risk with their reasons (most severe first, then largest); the
blockers that recur most; reps who left check-ins unanswered; each rule's precision
from the managers' feedback. Only the team's records come in.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from coaching.model import AnswerFact
from coaching.playbook import UNKNOWN, Playbook
from coaching.risk.history import AnswerHistory
from coaching.risk.rules import CHAMPION_TESTS
from coaching.risk.wording import Wording

GROUP_ORDER = {"early": 0, "middle": 1, "late": 2}
NOT_ASKED = "not_asked"
POSITIVE = ("useful", "handled")


@dataclass(frozen=True, slots=True)
class DigestOptions:
    history_days: int = 365  # closed deals this recent feed win rate, size and cycle
    deals_shown: int = 10
    blockers_shown: int = 5


@dataclass(frozen=True, slots=True)
class TeamDeal:
    id: int
    name: str
    owner: str
    stage: str
    amount: Decimal | None
    currency: str
    stage_group: str | None = None


@dataclass(frozen=True, slots=True)
class ClosedDeal:
    won: bool
    amount: Decimal | None
    currency: str
    created_on: dt.date | None
    closed_on: dt.date | None


@dataclass(frozen=True, slots=True)
class OpenRisk:
    """An open warning on one of the team's deals."""

    deal_id: int
    rule: str
    severity: int
    reason: str
    signals: tuple[str, ...]
    evidence: tuple[dict[str, str], ...] = ()
    """The quotes it rests on: kind, date, source, quote."""
    posted: bool = True
    """False: held from the manager's channel (the budget, their feedback)."""


@dataclass(frozen=True, slots=True)
class CheckinOutcome:
    rep: str
    status: str
    answered: int


@dataclass(frozen=True, slots=True)
class Verdict:
    rule: str
    verdict: str


@dataclass(frozen=True)
class DigestInputs:
    """One manager's team, as the digest reads it."""

    manager: str
    reps: list[str]
    deals: list[TeamDeal]
    answers: dict[int, list[AnswerFact]]
    closed: list[ClosedDeal]
    risks: list[OpenRisk]
    checkins: list[CheckinOutcome]
    verdicts: list[Verdict]
    previous_velocity: float | None = None


def build_figures(
    inputs: DigestInputs,
    playbook: Playbook,
    wording: Wording,
    *,
    today: dt.date,
    period_start: dt.date,
    options: DigestOptions = DigestOptions(),
) -> dict[str, Any]:
    """Every figure of the digest, JSON-ready."""
    histories = {deal.id: AnswerHistory(inputs.answers.get(deal.id, ())) for deal in inputs.deals}
    by_stage = _by_stage(inputs.deals, playbook)
    stages = [row["stage"] for row in by_stage]
    return {
        "manager": inputs.manager,
        "period_start": period_start.isoformat(),
        "today": today.isoformat(),
        "team": {"reps": len(inputs.reps), "open_deals": len(inputs.deals)},
        "pipeline_by_stage": by_stage,
        "risk_by_stage": _risk_by_stage(inputs.deals, inputs.risks, stages),
        "pipeline_by_phase": _by_phase(inputs.deals, histories, playbook),
        "velocity": velocity(inputs, today, options.history_days),
        "coverage": _coverage(inputs.deals, histories, playbook, today),
        "at_risk": _at_risk(inputs, wording, options.deals_shown),
        "blockers": _blockers(inputs.risks, wording, options.blockers_shown),
        "unanswered_checkins": _unanswered(inputs.checkins),
        "precision": _precision(inputs.verdicts, wording),
    }


def _amounts(deals: list[TeamDeal]) -> dict[str, float]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for deal in deals:
        if deal.amount is not None:
            totals[deal.currency] += deal.amount
    return {currency: float(total) for currency, total in sorted(totals.items())}


def _by_stage(deals: list[TeamDeal], playbook: Playbook) -> list[dict[str, Any]]:
    stages: dict[str, list[TeamDeal]] = defaultdict(list)
    for deal in deals:
        stages[deal.stage].append(deal)
    ordered = sorted(
        stages.items(),
        key=lambda item: (GROUP_ORDER[playbook.group_of(item[0])], -len(item[1]), item[0]),
    )
    return [
        {
            "stage": stage,
            "group": playbook.group_of(stage),
            "deals": len(members),
            "amounts": _amounts(members),
        }
        for stage, members in ordered
    ]


def _risk_by_stage(
    deals: list[TeamDeal], risks: list[OpenRisk], stages: list[str]
) -> list[dict[str, Any]]:
    """Per stage (in pipeline order), the deals by their most severe open warning:
    `deals_by_severity[0]` have none, `[1]`..`[3]` watch, warning, urgent."""
    worst: dict[int, int] = defaultdict(int)
    for risk in risks:
        worst[risk.deal_id] = max(worst[risk.deal_id], risk.severity)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for deal in deals:
        counts[deal.stage][min(worst[deal.id], 3)] += 1
    return [{"stage": stage, "deals_by_severity": counts[stage]} for stage in stages]


def _by_phase(
    deals: list[TeamDeal], histories: dict[int, AnswerHistory], playbook: Playbook
) -> list[dict[str, Any]]:
    spec = playbook.field("buying_phase")
    phases: dict[str, list[TeamDeal]] = defaultdict(list)
    for deal in deals:
        phases[histories[deal.id].latest("buying_phase") or NOT_ASKED].append(deal)
    order = [option.value for option in spec.options if option.value != UNKNOWN]
    order += [UNKNOWN, NOT_ASKED]
    return [
        {
            "phase": phase,
            "label": spec.display(phase) if phase != NOT_ASKED else None,
            "deals": len(phases[phase]),
            "amounts": _amounts(phases[phase]),
        }
        for phase in sorted(phases, key=lambda phase: order.index(phase) if phase in order else 99)
    ]


def velocity(inputs: DigestInputs, today: dt.date, history_days: int) -> dict[str, Any]:
    """open deals x win rate x average won size / median cycle days, in the main currency."""
    since = today - dt.timedelta(days=history_days)
    currencies = Counter(deal.currency for deal in inputs.deals)
    currencies.update(deal.currency for deal in inputs.closed if deal.amount is not None)
    currency = currencies.most_common(1)[0][0] if currencies else "USD"
    closed = [
        deal
        for deal in inputs.closed
        if deal.closed_on is not None and deal.closed_on >= since and deal.currency == currency
    ]
    won = [deal for deal in closed if deal.won]
    sizes = [deal.amount for deal in won if deal.amount is not None]
    cycles = [
        (deal.closed_on - deal.created_on).days
        for deal in won
        if deal.created_on and deal.closed_on and deal.closed_on >= deal.created_on
    ]
    figures: dict[str, Any] = {
        "currency": currency,
        "open_deals": sum(1 for deal in inputs.deals if deal.currency == currency),
        "closed_deals": len(closed),
        "won_deals": len(won),
        "win_rate": len(won) / len(closed) if closed else None,
        "average_won": float(sum(sizes) / len(sizes)) if sizes else None,
        "median_cycle_days": float(statistics.median(cycles)) if cycles else None,
        "history_days": history_days,
    }
    parts = [figures[key] for key in ("win_rate", "average_won", "median_cycle_days")]
    per_day = None
    if all(part is not None for part in parts) and figures["median_cycle_days"]:
        per_day = (
            figures["open_deals"]
            * figures["win_rate"]
            * figures["average_won"]
            / figures["median_cycle_days"]
        )
    figures["per_day"] = per_day
    previous = inputs.previous_velocity
    figures["previous_per_day"] = previous
    figures["change"] = (
        (per_day - previous) / previous if per_day is not None and previous else None
    )
    return figures


def _coverage(
    deals: list[TeamDeal], histories: dict[int, AnswerHistory], playbook: Playbook, today: dt.date
) -> dict[str, int]:
    late = [deal for deal in deals if playbook.group_of(deal.stage, deal.stage_group) == "late"]
    counts = {
        "late_deals": len(late),
        "tested_champion": 0,
        "exposure_3_plus": 0,
        "dated_next_step": 0,
        "money_confirmed": 0,
    }
    for deal in late:
        answers = histories[deal.id]
        tested = answers.known("champion") is not None and all(
            answers.latest(test) == "yes" for test in CHAMPION_TESTS
        )
        exposure = answers.known("exposure")
        next_step = answers.date("next_step_date")
        counts["tested_champion"] += tested
        counts["exposure_3_plus"] += bool(exposure and exposure.isdigit() and int(exposure) >= 3)
        counts["dated_next_step"] += bool(next_step and next_step >= today)
        counts["money_confirmed"] += answers.known("money") == "confirmed"
    return counts


def _at_risk(inputs: DigestInputs, wording: Wording, shown: int) -> dict[str, Any]:
    by_deal: dict[int, list[OpenRisk]] = defaultdict(list)
    for risk in inputs.risks:
        by_deal[risk.deal_id].append(risk)
    deals = {deal.id: deal for deal in inputs.deals}
    ranked = sorted(
        (deal_id for deal_id in by_deal if deal_id in deals),
        key=lambda deal_id: (
            -max(risk.severity for risk in by_deal[deal_id]),
            -float(deals[deal_id].amount or 0),
            deals[deal_id].name,
        ),
    )
    posted = sum(1 for deal_id in ranked if any(risk.posted for risk in by_deal[deal_id]))
    return {
        "deals": len(ranked),
        "warnings": sum(len(by_deal[deal_id]) for deal_id in ranked),
        "posted": posted,
        "not_posted": len(ranked) - posted,
        "shown": [
            _risky_deal(deals[deal_id], by_deal[deal_id], wording) for deal_id in ranked[:shown]
        ],
    }


def _risky_deal(deal: TeamDeal, risks: list[OpenRisk], wording: Wording) -> dict[str, Any]:
    return {
        "deal": deal.name,
        "owner": deal.owner,
        "stage": deal.stage,
        "amount": float(deal.amount) if deal.amount is not None else None,
        "currency": deal.currency,
        "severity": max(risk.severity for risk in risks),
        "warnings": [
            {
                "rule": risk.rule,
                "label": wording.label(risk.rule),
                "severity": risk.severity,
                "reason": risk.reason,
                "evidence": list(risk.evidence),
            }
            for risk in sorted(risks, key=lambda risk: -risk.severity)
        ],
    }


def _blockers(risks: list[OpenRisk], wording: Wording, shown: int) -> list[dict[str, Any]]:
    deals_by_label: dict[str, set[int]] = defaultdict(set)
    for risk in risks:
        for signal in risk.signals:
            if signal in wording.signal_ids:
                deals_by_label[wording.signal_label(signal)].add(risk.deal_id)
    ranked = sorted(deals_by_label.items(), key=lambda item: (-len(item[1]), item[0]))
    return [{"blocker": label, "deals": len(deals)} for label, deals in ranked[:shown]]


def _unanswered(checkins: list[CheckinOutcome]) -> dict[str, Any]:
    """Check-ins sent in the window, and the reps who let some expire without an answer."""
    per_rep: dict[str, list[CheckinOutcome]] = defaultdict(list)
    for checkin in checkins:
        if checkin.status != "skipped":
            per_rep[checkin.rep].append(checkin)
    rows: list[dict[str, Any]] = [
        {
            "rep": rep,
            "checkins": len(items),
            "unanswered": sum(
                1 for item in items if item.status == "expired" and not item.answered
            ),
        }
        for rep, items in per_rep.items()
    ]
    reps = sorted(
        (row for row in rows if row["unanswered"]), key=lambda row: (-row["unanswered"], row["rep"])
    )
    return {"checkins": sum(len(items) for items in per_rep.values()), "reps": reps}


def _precision(verdicts: list[Verdict], wording: Wording) -> list[dict[str, Any]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for verdict in verdicts:
        counts[verdict.rule][verdict.verdict] += 1
    rows = []
    for rule, tally in sorted(counts.items()):
        total = sum(tally.values())
        rows.append(
            {
                "rule": rule,
                "label": wording.label(rule) if rule in wording.rules else rule,
                "useful": tally["useful"],
                "not_useful": tally["not_useful"],
                "handled": tally["handled"],
                "precision": sum(tally[name] for name in POSITIVE) / total,
            }
        )
    return rows
