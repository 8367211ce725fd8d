"""Teams administration: `dealcoach teams-package` and `dealcoach people link --teams`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

people_app = typer.Typer(help="People and their chat accounts.", no_args_is_help=True)

Out = Annotated[
    Path, typer.Option("--out", help="Where to write the zip.", dir_okay=False, writable=True)
]


def register(app: typer.Typer) -> None:
    """Add the Teams commands to the `dealcoach` command."""
    app.command("teams-package")(teams_package)
    app.add_typer(people_app, name="people")


def teams_package(
    out: Out = Path("dealcoach-teams.zip"),
    developer: Annotated[str | None, typer.Option(help="Publisher name shown in Teams.")] = None,
    website: Annotated[str | None, typer.Option(help="Publisher website (https).")] = None,
    privacy_url: Annotated[str | None, typer.Option(help="Privacy statement (https).")] = None,
    terms_url: Annotated[str | None, typer.Option(help="Terms of use (https).")] = None,
) -> None:
    """Write the Teams app package (manifest.json and icons) for a Teams admin to upload."""
    from dataclasses import replace

    from bot.cli import fail, services_or_exit
    from bot.conversation.checkin_dialog import CheckinDialog
    from bot.conversation.engine import ConversationEngine
    from bot.teams.package import (
        PackageError,
        build_manifest,
        command_menu,
        default_developer,
        package_bytes,
        unlisted_commands,
    )

    services = services_or_exit(migrate=False)
    settings = services.settings
    dialog = CheckinDialog(services.playbook, settings.checkin_rules)
    commands = ConversationEngine(services, dialog).commands
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


@people_app.command("link")
def link(
    teams: Annotated[
        str,
        typer.Option(
            "--teams",
            help="The person's AAD object id (or a Bot Framework user id, e.g. the Emulator's).",
            show_default=False,
        ),
    ],
    email: Annotated[str, typer.Option(help="The rep's or manager's email.", show_default=False)],
    tenant: Annotated[str, typer.Option(help="The AAD tenant id (any tenant when empty).")] = "",
) -> None:
    """Link a Teams account to a rep or manager, when their email does not match Teams'."""
    from bot.cli import fail, services_or_exit
    from storage import teams_conversations
    from storage.queries import find_person

    teams_id, tenant = teams.strip(), tenant.strip()
    if not teams_id:
        fail("--teams: give the person's AAD object id (Teams admin center > Users)")
    services = services_or_exit()
    with services.database.transaction() as session:
        person = find_person(session, email) if "@" in email else None
        if person is None:
            fail(f"nobody has the email {email!r}: import the team first (`dealcoach import team`)")
        now = services.clock.now()
        owner = teams_conversations.link(session, person.id, teams_id, tenant=tenant, now=now)
        if owner != person.id:
            fail(
                f"{teams_id} is already linked to person {owner}: "
                f"`dealcoach people unlink --teams {teams_id}` first"
            )
        name = person.name
    typer.echo(f"linked Teams account {teams_id} to {name} <{email}>")


@people_app.command("unlink")
def unlink(
    teams: Annotated[str, typer.Option("--teams", help="The linked id.", show_default=False)],
    tenant: Annotated[str, typer.Option(help="The AAD tenant id it was linked in.")] = "",
) -> None:
    """Remove a Teams account's link to a rep or manager."""
    from bot.cli import fail, services_or_exit
    from storage import teams_conversations

    services = services_or_exit()
    with services.database.transaction() as session:
        removed = teams_conversations.unlink(session, teams.strip(), tenant=tenant.strip())
    if not removed:
        fail(f"no link for Teams account {teams.strip()!r} in tenant {tenant.strip()!r}")
    typer.echo(f"unlinked Teams account {teams.strip()}")
