"""Several workspaces: the OAuth install flow, with installations and states in our database.

/slack/install hands out a one-time state (stored, so any bot process behind the load
balancer can check it) and links to Slack's consent page; /slack/oauth_redirect trades
the code for a bot token (oauth.v2.access) and stores the installation. Events from a
workspace are then authorized with that workspace's token.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import secrets
from collections.abc import Sequence
from typing import Any

from slack_bolt.error import BoltError
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from bot.settings import Settings
from bot.slack.allowlist import WorkspaceAllowlist, WorkspaceNotAllowed
from coaching.clock import Clock
from storage import slack_workspaces
from storage.db import Database
from storage.sealing import TokenKeyError, TokenSealer

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_LIFETIME = dt.timedelta(minutes=10)
log = logging.getLogger(__name__)


class DatabaseInstallationStore(AsyncInstallationStore):
    """Bot installations per workspace, in the slack_installations table."""

    def __init__(
        self, database: Database, allowlist: WorkspaceAllowlist, sealer: TokenSealer
    ) -> None:
        self.database = database
        self.allowlist = allowlist
        self.sealer = sealer

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        await self.async_save_bot(installation.to_bot())

    async def async_save_bot(self, bot: Bot) -> None:
        await self.allowlist.check_install(bot.team_id, bot.enterprise_id)
        values = {
            "enterprise_id": bot.enterprise_id or "",
            "team_id": "" if bot.is_enterprise_install else bot.team_id or "",
            "team_name": bot.team_name,
            "app_id": bot.app_id,
            "bot_token": self._seal(bot.bot_token or ""),
            "bot_id": bot.bot_id,
            "bot_user_id": bot.bot_user_id,
            "bot_scopes": _scopes(bot.bot_scopes),
            "is_enterprise_install": bool(bot.is_enterprise_install),
            "installed_at": dt.datetime.fromtimestamp(bot.installed_at, dt.UTC),
        }
        await asyncio.to_thread(self._save, values)
        log.info("Slack workspace %s installed dealcoach", bot.team_name or bot.team_id)

    def _seal(self, token: str) -> str:
        try:
            return self.sealer.seal(token)
        except TokenKeyError as exc:
            raise BoltError(str(exc)) from None

    def _save(self, values: dict[str, Any]) -> None:
        with self.database.transaction() as session:
            slack_workspaces.save_installation(session, values)

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        return await asyncio.to_thread(
            self._find, enterprise_id, team_id, bool(is_enterprise_install)
        )

    def _find(self, enterprise_id: str | None, team_id: str | None, org_wide: bool) -> Bot | None:
        with self.database.transaction() as session:
            row = slack_workspaces.find_installation(
                session, enterprise_id, team_id, org_wide=org_wide
            )
            if row is None:
                return None
            return Bot(
                app_id=row.app_id,
                enterprise_id=row.enterprise_id or None,
                team_id=row.team_id or None,
                team_name=row.team_name,
                bot_token=self.sealer.unseal(row.bot_token),
                bot_id=row.bot_id or "",
                bot_user_id=row.bot_user_id or "",
                bot_scopes=row.bot_scopes,
                is_enterprise_install=row.is_enterprise_install,
                installed_at=row.installed_at.timestamp(),
            )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        """Forget a workspace's bot token (`app_uninstalled`, `tokens_revoked`)."""

        def delete() -> int:
            with self.database.transaction() as session:
                return slack_workspaces.delete_installation(session, enterprise_id, team_id)

        deleted = await asyncio.to_thread(delete)
        log.info(
            "Slack workspace %s (org %s) removed dealcoach or revoked its token: "
            "deleted %d stored token(s)",
            team_id,
            enterprise_id,
            deleted,
        )

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        """User tokens are never stored (bot-only installs): nothing to delete."""

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)


class DatabaseStateStore(AsyncOAuthStateStore):
    """One-time OAuth states in the slack_oauth_states table (shared by every process)."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self.database = database
        self.clock = clock

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        expires_at = self.clock.now() + STATE_LIFETIME

        def issue() -> None:
            with self.database.transaction() as session:
                slack_workspaces.issue_state(session, state, expires_at)

        await asyncio.to_thread(issue)
        return state

    async def async_consume(self, state: str) -> bool:
        def consume() -> bool:
            with self.database.transaction() as session:
                return slack_workspaces.consume_state(session, state, self.clock.now())

        return await asyncio.to_thread(consume)


def oauth_settings(
    settings: Settings,
    database: Database,
    clock: Clock,
    scopes: Sequence[str],
    allowlist: WorkspaceAllowlist,
) -> AsyncOAuthSettings:
    return AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(scopes),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=DatabaseInstallationStore(
            database, allowlist, TokenSealer(settings.token_key)
        ),
        installation_store_bot_only=True,
        state_store=DatabaseStateStore(database, clock),
        state_expiration_seconds=int(STATE_LIFETIME.total_seconds()),
        callback_options=AsyncCallbackOptions(success=_installed, failure=_not_installed),
    )


async def _installed(args: AsyncSuccessArgs) -> BoltResponse:
    return await args.default.success(args)


async def _not_installed(args: AsyncFailureArgs) -> BoltResponse:
    """A workspace outside the allowlist is told so (403), not "something went wrong"."""
    if isinstance(args.error, WorkspaceNotAllowed):
        return BoltResponse(status=403, body=str(args.error))
    return await args.default.failure(args)


def _scopes(scopes: str | Sequence[str] | None) -> str:
    if scopes is None:
        return ""
    return scopes if isinstance(scopes, str) else ",".join(scopes)
