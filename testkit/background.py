"""Serving aiohttp applications on 127.0.0.1 at a free port, for tests: `serving()` in
the running event loop, `BackgroundApp` from a thread of its own (so that synchronous
tests can drive the fake servers that play external APIs)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any, TypeVar

from aiohttp import web

T = TypeVar("T")


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    """Serve `app` on 127.0.0.1 at a free port while the block runs; yields its base URL."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        yield f"http://{host}:{port}"
    finally:
        await runner.cleanup()


class BackgroundApp:
    """Owns the event loop, the thread and the runner; a fake builds the application."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self._served = AsyncExitStack()
        self.url = ""

    def start(self, build: Callable[[], Awaitable[web.Application]]) -> str:
        """Serve the application `build` makes (inside the loop); returns its base URL."""
        self._thread.start()
        self.run(self._serve(build))
        return self.url

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 10) -> T:
        """Run a coroutine in the server's loop from the calling thread."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self, before: Callable[[], Coroutine[Any, Any, None]] | None = None) -> None:
        """Run `before` (closing what the fake holds open), then shut everything down."""
        if before is not None:
            self.run(before())
        self.run(self._served.aclose())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()

    async def _serve(self, build: Callable[[], Awaitable[web.Application]]) -> None:
        self.url = await self._served.enter_async_context(serving(await build()))
