"""The transports' port into the conversation: `handle` an incoming message, `kick`
delivery awake (`Inbox`), and what implements it (`SpooledInbox`).

The engine needs the database for everything it does. While the database cannot be
reached, a message is kept in the spool (a local file) and `kept` is said; once the
database answers again the spool is replayed, oldest first, before anything new.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from bot.engine.engine import ConversationEngine
from bot.engine.feature import Tick
from bot.engine.messages import Incoming
from bot.infra import metrics
from bot.infra.spool import InboxSpool, database_unreachable, describe
from storage.db import Database

log = logging.getLogger(__name__)
REPLAY_EVERY = dt.timedelta(seconds=10)


@dataclass(frozen=True, slots=True)
class Handled:
    """The outbox keys of the replies, or `kept` when the message waits in the spool."""

    keys: list[str]
    kept: bool = False


class Inbox(Protocol):
    """The narrow port a chat transport gets: all it may do with the conversation."""

    async def handle(self, incoming: Incoming) -> list[str]:
        """Handle what a person sent; the outbox keys of the replies."""
        ...

    def kick(self) -> None:
        """Wake delivery: there is something to send."""
        ...


@dataclass
class SpooledInbox:
    """The engine behind the spool. `wakes`: what `kick` wakes (the delivery loops)."""

    engine: ConversationEngine
    spool: InboxSpool
    database: Database
    wakes: list[Callable[[], None]] = field(default_factory=list)

    async def handle(self, incoming: Incoming) -> list[str]:
        """The outbox keys of the replies (none when the message was kept for later);
        delivery is woken to send them."""
        kind = "action" if incoming.action else "text"
        metrics.EVENTS.labels(incoming.transport, kind).inc()
        handled = await asyncio.to_thread(self.receive, incoming)
        self.kick()
        return handled.keys

    def receive(self, incoming: Incoming) -> Handled:
        """Hand a message to the engine; while the database is unreachable, keep it."""
        try:
            if len(self.spool):
                self.spool.replay(self.engine.handle)
            return Handled(self.engine.handle(incoming))
        except Exception as error:
            if not database_unreachable(error):
                raise
            log.warning("database unreachable (%s): message kept for later", describe(error))
            self.spool.keep(incoming)
            return Handled([], kept=True)

    def kick(self) -> None:
        for wake in self.wakes:
            wake()

    def replay_kept(self, _now: dt.datetime) -> None:
        if len(self.spool) and self.database.ping():
            self.spool.replay(self.engine.handle)

    def tick(self, every: dt.timedelta) -> Tick:
        """The replay of kept messages, at least every REPLAY_EVERY."""
        return Tick("replay-kept-messages", min(every, REPLAY_EVERY), self.replay_kept)
