"""The HTTP server mode: one aiohttp application for every chat transport.

Slack's HTTP mode (`/slack/events`) and Teams (`/api/messages`) mount their routes
on the same application. Probes: `GET /livez` answers 200 while the process serves
(liveness: a database outage must not restart it, its spool keeps messages);
`GET /readyz` answers 200 while the database answers and 503 when it does not
(readiness, for a load balancer in front of several bot processes); `GET /healthz`
is an alias of `/readyz`. `GET /metrics` is the Prometheus text exposition. The
scheduler ticks and the outbox delivery loop run beside it in the same event loop.
bot/bootstrap.py builds the parts (`App.server`); this module only runs them.
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

from bot.infra.connections import ConnectionLimits, GuardedSite, runner_for
from bot.infra.delivery import Delivery, Sender
from bot.infra.metrics import CONTENT_TYPE
from bot.infra.scheduler import Clockwork

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024


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


def build_web_app(
    healthy: Callable[[], bool],
    transports: list[ChatTransport],
    metrics: Callable[[], bytes] | None = None,
) -> web.Application:
    """The probes (`/readyz` asks `healthy` in a worker thread), `/metrics` (`metrics`
    in a worker thread) and every transport's routes."""
    app = web.Application(client_max_size=MAX_BODY, middlewares=[no_stack_traces])

    async def livez(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(_request: web.Request) -> web.Response:
        ok = await asyncio.to_thread(healthy)
        body = {"status": "ok" if ok else "database unreachable"}
        return web.Response(
            status=200 if ok else 503, text=json.dumps(body), content_type="application/json"
        )

    app.router.add_get("/livez", livez)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/healthz", readyz)
    if metrics is not None:

        async def scrape(_request: web.Request) -> web.Response:
            body = await asyncio.to_thread(metrics)
            return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})

        app.router.add_get("/metrics", scrape)
    for transport in transports:
        transport.add_routes(app)
    return app


@dataclass
class Server:
    """The transports on one web app, the delivery of their outbox, the scheduler."""

    transports: list[ChatTransport]
    delivery: Delivery
    clockwork: Clockwork
    web_app: web.Application
    limits: ConnectionLimits = field(default_factory=ConnectionLimits)

    async def serve(self, host: str, port: int, stop: asyncio.Event) -> None:
        """Serve HTTP, run the transports, the scheduler and delivery until `stop` is set."""
        runner = runner_for(self.web_app)
        await runner.setup()
        site = GuardedSite(runner, host, port, self.limits)
        await site.start()
        delivering = asyncio.create_task(self.delivery.run(stop))
        for transport in self.transports:
            await transport.start()
        self.clockwork.start()
        names = ", ".join(transport.name for transport in self.transports) or "no chat transport"
        log.info("dealcoach serving %s on http://%s:%s", names, host, port)
        try:
            await stop.wait()
        finally:
            self.clockwork.shutdown()
            for transport in self.transports:
                await transport.stop()
            await delivering
            await runner.cleanup()


def stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
