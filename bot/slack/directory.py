"""Slack users and dealcoach people: who wrote, and where a message to someone goes.

A Slack user is matched to an active person by a stored link (ChatIdentity), else by
the email of their Slack profile (users.info) when Slack says it is confirmed (only
workspaces in the allowlist get this far: allowlist.py). A person is reached in Slack
by their link, else by their email (users.lookupByEmail). Links and DM channels found
this way are stored.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.infra.first_link import announce_first_link
from bot.slack.workspaces import Unreachable, Workspaces
from coaching.clock import Clock
from storage import identities, people, slack_workspaces
from storage.db import Database

log = logging.getLogger(__name__)

PLATFORM = "slack"
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who wrote: a linked person, or an unknown Slack user (and their email, if Slack says)."""

    person_id: int | None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Destination:
    """Where one outbox message goes, and with which workspace's token."""

    team: str
    channel: str
    token: str

    @property
    def direct(self) -> bool:
        """A direct message (its history is readable with im:history)."""
        return self.channel.startswith("D")


@dataclass(frozen=True, slots=True)
class _Link:
    identity_id: int
    team: str
    user: str
    dm_channel: str | None


class SlackDirectory:
    def __init__(
        self,
        database: Database,
        client: AsyncWebClient,
        workspaces: Workspaces,
        clock: Clock,
        *,
        notify_by_email: bool = False,
    ) -> None:
        self.database = database
        self.client = client
        self.workspaces = workspaces
        self.clock = clock
        self.notify_by_email = notify_by_email  # a first link is told to the person by email

    # Who wrote

    async def caller(
        self, team: str, user: str, *, token: str, dm_channel: str | None = None
    ) -> Caller:
        """The person behind a Slack user, linking them by email on first contact."""
        person_id = await asyncio.to_thread(self._linked_person, team, user, dm_channel)
        if person_id is not None:
            return Caller(person_id)
        response = await self.client.users_info(user=user, token=token)
        profile = response["user"]
        email = (profile.get("profile") or {}).get("email")
        if profile.get("is_bot") or profile.get("deleted") or not email:
            return Caller(None, email)
        if profile.get("is_email_confirmed") is not True:
            log.warning("Slack user %s in %s has an unconfirmed email: not linked", user, team)
            return Caller(None, None)
        person_id = await asyncio.to_thread(self._link_by_email, team, user, email, dm_channel)
        return Caller(person_id, email)

    def _linked_person(self, team: str, user: str, dm_channel: str | None) -> int | None:
        with self.database.transaction() as session:
            person_id = identities.active_person_for(session, PLATFORM, team, user)
            if person_id is not None and dm_channel:
                identities.link(
                    session,
                    person_id=person_id,
                    platform=PLATFORM,
                    tenant=team,
                    external_id=user,
                    now=self.clock.now(),
                    dm_channel=dm_channel,
                )
            return person_id

    def _link_by_email(
        self, team: str, user: str, email: str, dm_channel: str | None
    ) -> int | None:
        with self.database.transaction() as session:
            person = identities.active_person_by_email(session, email)
            if person is None:
                return None
            if not identities.has_identity(session, person.id, PLATFORM):
                announce_first_link(
                    session,
                    person,
                    transport=PLATFORM,
                    workspace=f"Slack workspace {team}",
                    account=f"user {user}",
                    now=self.clock.now(),
                    by_email=self.notify_by_email,
                )
            identities.link(
                session,
                person_id=person.id,
                platform=PLATFORM,
                tenant=team,
                external_id=user,
                now=self.clock.now(),
                dm_channel=dm_channel,
            )
            return person.id

    async def direct_channel(self, user: str, token: str) -> str:
        """The bot's DM channel with a Slack user (conversations.open)."""
        response = await self.client.conversations_open(users=user, token=token)
        return str(response["channel"]["id"])

    async def is_member(self, channel: str, token: str) -> bool:
        """Whether the bot is in `channel` (conversations.info; a channel it cannot see,
        such as a private one it was not invited to, is not)."""
        try:
            response = await self.client.conversations_info(channel=channel, token=token)
        except SlackApiError as exc:
            log.info("conversations.info %s: %s", channel, exc.response.get("error"))
            return False
        return bool(response["channel"].get("is_member"))

    def remember_channel(self, channel: str, team: str) -> None:
        with self.database.transaction() as session:
            slack_workspaces.remember_channel(session, channel, team, self.clock.now())

    # Where a message goes

    async def destination(self, recipient: str) -> Destination:
        """`person:<id>` (their DM) or `channel:<id>`, with the token to post there."""
        kind, _, ident = recipient.partition(":")
        if kind == "person" and ident.isdigit():
            return await self._direct(int(ident))
        if kind == "channel" and ident:
            team = await self._team_of_channel(ident)
            return Destination(team, ident, await self.workspaces.token(team))
        raise Unreachable(f"{recipient!r} is not a Slack recipient (person:<id> or channel:<id>)")

    async def _team_of_channel(self, channel: str) -> str:
        def read() -> str | None:
            with self.database.transaction() as session:
                return slack_workspaces.team_of_channel(session, channel)

        team = await asyncio.to_thread(read)
        if team is not None:
            return team
        teams = await self.workspaces.teams()
        if len(teams) == 1:
            return teams[0]
        raise Unreachable(
            f"which workspace channel {channel} is in is unknown: "
            "use the /dealcoach command in that channel once"
        )

    async def _direct(self, person_id: int) -> Destination:
        link, email = await asyncio.to_thread(self._link_of, person_id)
        if link is None:
            link = await self._link_by_lookup(person_id, email)
        token = await self.workspaces.token(link.team)
        channel = link.dm_channel
        if channel is None:
            channel = await self.direct_channel(link.user, token)
            await asyncio.to_thread(self._store_dm, link.identity_id, channel)
        return Destination(link.team, channel, token)

    def _link_of(self, person_id: int) -> tuple[_Link | None, str | None]:
        with self.database.transaction() as session:
            found = identities.identities_of(session, person_id, PLATFORM)
            email = identities.person_email(session, person_id)
            if not found:
                return None, email
            best = next((row for row in found if row.dm_channel), found[0])
            return _Link(best.id, best.tenant, best.external_id, best.dm_channel), email

    async def _link_by_lookup(self, person_id: int, email: str | None) -> _Link:
        if not email:
            raise Unreachable(
                f"person {person_id} has no email and no Slack link: "
                "run `dealcoach people link --slack USER_ID --email ...`"
            )
        for team in await self.workspaces.teams():
            token = await self.workspaces.token(team)
            try:
                response = await self.client.users_lookupByEmail(email=email, token=token)
            except SlackApiError as exc:
                if exc.response.get("error") == "users_not_found":
                    continue
                raise
            if response["user"].get("is_email_confirmed") is not True:
                continue
            user = str(response["user"]["id"])
            await asyncio.to_thread(self._store_link, person_id, team, user)
            link, _ = await asyncio.to_thread(self._link_of, person_id)
            if link is not None:
                return link
        raise Unreachable(
            f"no Slack user has the email {email}: "
            "run `dealcoach people link --slack USER_ID --email ...`"
        )

    def _store_link(self, person_id: int, team: str, user: str) -> None:
        with self.database.transaction() as session:
            person = people.person(session, person_id)
            if not identities.has_identity(session, person_id, PLATFORM):
                announce_first_link(
                    session,
                    person,
                    transport=PLATFORM,
                    workspace=f"Slack workspace {team}",
                    account=f"user {user}",
                    now=self.clock.now(),
                    by_email=self.notify_by_email,
                )
            identities.link(
                session,
                person_id=person_id,
                platform=PLATFORM,
                tenant=team,
                external_id=user,
                now=self.clock.now(),
            )

    def _store_dm(self, identity_id: int, channel: str) -> None:
        with self.database.transaction() as session:
            identities.set_dm_channel(session, identity_id, channel)
