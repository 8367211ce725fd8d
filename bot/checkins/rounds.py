"""Scheduled check-in rounds, reminders and expiry: the use cases the clock ticks.

A round finds every rep whose check-in slot is due, claims (rep, slot) in the
database and writes the first question to the outbox in the same transaction. Two
processes running the same round ask each check-in once: the second claim inserts
nothing. Reads are set-based: a fixed number of statements per batch of reps,
whatever the number of deals.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.checkins import messages as ui
from bot.checkins.dialog import CheckinDialog
from bot.engine.outgoing import Address, OutboxEntry, Outgoing, enqueue
from bot.engine.replies import say
from bot.engine.turn import Turn
from bot.infra import metrics
from bot.infra.local_time import local_date
from bot.infra.recipients import Recipients
from coaching.checkin_policy import (
    CheckinRules,
    PlannedQuestion,
    RepRhythm,
    due_slot,
    select_questions,
)
from coaching.model import AnswerFact, DealFacts
from coaching.playbook import Playbook
from coaching.qualification import QualificationCard, build_card
from storage import checkins, people
from storage.db import Database

log = logging.getLogger(__name__)
BATCH_REPS = 2000


@dataclass(frozen=True, slots=True)
class Plan:
    """A rep's deals, their latest answers, and the questions chosen for this check-in."""

    deals: list[DealFacts]
    latest: dict[int, dict[str, AnswerFact]]
    planned: list[PlannedQuestion]

    def card(self, playbook: Playbook, deal_id: int, now: dt.datetime) -> QualificationCard:
        deal = next(deal for deal in self.deals if deal.id == deal_id)
        return build_card(playbook, deal, list(self.latest.get(deal_id, {}).values()), now)


@dataclass(frozen=True, slots=True)
class RoundReport:
    due: int = 0
    started: int = 0
    nothing_to_ask: int = 0


class CheckinRounds:
    """What the scheduler calls (`tick`): `expire`, `send_reminders`, `run_round`."""

    def __init__(
        self,
        database: Database,
        *,
        playbook: Playbook,
        rules: CheckinRules,
        dialog: CheckinDialog,
        recipients: Recipients,
    ) -> None:
        self.database = database
        self.playbook = playbook
        self.rules = rules
        self.dialog = dialog
        self.recipients = recipients

    def tick(self, now: dt.datetime) -> None:
        """Expire what is overdue, remind what waits, start what is due."""
        self.expire(now)
        self.send_reminders(now)
        self.run_round(now)

    def run_round(self, now: dt.datetime) -> RoundReport:
        """Claim and start every check-in due at `now`."""
        with self.database.transaction() as session:
            rhythms = checkins.rep_rhythms(session)
        due = {
            rep_id: slot
            for rep_id, rhythm in rhythms.items()
            if (slot := due_slot(rhythm, now, self.rules)) is not None
        }
        report = RoundReport(due=len(due))
        reps = sorted(due)
        for start in range(0, len(reps), BATCH_REPS):
            batch = {rep: due[rep] for rep in reps[start : start + BATCH_REPS]}
            started, empty = self._start_batch(batch, rhythms, now)
            report = RoundReport(
                report.due, report.started + started, report.nothing_to_ask + empty
            )
        metrics.CHECKINS_SENT.labels("schedule").inc(report.started)
        if report.started:
            log.info("check-in round: %d due, %d started", report.due, report.started)
        return report

    def _start_batch(
        self, due: dict[int, dt.datetime], rhythms: dict[int, RepRhythm], now: dt.datetime
    ) -> tuple[int, int]:
        with self.database.transaction() as session:
            due = checkins.unclaimed(session, due)
            if not due:
                return 0, 0
            reps = list(due)
            busy = checkins.reps_with_open_checkin(session, reps)
            deals = checkins.open_deals_by_owner(session, reps)
            latest = checkins.latest_answers_by_deal(session, reps)
            plans = {
                rep: plan
                for rep in reps
                if rep not in busy
                and (plan := self._plan(deals[rep], latest, rhythms[rep], now)) is not None
            }
            claims = [
                {
                    "rep_id": rep,
                    "slot": slot,
                    "status": "open" if rep in plans else "skipped",
                    "expires_at": now + self.rules.expires_after,
                    "closed_at": None if rep in plans else now,
                }
                for rep, slot in due.items()
            ]
            claimed = checkins.claim_slots(session, claims, now)
            started = {rep: id_ for rep, id_ in claimed.items() if rep in plans}
            if started:
                self._write_first_questions(session, started, plans, now)
            return len(started), len(claimed) - len(started)

    def _plan(
        self,
        deals: list[DealFacts],
        latest: dict[int, dict[str, AnswerFact]],
        rhythm: RepRhythm,
        now: dt.datetime,
    ) -> Plan | None:
        planned = select_questions(
            self.playbook,
            deals,
            latest,
            now,
            today=local_date(now, rhythm.timezone),
            limit=rhythm.max_questions or self.rules.max_questions,
            per_deal=self.rules.per_deal,
        )
        return Plan(deals, latest, planned) if planned else None

    def _write_first_questions(
        self, session: Session, started: dict[int, int], plans: dict[int, Plan], now: dt.datetime
    ) -> None:
        """Insert every started check-in's questions, then its first message, in bulk."""
        checkins.add_questions(
            session,
            [
                _question_row(checkin_id, position, item, now)
                for rep, checkin_id in started.items()
                for position, item in enumerate(plans[rep].planned)
            ],
        )
        first_ids = checkins.first_question_ids(session, list(started.values()))
        addresses = self.recipients.people(session, list(started))
        names = checkins.stakeholder_names(
            session, [plans[rep].planned[0].deal_id for rep in started]
        )
        entries = []
        for rep, checkin_id in started.items():
            plan = plans[rep]
            first = plan.planned[0]
            card = plan.card(self.playbook, first.deal_id, now)
            spec = self.playbook.field(first.field)
            ctx = ui.AskContext(
                question_id=first_ids[checkin_id],
                spec=spec,
                deal=card.deal,
                placeholders=card.placeholders(spec),
                position=1,
                total=len(plan.planned),
                names=tuple(names.get(first.deal_id, ())),
            )
            message = ui.question_message(ctx, (self.dialog.intro(plan.deals, plan.planned),))
            entries.append(
                OutboxEntry(
                    _start_key(checkin_id),
                    addresses[rep],
                    message,
                    not_after=now + self.rules.expires_after,
                )
            )
        enqueue(session, entries, now)

    def send_reminders(self, now: dt.datetime) -> int:
        """One reminder per check-in whose question waited longer than `reminder_after`."""
        cutoff = now - self.rules.reminder_after
        with self.database.transaction() as session:
            waiting = checkins.waiting_for_a_reminder(session, cutoff)
            claimed = checkins.claim_reminders(
                session, [question.checkin_id for question in waiting], now
            )
            addresses = self.recipients.people(
                session, [question.checkin.rep_id for question in waiting]
            )
            for question in waiting:
                if question.checkin_id not in claimed:
                    continue
                rep = question.checkin.rep_id
                turn = self._turn(
                    session, rep, addresses[rep], f"checkin:{question.checkin_id}:reminder", now
                )
                self.dialog.ask(turn, question, lead=(say("reminder"),))
            return len(claimed)

    def expire(self, now: dt.datetime) -> int:
        """Close check-ins past their expiry; their question messages say so."""
        with self.database.transaction() as session:
            overdue = checkins.overdue(session, now)
            addresses = self.recipients.people(session, [checkin.rep_id for checkin in overdue])
            for checkin in overdue:
                asked = checkins.asked_question(session, checkin.rep_id)
                checkins.close_checkin(session, checkin, "expired", now)
                if asked is not None and asked.message_ref:
                    turn = self._turn(
                        session,
                        checkin.rep_id,
                        addresses[checkin.rep_id],
                        f"checkin:{checkin.id}:expired",
                        now,
                    )
                    ctx = self.dialog.context(session, asked, now)
                    turn.out.update(
                        asked.message_ref, ui.settled_message(ctx, say("checkin_expired"))
                    )
            return len(overdue)

    def _turn(self, session: Session, rep: int, to: Address, key: str, now: dt.datetime) -> Turn:
        out = Outgoing(
            session,
            transport=to.transport,
            recipient=to.recipient,
            key_prefix=key,
            now=now,
            not_after=now + self.rules.expires_after,
        )
        return Turn(session, out, people.person(session, rep), now)


def _start_key(checkin_id: int) -> str:
    return f"checkin:{checkin_id}:start"


def _question_row(
    checkin_id: int, position: int, item: PlannedQuestion, now: dt.datetime
) -> dict[str, Any]:
    first = position == 0
    return {
        "checkin_id": checkin_id,
        "deal_id": item.deal_id,
        "field": item.field,
        "position": position,
        "status": "asked" if first else "pending",
        "asked_at": now if first else None,
        "attempts": 0,
        "message_ref": _start_key(checkin_id) if first else None,
    }
