"""Which Slack workspaces may install dealcoach and talk to it (DEALCOACH_SLACK_WORKSPACES).

Checked at install (the OAuth redirect stores nothing for another workspace) and on
every request, before any listener runs: a request from a workspace outside the list
gets 403 and links nobody. A workspace is allowed by its team id (T...) or by its
Enterprise Grid org (E...). With no list, SLACK_BOT_TOKEN's own workspace is the only
one; the OAuth install flow with no list admits none.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.error import BoltError
from slack_bolt.response import BoltResponse

log = logging.getLogger(__name__)
OwnTeam = Callable[[], Awaitable[str]]
REVOCATIONS = ("app_uninstalled", "tokens_revoked")


class WorkspaceNotAllowed(BoltError):
    """An install from a workspace outside DEALCOACH_SLACK_WORKSPACES (nothing is stored)."""


class WorkspaceAllowlist:
    def __init__(self, allowed: frozenset[str], own_team: OwnTeam | None = None) -> None:
        self.allowed = allowed
        self.own_team = own_team

    async def allows(self, team_id: str | None, enterprise_id: str | None) -> bool:
        allowed = self.allowed
        if not allowed and self.own_team is not None:
            allowed = frozenset({await self.own_team()})
        return bool({team_id, enterprise_id} & allowed - {None, ""})

    async def check_install(self, team_id: str | None, enterprise_id: str | None) -> None:
        if not await self.allows(team_id, enterprise_id):
            log.warning(
                "refused to install dealcoach in Slack workspace %s (org %s): not in "
                "DEALCOACH_SLACK_WORKSPACES",
                team_id,
                enterprise_id,
            )
            raise WorkspaceNotAllowed(
                f"this Slack workspace ({team_id or enterprise_id}) may not install dealcoach: "
                "its admin adds it to DEALCOACH_SLACK_WORKSPACES"
            )

    async def middleware(
        self,
        body: dict[str, Any],
        context: AsyncBoltContext,
        next: Callable[[], Awaitable[BoltResponse]],
    ) -> BoltResponse:
        """Bolt middleware: a request from another workspace stops here with 403 (except
        an uninstall or a revocation, which only ever deletes that workspace's tokens)."""
        event = body.get("event") if isinstance(body.get("event"), dict) else {}
        if (event or {}).get("type") in REVOCATIONS or await self.allows(
            context.team_id, context.enterprise_id
        ):
            return await next()
        log.warning(
            "refused a request from Slack workspace %s (org %s): not in DEALCOACH_SLACK_WORKSPACES",
            context.team_id,
            context.enterprise_id,
        )
        return BoltResponse(status=403, body="this workspace may not use dealcoach")
