"""The risk rules: each reads one deal's case and returns the signals it found, or None.

A rule's severity is its configured base; past its own "urgent" threshold it rises
one level (at most 3). Wording lives in wording.yaml; numbers in rules.yaml.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from coaching.model import DealFacts
from coaching.playbook import NONE, UNKNOWN, Playbook, StageGroup
from coaching.risk.baseline import StallLimit, TeamBaseline, cycle_limit, stall_limit
from coaching.risk.config import RiskConfig, Stalled
from coaching.risk.history import AnswerHistory
from coaching.risk.wording import Signal, Wording

MAX_SEVERITY = 3
PHASES = ("awareness", "interest", "preference", "decision")
CHAMPION_TESTS = ("champion_prefers_us", "champion_can_fund", "champion_sells")
_OPTION_SPLIT = re.compile(r"\s*(?:,|;|/|&|\n|\band\b|\bor\b)\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateChange:
    """A change of the CRM close date (from the deal's history)."""

    old: dt.date | None
    new: dt.date | None
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class DealCase:
    """Everything the rules see about one open deal, at the owner's `today`."""

    deal: DealFacts
    owner: str
    team: int | None
    today: dt.date
    answers: AnswerHistory
    close_date_changes: tuple[DateChange, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleContext:
    case: DealCase
    group: StageGroup
    config: RiskConfig
    wording: Wording
    playbook: Playbook
    baselines: Mapping[int, TeamBaseline]

    def display(self, field: str, value: str) -> str:
        return self.playbook.field(field).display(value)


@dataclass(frozen=True, slots=True)
class Hit:
    severity: int
    signals: list[Signal]


Rule = Callable[[RuleContext], Hit | None]


def raised(severity: int) -> int:
    return min(MAX_SEVERITY, severity + 1)


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
        "median": f"{median:g}",
        "samples": limit.samples,
        "basis": limit.basis,
    } | (extra or {})
    urgent = can_be_urgent and days > settings.urgent_factor * limit.days
    severity = raised(settings.severity) if urgent else settings.severity
    return Hit(severity, [Signal(f"stalled_{limit.basis}{variant}", facts)])


def no_activity(ctx: RuleContext) -> Hit | None:
    deal, today = ctx.case.deal, ctx.case.today
    settings = ctx.config.no_activity.at(deal.stage, ctx.group)
    if not settings.applies_in(ctx.group) or deal.is_paused(today):
        return None
    answered = ctx.case.answers.last_answered()
    touches = [
        deal.last_activity_on,
        answered.date() if answered else None,
        deal.stage_entered_on,
        deal.created_on,
    ]
    known = [day for day in touches if day is not None]
    if not known:
        return None
    since = max(known)
    days = (today - since).days
    if days < settings.days:
        return None
    severity = raised(settings.severity) if days >= settings.urgent_days else settings.severity
    return Hit(severity, [Signal("no_activity", {"days": days, "since": since.isoformat()})])


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
    found: list[str] = []
    event = answers.latest("compelling_event")
    if event is not None and event.strip().lower() in settings.no_event_answers:
        found.append("no_compelling_event")
    money = answers.known("money")
    if money in ("next_year", "none"):
        found.append(f"money_{money}")
    need = answers.known("need")
    if need == "pain":
        found.append("need_not_defined")
    if need == "research" or answers.known("buying_phase") == "awareness":
        found.append("buyer_researching")
    return _counted(found, settings.min_signals, settings.urgent_signals, settings.severity)


def no_decision_indecision(ctx: RuleContext) -> Hit | None:
    answers = ctx.case.answers
    settings = ctx.config.no_decision_indecision.at(ctx.case.deal.stage, ctx.group)
    if not settings.applies_in(ctx.group):
        return None
    signals: list[Signal] = []
    moves = answers.later_moves("decision_date")
    if moves >= settings.decision_date_pushes:
        signals.append(Signal("decision_date_pushed", {"count": moves}))
    current, previous = answers.known("buying_phase"), answers.previous_known("buying_phase")
    if current in PHASES and previous in PHASES and PHASES.index(current) < PHASES.index(previous):
        labels = {"current": ctx.display("buying_phase", current)}
        signals.append(
            Signal("phase_backwards", labels | {"previous": ctx.display("buying_phase", previous)})
        )
    champion = _champion_signal(ctx)
    if champion is not None:
        signals.append(champion)
    options = _options(answers.known("competitors"))
    if len(options) >= settings.many_options:
        signals.append(
            Signal("many_options", {"count": len(options), "options": ", ".join(options)})
        )
    if len(signals) < settings.min_signals:
        return None
    urgent = len(signals) >= settings.urgent_signals
    return Hit(raised(settings.severity) if urgent else settings.severity, signals)


def no_power(ctx: RuleContext) -> Hit | None:
    answers = ctx.case.answers
    settings = ctx.config.no_power.at(ctx.case.deal.stage, ctx.group)
    if not settings.applies_in(ctx.group):
        return None
    signals: list[Signal] = []
    exposure = _number(answers.known("exposure"))
    if exposure is not None and exposure <= settings.max_exposure:
        person = answers.known("authority") or "the decision maker"
        previous = _number(answers.previous_known("exposure"))
        facts = {"person": person, "exposure": exposure, "previous": previous}
        dropped = previous is not None and previous > exposure
        signals.append(Signal("exposure_dropped" if dropped else "low_exposure", facts))
    if answers.is_unknown("authority"):
        signals.append(Signal("authority_unknown"))
    if not signals:
        return None
    urgent = exposure == 1
    return Hit(raised(settings.severity) if urgent else settings.severity, signals)


def no_tested_champion(ctx: RuleContext) -> Hit | None:
    settings = ctx.config.no_tested_champion.at(ctx.case.deal.stage, ctx.group)
    if not settings.applies_in(ctx.group):
        return None
    if ctx.case.answers.is_unknown("champion"):
        return Hit(raised(settings.severity), [Signal("no_champion")])
    champion = _champion_signal(ctx)
    return Hit(settings.severity, [champion]) if champion else None


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
    return Hit(raised(settings.severity) if urgent else settings.severity, signals)


def _champion_signal(ctx: RuleContext) -> Signal | None:
    """champion_unsure, champion_untested (with the tests not passed), or None."""
    answers = ctx.case.answers
    if answers.latest("champion") == UNKNOWN:
        return Signal("champion_unsure")
    champion = answers.known("champion")
    if champion is None:
        return None
    failed = [
        f"{ctx.wording.champion_tests[test]}: {_test_result(ctx, test)}"
        for test in CHAMPION_TESTS
        if answers.latest(test) != "yes"
    ]
    if not failed:
        return None
    return Signal("champion_untested", {"champion": champion, "tests": ", ".join(failed)})


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
