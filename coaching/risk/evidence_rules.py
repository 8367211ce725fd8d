"""The rules that need evidence or history beyond the rep's answers.

ghosting: the buyer went silent while the rep kept reaching out; competitor_leverage:
another vendor or an incumbent in the notes; no_next_step: no dated step ahead in a
middle or late stage; stage_skipped: the deal jumped from an early to a late stage.
"""

from __future__ import annotations

from coaching.playbook import normalize_stage
from coaching.risk.case import Hit, RuleContext, raised
from coaching.risk.evidence import Quote, cites
from coaching.risk.wording import Signal


def ghosting(ctx: RuleContext) -> Hit | None:
    deal, today, evidence = ctx.case.deal, ctx.case.today, ctx.evidence
    settings = ctx.config.ghosting.at(deal.stage, ctx.group)
    if not settings.applies_in(ctx.group) or deal.is_paused(today) or not evidence.logged:
        return None
    last = evidence.last_buyer_activity()
    since = last.occurred_at.date() if last else None
    if since is not None and (today - since).days < settings.days:
        return None
    chased = evidence.rep_reach_outs_since(since)
    unanswered = evidence.quotes("follow_up_unanswered", settings.evidence_days, since)
    count = max(len(chased), len(unanswered))
    if count < settings.follow_ups:
        return None
    if since is None and chased and (today - chased[0].occurred_at.date()).days < settings.days:
        return None
    facts = {
        "count": count,
        "since": since.isoformat() if since else "",
        "days": (today - since).days if since else 0,
        "first": chased[0].occurred_at.date().isoformat() if chased else "",
    }
    signal_id = "ghosted" if since else "never_answered"
    if unanswered:
        facts["cites"] = cites(unanswered, today)
        signal_id += "_noted"
    severity = (
        raised(settings.severity) if count >= settings.urgent_follow_ups else settings.severity
    )
    return Hit(severity, [Signal(signal_id, facts)], unanswered)


def competitor_leverage(ctx: RuleContext) -> Hit | None:
    """An incumbent in place, or a competitor in the notes that the rep's answers miss."""
    deal, today = ctx.case.deal, ctx.case.today
    settings = ctx.config.competitor_leverage.at(deal.stage, ctx.group)
    if not settings.applies_in(ctx.group):
        return None
    signals: list[Signal] = []
    evidence: list[Quote] = []
    incumbent = ctx.evidence.quotes("incumbent", settings.evidence_days)
    if incumbent:
        signals.append(Signal("incumbent_noted", {"cites": cites(incumbent, today)}))
        evidence += incumbent
    named = (ctx.case.answers.known("competitors") or "").strip()
    rivals = ctx.evidence.quotes("competitor", settings.evidence_days)
    unseen = [quote for quote in rivals if not _mentions(quote.quote, named)]
    if unseen:
        facts = {"cites": cites(unseen, today), "named": named or "none"}
        signals.append(Signal("competitor_noted", facts))
        evidence += unseen
    if not signals:
        return None
    return Hit(
        raised(settings.severity) if len(signals) > 1 else settings.severity, signals, evidence
    )


def no_next_step(ctx: RuleContext) -> Hit | None:
    """Middle and late stages need a dated step ahead: a scheduled meeting or call with the
    buyer, or a next-step date the rep gave that has not passed. One level more severe in
    `urgent_in` stages, and one more when the date the rep gave has passed."""
    deal, today, answers = ctx.case.deal, ctx.case.today, ctx.case.answers
    settings = ctx.config.no_next_step.at(deal.stage, ctx.group)
    if not settings.applies_in(ctx.group) or deal.is_paused(today):
        return None
    if ctx.evidence.next_meeting() is not None:
        return None
    planned = answers.date("next_step_date")
    if planned is not None and planned >= today:
        return None
    if planned is not None:
        step = answers.known("next_step") or ""
        signal = Signal("next_step_passed", {"date": planned.isoformat(), "step": step})
    else:
        signal = Signal("no_next_step")
    steps = (ctx.group in settings.urgent_in) + (planned is not None)
    return Hit(raised(settings.severity, steps), [signal])


def stage_skipped(ctx: RuleContext) -> Hit | None:
    """The change into the current stage jumped from an early stage to a late one."""
    deal, today = ctx.case.deal, ctx.case.today
    settings = ctx.config.stage_skipped.at(deal.stage, ctx.group)
    if not settings.applies_in(ctx.group) or ctx.group != "late":
        return None
    changes = sorted(ctx.case.stage_changes, key=lambda change: change.on)
    if not changes or not changes[-1].old or not changes[-1].new:
        return None
    last = changes[-1]
    if normalize_stage(last.new or "") != normalize_stage(deal.stage):
        return None
    if (today - last.on).days > settings.within_days:
        return None
    if ctx.playbook.group_of(last.old or "") != "early" or not ctx.playbook.knows_stage(
        last.old or ""
    ):
        return None
    entered = changes[-2].on if len(changes) > 1 else deal.created_on
    days = (last.on - entered).days if entered else None
    facts = {"old": last.old, "new": last.new, "on": last.on.isoformat(), "days": days}
    quick = days is not None and days <= settings.urgent_days
    signal = Signal("stage_jumped_fast" if quick else "stage_jumped", facts)
    return Hit(raised(settings.severity) if quick else settings.severity, [signal])


def _mentions(quote: str, named: str) -> bool:
    """True when the rep's competitors answer names a word of the quote's vendor."""
    if not named:
        return False
    text = quote.casefold()
    parts = [part.strip().casefold() for part in named.replace(";", ",").split(",")]
    return any(len(part) > 2 and part in text for part in parts)
