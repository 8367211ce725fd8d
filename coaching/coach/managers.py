"""Managers' questions: "how is Alex doing?", "which deals will slip this quarter?",
"prep my 1:1 with Alex"; and the digest's one-line list of deals at risk. The callers
pass only the manager's own team's deals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from coaching.briefing.deterministic import day
from coaching.coach.deal_view import DealView
from coaching.coach.figures import money
from coaching.coach.kit import CoachKit
from coaching.coach.plays import ask_rep, choose_actions
from coaching.coach.review import deal_heading, derived, shown_with_more, total_amount
from coaching.coach.slots import deal_slots
from coaching.coach.text import Fact, Line, Reply, Section, Slot, fill, join, line

DEALS_SHOWN = 5
QUESTIONS_PER_DEAL = 2
SLIP_RULES = ("close_date_slipping", "stalled", "no_activity", "no_decision_status_quo")
SLIP_SIGNALS = ("close_before_decision", "close_ahead_of_money")


@dataclass(frozen=True, slots=True)
class CheckinStats:
    """A rep's recent check-ins: how many were sent and how many got an answer."""

    sent: int
    answered: int
    days: int


def at_risk(views: Sequence[DealView]) -> list[DealView]:
    """Open, unpaused deals with a risk: most severe first, then largest."""
    risky = [view for view in views if view.findings and not view.is_paused()]
    return sorted(risky, key=lambda view: (-view.severity, -view.amount, view.deal.name))


def compose_rep_summary(
    views: Sequence[DealView], kit: CoachKit, *, checkins: CheckinStats | None = None
) -> Reply:
    """How a rep is doing: pipeline, deals at risk, what they know, check-ins answered."""
    words = kit.wording
    if not views:
        return Reply("rep_summary", words.fill("managers.no_deals"))
    owner = views[0].cite("deal.owner")
    assert owner is not None
    risky = at_risk(views)
    title = words.fill(
        "managers.summary_title",
        owner=owner,
        count=derived("rep.open_deals", len(views)),
        total=total_amount(views) or words.fill("pipeline.amount_unknown"),
    )
    known = sum(1 for view in views for item in view.card.lines if item.status == "known")
    asked = sum(1 for view in views for item in view.card.lines if item.status != "waiting")
    lead = [
        words.fill("managers.summary_risk", at_risk=derived("rep.at_risk", len(risky))),
        words.fill(
            "managers.summary_known",
            known=derived("rep.fields_known", known),
            asked=derived("rep.fields_asked", asked),
        ),
    ]
    if checkins is not None and checkins.sent:
        lead.append(
            words.fill(
                "managers.summary_checkins",
                answered=derived("checkins.answered", checkins.answered),
                sent=derived("checkins.sent", checkins.sent),
                days=derived("checkins.days", checkins.days),
            )
        )
    sections = []
    if risky:
        items = shown_with_more(risky, lambda view: _risky_line(view, kit), kit, "at_risk")
        sections.append(Section(words.fill("managers.summary_risky_heading"), items))
    calm = [view for view in views if view not in risky]
    if calm:
        names = shown_with_more(
            calm, lambda view: deal_heading(view, kit, ("deal", "amount")), kit, "calm"
        )
        sections.append(Section(words.fill("managers.summary_calm_heading"), names))
    return Reply("rep_summary", title, tuple(sections), join(lead, " "))


def _risky_line(view: DealView, kit: CoachKit) -> Line:
    labels = join(
        [line(kit.risk_label(finding.rule)) for finding in view.findings],
        kit.wording.text("list.separator"),
    )
    return kit.wording.fill(
        "managers.risky_item",
        deal=deal_heading(view, kit, ("deal", "amount", "stage")),
        labels=labels,
    )


def quarter_end(today: dt.date) -> dt.date:
    """The last day of `today`'s calendar quarter."""
    last_month = (today.month - 1) // 3 * 3 + 3
    if last_month == 12:
        return dt.date(today.year, 12, 31)
    return dt.date(today.year, last_month + 1, 1) - dt.timedelta(days=1)


def slip_reasons(view: DealView, kit: CoachKit) -> list[Line]:
    """Why a deal closing this quarter may slip: its risks about timing, momentum and
    no decision, a close date ahead of the buyer, no dated next step."""
    reasons = [
        line(kit.risk_label(finding.rule))
        for finding in view.findings
        if finding.rule in SLIP_RULES or set(finding.signals) & set(SLIP_SIGNALS)
    ]
    next_step = view.cite("answer.next_step_date")
    if next_step is None or next_step.value < view.today.isoformat():
        reasons.append(kit.wording.fill("managers.no_dated_next_step"))
    return reasons


def compose_slipping(views: Sequence[DealView], kit: CoachKit, today: dt.date) -> Reply:
    """Deals due to close by the end of this quarter that show signs of slipping,
    largest first, each with its reasons; and the ones that look on track."""
    words = kit.wording
    end = quarter_end(today)
    end_fact = Fact("quarter.end", end.isoformat(), day(end))
    due = [
        view
        for view in views
        if not view.is_paused() and view.deal.close_date is not None and view.deal.close_date <= end
    ]
    if not due:
        return Reply("slipping", words.fill("managers.slip_none_due", end=end_fact))
    slipping = sorted(
        (view for view in due if slip_reasons(view, kit)),
        key=lambda view: (-view.amount, view.deal.name),
    )
    title = words.fill(
        "managers.slip_title",
        slipping=derived("quarter.slipping", len(slipping)),
        due=derived("quarter.due", len(due)),
        end=end_fact,
    )
    sections = []
    if slipping:
        items = shown_with_more(slipping, lambda view: _slip_line(view, kit), kit, "slipping")
        sections.append(Section(words.fill("managers.slip_heading"), items))
    holding = [view for view in due if view not in slipping]
    if holding:
        names = shown_with_more(
            holding, lambda view: deal_heading(view, kit, ("deal", "amount")), kit, "calm"
        )
        sections.append(Section(words.fill("managers.slip_holding_heading"), names))
    lead = words.fill("managers.slip_total", total=total_amount(slipping)) if slipping else Line()
    return Reply("slipping", title, tuple(sections), lead)


def _slip_line(view: DealView, kit: CoachKit) -> Line:
    return kit.wording.fill(
        "managers.slip_item",
        deal=deal_heading(view, kit, ("deal", "amount", "close_date")),
        owner=view.cite("deal.owner") or "",
        reasons=join(slip_reasons(view, kit), kit.wording.text("list.separator")),
    )


def compose_one_on_one(views: Sequence[DealView], kit: CoachKit) -> Reply:
    """The questions to ask the rep about each deal at risk (most severe, then largest)."""
    words = kit.wording
    if not views:
        return Reply("one_on_one", words.fill("managers.no_deals"))
    owner = views[0].cite("deal.owner")
    assert owner is not None
    risky = at_risk(views)
    title = words.fill(
        "managers.one_on_one_title", owner=owner, at_risk=derived("rep.at_risk", len(risky))
    )
    sections = [
        Section(deal_heading(view, kit, ("deal", "amount", "stage")), _questions(view, kit))
        for view in risky[:DEALS_SHOWN]
    ]
    general = tuple(line(text) for text in words.texts("managers.one_on_one_general"))
    sections.append(Section(words.fill("managers.one_on_one_general_heading"), general))
    return Reply("one_on_one", title, tuple(sections))


def _questions(view: DealView, kit: CoachKit) -> tuple[Line, ...]:
    slots = deal_slots(view, kit.wording)
    questions = []
    for action in choose_actions(view, kit.plays, kit.wording, slots):
        question = ask_rep(action.play, kit.plays, slots)
        if question is None:
            question = fill(
                kit.wording.text("managers.ask_unknown"), slots | {"short": action.short}
            )
        questions.append(question)
    return tuple(questions[:QUESTIONS_PER_DEAL])


def digest_at_risk_lines(at_risk_figures: dict[str, Any], kit: CoachKit) -> tuple[Line, ...]:
    """The weekly digest's deals at risk, one short line each, as the figures rank them
    (most severe, then largest): `urgent · Deal · $46,000 · Owner: Label (+2 more)`.
    Facts cite the digest's stored figures (`digest.at_risk.N.deal` and the like)."""
    lines = []
    for index, deal in enumerate(at_risk_figures["shown"]):
        where = f"digest.at_risk.{index}"
        warnings = deal["warnings"]
        amount = (
            Fact(
                f"{where}.amount",
                str(deal["amount"]),
                money(Decimal(str(deal["amount"])), deal["currency"]),
            )
            if deal["amount"] is not None
            else kit.wording.text("chart.amount_unknown")
        )
        slots: dict[str, Slot] = {
            "severity": kit.severity(deal["severity"]),
            "deal": Fact(f"{where}.deal", deal["deal"], deal["deal"]),
            "amount": amount,
            "owner": Fact(f"{where}.owner", deal["owner"], deal["owner"]),
            "label": warnings[0]["label"],
        }
        if len(warnings) > 1:
            more = derived(f"{where}.more_warnings", len(warnings) - 1)
            lines.append(kit.wording.fill("managers.digest_line_more", more=more, **slots))
        else:
            lines.append(kit.wording.fill("managers.digest_line", **slots))
    hidden = at_risk_figures["deals"] - len(at_risk_figures["shown"])
    if hidden > 0:
        lines.append(kit.wording.fill("list.more", count=derived("digest.at_risk.hidden", hidden)))
    return tuple(lines)
