"""The `dealcoach` command: every command group, assembled on one Typer app."""

from __future__ import annotations

import sys

import typer

from bot.cli import (
    briefings,
    db,
    demo,
    doctor,
    imports,
    managers,
    people,
    playbook,
    run,
    teams,
)
from bot.cli.common import QuietWhenClosed, closed_pipe_exit, plain_help_types, unreachable
from bot.infra.private_files import private_files

app = typer.Typer(
    name="dealcoach",
    help="Coach B2B sales reps on their open deals, in Slack, Teams or the terminal.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(db.db_app, name="db")
app.add_typer(imports.import_app, name="import")
app.add_typer(people.people_app, name="people")
app.command()(briefings.brief)
run.register(app)
demo.register(app)
managers.register(app)
teams.register(app)
doctor.register(app)
playbook.register(app)


def main() -> None:
    from sqlalchemy.exc import OperationalError

    plain_help_types()
    private_files()
    sys.stdout = QuietWhenClosed(sys.stdout)
    try:
        app()
    except BrokenPipeError:
        closed_pipe_exit()
    except OperationalError as exc:  # any command: a database that does not answer
        try:
            unreachable(_database_url(), exc)
        except typer.Exit as stop:
            raise SystemExit(stop.exit_code) from None


def _database_url() -> str:
    from bot.settings import SettingsError, load_settings

    try:
        return load_settings().resolved_database_url
    except SettingsError:
        return "DEALCOACH_DATABASE_URL"
