"""Durable delivery from the outbox: claim, send in order per recipient, settle.

Transports plug in a `Sender`. A 429 waits for its Retry-After; other failures back
off exponentially with jitter; a message is given up ("dead", logged as an error)
only after many non-rate-limit failures. Nothing is dropped silently. A claim is a
lease: if this process dies mid-send, another picks the message up when the lease
ends, flagged `in_doubt` so a sender that can check for a previous delivery does.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import random
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from bot.engine.messages import Message
from bot.engine.outgoing import Payload
from bot.infra import metrics
from bot.infra.spool import database_unreachable, describe
from coaching.clock import Clock
from storage import outbox
from storage.db import Database
from storage.outbox import OutboxItem

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Delivered:
    external_ref: str | None = None


@dataclass(frozen=True, slots=True)
class RetryLater:
    """Try again after `after` seconds (a Retry-After), or when None after the policy's
    backoff. Rate limits do not count towards giving up."""

    after: float | None
    error: str
    rate_limited: bool = False


@dataclass(frozen=True, slots=True)
class Failed:
    """A permanent failure (e.g. the user no longer exists): retrying cannot help."""

    error: str


SendResult = Delivered | RetryLater | Failed


class Sender(Protocol):
    """Delivers outbox messages of one transport."""

    transport: str

    async def send(self, item: OutboxItem, message: Message, replaces: str | None) -> SendResult:
        """Post (or, with `replaces`, update in place) one message."""
        ...


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    batch: int = 100
    lease: dt.timedelta = dt.timedelta(seconds=60)
    concurrency: int = 16
    max_failures: int = 20
    backoff_base: float = 1.0
    backoff_cap: float = 300.0
    poll_interval: float = 1.0


def backoff(failures: int, policy: DeliveryPolicy) -> float:
    """Exponential backoff with +-20% jitter, capped."""
    delay = min(policy.backoff_cap, policy.backoff_base * 2 ** max(0, failures - 1))
    return delay * random.uniform(0.8, 1.2)


class Delivery:
    """Sends what is due in the outbox through the senders; one loop per process."""

    def __init__(
        self,
        database: Database,
        senders: Sequence[Sender],
        clock: Clock,
        *,
        policy: DeliveryPolicy | None = None,
        recipients: list[str] | None = None,
    ) -> None:
        self.database = database
        self.senders = {sender.transport: sender for sender in senders}
        self.clock = clock
        self.policy = policy or DeliveryPolicy()
        self.recipients = recipients
        self.worker = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def deliver_due(self) -> int:
        """One pass: claim due messages, send them, settle them. Returns how many were sent."""
        items = await asyncio.to_thread(self._claim)
        groups: dict[str, list[OutboxItem]] = {}
        for item in items:
            groups.setdefault(item.recipient, []).append(item)
        limit = asyncio.Semaphore(self.policy.concurrency)

        async def deliver_group(group: list[OutboxItem]) -> int:
            async with limit:
                return await self._deliver_in_order(group)

        sent = await asyncio.gather(*(deliver_group(group) for group in groups.values()))
        return sum(sent)

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; `kick()` wakes the loop early."""
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        try:
            while not stop.is_set():
                try:
                    claimed_any = await self.deliver_due() > 0
                except Exception as error:
                    if database_unreachable(error):
                        log.warning(
                            "delivery: database unreachable (%s); retrying", describe(error)
                        )
                    else:
                        log.exception("delivery pass failed; retrying shortly")
                    claimed_any = False
                if claimed_any:
                    continue
                self._wake.clear()
                waiters = [
                    asyncio.ensure_future(stop.wait()),
                    asyncio.ensure_future(self._wake.wait()),
                ]
                await asyncio.wait(
                    waiters, timeout=self.policy.poll_interval, return_when=asyncio.FIRST_COMPLETED
                )
                for waiter in waiters:
                    waiter.cancel()
        finally:
            self._loop = self._wake = None  # stopped: nothing to wake any more

    def kick(self) -> None:
        """Wake the delivery loop (safe to call from any thread)."""
        if self._loop is not None and self._wake is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    def _claim(self) -> list[OutboxItem]:
        with self.database.transaction() as session:
            return outbox.claim(
                session,
                worker=self.worker,
                transports=list(self.senders),
                now=self.clock.now(),
                lease=self.policy.lease,
                limit=self.policy.batch,
                recipients=self.recipients,
            )

    async def _deliver_in_order(self, group: list[OutboxItem]) -> int:
        """Send one recipient's messages in order and stop at the first that must wait;
        then settle them all, and release the rest, in one transaction."""
        results: list[tuple[OutboxItem, SendResult]] = []
        landed: dict[str, str | None] = {}  # this group's keys already posted: their refs
        for item in group:
            result = await self._send(item, landed)
            results.append((item, result))
            if not isinstance(result, Delivered):
                break
            landed[item.key] = result.external_ref
        waiting = [later.id for later in group[len(results) :]]
        await asyncio.to_thread(self._settle, results, waiting)
        return len(landed)

    async def _send(self, item: OutboxItem, landed: dict[str, str | None]) -> SendResult:
        try:
            payload = Payload.model_validate(item.payload)
        except Exception as exc:
            return Failed(f"unreadable payload: {exc}")
        replaces = payload.replaces
        reference = landed.get(replaces, item.replaces_ref) if replaces else None
        try:
            return await self.senders[item.transport].send(item, payload.message, reference)
        except Exception as exc:
            log.warning("sending %s failed: %r", item.key, exc)
            return RetryLater(None, repr(exc))

    def _settle(self, results: list[tuple[OutboxItem, SendResult]], waiting: list[int]) -> None:
        now = self.clock.now()
        with self.database.transaction() as session:
            for item, result in results:
                self._settle_one(session, item, result, now)
            outbox.release(session, waiting)

    def _settle_one(
        self, session: Session, item: OutboxItem, result: SendResult, now: dt.datetime
    ) -> None:
        if isinstance(result, Delivered):
            outbox.mark_sent(session, item.id, result.external_ref, now)
            metrics.delivered(item.transport, item.created_at, now)
        elif isinstance(result, Failed):
            log.error("giving up on %s to %s: %s", item.key, item.recipient, result.error)
            outbox.mark_dead(session, item.id, result.error)
            metrics.GIVEN_UP.labels(item.transport).inc()
        elif not result.rate_limited and item.attempts >= self.policy.max_failures:
            log.error(
                "giving up on %s after %d attempts: %s", item.key, item.attempts, result.error
            )
            outbox.mark_dead(session, item.id, result.error)
            metrics.GIVEN_UP.labels(item.transport).inc()
        else:
            metrics.RETRIES.labels(item.transport).inc()
            if result.rate_limited:
                metrics.RATE_LIMITED.labels(item.transport).inc()
            delay = (
                result.after if result.after is not None else backoff(item.attempts, self.policy)
            )
            at = now + dt.timedelta(seconds=delay)
            outbox.mark_retry(session, item.id, result.error, at, counts=not result.rate_limited)
