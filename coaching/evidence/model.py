"""Evidence records: CRM activities and the signals read from text. Pure dataclasses.

An activity's direction says who acted: "buyer" when the buyer took part (a meeting
held, a call connected, an email from the buyer), "rep" when only the rep did (an
email sent, a call not answered, a note, a task), "unknown" when the export can't say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

ACTIVITY_KINDS = ("call", "meeting", "email", "note", "task")
ACTIVITY_STATUSES = ("completed", "scheduled")
DIRECTIONS = ("buyer", "rep", "unknown")


@dataclass(frozen=True, slots=True)
class Activity:
    """One CRM activity linked to a deal."""

    deal_id: int
    kind: str
    """call, meeting, email, note or task."""
    status: str
    """completed or scheduled."""
    occurred_at: dt.datetime
    """Aware UTC; for a scheduled activity, when it is planned."""
    subject: str | None
    body: str | None
    contact_name: str | None
    contact_email: str | None
    direction: str
    """buyer, rep or unknown (see the module docstring)."""
    source: str
    """Where it came from: salesforce, hubspot, csv..."""
    source_ref: str
    """Its id in that source (or a digest of its row when the export has no id)."""


@dataclass(frozen=True, slots=True)
class Signal:
    """Something a text says about a deal, with the words that say it."""

    deal_id: int
    kind: str
    quote: str
    """Verbatim from the source text."""
    occurred_on: dt.date
    source: str
    """The kind of text: activity, description, answer..."""
    source_ref: str
    """Which one of that kind (an activity's source:source_ref, an answer id...)."""
    confidence: float = 1.0
