"""Turns run after the HTTP answer: Bot Service gives up on a request after about 15 s,
and a turn may call the model (30 s timeout, retries). Like the Slack side, the request
is answered first and the work done after; turns of one conversation still run one at
a time in the order they arrived, and a retried activity (same id) is claimed once by
the engine."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)


class Turns:
    """Background turns, chained per conversation."""

    def __init__(self) -> None:
        self._last: dict[str, asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def run(self, conversation: str, work: Coroutine[Any, Any, Any]) -> None:
        """Start `work` once the conversation's previous turn is done."""
        task = asyncio.create_task(self._after(self._last.get(conversation), work))
        self._last[conversation] = task
        self._tasks.add(task)
        task.add_done_callback(lambda done: self._forget(conversation, done))

    async def _after(
        self, previous: asyncio.Task[None] | None, work: Coroutine[Any, Any, Any]
    ) -> None:
        if previous is not None:
            await asyncio.wait([previous])
        try:
            await work
        except Exception:
            log.exception("a Teams turn failed")

    def _forget(self, conversation: str, done: asyncio.Task[None]) -> None:
        self._tasks.discard(done)
        if self._last.get(conversation) is done:
            del self._last[conversation]

    async def idle(self) -> None:
        """Wait until every turn started so far (and any they started) is done."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
