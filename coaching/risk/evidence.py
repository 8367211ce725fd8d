"""A deal's evidence as the rules read it: what the buyer did, what the texts say.

Buyer activity (a meeting held, a call connected, an email from the buyer) is kept
apart from the rep's (an email sent, a call not answered, a note): only the buyer's
clears silence. A scheduled meeting or call ahead is a dated next step. Signals are
the lexicon's and the model's readings of notes, each with its quote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from coaching.evidence.model import Activity, Signal

REACH_OUT = ("email", "call")


@dataclass(frozen=True, slots=True)
class Quote:
    """One piece of evidence a warning cites: what, when, where from, in whose words."""

    kind: str
    quote: str
    on: dt.date
    source: str

    def cite(self, today: dt.date) -> str:
        """`note of 20 Nov: 'budget frozen until Q2'` (the year only when not this one)."""
        return f"{self.source} of {day(self.on, today)}: '{self.quote}'"

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "date": self.on.isoformat(),
            "source": self.source,
            "quote": self.quote,
        }


def day(on: dt.date, today: dt.date) -> str:
    text = f"{on.day} {on:%b}"
    return text if on.year == today.year else f"{text} {on.year}"


def quote_of(signal: Signal) -> Quote:
    return Quote(signal.kind, signal.quote, signal.occurred_on, signal.source)


class DealEvidence:
    """One deal's activities and signals, read relative to `today`."""

    def __init__(
        self, activities: Iterable[Activity], signals: Iterable[Signal], today: dt.date
    ) -> None:
        self.activities = sorted(activities, key=lambda activity: activity.occurred_at)
        self.signals = _unique(signals)
        self.today = today

    @property
    def logged(self) -> bool:
        """True when an activity log covers this deal: then it, not the CRM's date, counts."""
        return bool(self.activities)

    @cached_property
    def _done(self) -> list[Activity]:
        return [
            activity
            for activity in self.activities
            if activity.status == "completed" and activity.occurred_at.date() <= self.today
        ]

    def last_buyer_activity(self) -> Activity | None:
        buyer = [activity for activity in self._done if activity.direction == "buyer"]
        return buyer[-1] if buyer else None

    def rep_reach_outs_since(self, since: dt.date | None) -> list[Activity]:
        """The rep's emails and calls after `since` (all of them when None)."""
        return [
            activity
            for activity in self._done
            if activity.direction == "rep"
            and activity.kind in REACH_OUT
            and (since is None or activity.occurred_at.date() > since)
        ]

    def next_meeting(self) -> Activity | None:
        """The first meeting or call scheduled from today on (with the buyer or unknown)."""
        ahead = [
            activity
            for activity in self.activities
            if activity.status == "scheduled"
            and activity.kind in ("meeting", "call")
            and activity.direction != "rep"
            and activity.occurred_at.date() >= self.today
        ]
        return ahead[0] if ahead else None

    def met(self, person: str) -> Activity | None:
        """The last completed buyer meeting or call with `person` (matched by name)."""
        wanted = person.casefold().strip()
        if not wanted:
            return None
        for activity in reversed(self._done):
            name = (activity.contact_name or "").casefold()
            if (
                activity.direction == "buyer"
                and activity.kind in ("meeting", "call")
                and name
                and (wanted in name or name in wanted)
            ):
                return activity
        return None

    def quotes(self, kind: str, within_days: int, since: dt.date | None = None) -> list[Quote]:
        """Signals of `kind` from the last `within_days` days (and after `since`), oldest first."""
        start = self.today - dt.timedelta(days=within_days)
        if since is not None:
            start = max(start, since)
        return [
            quote_of(signal)
            for signal in self.signals
            if signal.kind == kind and start <= signal.occurred_on <= self.today
        ]


def cites(quotes: Sequence[Quote], today: dt.date, most: int = 2) -> str:
    """The newest `most` quotes cited, newest first, joined with '; '."""
    return "; ".join(quote.cite(today) for quote in list(reversed(quotes))[:most])


def _unique(signals: Iterable[Signal]) -> list[Signal]:
    """Signals oldest first, one per (kind, text read, quote): lexicon and model agree often."""
    seen: dict[tuple[str, str, str, str], Signal] = {}
    for signal in signals:
        key = (signal.kind, signal.source, signal.source_ref, signal.quote)
        seen.setdefault(key, signal)
    return sorted(seen.values(), key=lambda signal: signal.occurred_on)
