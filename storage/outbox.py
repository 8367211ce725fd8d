"""The outbox tables' SQL: enqueue in the caller's transaction, claim, settle.

Claims are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-level
advisory lock), so several processes never claim one row twice, and a message is
claimable only when no earlier message to the same recipient is still waiting:
each recipient gets its messages in order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Select,
    and_,
    delete,
    exists,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session, aliased

from storage.models import OutboxMessage
from storage.upsert import insert_ignoring_conflicts

CLAIM_LOCK_ID = 7_041_501


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A claimed message. `in_doubt`: an earlier claim ended without an outcome."""

    id: int
    key: str
    transport: str
    recipient: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    in_doubt: bool
    created_at: dt.datetime
    replaces_ref: str | None = None  # where the message it updates landed, when known


def enqueue(
    session: Session,
    *,
    key: str,
    transport: str,
    recipient: str,
    kind: str,
    payload: dict[str, Any],
    now: dt.datetime,
    not_after: dt.datetime | None = None,
) -> bool:
    """Add a message unless one with this key exists; True when it was added."""
    row = {
        "key": key,
        "transport": transport,
        "recipient": recipient,
        "kind": kind,
        "payload": payload,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "not_after": not_after,
        "created_at": now,
    }
    return bool(insert_ignoring_conflicts(session, OutboxMessage, [row], ["key"]))


def enqueue_many(session: Session, rows: list[dict[str, Any]], now: dt.datetime) -> int:
    """Bulk enqueue (one statement); rows need key, transport, recipient, kind, payload."""
    full = [
        {"status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now}
        | {"not_after": None}
        | row
        for row in rows
    ]
    return len(insert_ignoring_conflicts(session, OutboxMessage, full, ["key"]))


def claim(
    session: Session,
    *,
    worker: str,
    transports: list[str],
    now: dt.datetime,
    lease: dt.timedelta,
    limit: int,
    recipients: list[str] | None = None,
) -> list[OutboxItem]:
    """Lease up to `limit` due messages for `transports`, oldest first."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": CLAIM_LOCK_ID})
    _expire_overdue(session, now)
    earlier = aliased(OutboxMessage)
    blocked_by_earlier = exists().where(
        earlier.recipient == OutboxMessage.recipient,
        earlier.status == "pending",
        earlier.id < OutboxMessage.id,
        or_(earlier.next_attempt_at > now, earlier.claimed_until >= now),
    )
    query = (
        select(OutboxMessage)
        .where(
            OutboxMessage.status == "pending",
            OutboxMessage.transport.in_(transports),
            OutboxMessage.next_attempt_at <= now,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
            ~blocked_by_earlier,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if recipients is not None:
        query = query.where(OutboxMessage.recipient.in_(recipients))
    rows = list(session.scalars(query))
    if not rows:
        return []
    refs = _landed(session, [row.payload.get("replaces") for row in rows])
    items = [
        OutboxItem(
            id=row.id,
            key=row.key,
            transport=row.transport,
            recipient=row.recipient,
            kind=row.kind,
            payload=row.payload,
            attempts=row.attempts + 1,
            in_doubt=row.claimed_by is not None,
            created_at=row.created_at,
            replaces_ref=refs.get(row.payload.get("replaces") or ""),
        )
        for row in rows
    ]
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_([row.id for row in rows]))
        .values(claimed_by=worker, claimed_until=now + lease, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return items


def _landed(session: Session, keys: list[str | None]) -> dict[str, str | None]:
    """key -> external ref, for the messages that claimed updates replace (one query)."""
    wanted = {key for key in keys if key}
    if not wanted:
        return {}
    rows = session.execute(
        select(OutboxMessage.key, OutboxMessage.external_ref).where(OutboxMessage.key.in_(wanted))
    )
    return dict(rows.all())


def _expire_overdue(session: Session, now: dt.datetime) -> None:
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == "pending",
            and_(OutboxMessage.not_after.is_not(None), OutboxMessage.not_after < now),
        )
        .values(status="expired", claimed_by=None, claimed_until=None)
        .execution_options(synchronize_session=False)
    )


def mark_sent(session: Session, item_id: int, external_ref: str | None, now: dt.datetime) -> None:
    _settle(session, item_id, status="sent", sent_at=now, external_ref=external_ref)


def mark_retry(
    session: Session, item_id: int, error: str, at: dt.datetime, *, counts: bool = True
) -> None:
    """Try again at `at`. A rate limit does not count as an attempt (`counts=False`), so
    a long 429 storm never brings a message closer to being given up."""
    values: dict[str, Any] = {"last_error": error[:2000], "next_attempt_at": at}
    if not counts:
        values["attempts"] = OutboxMessage.attempts - 1
    _settle(session, item_id, **values)


def mark_dead(session: Session, item_id: int, error: str) -> None:
    _settle(session, item_id, status="dead", last_error=error[:2000])


def release(session: Session, item_ids: list[int]) -> None:
    """Give claimed messages back untouched (their turn comes again at once)."""
    if item_ids:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(item_ids))
            .values(claimed_by=None, claimed_until=None, attempts=OutboxMessage.attempts - 1)
            .execution_options(synchronize_session=False)
        )


def _settle(session: Session, item_id: int, **values: Any) -> None:
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == item_id)
        .values(claimed_by=None, claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )


def message(session: Session, key: str) -> OutboxMessage | None:
    """The outbox row with this key."""
    return session.scalar(select(OutboxMessage).where(OutboxMessage.key == key))


def destinations(session: Session, keys: list[str]) -> list[tuple[str, str, str]]:
    """(key, transport, recipient) of the rows with these keys: where each went."""
    if not keys:
        return []
    query = select(OutboxMessage.key, OutboxMessage.transport, OutboxMessage.recipient).where(
        OutboxMessage.key.in_(keys)
    )
    return [(key, transport, recipient) for key, transport, recipient in session.execute(query)]


def forget_sent_before(
    session: Session, cutoff: dt.datetime, keep: Select[Any] | CompoundSelect[Any]
) -> int:
    """Delete messages sent before `cutoff`, except those whose key `keep` selects (a post
    that a later update must still find, e.g. an open warning's); returns how many went."""
    result = session.execute(
        delete(OutboxMessage)
        .where(
            OutboxMessage.status == "sent",
            OutboxMessage.sent_at < cutoff,
            OutboxMessage.key.not_in(keep),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount  # type: ignore[attr-defined]


def pending_summary(session: Session) -> tuple[int, dt.datetime | None]:
    """How many messages wait to be sent, and when the oldest of them was written."""
    count, oldest = session.execute(
        select(func.count(), func.min(OutboxMessage.created_at)).where(
            OutboxMessage.status == "pending"
        )
    ).one()
    return int(count), oldest
