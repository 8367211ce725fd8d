"""A bot process for fault tests: the scheduler and delivery, until the outbox is empty.

Every delivered message is appended to a journal file (one line each, written with
O_APPEND). A message handed over `in_doubt` (its previous claim died mid-send) is
first looked up in the journal, as a real sender looks for its earlier post.

usage: checkin_worker.py JOURNAL START_ISO [--send-delay SECONDS] [--deadline SECONDS]
Reads the database from DEALCOACH_DATABASE_URL.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from sqlalchemy import func, select

from bot.bootstrap import build_app, build_services
from bot.engine.messages import Message
from bot.infra.delivery import Delivered, DeliveryPolicy, SendResult
from bot.infra.scheduler import Clockwork
from bot.settings import load_settings
from storage.models import OutboxMessage
from storage.outbox import OutboxItem


class RunningClock:
    """Real time, shifted so that the process starts at `start`."""

    def __init__(self, start: dt.datetime) -> None:
        self.offset = start - dt.datetime.now(dt.UTC)

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + self.offset


class JournalSender:
    transport = "console"

    def __init__(self, journal: Path, delay: float) -> None:
        self.journal = journal
        self.delay = delay

    async def send(self, item: OutboxItem, message: Message, replaces: str | None) -> SendResult:
        if item.in_doubt and self._already_sent(item.key):
            return Delivered(item.key)
        await asyncio.sleep(self.delay)
        line = f"{item.key}\t{item.recipient}\t{os.getpid()}\n".encode()
        descriptor = os.open(self.journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        try:
            os.write(descriptor, line)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        return Delivered(item.key)

    def _already_sent(self, key: str) -> bool:
        if not self.journal.exists():
            return False
        return any(line.split("\t")[0] == key for line in self.journal.read_text().splitlines())


def pending(database) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count()).where(OutboxMessage.status == "pending")) or 0


async def work(journal: Path, start: dt.datetime, delay: float, deadline: float) -> None:
    """Run the real scheduler (APScheduler ticking the check-in rounds every 0.2 s) and
    the delivery loop until three rounds have run and nothing is pending."""
    clock = RunningClock(start)
    services = build_services(load_settings(tick_seconds=0.2), clock=clock)
    app = build_app(services)
    policy = DeliveryPolicy(batch=50, lease=dt.timedelta(seconds=2), poll_interval=0.1)
    delivery = app.delivery([JournalSender(journal, delay)], policy=policy)
    rounds = 0

    def count_round(now: dt.datetime) -> None:
        nonlocal rounds
        app.tick("checkins").run(now)
        rounds += 1

    checkin_ticks = [replace(tick, run=count_round) for tick in app.ticks if tick.id == "checkins"]
    clockwork = Clockwork(checkin_ticks, clock, delivery.kick)
    stop = asyncio.Event()
    delivering = asyncio.create_task(delivery.run(stop))
    clockwork.start()
    stop_at = time.monotonic() + deadline
    try:
        while time.monotonic() < stop_at:
            await asyncio.sleep(0.1)
            if rounds >= 3 and await asyncio.to_thread(pending, services.database) == 0:
                return
        sys.exit("deadline passed with messages still pending")
    finally:
        clockwork.shutdown()
        stop.set()
        await delivering


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("journal", type=Path)
    parser.add_argument("start")
    parser.add_argument("--send-delay", type=float, default=0.0)
    parser.add_argument("--deadline", type=float, default=60.0)
    args = parser.parse_args()
    start = dt.datetime.fromisoformat(args.start)
    asyncio.run(work(args.journal, start, args.send_delay, args.deadline))


if __name__ == "__main__":
    main()
