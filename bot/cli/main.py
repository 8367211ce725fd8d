"""The `dealcoach` command. Heavy stacks (Slack, Teams, models) load inside commands."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from bot.bootstrap import SchemaOutOfDate, Services, build_services, prepare_database
from bot.cli.briefings import brief
from bot.cli.imports import import_app
from bot.cli.managers import register as register_manager_commands
from bot.cli.people import people_app
from bot.cli.teams import register as register_teams
from bot.settings import Settings, SettingsError, load_settings
from coaching.playbook import PlaybookError

app = typer.Typer(
    name="dealcoach",
    help="Coach B2B sales reps on their open deals, in Slack, Teams or the terminal.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(import_app, name="import")
app.add_typer(people_app, name="people")
app.command()(brief)

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
As = Annotated[str | None, typer.Option("--as", help="Your email or name (a rep or manager).")]


def fail(message: str) -> NoReturn:
    """Print one clear line per problem and exit with status 2."""
    for line in message.splitlines():
        typer.echo(f"dealcoach: {line}", err=True)
    raise typer.Exit(2)


def settings_or_exit() -> Settings:
    try:
        settings = load_settings()
    except SettingsError as exc:
        fail(str(exc))
    logging.basicConfig(level=settings.log_level.upper(), format=LOG_FORMAT, stream=sys.stderr)
    for noisy in ("alembic", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return settings


def log_to_file(settings: Settings) -> Path:
    """In the terminal chat, the log goes to a file; only warnings interrupt the chat."""
    path = settings.data_dir / "dealcoach.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in root.handlers:
        handler.setLevel(logging.WARNING)
    to_file = logging.FileHandler(path, encoding="utf-8")
    to_file.setFormatter(logging.Formatter(LOG_FORMAT))
    to_file.setLevel(settings.log_level.upper())
    root.addHandler(to_file)
    return path


def services_or_exit(*, migrate: bool = True) -> Services:
    """Settings, database and playbook, ready to use, or a clear error and exit."""
    from sqlalchemy.exc import OperationalError

    settings = settings_or_exit()
    try:
        services = build_services(settings)
        if migrate:
            prepare_database(services)
    except PlaybookError as exc:
        fail(str(exc))
    except SchemaOutOfDate as exc:
        fail(str(exc))
    except OperationalError as exc:
        fail(f"cannot reach the database: {exc.orig}")
    return services


@app.command()
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
        _seed_demo_if_empty(services)
        _console(services, who)
        return
    _server(services, teams=teams)


@app.command()
def checkin(who: As = None) -> None:
    """Start a check-in now, in this terminal."""
    services = services_or_exit()
    _seed_demo_if_empty(services)
    _console(services, who, first="checkin")


@app.command()
def demo(
    days: Annotated[int, typer.Option(min=1, max=28, help="How many days to simulate.")] = 7,
) -> None:
    """Simulate a week of check-ins on the demo pipeline and print what happened."""
    from bot.cli.demo import run_demo

    settings_or_exit()
    logging.getLogger().setLevel(logging.WARNING)
    run_demo(sys.stdout, days)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending schema migration."""
    from storage.migrate import current_revision, upgrade

    services = services_or_exit(migrate=False)
    upgrade(services.database)
    typer.echo(f"database at revision {current_revision(services.database)}")


@db_app.command("current")
def db_current() -> None:
    """Show the schema revision of the database."""
    from storage.migrate import current_revision, head_revision

    services = services_or_exit(migrate=False)
    typer.echo(
        f"database at {current_revision(services.database) or 'nothing'}; "
        f"this version needs {head_revision()}"
    )


def _server(services: Services, *, teams: bool) -> None:
    from bot.infra.server import Hub, TransportStartError, serve, stop_on_signals
    from bot.runtime import build_runtime
    from bot.transports import build_transports

    if teams:  # `run --teams`: Teams is on for the whole runtime, unauthenticated if no app id
        services.settings = services.settings.model_copy(update={"teams_local": True})
    hub = Hub(build_runtime(services))
    transports = build_transports(services.settings, hub, teams=teams)
    settings = services.settings

    async def main() -> None:
        stop = asyncio.Event()
        stop_on_signals(stop)
        await serve(hub, transports, settings.host, settings.port, stop)

    try:
        asyncio.run(main())
    except TransportStartError as exc:
        fail(str(exc))


def _seed_demo_if_empty(services: Services) -> None:
    from storage.demo import load_demo
    from storage.queries import deal_count

    with services.database.transaction() as session:
        if deal_count(session) == 0:
            count = load_demo(session, services.clock.now())
            typer.echo(f"The database was empty: loaded the demo pipeline ({count} deals).\n")


def _console(services: Services, who: str | None, first: str | None = None) -> None:
    from bot.console.transport import Console, PersonNotFound, choose_person
    from bot.runtime import build_runtime

    try:
        person = choose_person(services, who, sys.stdin, sys.stdout)
    except PersonNotFound as exc:
        fail(str(exc))
    log_to_file(services.settings)
    console = Console(
        build_runtime(services), person, sys.stdin, sys.stdout, prompt=sys.stdin.isatty()
    )
    asyncio.run(console.run(first))


register_manager_commands(app)
register_teams(app)


def main() -> None:
    app()
