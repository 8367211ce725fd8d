"""A deal by id, and the changes a rep makes to one (pausing it)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Deal, DealEvent


def deal(session: Session, deal_id: int) -> Deal:
    """The deal with this id (it must exist: ids come from our own rows)."""
    return session.get_one(Deal, deal_id)


def find(session: Session, deal_id: int) -> Deal | None:
    """The deal with this id, or None."""
    return session.get(Deal, deal_id)


def owned_open_deal(session: Session, deal_id: int | None, owner_id: int) -> Deal | None:
    """The deal, when it is open and this person owns it."""
    found = session.get(Deal, deal_id) if deal_id else None
    if found is None or found.owner_id != owner_id or found.status != "open":
        return None
    return found


def open_deals(session: Session) -> list[Deal]:
    """Every open deal."""
    return list(session.scalars(select(Deal).where(Deal.status == "open")))


def set_pause(
    session: Session,
    found: Deal,
    *,
    until: dt.date | None,
    reason: str | None,
    person_id: int,
    now: dt.datetime,
) -> None:
    """Pause a deal until a date (or resume it, with None), keeping the change as an event."""
    session.add(
        DealEvent(
            deal_id=found.id,
            kind="pause",
            old_value=found.paused_until.isoformat() if found.paused_until else None,
            new_value=f"{until.isoformat()}: {reason}"[:300] if until else None,
            occurred_at=now,
            source="rep",
            person_id=person_id,
        )
    )
    found.paused_until = until
    found.pause_reason = reason
