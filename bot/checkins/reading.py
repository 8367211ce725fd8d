"""A reply to a check-in question, read by coaching/understanding against what the bot
knows around it: the deal's people, the rep's last answer in this check-in."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from coaching.playbook import Playbook
from coaching.understanding import (
    KnownPerson,
    PreviousAnswer,
    Reading,
    ReplyContext,
    understand,
)
from storage import answers, checkins, question_context
from storage.models import Answer, CheckInQuestion


def reply_context(
    session: Session,
    playbook: Playbook,
    question: CheckInQuestion,
    today: dt.date,
    deal_id: int | None = None,
) -> ReplyContext:
    """What a reply to `question` is read against; `deal_id`: the deal whose people
    it names, when not the question's (a correction of an earlier deal's answer)."""
    people = tuple(
        KnownPerson(name, title)
        for name, title in question_context.stakeholders(session, deal_id or question.deal_id)
    )
    previous = last_answers(session, question)
    return ReplyContext(
        playbook,
        question.field,
        today,
        people=people,
        previous=PreviousAnswer(previous[0].field, previous[0].value) if previous else None,
    )


def read_reply(
    session: Session, playbook: Playbook, question: CheckInQuestion, text: str, today: dt.date
) -> Reading:
    return understand(text, reply_context(session, playbook, question, today))


def last_answers(session: Session, question: CheckInQuestion) -> list[Answer]:
    """What the rep's last reply in this check-in recorded (what `undo` takes back and
    "no, I meant Tom" corrects)."""
    started = checkins.first_asked_at(session, question.checkin_id)
    if started is None:
        return []
    return answers.last_reply(
        session, checkins.checkin(session, question.checkin_id).rep_id, started
    )
