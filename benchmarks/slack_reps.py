"""Reps in a Slack workspace, each with an open check-in, and the answer each will type.

The reps (testkit.synthetic, two open deals each) are linked to Slack users with a
DM channel, as after their first contact. Their check-ins are started the way the
scheduler starts them: one round (CheckinRounds.run_round) at a slot due now, which
writes each rep's first question to the outbox. Answers are real ones for the
question asked: a choice number, a scale, a name, a date or free text.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, insert, select, update

from benchmarks.slack_traffic import DirectMessage
from bot.bootstrap import build_app
from bot.checkins.rounds import CheckinRounds
from bot.infra.services import Services
from bot.settings import Settings
from coaching.clock import SystemClock
from coaching.playbook import load_playbook
from storage.db import Database
from storage.models import Answer, ChatIdentity, CheckIn, CheckInQuestion, Person
from testkit.slack_api import FakeSlack
from testkit.synthetic import populate

DEALS_PER_REP = 2


def answer_for(kind: str, today: dt.date) -> str:
    """What a rep types for a question of this kind (the parser reads every one)."""
    return {
        "choice": "1",
        "scale": "4",
        "person": "Pat Doe",
        "date": (today + dt.timedelta(days=30)).isoformat(),
    }.get(kind, "Security review with their CISO")


def seed_reps(
    database: Database, slack: FakeSlack, team: str, settings: Settings, reps: int
) -> list[DirectMessage]:
    """`reps` reps in Slack workspace `team`, each with an open check-in; the DM each will
    send to answer its first question."""
    populate(database, reps=reps, deals=DEALS_PER_REP * reps, answers=0)
    now = dt.datetime.now(dt.UTC)
    slot = (now - dt.timedelta(minutes=2)).strftime("%H:%M")
    with database.transaction() as session:
        session.execute(update(Person).values(checkin_time=slot))
        people = list(session.execute(select(Person.id, Person.email).order_by(Person.id)))
        session.execute(
            insert(ChatIdentity),
            [
                {
                    "person_id": person,
                    "platform": "slack",
                    "tenant": team,
                    "external_id": f"U{person}",
                    "dm_channel": slack.dm_of(f"U{person}"),
                    "created_at": now,
                }
                for person, _ in people
            ],
        )
    for person, email in people:
        slack.add_user(f"U{person}", email, team=team)
    services = Services(settings, database, load_playbook(), SystemClock())
    report = build_app(services).part(CheckinRounds).run_round(now)
    if report.started != reps:
        raise RuntimeError(f"the round started {report.started} check-ins, not {reps}: {report}")
    return first_answers(services, slack, now.date())


def first_answers(services: Services, slack: FakeSlack, today: dt.date) -> list[DirectMessage]:
    playbook = services.playbook
    with services.database.transaction() as session:
        asked = session.execute(
            select(CheckIn.rep_id, CheckInQuestion.field)
            .join(CheckInQuestion, CheckInQuestion.checkin_id == CheckIn.id)
            .where(CheckIn.status == "open", CheckInQuestion.status == "asked")
            .order_by(CheckIn.rep_id)
        ).all()
    return [
        DirectMessage(
            f"U{rep}", slack.dm_of(f"U{rep}"), answer_for(playbook.field(field).kind, today)
        )
        for rep, field in asked
    ]


def answers_taken(database: Database) -> int:
    """Typed answers recorded, or proposed and waiting for the rep's yes (a new person's
    name is confirmed first); the benchmark's reps answer nothing else."""
    with database.transaction() as session:
        recorded = session.scalar(select(func.count()).where(Answer.source == "text")) or 0
        proposed = session.scalar(select(func.count()).where(CheckInQuestion.proposal.is_not(None)))
        return recorded + (proposed or 0)
