"""`dealcoach run` and `dealcoach checkin`: the bot itself, as a server or a terminal chat."""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.common import As, fail, log_to_file, seed_demo_if_empty, services_or_exit

if TYPE_CHECKING:
    from bot.infra.services import Services


def register(app: typer.Typer) -> None:
    app.command()(run)
    app.command()(checkin)


def run(
    who: As = None,
    teams: Annotated[
        bool, typer.Option("--teams", help="Serve Teams without an app id (local mode).")
    ] = False,
    console: Annotated[
        bool, typer.Option("--console", help="Chat in this terminal even if Slack or Teams is set.")
    ] = False,
) -> None:
    """Run the bot: Slack and Teams when configured, else a chat in this terminal."""
    services = services_or_exit()
    settings = services.settings
    if console or not (settings.slack_enabled or settings.teams_enabled or teams):
        seed_demo_if_empty(services)
        _console(services, who)
        return
    _server(services, teams=teams)


def checkin(who: As = None) -> None:
    """Start a check-in now, in this terminal."""
    services = services_or_exit()
    seed_demo_if_empty(services)
    _console(services, who, first="checkin")


def _server(services: Services, *, teams: bool) -> None:
    from bot.bootstrap import build_app
    from bot.infra.server import TransportStartError, stop_on_signals

    if teams:  # `run --teams`: Teams is on for the whole app, unauthenticated if no app id
        services.settings = services.settings.model_copy(update={"teams_local": True})
    settings = services.settings

    async def main() -> None:
        server = build_app(services).server(teams=teams)
        stop = asyncio.Event()
        stop_on_signals(stop)
        await server.serve(settings.host, settings.port, stop)

    try:
        asyncio.run(main())
    except TransportStartError as exc:
        fail(str(exc))


def _console(services: Services, who: str | None, first: str | None = None) -> None:
    from bot.bootstrap import build_app
    from bot.console.transport import PersonNotFound, choose_person

    try:
        person = choose_person(services, who, sys.stdin, sys.stdout)
    except PersonNotFound as exc:
        fail(str(exc))
    log_to_file(services.settings)
    console = build_app(services).console(person, sys.stdin, sys.stdout, prompt=sys.stdin.isatty())
    asyncio.run(console.run(first))
