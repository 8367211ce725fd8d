"""The shared HTTP server: health for load balancers, no stack traces to senders."""

import asyncio

import aiohttp
from aiohttp import web
from support import make_services

from bot.infra.server import build_web_app
from bot.runtime import Runtime, build_runtime
from storage.db import Database
from testkit.background import serving


async def request(app: web.Application, method: str, path: str) -> tuple[int, str]:
    async with (
        serving(app) as url,
        aiohttp.ClientSession() as client,
        client.request(method, f"{url}{path}") as response,
    ):
        return response.status, await response.text()


def test_healthz_is_200_while_the_database_answers(runtime: Runtime) -> None:
    status, body = asyncio.run(request(build_web_app(runtime, []), "GET", "/healthz"))
    assert (status, body) == (200, '{"status": "ok"}')


def test_healthz_is_503_when_the_database_is_gone(runtime: Runtime, clock) -> None:
    unreachable = Database("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    broken = build_runtime(make_services(unreachable, clock))
    status, body = asyncio.run(request(build_web_app(broken, []), "GET", "/healthz"))
    assert (status, body) == (503, '{"status": "database unreachable"}')


class Exploding:
    name = "exploding"
    sender = None

    def add_routes(self, app: web.Application) -> None:
        async def boom(_request: web.Request) -> web.Response:
            raise RuntimeError("secret internals")

        app.router.add_post("/boom", boom)


def test_unexpected_errors_answer_500_without_a_trace(runtime: Runtime) -> None:
    app = build_web_app(runtime, [Exploding()])  # type: ignore[list-item]
    status, body = asyncio.run(request(app, "POST", "/boom"))
    assert (status, body) == (500, '{"error": "internal error"}')
    assert "secret" not in body
