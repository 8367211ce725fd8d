"""APScheduler as a clock: it says "it is time to look"; our tables decide what is due.

APScheduler 3 does not coordinate processes, so no job carries state: every tick
calls a use case that claims its work in the database. Ticks are declared as data,
under stable ids (`bot.engine.feature.Tick`), by the features and the bootstrap.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.engine.feature import Tick
from bot.infra.spool import database_unreachable, describe
from coaching.clock import Clock

log = logging.getLogger(__name__)


class Clockwork:
    """Runs the ticks on an AsyncIOScheduler; `after_tick` wakes delivery."""

    def __init__(self, ticks: list[Tick], clock: Clock, after_tick: Callable[[], None]) -> None:
        self.ticks = ticks
        self.clock = clock
        self.after_tick = after_tick
        self.scheduler = AsyncIOScheduler(timezone=dt.UTC)

    def start(self) -> None:
        for tick in self.ticks:
            self.scheduler.add_job(
                self.fire,
                "interval",
                seconds=tick.every.total_seconds(),
                args=[tick],
                id=tick.id,
                max_instances=1,
                coalesce=True,
                next_run_time=dt.datetime.now(dt.UTC),
            )
        self.scheduler.start()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def fire(self, tick: Tick) -> None:
        try:
            await asyncio.to_thread(tick.run, self.clock.now())
        except asyncio.CancelledError:
            log.debug("tick %s cancelled by shutdown; its thread finishes the work", tick.id)
        except Exception as error:
            if database_unreachable(error):
                log.warning(
                    "tick %s: database unreachable (%s); trying again at the next tick",
                    tick.id,
                    describe(error),
                )
            else:
                log.exception("tick %s failed; it runs again at its next interval", tick.id)
        finally:
            self.after_tick()
