"""What the bot sends, as outbox entries: one typed entry, one payload shape.

Use cases write their messages to the outbox in their own transaction (nothing is
sent before the state change that caused it commits); bot/infra/delivery.py sends
them afterwards. `Outgoing` collects the replies of one turn to one recipient.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, field_validator
from sqlalchemy.orm import Session

from bot.engine.messages import Message
from storage import outbox
from storage.models import CheckInQuestion

_CONTROLS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def person_address(person_id: int) -> str:
    """The recipient of a person's direct messages, on any transport."""
    return f"person:{person_id}"


@dataclass(frozen=True, slots=True)
class Address:
    """Where a message goes: a transport and a recipient on it (`person:<id>`,
    `channel:<id>`, `email:<address>`)."""

    transport: str
    recipient: str


class EmailPart(BaseModel):
    """What an email carries beside the neutral message."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    subject: str
    text: str
    html: str | None = None
    to_name: str | None = None
    reply_to: str | None = None
    reply_to_name: str | None = None

    @field_validator("subject", "to_name", "reply_to", "reply_to_name")
    @classmethod
    def _one_header_line(cls, value: str | None) -> str | None:
        """Header values become one line: a CR/LF (from a model's headline, say) would
        make every send fail; control characters go, runs of spaces become one."""
        if value is None:
            return None
        return " ".join(_CONTROLS.sub(" ", value).split())


class Payload(BaseModel):
    """An outbox row's payload: the message, the key of the message it replaces (an
    update in place), and for email its subject, text and HTML."""

    model_config = ConfigDict(frozen=True)

    message: Message
    replaces: str | None = None
    email: EmailPart | None = None

    def as_json(self) -> dict[str, Any]:
        stored: dict[str, Any] = {
            "message": self.message.model_dump(mode="json"),
            "replaces": self.replaces,
        }
        if self.email is not None:
            stored["email"] = self.email.model_dump(mode="json")
        return stored


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One message to write to the outbox. Its key makes it idempotent: an entry whose
    key is already there is not written again."""

    key: str
    to: Address
    message: Message
    kind: Literal["message", "update"] = "message"
    replaces: str | None = None
    email: EmailPart | None = None
    not_after: dt.datetime | None = None  # not sent at all after this moment

    def row(self) -> dict[str, Any]:
        payload = Payload(message=self.message, replaces=self.replaces, email=self.email)
        return {
            "key": self.key,
            "transport": self.to.transport,
            "recipient": self.to.recipient,
            "kind": self.kind,
            "payload": payload.as_json(),
            "not_after": self.not_after,
        }


def enqueue(session: Session, entries: Sequence[OutboxEntry], now: dt.datetime) -> int:
    """Write entries to the outbox in the caller's transaction (one statement); returns
    how many were new."""
    if not entries:
        return 0
    return outbox.enqueue_many(session, [entry.row() for entry in entries], now)


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
        return self._enqueue(OutboxEntry(key, self.address, message, not_after=self.not_after))

    def update(self, replaces: str, message: Message) -> str:
        """Replace an earlier message in place (where the transport can)."""
        entry = OutboxEntry(
            self._next_key(),
            self.address,
            message,
            kind="update",
            replaces=replaces,
            not_after=self.not_after,
        )
        return self._enqueue(entry)

    @property
    def address(self) -> Address:
        return Address(self.transport, self.recipient)

    def _next_key(self) -> str:
        return f"{self.key_prefix}:{len(self.keys) + 1}"

    def _enqueue(self, entry: OutboxEntry) -> str:
        enqueue(self.session, [entry], self.now)
        self.keys.append(entry.key)
        return entry.key
