"""Connection limits aiohttp does not have: a cap on open connections and a deadline for
a request's headers.

aiohttp waits for headers forever, so clients that open connections and never finish
their headers exhaust file descriptors until nothing, not even a probe, is answered.
`GuardedSite` serves like `web.TCPSite`, behind `ConnectionGuard`: a connection over
`max_connections` is closed at once, and one whose first request's headers are not
complete `header_timeout` seconds after it opened is closed. Bodies are capped by the
application (`client_max_size`), header lines and fields by aiohttp's parser limits,
idle keep-alive connections by `KEEPALIVE_TIMEOUT`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web

log = logging.getLogger(__name__)
KEEPALIVE_TIMEOUT = 15.0  # seconds an idle keep-alive connection stays open
MAX_LINE = 8190  # bytes of the request line and of each header (aiohttp's parser)
_END_OF_HEADERS = b"\r\n\r\n"


@dataclass(frozen=True, slots=True)
class ConnectionLimits:
    max_connections: int = 500
    header_timeout: float = 10.0


class ConnectionGuard:
    """A protocol factory wrapping aiohttp's: counts and times the connections it makes."""

    def __init__(self, factory: Callable[[], asyncio.Protocol], limits: ConnectionLimits) -> None:
        self.factory = factory
        self.limits = limits
        self.open = 0
        self.peak = 0  # the most connections served at once
        self.refused = 0  # closed at once: over the cap
        self.expired = 0  # closed: headers not complete in time

    def __call__(self) -> asyncio.Protocol:
        return _Guarded(self, self.factory())


class _Guarded(asyncio.Protocol):
    def __init__(self, guard: ConnectionGuard, inner: asyncio.Protocol) -> None:
        self.guard = guard
        self.inner = inner
        self.transport: asyncio.Transport | None = None
        self.counted = False
        self.headers_done = False
        self.tail = b""
        self.timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        guard = self.guard
        if guard.open >= guard.limits.max_connections:
            guard.refused += 1
            transport.abort()
            return
        guard.open += 1
        guard.peak = max(guard.peak, guard.open)
        self.counted = True
        loop = asyncio.get_running_loop()
        self.timer = loop.call_later(guard.limits.header_timeout, self._expire)
        self.inner.connection_made(transport)

    def _expire(self) -> None:
        if not self.headers_done and self.transport is not None:
            self.guard.expired += 1
            self.transport.abort()

    def data_received(self, data: bytes) -> None:
        if not self.counted:
            return
        if not self.headers_done:
            seen = self.tail + data
            if _END_OF_HEADERS in seen:
                self.headers_done = True
                if self.timer is not None:
                    self.timer.cancel()
            self.tail = seen[-3:]
        self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received() if self.counted else None

    def connection_lost(self, exc: Exception | None) -> None:
        if self.timer is not None:
            self.timer.cancel()
        if self.counted:
            self.guard.open -= 1
            self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()


class GuardedSite(web.TCPSite):
    """`web.TCPSite` with its connections behind a `ConnectionGuard`."""

    def __init__(
        self, runner: web.BaseRunner, host: str, port: int, limits: ConnectionLimits
    ) -> None:
        super().__init__(runner, host, port)
        self.limits = limits
        self.guard: ConnectionGuard | None = None

    async def start(self) -> None:
        await web.BaseSite.start(self)  # registers the site with its runner
        server = self._runner.server
        assert server is not None
        self.guard = ConnectionGuard(server, self.limits)
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            self.guard, self._host, self._port, backlog=self._backlog, reuse_address=True
        )
        sockets = self._server.sockets
        self._bound_port = sockets[0].getsockname()[1] if sockets else self._port


def runner_for(app: web.Application) -> web.AppRunner:
    """The runner with aiohttp's own limits set explicitly."""
    return web.AppRunner(
        app,
        access_log=None,
        keepalive_timeout=KEEPALIVE_TIMEOUT,
        max_line_size=MAX_LINE,
        max_field_size=MAX_LINE,
    )
