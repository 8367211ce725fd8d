"""`dealcoach people link|unlink`: tie a Slack or Teams account to a rep or manager.

Most people are linked on their first message, by the email their chat profile
shows. When that email differs from the one in the team list (or the platform hides
it), an admin links them here. Linking an account that pointed at someone else moves
the link and says so.
"""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from bot.infra.services import Services

people_app = typer.Typer(help="People and their Slack and Teams accounts.", no_args_is_help=True)
SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{1,20}$")
SLACK_TEAM_ID = re.compile(r"^[TE][A-Z0-9]{1,20}$")

Slack = Annotated[
    str | None,
    typer.Option(
        "--slack", help="Their Slack member ID (profile > ⋮ > Copy member ID), e.g. U012AB3CD."
    ),
]
Teams = Annotated[
    str | None,
    typer.Option(
        "--teams", help="Their AAD object id (or a Bot Framework user id, e.g. the Emulator's)."
    ),
]
Workspace = Annotated[
    str | None,
    typer.Option("--team", help="Slack: the workspace ID (T...), asked of Slack when omitted."),
]
Tenant = Annotated[str, typer.Option("--tenant", help="Teams: the AAD tenant id (any when empty).")]


@people_app.command("link")
def link(
    email: Annotated[str, typer.Option("--email", help="Their email in dealcoach's team list.")],
    slack: Slack = None,
    teams: Teams = None,
    team: Workspace = None,
    tenant: Tenant = "",
) -> None:
    """Link a Slack or Teams account to the rep or manager with this email."""
    from bot.cli.common import fail, services_or_exit
    from storage import identities, people, queries

    platform, external_id = _account(slack, teams)
    services = services_or_exit()
    with services.database.transaction() as session:
        person = queries.find_person(session, email) if "@" in email else None
        if person is None:
            fail(f"--email: nobody has the email {email!r}; import the team first or fix the email")
        person_id, name = person.id, person.name
    where = _workspace(services, team) if platform == "slack" else tenant.strip()
    with services.database.transaction() as session:
        previous = identities.link(
            session,
            person_id=person_id,
            platform=platform,
            tenant=where,
            external_id=external_id,
            now=services.clock.now(),
        )
        moved = people.person(session, previous).name if previous else None
    account = (
        f"Slack user {external_id} (workspace {where})"
        if platform == "slack"
        else f"Teams account {external_id}"
    )
    typer.echo(f"Linked {account} to {name} <{email}>.")
    if moved:
        typer.echo(f"It was linked to {moved} before.")


@people_app.command("unlink")
def unlink(
    slack: Slack = None, teams: Teams = None, team: Workspace = None, tenant: Tenant = ""
) -> None:
    """Remove a Slack or Teams account's link to a rep or manager."""
    from bot.cli.common import fail, services_or_exit
    from storage import identities

    platform, external_id = _account(slack, teams)
    services = services_or_exit()
    where = _workspace(services, team) if platform == "slack" else tenant.strip()
    with services.database.transaction() as session:
        removed = identities.unlink(
            session, platform=platform, tenant=where, external_id=external_id
        )
    if not removed:
        fail(f"no link for {platform} account {external_id!r} in {where or 'any tenant'!r}")
    typer.echo(f"Unlinked {platform} account {external_id}.")


def _account(slack: str | None, teams: str | None) -> tuple[str, str]:
    """("slack" | "teams", the account id) from exactly one of --slack and --teams."""
    from bot.cli.common import fail

    if (slack is None) == (teams is None):
        fail("give exactly one of --slack MEMBER_ID and --teams AAD_OBJECT_ID")
    if slack is not None:
        if not SLACK_USER_ID.match(slack):
            fail(f"--slack: {slack!r} is not a Slack member ID; it looks like U012AB3CD")
        return "slack", slack
    account = (teams or "").strip()
    if not account:
        fail("--teams: give the person's AAD object id (Teams admin center > Users)")
    return "teams", account


def _workspace(services: Services, team: str | None) -> str:
    from bot.cli.common import fail
    from bot.slack.workspaces import Unreachable, only_workspace

    if team is not None:
        if not SLACK_TEAM_ID.match(team):
            fail(f"--team: {team!r} is not a Slack workspace ID; it looks like T012AB3CD")
        return team
    try:
        return asyncio.run(only_workspace(services.settings, services.database))
    except Unreachable as exc:
        fail(str(exc))
