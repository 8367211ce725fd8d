"""One turn of a conversation: who is talking, what they said, where replies go."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.engine.outgoing import Outgoing
from bot.infra.local_time import local_date
from storage.models import Person


@dataclass
class Turn:
    """The session carries the turn's transaction to the storage functions a use case
    calls; `out` collects the replies, written to the outbox in that transaction."""

    session: Session
    out: Outgoing
    person: Person
    now: dt.datetime
    args: str = ""
    channel: str | None = None  # where it was said, when not a direct message
    prepared: object = None  # what was read or written before the transaction (slow work)
    commands: frozenset[str] = frozenset()  # every command word, for "did you mean"

    @property
    def today(self) -> dt.date:
        """The person's local date: what 'tomorrow' and 'next Friday' are read against."""
        return local_date(self.now, self.person.timezone)
