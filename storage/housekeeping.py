"""Rows kept only for a while: processed event ids and sent outbox messages.

An event id guards against a platform's retries (minutes), a sent message against
sending it twice (until it has settled); after the retention period both are only
weight. A sent post that an update must still find (an open warning's post, marked
resolved in place later; the question of a check-in still open) is kept however old.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from storage import outbox
from storage.events import forget_events_before
from storage.models import CheckIn, CheckInQuestion, RiskWarning


@dataclass(frozen=True, slots=True)
class Forgotten:
    events: int
    messages: int


def forget_before(session: Session, cutoff: dt.datetime) -> Forgotten:
    """Delete processed event ids and sent messages older than `cutoff`."""
    still_referenced = union_all(
        select(RiskWarning.message_ref).where(
            RiskWarning.resolved_at.is_(None), RiskWarning.message_ref.is_not(None)
        ),
        select(CheckInQuestion.message_ref)
        .join(CheckIn, CheckIn.id == CheckInQuestion.checkin_id)
        .where(CheckIn.status == "open", CheckInQuestion.message_ref.is_not(None)),
    )
    return Forgotten(
        events=forget_events_before(session, cutoff),
        messages=outbox.forget_sent_before(session, cutoff, still_referenced),
    )
