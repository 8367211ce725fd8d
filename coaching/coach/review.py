"""Deal review and pipeline review: the risks with their reasons, what is still unknown,
and the next best actions with the words to use. Deterministic and grounded: every
fact in the reply is cited from the deal's data (see text.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal

from coaching.coach.deal_view import DealView
from coaching.coach.figures import money
from coaching.coach.kit import CoachKit
from coaching.coach.plays import Action, choose_actions
from coaching.coach.slots import deal_slots
from coaching.coach.text import Fact, Line, Reply, Section, Slot, join, line
from coaching.qualification import CardLine

RISKS_SHOWN = 3
UNKNOWNS_SHOWN = 5
SHOWN = {"at_risk": 10, "on_track": 5, "paused": 5, "calm": 8, "slipping": 15}
HEADING_PARTS = ("deal", "account", "amount", "stage", "close_date")


def deal_heading(view: DealView, kit: CoachKit, parts: Sequence[str] = HEADING_PARTS) -> Line:
    """`Northwind fleet analytics · Northwind Traders · $84,000 · ...`, known parts only."""
    slots = deal_slots(view, kit.wording)
    sources = {"deal": "deal.name", "account": "deal.account", "amount": "deal.amount"}
    sources |= {"stage": "deal.stage", "close_date": "deal.close_date"}
    pieces = [
        kit.wording.fill(f"heading.{part}", **slots)
        for part in parts
        if view.cite(sources[part]) is not None and not (part == "account" and _named_after(view))
    ]
    return join(pieces, kit.wording.text("heading.separator"))


def _named_after(view: DealView) -> bool:
    """The deal's name already says its account ("Acme Corporation · GTXPro")."""
    account = view.deal.account
    return account is not None and account.casefold() in view.deal.name.casefold()


def compose_review(view: DealView, kit: CoachKit, *, show_owner: bool = False) -> Reply:
    """A deal review: top risks, what is unknown, one to three next best actions."""
    words = kit.wording
    slots = deal_slots(view, words)
    lead = [words.fill("review.owner", **slots)] if show_owner else []
    lead += [_paused(view, kit)] if view.is_paused() else []
    sections = (
        Section(words.fill("review.risks_heading"), _risks(view, kit)),
        Section(words.fill("review.unknown_heading"), _unknowns(view, kit)),
        Section(
            words.fill("review.actions_heading"),
            tuple(
                action_item(action, kit) for action in choose_actions(view, kit.plays, words, slots)
            ),
        ),
    )
    return Reply("deal_review", deal_heading(view, kit), sections, join(lead, " "))


def action_item(action: Action, kit: CoachKit) -> Line:
    return kit.wording.fill(
        "review.action", kind=action.kind, do=action.do, say_to=action.say_to, say=action.say
    )


def risk_item(view: DealView, rule: str, kit: CoachKit) -> Line:
    finding = view.finding(rule)
    reason = view.cite(f"risk.{rule}.reason")
    assert finding is not None and reason is not None
    return kit.wording.fill(
        "review.risk",
        severity=kit.severity(finding.severity),
        label=kit.risk_label(rule),
        reason=reason,
    )


def _risks(view: DealView, kit: CoachKit) -> tuple[Line, ...]:
    if not view.findings:
        return (kit.wording.fill("review.no_risks"),)
    shown = [risk_item(view, finding.rule, kit) for finding in view.findings[:RISKS_SHOWN]]
    rest = [kit.risk_label(finding.rule) for finding in view.findings[RISKS_SHOWN:]]
    if rest:
        labels = join([line(label) for label in rest], kit.wording.text("list.separator"))
        shown.append(kit.wording.fill("review.more_risks", labels=labels))
    return tuple(shown)


def _unknowns(view: DealView, kit: CoachKit) -> tuple[Line, ...]:
    if not view.gaps:
        return (kit.wording.fill("review.nothing_unknown"),)
    gaps = sorted(view.gaps, key=lambda gap: gap.status == "stale")
    shown = [_unknown(view, gap, kit) for gap in gaps[:UNKNOWNS_SHOWN]]
    rest = [line(gap.spec.label) for gap in gaps[UNKNOWNS_SHOWN:]]
    if rest:
        labels = join(rest, kit.wording.text("list.separator"))
        shown.append(kit.wording.fill("review.more_unknown", labels=labels))
    return tuple(shown)


def _unknown(view: DealView, gap: CardLine, kit: CoachKit) -> Line:
    key = gap.spec.key
    if gap.status == "stale":
        answer, age = view.cite(f"answer.{key}"), view.cite(f"answer.{key}.age")
        if answer is not None and age is not None:
            return kit.wording.fill(
                "review.unknown_stale", label=gap.spec.label, answer=answer, age=age
            )
    status = "unsure" if gap.status in ("unsure", "stale") else "missing"
    return kit.wording.fill(f"review.unknown_{status}", label=gap.spec.label)


def _paused(view: DealView, kit: CoachKit) -> Line:
    until, reason = view.cite("deal.paused_until"), view.cite("deal.pause_reason")
    assert until is not None
    if reason is None:
        return kit.wording.fill("review.paused", until=until)
    return kit.wording.fill("review.paused_because", until=until, reason=reason)


def compose_pipeline(
    views: Sequence[DealView], kit: CoachKit, *, show_owner: bool = False
) -> Reply:
    """One short line per open deal: at risk first (most severe, then largest), then
    the rest, then the paused ones. `show_owner` names whose pipeline it is (a manager
    asking about one rep)."""
    words = kit.wording
    if not views:
        return Reply("pipeline", words.fill("pipeline.empty"))
    paused = [view for view in views if view.is_paused()]
    active = [view for view in views if not view.is_paused()]
    risky = sorted(
        (view for view in active if view.findings), key=lambda view: (-view.severity, -view.amount)
    )
    calm = sorted((view for view in active if not view.findings), key=lambda view: -view.amount)
    title_slots: dict[str, Slot] = {
        "count": derived("pipeline.open_deals", len(views)),
        "total": total_amount(views) or words.fill("pipeline.amount_unknown"),
    }
    owner = views[0].cite("deal.owner")
    title = (
        words.fill("pipeline.title_of", owner=owner, **title_slots)
        if show_owner and owner
        else words.fill("pipeline.title", **title_slots)
    )
    lead = words.fill("pipeline.lead", at_risk=derived("pipeline.at_risk", len(risky)))
    sections = [
        Section(words.fill(f"pipeline.{name}_heading"), shown_with_more(group, item, kit, name))
        for name, group, item in (
            ("at_risk", risky, lambda view: _risky_line(view, kit)),
            ("on_track", calm, lambda view: _calm_line(view, kit)),
            ("paused", paused, lambda view: _paused_line(view, kit)),
        )
        if group
    ]
    return Reply("pipeline", title, tuple(sections), lead)


def _risky_line(view: DealView, kit: CoachKit) -> Line:
    slots = deal_slots(view, kit.wording)
    labels = join(
        [line(kit.risk_label(finding.rule)) for finding in view.findings],
        kit.wording.text("list.separator"),
    )
    first = choose_actions(view, kit.plays, kit.wording, slots, limit=1)
    heading = deal_heading(view, kit, ("deal", "amount", "stage"))
    if not first:
        return kit.wording.fill("pipeline.at_risk_item_bare", deal=heading, labels=labels)
    return kit.wording.fill(
        "pipeline.at_risk_item", deal=heading, labels=labels, first=first[0].short
    )


def _calm_line(view: DealView, kit: CoachKit) -> Line:
    return deal_heading(view, kit, ("deal", "amount", "stage", "close_date"))


def _paused_line(view: DealView, kit: CoachKit) -> Line:
    return kit.wording.fill(
        "pipeline.paused_item",
        deal=deal_heading(view, kit, ("deal", "amount")),
        paused=_paused(view, kit),
    )


def shown_with_more(
    views: Sequence[DealView], item: Callable[[DealView], Line], kit: CoachKit, name: str
) -> tuple[Line, ...]:
    """The first `SHOWN[name]` views' lines, then "…and N more" (counted as `more.NAME`)."""
    limit = SHOWN[name]
    lines = [item(view) for view in views[:limit]]
    if len(views) > limit:
        lines.append(
            kit.wording.fill("list.more", count=derived(f"more.{name}", len(views) - limit))
        )
    return tuple(lines)


def derived(source: str, value: int) -> Fact:
    """A count the coach worked out from the data (checked by recounting)."""
    return Fact(source, str(value), str(value))


def total_amount(views: Sequence[DealView]) -> Line:
    """The deals' amounts added up per currency: `$151,000 + £158,000`."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for view in views:
        if view.deal.amount is not None:
            totals[view.deal.currency] += view.deal.amount
    facts = [
        line(Fact(f"total.{currency}", str(total), money(total, currency)))
        for currency, total in sorted(totals.items())
    ]
    return join(facts, " + ")
