"""Teams administration: `dealcoach teams-package` (linking people: bot/cli_people.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

Out = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Where to write the zip [default: dealcoach-teams.zip in DEALCOACH_DATA_DIR].",
        dir_okay=False,
        writable=True,
    ),
]
ZIP_NAME = "dealcoach-teams.zip"


def register(app: typer.Typer) -> None:
    """Add the Teams commands to the `dealcoach` command."""
    app.command("teams-package")(teams_package)


def teams_package(
    out: Out = None,
    developer: Annotated[str | None, typer.Option(help="Publisher name shown in Teams.")] = None,
    website: Annotated[str | None, typer.Option(help="Publisher website (https).")] = None,
    privacy_url: Annotated[str | None, typer.Option(help="Privacy statement (https).")] = None,
    terms_url: Annotated[str | None, typer.Option(help="Terms of use (https).")] = None,
) -> None:
    """Write the Teams app package (manifest.json and icons) for a Teams admin to upload."""
    from dataclasses import replace

    from bot.bootstrap import build_app
    from bot.cli.common import fail, services_or_exit
    from bot.teams.package import (
        PackageError,
        build_manifest,
        command_menu,
        default_developer,
        package_bytes,
        unlisted_commands,
    )

    # The package holds the app id only: the password is neither needed nor read.
    services = services_or_exit(migrate=False, microsoft_app_password="not used by the package")
    settings = services.settings
    out = out or settings.data_dir / ZIP_NAME
    commands = build_app(services).engine.commands
    publisher = default_developer()
    publisher = replace(
        publisher,
        name=developer or publisher.name,
        website_url=website or publisher.website_url,
        privacy_url=privacy_url or publisher.privacy_url,
        terms_url=terms_url or publisher.terms_url,
    )
    try:
        manifest = build_manifest(settings.microsoft_app_id, command_menu(commands), publisher)
    except PackageError as exc:
        fail(str(exc))
    for word in unlisted_commands(commands):
        typer.echo(
            f"note: `{word}` is not in the Teams command menu; add it to "
            "bot/teams/commands.yaml (shown or hidden)",
            err=True,
        )
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(package_bytes(manifest))
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")
    menu = ", ".join(
        command["title"] for command in manifest["bots"][0]["commandLists"][0]["commands"]
    )
    typer.echo(f"wrote {out}: Teams app {manifest['id']} v{manifest['version']}")
    typer.echo(
        f"  manifest {manifest['manifestVersion']}; scopes: personal, team; commands: {menu}"
    )
    typer.echo("  upload it in Teams admin center > Teams apps > Manage apps > Upload new app")
