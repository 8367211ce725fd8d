"""Which questions to ask a rep now, and whether now is a check-in at all.

Pure functions over plain records: the scheduler feeds them every rep's state and
qualification cards, and acts on what they return.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coaching.model import AnswerFact, DealFacts
from coaching.playbook import FieldSpec, Playbook
from coaching.qualification import ASKABLE, field_status
from coaching.schedule import CheckinSchedule, parse_days, parse_time, zone


@dataclass(frozen=True, slots=True)
class CheckinRules:
    """Team-wide defaults; a team (its manager's row) or a rep can override days and time."""

    days: str = "tue,thu"
    at: str = "09:30"
    max_questions: int = 5
    per_deal: int = 3
    reminder_after: dt.timedelta = dt.timedelta(hours=3)
    expires_after: dt.timedelta = dt.timedelta(hours=8)


@dataclass(frozen=True, slots=True)
class RepRhythm:
    """A rep's own settings, as stored (None means: use the team's, then the default)."""

    timezone: str
    working_days: str
    checkin_days: str | None = None
    checkin_time: str | None = None
    max_questions: int | None = None
    team_checkin_days: str | None = None
    team_checkin_time: str | None = None
    snoozed_until: dt.datetime | None = None
    out_until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class PlannedQuestion:
    deal_id: int
    field: str
    score: float


def schedule_for(rep: RepRhythm, rules: CheckinRules) -> CheckinSchedule:
    """Check-in days are the chosen days that are also the rep's working days."""
    days = parse_days(rep.checkin_days or rep.team_checkin_days or rules.days)
    at = parse_time(rep.checkin_time or rep.team_checkin_time or rules.at)
    return CheckinSchedule(days & parse_days(rep.working_days), at, rep.timezone)


def suppression(rep: RepRhythm, now: dt.datetime, schedule: CheckinSchedule) -> str | None:
    """Why the rep must not be asked now ('snoozed', 'out of office'), or None."""
    if rep.snoozed_until is not None and now < rep.snoozed_until:
        return "snoozed"
    if rep.out_until is not None and schedule.local_date(now) < rep.out_until:
        return "out of office"
    return None


def next_checkin(rep: RepRhythm, now: dt.datetime, rules: CheckinRules) -> dt.datetime | None:
    """The next slot after `now` that no snooze or absence suppresses (None: no days)."""
    schedule = schedule_for(rep, rules)
    after = now
    if rep.snoozed_until is not None and rep.snoozed_until > after:
        after = rep.snoozed_until - dt.timedelta(microseconds=1)
    if rep.out_until is not None and schedule.local_date(after) < rep.out_until:
        back = dt.datetime.combine(rep.out_until, dt.time.min, tzinfo=zone(rep.timezone))
        after = back.astimezone(dt.UTC) - dt.timedelta(microseconds=1)
    return schedule.next_slot(after)


def due_slot(rep: RepRhythm, now: dt.datetime, rules: CheckinRules) -> dt.datetime | None:
    """The slot a check-in is due for now, or None (not a slot, snoozed, out of office).

    A slot stays due until the check-in would have expired, so a bot that was down
    at 09:30 still checks in when it comes back at 10:15.
    """
    schedule = schedule_for(rep, rules)
    if suppression(rep, now, schedule):
        return None
    return schedule.latest_slot(now, rules.expires_after)


def select_questions(
    playbook: Playbook,
    deals: Sequence[DealFacts],
    latest: Mapping[int, Mapping[str, AnswerFact]],
    now: dt.datetime,
    *,
    today: dt.date,
    limit: int,
    per_deal: int,
) -> list[PlannedQuestion]:
    """The most valuable questions across the rep's open, unpaused deals.

    `latest` holds each deal's newest answer per field. Ranked by how much the field
    matters in the deal's stage, the deal's value and how stale or missing the answer
    is; at most `per_deal` per deal, `limit` in all. Returned grouped by deal (the
    highest-scoring deal first), in playbook order.
    """
    candidates = []
    for deal in deals:
        if deal.status != "open" or deal.is_paused(today):
            continue
        group = playbook.group_of(deal.stage, deal.stage_group)
        value = 1 + math.log10(1 + float(deal.amount or 0) / 10_000)
        answers = latest.get(deal.id, {})
        for spec in playbook.fields:
            status, age = field_status(playbook, spec, answers, now)
            if status not in ASKABLE:
                continue
            staleness = _staleness(playbook, spec, answers.get(spec.key), age)
            score = playbook.importance(spec, group) * value * staleness
            candidates.append(PlannedQuestion(deal.id, spec.key, score))
    candidates.sort(key=lambda question: (-question.score, question.deal_id, question.field))
    chosen: list[PlannedQuestion] = []
    taken: dict[int, int] = {}
    for question in candidates:
        if len(chosen) == limit:
            break
        if taken.get(question.deal_id, 0) < per_deal:
            chosen.append(question)
            taken[question.deal_id] = taken.get(question.deal_id, 0) + 1
    return _grouped_by_deal(playbook, chosen)


def _staleness(
    playbook: Playbook, spec: FieldSpec, answer: AnswerFact | None, age: int | None
) -> float:
    """1.5 for a field never answered; 1 to 2 for a stale one, growing with its age."""
    if answer is None or age is None:
        return 1.5
    fresh = playbook.fresh_days(spec, answer.value)
    return 1 + min(1.0, (age - fresh) / fresh)


def _grouped_by_deal(playbook: Playbook, chosen: list[PlannedQuestion]) -> list[PlannedQuestion]:
    deal_order: list[int] = []
    for question in chosen:
        if question.deal_id not in deal_order:
            deal_order.append(question.deal_id)
    field_order = {spec.key: index for index, spec in enumerate(playbook.fields)}
    return sorted(
        chosen,
        key=lambda question: (deal_order.index(question.deal_id), field_order[question.field]),
    )
