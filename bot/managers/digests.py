"""Weekly digests: due per manager on their day, at a set local hour, sent once.

Every tick looks at all managers; those whose digest slot (their digest day, at
`at` in their time zone) has passed within the last day and whose Digest row for
that period does not exist yet are computed together, then claimed by inserting
the row (unique per manager and period) in the same transaction as the outbox
message: two processes send each digest once. A digest more than a day late is
skipped; the next comes on time. The period is keyed by the slot's local date.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from bot.engine.outgoing import OutboxEntry, enqueue
from bot.infra.collector import collector_paused
from bot.infra.local_time import local_date, zone_or_utc
from bot.infra.recipients import Recipients
from bot.managers.digest_chart import chart_image
from bot.managers.digest_messages import digest_message
from coaching.digest import DigestOptions, build_figures
from coaching.playbook import Playbook
from coaching.risk import Wording
from coaching.schedule import WEEKDAYS
from storage import digests as store
from storage.db import Database

log = logging.getLogger(__name__)
GRACE = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)


@dataclass(frozen=True, slots=True)
class DigestSchedule:
    default_day: str = "mon"
    at: dt.time = dt.time(8, 0)

    def last_slot(self, manager: store.Manager, now: dt.datetime) -> dt.datetime:
        """The latest digest moment at or before `now`, in UTC."""
        tz = zone_or_utc(manager.timezone)
        weekday = WEEKDAYS.index(_day(manager.digest_day, self.default_day))
        today = local_date(now, manager.timezone)
        day = today - dt.timedelta(days=(today.weekday() - weekday) % 7)
        slot = dt.datetime.combine(day, self.at, tzinfo=tz).astimezone(dt.UTC)
        if slot > now:
            slot = dt.datetime.combine(day - WEEK, self.at, tzinfo=tz).astimezone(dt.UTC)
        return slot

    def period_start(self, manager: store.Manager, now: dt.datetime) -> dt.date:
        return local_date(self.last_slot(manager, now), manager.timezone)


@dataclass(frozen=True, slots=True)
class DigestRun:
    due: int = 0
    sent: int = 0


class Digests:
    """Computes digests for any set of managers; sends the due ones once."""

    def __init__(
        self,
        database: Database,
        playbook: Playbook,
        wording: Wording,
        schedule: DigestSchedule,
        recipients: Recipients,
        *,
        options: DigestOptions | None = None,
    ) -> None:
        self.database = database
        self.playbook = playbook
        self.wording = wording
        self.schedule = schedule
        self.recipients = recipients
        self.options = options or DigestOptions()

    def run_due(self, now: dt.datetime) -> DigestRun:
        """The scheduler's tick: claim and send every digest due at `now`."""
        with collector_paused(), self.database.transaction() as session:
            managers = store.managers(session)
            due = {
                manager.id: manager
                for manager in managers
                if now - self.schedule.last_slot(manager, now) < GRACE
            }
            periods = {
                manager_id: self.schedule.period_start(manager, now)
                for manager_id, manager in due.items()
            }
            for manager_id in store.claimed_periods(session, periods):
                del due[manager_id]
            if not due:
                return DigestRun()
            figures = self.figures(session, list(due.values()), now)
            claimed = store.claim_digests(session, figures, periods, now)
            self._send(session, {manager: figures[manager] for manager in claimed}, now)
        log.info("weekly digests: %d due, %d sent", len(due), len(claimed))
        return DigestRun(len(due), len(claimed))

    def figures(
        self, session: Session, managers: list[store.Manager], now: dt.datetime
    ) -> dict[int, dict[str, Any]]:
        """Every figure of these managers' digests as of `now` (a fixed number of queries)."""
        if not managers:
            return {}
        periods = {manager.id: self.schedule.period_start(manager, now) for manager in managers}
        inputs = store.team_inputs(
            session,
            managers,
            periods,
            closed_since=now.date() - dt.timedelta(days=self.options.history_days + 1),
            checkins_since=now - WEEK,
        )
        before = store.previous_figures(session, periods)
        return {
            manager.id: build_figures(
                inputs[manager.id],
                self.playbook,
                self.wording,
                today=local_date(now, manager.timezone),
                period_start=periods[manager.id],
                options=self.options,
            )
            | {"pipeline_last_week": _pipeline(before.get(manager.id))}
            for manager in managers
        }

    def compose(self, session: Session, manager_id: int, now: dt.datetime) -> dict[str, Any] | None:
        """One manager's digest now, without claiming the week (None: not a manager)."""
        found = store.managers(session, [manager_id])
        return self.figures(session, found, now)[manager_id] if found else None

    def send_now(
        self, session: Session, manager_id: int, figures: dict[str, Any], now: dt.datetime
    ) -> str:
        """Post a digest to the manager's channel (or DM) outside the weekly round."""
        key = f"digest:{manager_id}:now:{now.isoformat()}"
        self._send(session, {manager_id: figures}, now, key=key)
        return key

    def _send(
        self,
        session: Session,
        figures: dict[int, dict[str, Any]],
        now: dt.datetime,
        *,
        key: str | None = None,
    ) -> None:
        places = self.recipients.managers(session, list(figures))
        entries = [
            OutboxEntry(
                key or f"digest:{manager}:{content['period_start']}",
                places[manager],
                digest_message(content, chart_image(content, self.wording)),
            )
            for manager, content in figures.items()
        ]
        enqueue(session, entries, now)


def _pipeline(figures: dict[str, Any] | None) -> list[dict[str, Any]] | None:
    """Last digest's deals per stage, for the chart (None: no earlier digest)."""
    if figures is None:
        return None
    return [
        {"stage": row["stage"], "deals": row["deals"]}
        for row in figures.get("pipeline_by_stage", [])
    ]


def _day(value: str | None, default: str) -> str:
    day = (value or default).strip().lower()[:3]
    return day if day in WEEKDAYS else default
