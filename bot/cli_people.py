"""`dealcoach people link`: tie a Slack user to a rep or manager explicitly.

Most people are linked on their first message, by the email of their Slack profile.
When that email differs from the one in the team list (or Slack hides it), an admin
links them here.
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from bot.app import Services

people_app = typer.Typer(help="People and their chat identities.", no_args_is_help=True)
SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{1,20}$")
SLACK_TEAM_ID = re.compile(r"^[TE][A-Z0-9]{1,20}$")


@people_app.command("link")
def link(
    slack: Annotated[
        str,
        typer.Option(
            "--slack", help="Their Slack member ID (profile > ⋮ > Copy member ID), e.g. U012AB3CD."
        ),
    ],
    email: Annotated[str, typer.Option("--email", help="Their email in dealcoach's team list.")],
    team: Annotated[
        str | None,
        typer.Option(
            "--team", help="The Slack workspace ID (T...); asked of Slack when there is one."
        ),
    ] = None,
) -> None:
    """Link a Slack user to the rep or manager with this email."""
    from bot.cli import fail, services_or_exit
    from storage import identities, queries
    from storage.models import Person

    if not SLACK_USER_ID.match(slack):
        fail(f"--slack: {slack!r} is not a Slack member ID; it looks like U012AB3CD")
    if team is not None and not SLACK_TEAM_ID.match(team):
        fail(f"--team: {team!r} is not a Slack workspace ID; it looks like T012AB3CD")
    services = services_or_exit()
    with services.database.transaction() as session:
        person = queries.find_person(session, email)
        if person is None or "@" not in email:
            fail(f"--email: nobody has the email {email!r}; import the team first or fix the email")
        name = person.name
    workspace = team or _only_workspace(services)
    with services.database.transaction() as session:
        previous = identities.link(
            session,
            person_id=person.id,
            platform="slack",
            tenant=workspace,
            external_id=slack,
            now=services.clock.now(),
        )
        moved = session.get_one(Person, previous).name if previous else None
    typer.echo(f"Linked Slack user {slack} (workspace {workspace}) to {name} <{email}>.")
    if moved:
        typer.echo(f"It was linked to {moved} before.")


def _only_workspace(services: Services) -> str:
    from bot.cli import fail
    from bot.slack.workspaces import Unreachable, only_workspace

    try:
        return asyncio.run(only_workspace(services.settings, services.database))
    except Unreachable as exc:
        fail(str(exc))
