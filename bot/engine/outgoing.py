"""Outgoing messages of one use case, written to the outbox in its transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.engine.messages import Message
from storage import outbox
from storage.models import CheckInQuestion


def person_address(person_id: int) -> str:
    return f"person:{person_id}"


@dataclass
class Outgoing:
    """Collects what to send to one recipient; keys are `key_prefix:n`, so a retried
    event that re-runs the same use case cannot enqueue its replies twice."""

    session: Session
    transport: str
    recipient: str
    key_prefix: str
    now: dt.datetime
    not_after: dt.datetime | None = None
    keys: list[str] = field(default_factory=list)

    def send(self, message: Message, *, question: CheckInQuestion | None = None) -> str:
        """Post a new message; a question it carries will be updated through its key."""
        key = self._next_key()
        if question is not None:
            question.message_ref = key  # set before the insert flushes the question
        return self._enqueue(key, "message", message, replaces=None)

    def update(self, replaces: str, message: Message) -> str:
        """Replace an earlier message in place (where the transport can)."""
        return self._enqueue(self._next_key(), "update", message, replaces=replaces)

    def _next_key(self) -> str:
        return f"{self.key_prefix}:{len(self.keys) + 1}"

    def _enqueue(self, key: str, kind: str, message: Message, replaces: str | None) -> str:
        outbox.enqueue(
            self.session,
            key=key,
            transport=self.transport,
            recipient=self.recipient,
            kind=kind,
            payload={"message": message.model_dump(mode="json"), "replaces": replaces},
            now=self.now,
            not_after=self.not_after,
        )
        self.keys.append(key)
        return key
