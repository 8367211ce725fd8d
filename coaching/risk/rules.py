"""The risk rules: each reads one deal's case and returns the signals it found, or None.

A rule's severity is its configured base; past its own "urgent" threshold it rises
one level (at most 3). Wording lives in wording.yaml; numbers in rules.yaml. Rules that
read notes cite them: each hit carries the quotes (date, source, words) it rests on.
"""

from __future__ import annotations

import datetime as dt
import re

from coaching.evidence.model import Activity
from coaching.playbook import NONE, UNKNOWN
from coaching.risk.baseline import StallLimit, cycle_limit, stall_limit
from coaching.risk.case import DateChange, DealCase, Hit, Rule, RuleContext, raised
from coaching.risk.config import Stalled
from coaching.risk.evidence import Quote, cites, day
from coaching.risk.evidence_rules import (
    competitor_leverage,
    ghosting,
    no_next_step,
    stage_skipped,
)
from coaching.risk.wording import Signal

__all__ = ["RULES", "DateChange", "DealCase", "Hit", "Rule", "RuleContext"]
PHASES = ("awareness", "interest", "preference", "decision")
CHAMPION_TESTS = ("champion_prefers_us", "champion_can_fund", "champion_sells")
_GRACE = dt.timedelta(days=30)
_OPTION_SPLIT = re.compile(r"\s*(?:,|;|/|&|\n|\band\b|\bor\b)\s*", re.IGNORECASE)


def stalled(ctx: RuleContext) -> Hit | None:
    deal, today = ctx.case.deal, ctx.case.today
    settings = ctx.config.stalled.at(deal.stage, ctx.group)
    entered = deal.stage_entered_on or deal.created_on
    if not settings.applies_in(ctx.group) or deal.is_paused(today) or entered is None:
        return None
    team = ctx.case.team
    baseline = ctx.baselines.get(team) if team is not None else None
    days = (today - entered).days
    if deal.stage_entered_known:
        never_moved = deal.stage_entered_on in (None, deal.created_on)
        return _stall(days, stall_limit(baseline, deal.stage, never_moved, settings), settings)
    # The CRM gave no date: the deal is in its stage at least since an import first saw it
    # there. Past the limit on that alone, it is stalled "at least" so long. Else its age
    # may exceed the team's whole cycle: a stall, never urgent, as its stage entry is unknown.
    since = {"since": entered.isoformat()}
    limit = stall_limit(baseline, deal.stage, False, settings)
    hit = _stall(days, limit, settings, "_at_least", since)
    cycle = cycle_limit(baseline, settings)
    if hit or cycle is None or deal.created_on is None:
        return hit
    age = (today - deal.created_on).days
    return _stall(age, cycle, settings, "_unknown_entry", since, can_be_urgent=False)


def _stall(
    days: int,
    limit: StallLimit,
    settings: Stalled,
    variant: str = "",
    extra: dict[str, str] | None = None,
    *,
    can_be_urgent: bool = True,
) -> Hit | None:
    if days <= limit.days:
        return None
    median = limit.median if limit.median is not None else 0.0
    facts = {
        "days": days,
        "limit": limit.days,
        "median": int(median) if median.is_integer() else round(median, 1),
        "samples": limit.samples,
        "basis": limit.basis,
    } | (extra or {})
    urgent = can_be_urgent and days > settings.urgent_factor * limit.days
    severity = raised(settings.severity) if urgent else settings.severity
    return Hit(severity, [Signal(f"stalled_{limit.basis}{variant}", facts)])


def no_activity(ctx: RuleContext) -> Hit | None:
    """Silence from the buyer. With an activity log, only buyer activity counts; without
    one, the CRM's last activity date. The rep's check-in answers never count."""
    deal, today = ctx.case.deal, ctx.case.today
    settings = ctx.config.no_activity.at(deal.stage, ctx.group)
    if not settings.applies_in(ctx.group) or deal.is_paused(today):
        return None
    evidence = ctx.evidence
    # A stage entry the CRM did not date is only when an import first saw the deal: no touch.
    entered = deal.stage_entered_on if deal.stage_entered_known else None
    if evidence.logged:
        last = evidence.last_buyer_activity()
        last_on = last.occurred_at.date() if last else None
        touches = [last_on, entered, deal.created_on]
    else:
        touches = [deal.last_activity_on, entered, deal.created_on]
    known = [day for day in touches if day is not None]
    if not known:
        return None
    since = max(known)
    days = (today - since).days
    if days < settings.days:
        return None
    severity = raised(settings.severity) if days >= settings.urgent_days else settings.severity
    facts: dict[str, object] = {"days": days, "since": since.isoformat()}
    if not evidence.logged:
        return Hit(severity, [Signal("no_activity", facts)])
    chased = evidence.rep_reach_outs_since(since)
    facts |= {"buyer": _last_buyer(ctx, last), "chased": len(chased)}
    return Hit(severity, [Signal("buyer_silent", facts)])


def _last_buyer(ctx: RuleContext, last: Activity | None) -> str:
    if last is None:
        return ctx.wording.phrases["no_buyer_activity"]
    who = f" with {last.contact_name}" if last.contact_name else ""
    return f"{last.kind}{who} on {last.occurred_at.date().isoformat()}"


def close_date_slipping(ctx: RuleContext) -> Hit | None:
    deal, today = ctx.case.deal, ctx.case.today
    settings = ctx.config.close_date_slipping.at(deal.stage, ctx.group)
    if not settings.applies_in(ctx.group):
        return None
    signals = []
    overdue = (today - deal.close_date).days if deal.close_date else 0
    if overdue > 0:
        close = deal.close_date.isoformat() if deal.close_date else ""
        signals.append(Signal("overdue", {"close": close, "days": overdue}))
    pushes = [
        change
        for change in sorted(ctx.case.close_date_changes, key=lambda change: change.at)
        if change.old and change.new and change.new > change.old
    ]
    if len(pushes) >= settings.pushes:
        path = [pushes[0].old, *(change.new for change in pushes)][-5:]
        text = " → ".join(day.isoformat() for day in path if day)
        signals.append(Signal("pushed", {"pushes": len(pushes), "path": text}))
    if not signals:
        return None
    urgent = overdue >= settings.urgent_overdue_days or len(pushes) >= settings.urgent_pushes
    return Hit(raised(settings.severity) if urgent else settings.severity, signals)


def no_decision_status_quo(ctx: RuleContext) -> Hit | None:
    answers = ctx.case.answers
    settings = ctx.config.no_decision_status_quo.at(ctx.case.deal.stage, ctx.group)
    if not settings.applies_in(ctx.group):
        return None
    found: list[Signal] = []
    evidence: list[Quote] = []
    event = answers.latest("compelling_event")
    if event is not None and event.strip().lower() in settings.no_event_answers:
        found.append(Signal("no_compelling_event"))
    money = answers.known("money")
    if money in ("next_year", "none"):
        found.append(Signal(f"money_{money}"))
    need = answers.known("need")
    if need == "pain":
        found.append(Signal("need_not_defined"))
    if need == "research" or answers.known("buying_phase") == "awareness":
        found.append(Signal("buyer_researching"))
    for kind in ("budget_blocked", "no_urgency"):
        quotes = ctx.evidence.quotes(kind, settings.evidence_days)
        if quotes:
            found.append(Signal(f"{kind}_noted", {"cites": cites(quotes, ctx.case.today)}))
            evidence += quotes
    if len(found) < settings.min_signals:
        return None
    severity = (
        raised(settings.severity) if len(found) >= settings.urgent_signals else settings.severity
    )
    return Hit(severity, found, evidence)


def no_decision_indecision(ctx: RuleContext) -> Hit | None:
    answers, today = ctx.case.answers, ctx.case.today
    settings = ctx.config.no_decision_indecision.at(ctx.case.deal.stage, ctx.group)
    if not settings.applies_in(ctx.group):
        return None
    signals: list[Signal] = []
    evidence: list[Quote] = []
    moves = answers.later_moves("decision_date")
    if moves >= settings.decision_date_pushes:
        signals.append(Signal("decision_date_pushed", {"count": moves}))
    current, previous = answers.known("buying_phase"), answers.previous_known("buying_phase")
    if current in PHASES and previous in PHASES and PHASES.index(current) < PHASES.index(previous):
        labels = {"current": ctx.display("buying_phase", current)}
        signals.append(
            Signal("phase_backwards", labels | {"previous": ctx.display("buying_phase", previous)})
        )
    champion, quotes = _champion_signal(ctx, settings.evidence_days)
    if champion is not None and ctx.group in settings.champion_in:
        signals.append(champion)
        evidence += quotes
    options = _options(answers.known("competitors"))
    if len(options) >= settings.many_options:
        signals.append(
            Signal("many_options", {"count": len(options), "options": ", ".join(options)})
        )
    repeated = ctx.evidence.quotes("repeated_request", settings.evidence_days)
    asked = ctx.evidence.quotes("request", settings.evidence_days)
    if repeated or len(asked) >= settings.requests:
        quotes = repeated or asked
        signals.append(Signal("requests_repeated", {"cites": cites(quotes, today)}))
        evidence += quotes
    fear = ctx.evidence.quotes("fear_of_change", settings.evidence_days)
    if fear:
        signals.append(Signal("fear_of_change", {"cites": cites(fear, today)}))
        evidence += fear
    if len(signals) < settings.min_signals:
        return None
    urgent = len(signals) >= settings.urgent_signals
    return Hit(raised(settings.severity) if urgent else settings.severity, signals, evidence)


def no_power(ctx: RuleContext) -> Hit | None:
    """Far from the decision maker: in late stages; earlier for a large deal; in any stage
    the playbook does not know (a stage nobody placed is not assumed early)."""
    answers, deal = ctx.case.answers, ctx.case.deal
    settings = ctx.config.no_power.at(deal.stage, ctx.group)
    applies = settings.applies_in(ctx.group) or (
        settings.enabled and ctx.large and ctx.group in settings.large_groups
    )
    if not (applies or (settings.enabled and not ctx.stage_known)):
        return None
    signals: list[Signal] = []
    evidence: list[Quote] = []
    exposure = _number(answers.known("exposure"))
    person = answers.known("authority")
    met = ctx.evidence.met(person) if person else None
    recently_met = met is not None and (ctx.case.today - met.occurred_at.date()).days <= (
        settings.met_days
    )
    if exposure is not None and exposure <= settings.max_exposure and not recently_met:
        previous = _number(answers.previous_known("exposure"))
        facts = {
            "person": person or "the decision maker",
            "exposure": exposure,
            "previous": previous,
        }
        dropped = previous is not None and previous > exposure
        signals.append(Signal("exposure_dropped" if dropped else "low_exposure", facts))
    if answers.is_unknown("authority"):
        signals.append(Signal("authority_unknown"))
    partner = ctx.evidence.quotes("partner_led", settings.evidence_days)
    if partner and not recently_met:
        signals.append(Signal("no_direct_access", {"cites": cites(partner, ctx.case.today)}))
        evidence += partner
    if not signals:
        return None
    if not ctx.stage_known:
        signals.append(Signal("stage_unknown"))
    elif not settings.applies_in(ctx.group):
        signals.append(Signal("large_deal", {"group": ctx.group}))
    urgent = exposure == 1 and not recently_met
    return Hit(raised(settings.severity) if urgent else settings.severity, signals, evidence)


def no_tested_champion(ctx: RuleContext) -> Hit | None:
    settings = ctx.config.no_tested_champion.at(ctx.case.deal.stage, ctx.group)
    if not settings.applies_in(ctx.group):
        return None
    if ctx.case.answers.is_unknown("champion"):
        return Hit(raised(settings.severity), [Signal("no_champion")])
    champion, quotes = _champion_signal(ctx, settings.evidence_days)
    if champion is None:
        return None
    wavering = champion.id == "champion_wavering"
    return Hit(raised(settings.severity) if wavering else settings.severity, [champion], quotes)


def no_vision_owner(ctx: RuleContext) -> Hit | None:
    answers = ctx.case.answers
    settings = ctx.config.no_vision_owner.at(ctx.case.deal.stage, ctx.group)
    if not settings.applies_in(ctx.group):
        return None
    unknowns = answers.count("vision_owner", UNKNOWN)
    late = ctx.group in settings.missing_in
    if answers.latest("vision_owner") == NONE:
        return Hit(
            raised(settings.severity) if late else settings.severity, [Signal("vision_nobody")]
        )
    if answers.latest("vision_owner") == UNKNOWN and unknowns >= settings.unknown_answers:
        signal = Signal("vision_unknown_repeated", {"count": unknowns})
        return Hit(raised(settings.severity) if late else settings.severity, [signal])
    if late and answers.is_unknown("vision_owner"):
        return Hit(settings.severity, [Signal("vision_unknown")])
    return None


def late_entry(ctx: RuleContext) -> Hit | None:
    answers = ctx.case.answers
    settings = ctx.config.late_entry.at(ctx.case.deal.stage, ctx.group)
    if not settings.applies_in(ctx.group):
        return None
    signals = []
    if answers.known("late_entry") == "yes":
        signals.append(Signal("preferred_elsewhere"))
    if answers.known("vision_owner") == "competitor":
        signals.append(Signal("competitor_vision"))
    if not signals:
        return None
    return Hit(raised(settings.severity) if len(signals) > 1 else settings.severity, signals)


def optimism_gap(ctx: RuleContext) -> Hit | None:
    deal, answers = ctx.case.deal, ctx.case.answers
    settings = ctx.config.optimism_gap.at(deal.stage, ctx.group)
    if not settings.applies_in(ctx.group):
        return None
    signals: list[Signal] = []
    if ctx.group in settings.stage_groups:
        phase, need = answers.known("buying_phase"), answers.known("need")
        if phase in settings.early_phases:
            signals.append(
                Signal("stage_ahead_of_phase", {"phase": ctx.display("buying_phase", phase)})
            )
        if need in settings.undefined_needs:
            signals.append(Signal("stage_ahead_of_need", {"need": ctx.display("need", need)}))
    decision = answers.date("decision_date")
    if deal.close_date and decision and deal.close_date < decision:
        facts = {"close": deal.close_date.isoformat(), "decision": decision.isoformat()}
        signals.append(Signal("close_before_decision", facts))
    money = answers.known("money")
    evidence = _money_contradicted(ctx, money, settings.evidence_days)
    if evidence:
        said = answers.answered_on("money")
        facts = {
            "money": ctx.display("money", money or ""),
            "said": day(said, ctx.case.today) if said else "",
            "cites": cites(evidence, ctx.case.today),
        }
        signals.append(Signal("money_contradicted", facts))
    if deal.close_date and money == "next_year" and deal.close_date.year <= ctx.case.today.year:
        signals.append(
            Signal(
                "close_ahead_of_money",
                {"year": deal.close_date.year, "money": ctx.display("money", money)},
            )
        )
    if not signals:
        return None
    urgent = len(signals) >= settings.urgent_signals
    return Hit(raised(settings.severity) if urgent else settings.severity, signals, evidence)


def _money_contradicted(ctx: RuleContext, money: str | None, days: int) -> list[Quote]:
    """Notes saying the money is blocked while the rep says it is there: the newest since
    the last note saying it was approved, and not long before the rep's answer."""
    if money not in ctx.config.optimism_gap.money_answers:
        return []
    blocked = ctx.evidence.quotes("budget_blocked", days)
    approved = ctx.evidence.quotes("budget_approved", days)
    said = ctx.case.answers.answered_on("money")
    since = max([quote.on for quote in approved], default=None)
    return [
        quote
        for quote in blocked
        if (since is None or quote.on > since) and (said is None or quote.on >= said - _GRACE)
    ]


def _champion_signal(ctx: RuleContext, evidence_days: int) -> tuple[Signal | None, list[Quote]]:
    """champion_unsure, champion_wavering (passed the tests once, now unsure or cooling),
    champion_untested (with the tests not passed), or None; with the quotes behind it."""
    answers = ctx.case.answers
    if answers.latest("champion") == UNKNOWN:
        return Signal("champion_unsure"), []
    champion = answers.known("champion")
    if champion is None:
        return None, []
    failed = [
        f"{ctx.wording.champion_tests[test]}: {_test_result(ctx, test)}"
        for test in CHAMPION_TESTS
        if answers.latest(test) != "yes"
    ]
    passed_once = all("yes" in answers.values(test) for test in CHAMPION_TESTS)
    cooling = ctx.evidence.quotes("champion_wavering", evidence_days)
    if passed_once and (failed or cooling):
        now = ", ".join(failed) if failed else cites(cooling, ctx.case.today)
        return Signal("champion_wavering", {"champion": champion, "now": now}), cooling
    if not failed:
        return None, []
    return Signal("champion_untested", {"champion": champion, "tests": ", ".join(failed)}), []


def _test_result(ctx: RuleContext, test: str) -> str:
    """'no', 'not sure', 'not asked'; a value the wording has no phrase for, as shown."""
    value = ctx.case.answers.latest(test) or "missing"
    return ctx.wording.test_results.get(value) or ctx.display(test, value)


def _counted(found: list[str], minimum: int, urgent: int, severity: int) -> Hit | None:
    if len(found) < minimum:
        return None
    return Hit(
        raised(severity) if len(found) >= urgent else severity, [Signal(id_) for id_ in found]
    )


def _options(text: str | None) -> list[str]:
    if not text:
        return []
    return [part for part in _OPTION_SPLIT.split(text.strip()) if part]


def _number(value: str | None) -> int | None:
    return int(value) if value is not None and value.strip().isdigit() else None


RULES: dict[str, Rule] = {
    "ghosting": ghosting,
    "competitor_leverage": competitor_leverage,
    "no_next_step": no_next_step,
    "stage_skipped": stage_skipped,
    "stalled": stalled,
    "no_activity": no_activity,
    "close_date_slipping": close_date_slipping,
    "no_decision_status_quo": no_decision_status_quo,
    "no_decision_indecision": no_decision_indecision,
    "no_power": no_power,
    "no_tested_champion": no_tested_champion,
    "no_vision_owner": no_vision_owner,
    "late_entry": late_entry,
    "optimism_gap": optimism_gap,
}
