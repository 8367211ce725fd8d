"""Finding 6 (issue 15): connections that never finished their headers were kept forever
and uncapped, until `/healthz` stopped answering and the log filled with "Too many open
files". The server now caps connections and closes those whose headers are late."""

from __future__ import annotations

import asyncio

from support import make_services

from bot.bootstrap import build_app
from bot.infra.connections import ConnectionLimits, GuardedSite, runner_for
from coaching.clock import FixedClock
from storage.db import Database

ATTACKERS = 300
LIMITS = ConnectionLimits(max_connections=50, header_timeout=0.5)
HALF_SENT = b"GET /livez HTTP/1.1\r\nHost: dealcoach\r\nX-Slow: "


async def probe(port: int) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"GET /livez HTTP/1.1\r\nHost: dealcoach\r\nConnection: close\r\n\r\n")
        await writer.drain()
        return await reader.read()
    finally:
        writer.close()


async def half_sent(port: int) -> bool:
    """Open a connection, never finish the headers; True once the server closed it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(HALF_SENT)
        await writer.drain()
        return await asyncio.wait_for(reader.read(), timeout=30) == b""
    except ConnectionResetError:
        return True
    finally:
        writer.close()


def test_f06_half_sent_connections_are_capped_and_dropped_and_probes_answer(
    sqlite_database: Database, clock: FixedClock
) -> None:
    web_app = build_app(make_services(sqlite_database, clock)).server().web_app

    async def scenario() -> tuple[list[bool], bytes, int, int, int]:
        runner = runner_for(web_app)
        await runner.setup()
        site = GuardedSite(runner, "127.0.0.1", 0, LIMITS)
        await site.start()
        assert site.guard is not None
        try:
            attackers = [asyncio.create_task(half_sent(site.port)) for _ in range(ATTACKERS)]
            await asyncio.sleep(0)  # let them connect first
            answer = b""
            for _attempt in range(200):  # a probe is answered once a slot frees up
                try:
                    answer = await probe(site.port)
                except ConnectionError:
                    answer = b""
                if answer.startswith(b"HTTP/1.1 200"):
                    break
                await asyncio.sleep(0.05)
            closed = await asyncio.gather(*attackers)
            guard = site.guard
            return closed, answer, guard.peak, guard.refused, guard.expired
        finally:
            await runner.cleanup()

    closed, answer, peak, refused, expired = asyncio.run(scenario())
    assert answer.startswith(b"HTTP/1.1 200")
    assert all(closed)  # the server closed every half-sent connection
    assert peak <= LIMITS.max_connections
    assert refused + expired >= ATTACKERS
