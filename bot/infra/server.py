"""The HTTP server mode: one aiohttp application for every chat transport.

Slack's HTTP mode (`/slack/events`) and Teams (`/api/messages`) mount their routes
on the same application; `GET /healthz` answers 200 while the database answers and
503 when it does not, for a load balancer in front of several bot processes. The
scheduler ticks and the outbox delivery loop run beside it in the same event loop.
"""

from __future__ import annotations

import asyncio
import json
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

from aiohttp import web

from bot.email.sender import email_senders
from bot.engine.messages import Incoming
from bot.infra.delivery import Delivery, Sender
from bot.infra.scheduler import Clockwork
from bot.runtime import Runtime

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024


@dataclass
class Hub:
    """What transports call: hand an incoming message to the engine, then wake delivery."""

    runtime: Runtime
    delivery: Delivery | None = field(default=None, repr=False)

    async def handle(self, incoming: Incoming) -> list[str]:
        """The outbox keys of the replies (none when the message was kept for later)."""
        handled = await asyncio.to_thread(self.runtime.handle, incoming)
        self.kick()
        return handled.keys

    def kick(self) -> None:
        if self.delivery is not None:
            self.delivery.kick()


class TransportStartError(Exception):
    """A transport cannot start (e.g. its token was refused); the message says what to fix."""


class ChatTransport(Protocol):
    """A chat platform: its HTTP routes, its outbox sender, its own start and stop."""

    name: str
    sender: Sender

    def add_routes(self, app: web.Application) -> None: ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def no_stack_traces(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Unexpected errors are logged here and answered with a plain 500, never a trace."""
    try:
        return await handler(request)
    except web.HTTPException:
        raise
    except Exception:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return web.json_response({"error": "internal error"}, status=500)


def build_web_app(runtime: Runtime, transports: list[ChatTransport]) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY, middlewares=[no_stack_traces])

    async def healthz(_request: web.Request) -> web.Response:
        healthy = await asyncio.to_thread(runtime.services.database.ping)
        body = {"status": "ok" if healthy else "database unreachable"}
        return web.Response(
            status=200 if healthy else 503,
            text=json.dumps(body),
            content_type="application/json",
        )

    app.router.add_get("/healthz", healthz)
    for transport in transports:
        transport.add_routes(app)
    return app


async def serve(
    hub: Hub, transports: list[ChatTransport], host: str, port: int, stop: asyncio.Event
) -> None:
    """Serve HTTP, run the transports, the scheduler and delivery until `stop` is set."""
    runtime = hub.runtime
    services = runtime.services
    senders = [transport.sender for transport in transports] + email_senders(services.settings)
    hub.delivery = Delivery(services.database, senders, services.clock)
    runner = web.AppRunner(build_web_app(runtime, transports), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    clockwork = Clockwork(runtime.ticks(), services.clock, hub.kick)
    delivering = asyncio.create_task(hub.delivery.run(stop))
    for transport in transports:
        await transport.start()
    clockwork.start()
    names = ", ".join(transport.name for transport in transports) or "no chat transport"
    log.info("dealcoach serving %s on http://%s:%s", names, host, port)
    try:
        await stop.wait()
    finally:
        clockwork.shutdown()
        for transport in transports:
            await transport.stop()
        await delivering
        await runner.cleanup()


def stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
