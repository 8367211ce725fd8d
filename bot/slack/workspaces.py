"""Which bot token speaks for which workspace: SLACK_BOT_TOKEN, or the OAuth installations."""

from __future__ import annotations

import asyncio
from typing import Protocol

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings
from storage import slack_workspaces
from storage.db import Database
from storage.sealing import TokenSealer


class Unreachable(Exception):
    """Nobody or nowhere to post to; the message says what an admin can do."""


class Workspaces(Protocol):
    async def token(self, team_id: str | None) -> str:
        """The bot token for a workspace (Unreachable when it is not installed)."""
        ...

    async def teams(self) -> list[str]:
        """Every workspace the bot is in."""
        ...


class SingleWorkspace:
    """One workspace and its SLACK_BOT_TOKEN; the team id comes from auth.test, asked once."""

    def __init__(self, client: AsyncWebClient, bot_token: str) -> None:
        self.client = client
        self.bot_token = bot_token
        self._team: str | None = None

    async def token(self, team_id: str | None) -> str:
        return self.bot_token

    async def team(self) -> str:
        if self._team is None:
            response = await self.client.auth_test(token=self.bot_token)
            self._team = str(response["team_id"])
        return self._team

    async def teams(self) -> list[str]:
        return [await self.team()]


class InstalledWorkspaces:
    """Every workspace that installed the app through OAuth (several workspaces) and is
    in the allowlist (`allowed`, None: every one)."""

    def __init__(
        self,
        database: Database,
        allowed: frozenset[str] | None = None,
        sealer: TokenSealer | None = None,
    ) -> None:
        self.database = database
        self.allowed = allowed
        self.sealer = sealer or TokenSealer(None)

    async def token(self, team_id: str | None) -> str:
        token = await asyncio.to_thread(self._token, team_id)
        if token is None:
            raise Unreachable(
                f"the Slack workspace {team_id or '(unknown)'} has not installed dealcoach: "
                "install it from /slack/install"
            )
        return token

    def _token(self, team_id: str | None) -> str | None:
        if not team_id:
            return None
        with self.database.transaction() as session:
            row = slack_workspaces.find_installation(session, None, team_id)
            if row is None or (
                self.allowed is not None and not {row.team_id, row.enterprise_id} & self.allowed
            ):
                return None
            return self.sealer.unseal(row.bot_token)

    async def teams(self) -> list[str]:
        def read() -> list[str]:
            with self.database.transaction() as session:
                return slack_workspaces.installed_teams(session, self.allowed)

        return await asyncio.to_thread(read)


async def only_workspace(settings: Settings, database: Database) -> str:
    """The team id when the bot is in exactly one workspace (asked with auth.test, or read
    from the single OAuth installation); Unreachable otherwise."""
    if settings.slack_client_id and settings.slack_client_secret:
        teams = await InstalledWorkspaces(database).teams()
        if len(teams) == 1:
            return teams[0]
        raise Unreachable(
            f"dealcoach is installed in {len(teams)} workspaces: name one with --team"
        )
    if not settings.slack_bot_token:
        raise Unreachable("Slack is not configured: name the workspace with --team")
    base_url = settings.slack_api_url.rstrip("/") + "/"
    client = AsyncWebClient(base_url=base_url, timeout=10)
    try:
        return await SingleWorkspace(client, settings.slack_bot_token).team()
    except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
        raise Unreachable(
            f"could not ask Slack which workspace this is ({exc}): use --team"
        ) from None
