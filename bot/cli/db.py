"""`dealcoach db upgrade` and `dealcoach db current`: the database schema."""

from __future__ import annotations

import typer

from bot.cli.common import fail, services_or_exit

db_app = typer.Typer(help="The database schema.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending schema migration."""
    from storage.migrate import current_revision, upgrade
    from storage.sealing import TokenKeyError

    services = services_or_exit(migrate=False)
    try:
        upgrade(services.database, token_key=services.settings.token_key)
    except TokenKeyError as exc:
        fail(str(exc))
    typer.echo(f"database at revision {current_revision(services.database)}")


@db_app.command("current")
def db_current() -> None:
    """Show the schema revision of the database."""
    from storage.migrate import current_revision, head_revision

    services = services_or_exit(migrate=False)
    current, needed = current_revision(services.database), head_revision()
    if current == needed:
        typer.echo(f"database at {current}: up to date")
    elif current is None:
        typer.echo(f"database is empty; this version needs {needed}: run `dealcoach db upgrade`")
    else:
        typer.echo(
            f"database at {current}; this version needs {needed}: run `dealcoach db upgrade`"
        )
