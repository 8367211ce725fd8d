"""The shared HTTP server: probes for orchestrators and load balancers, no stack traces."""

import asyncio

import aiohttp
import pytest
from aiohttp import web
from support import make_services

from bot.bootstrap import App, build_app
from bot.infra.server import build_web_app
from storage.db import Database
from testkit.background import serving


async def request(app: web.Application, method: str, path: str) -> tuple[int, str]:
    async with (
        serving(app) as url,
        aiohttp.ClientSession() as client,
        client.request(method, f"{url}{path}") as response,
    ):
        return response.status, await response.text()


@pytest.mark.parametrize("path", ["/livez", "/readyz", "/healthz"])
def test_every_probe_is_200_while_the_database_answers(app: App, path: str) -> None:
    status, body = asyncio.run(request(app.server().web_app, "GET", path))
    assert (status, body) == (200, '{"status": "ok"}')


def test_with_the_database_down_the_process_is_live_but_not_ready(clock) -> None:
    """A database outage must not restart the process (its spool keeps messages): only
    readiness (and /healthz, its alias) fails."""
    unreachable = Database("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    web_app = build_app(make_services(unreachable, clock)).server().web_app

    async def probes() -> dict[str, tuple[int, str]]:
        return {
            path: await request(web_app, "GET", path) for path in ("/livez", "/readyz", "/healthz")
        }

    assert asyncio.run(probes()) == {
        "/livez": (200, '{"status": "ok"}'),
        "/readyz": (503, '{"status": "database unreachable"}'),
        "/healthz": (503, '{"status": "database unreachable"}'),
    }


class Exploding:
    name = "exploding"
    sender = None

    def add_routes(self, app: web.Application) -> None:
        async def boom(_request: web.Request) -> web.Response:
            raise RuntimeError("secret internals")

        app.router.add_post("/boom", boom)


def test_unexpected_errors_answer_500_without_a_trace(app: App) -> None:
    web_app = build_web_app(app.services.database.ping, [Exploding()])  # type: ignore[list-item]
    status, body = asyncio.run(request(web_app, "POST", "/boom"))
    assert (status, body) == (500, '{"error": "internal error"}')
    assert "secret" not in body
