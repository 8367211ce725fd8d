"""The housekeeping tick: processed event ids and sent outbox messages older than the
retention period (DEALCOACH_RETENTION_DAYS) are deleted, so neither table grows forever."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from bot.engine.feature import Tick
from storage.db import Database
from storage.housekeeping import Forgotten, forget_before

log = logging.getLogger(__name__)
EVERY = dt.timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Housekeeping:
    database: Database
    retention: dt.timedelta

    def run(self, now: dt.datetime) -> Forgotten:
        with self.database.transaction() as session:
            forgotten = forget_before(session, now - self.retention)
        if forgotten.events or forgotten.messages:
            log.info(
                "housekeeping: forgot %d event ids and %d sent messages older than %d days",
                forgotten.events,
                forgotten.messages,
                self.retention.days,
            )
        return forgotten

    def tick(self) -> Tick:
        return Tick("housekeeping", EVERY, self.run)
