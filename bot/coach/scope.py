"""What the asker may see, read from storage: a rep's own open deals, or a manager's
team's deals and reps, as the coach's `DealView`s."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from bot.infra.local_time import local_date
from coaching.coach import Asker, CheckinStats, DealView, Scope, build_view
from coaching.playbook import Playbook
from coaching.risk import AnswerHistory, DealCase, RiskEngine, learn_baselines
from storage.coach import DealRecord, checkins_answered, deal_records, team_members
from storage.models import Person
from storage.risk import won_deals

CHECKIN_DAYS = 30


def asker(person: Person) -> Asker:
    return Asker(person.name, person.role == "manager")


def load_scope(
    session: Session, person: Person, now: dt.datetime, playbook: Playbook, engine: RiskEngine
) -> Scope:
    """A rep's open deals; a manager's team's open deals, reps and check-in answers."""
    if person.role != "manager":
        records = deal_records(session, owner_ids=[person.id])
        return Scope(_views(session, records, now, playbook, engine))
    reps = tuple(team_members(session, person.id))
    records = deal_records(session, manager_id=person.id)
    since = now - dt.timedelta(days=CHECKIN_DAYS)
    counts = checkins_answered(session, [rep_id for rep_id, _ in reps], since)
    stats = {
        rep_id: CheckinStats(sent, answered, CHECKIN_DAYS)
        for rep_id, (sent, answered) in counts.items()
    }
    return Scope(_views(session, records, now, playbook, engine), reps, stats)


def _views(
    session: Session,
    records: list[DealRecord],
    now: dt.datetime,
    playbook: Playbook,
    engine: RiskEngine,
) -> tuple[DealView, ...]:
    if not records:
        return ()
    baselines = learn_baselines(won_deals(session))
    return tuple(
        build_view(
            playbook,
            engine,
            DealCase(
                deal=record.deal.facts,
                owner=record.deal.owner,
                team=record.deal.team,
                today=local_date(now, record.deal.timezone),
                answers=AnswerHistory(record.answers),
                close_date_changes=tuple(record.close_date_changes),
                stage_changes=tuple(record.stage_changes),
                activities=tuple(record.activities),
                signals=tuple(record.signals),
            ),
            now=now,
            stakeholders=record.stakeholders,
            baselines=baselines,
        )
        for record in records
    )
