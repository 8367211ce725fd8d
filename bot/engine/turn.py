"""One turn of a conversation: who is talking, what they said, where replies go."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.engine.outgoing import Outgoing
from storage.models import Person


@dataclass
class Turn:
    session: Session
    out: Outgoing
    person: Person
    now: dt.datetime
    args: str = ""
    channel: str | None = None  # where it was said, when not a direct message
    prepared: object = None  # what the command's preparer computed before the transaction

    @property
    def today(self) -> dt.date:
        return local_today(self.person, self.now)


def local_today(person: Person, now: dt.datetime) -> dt.date:
    """The person's local date: what 'tomorrow' and 'next Friday' are read against."""
    return now.astimezone(ZoneInfo(person.timezone)).date()
