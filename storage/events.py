"""Inbound event ids already handled: chat platforms retry, the bot acts once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.models import ProcessedEvent
from storage.upsert import insert_ignoring_conflicts


def claim_event(session: Session, event_id: str, now: dt.datetime) -> bool:
    """True the first time an event id ("transport:id") is seen; the claim commits
    with the caller's transaction."""
    row = {"event_id": event_id[:200], "source": event_id.partition(":")[0], "received_at": now}
    return bool(insert_ignoring_conflicts(session, ProcessedEvent, [row], ["event_id"]))


def forget_events_before(session: Session, cutoff: dt.datetime) -> int:
    """Drop ids older than any retry window; returns how many went."""
    result = session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < cutoff))
    return result.rowcount  # type: ignore[attr-defined]
