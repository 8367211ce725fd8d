"""Teams users as reps and managers: who sent an activity, a team's roster, and the
personal chats the bot opens so that replies and check-ins have somewhere to go.

A user is found by a link (AAD object id, or the Bot Framework user id); on first
contact a member lookup (TeamsInfo) gives their email and UPN to match and link them.
"""

from __future__ import annotations

import asyncio
import logging

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import ChannelAccount, ConversationParameters
from botbuilder.schema.teams import TeamsChannelAccount
from botframework.connector import Channels

from bot.teams.activities import personal_chat, team_of, tenant_of
from bot.teams.directory import Member, TeamsDirectory
from storage.teams_conversations import Conversation

log = logging.getLogger(__name__)
ROSTER_PAGE = 100


class TeamsPeople:
    """Identify, link and reach Teams users during a turn."""

    def __init__(self, directory: TeamsDirectory) -> None:
        self.directory = directory

    async def identify(self, turn_context: TurnContext) -> int | None:
        """The rep or manager who sent this activity, linked on first contact by a
        member lookup (AAD object id, email or UPN); None for strangers."""
        activity = turn_context.activity
        user = activity.from_property
        if user is None or not user.id or user.id == getattr(activity.recipient, "id", None):
            return None
        tenant = tenant_of(activity)
        member = Member(user_id=user.id, aad_object_id=user.aad_object_id)
        person_id = await asyncio.to_thread(self.directory.find, tenant, member)
        if person_id is not None or activity.channel_id != Channels.ms_teams:
            return person_id
        looked_up = await self._lookup(turn_context, user.id)
        return await asyncio.to_thread(self.directory.match, tenant, looked_up or member)

    async def sync_team(self, turn_context: TurnContext, user_ids: list[str] | None) -> None:
        """Link the team's members (all, or those just added) who are reps or managers,
        and open a personal chat with each who has none."""
        if turn_context.activity.channel_id != Channels.ms_teams:
            return
        try:
            if user_ids is None:
                accounts = await self._roster(turn_context)
            else:
                accounts = [await TeamsInfo.get_member(turn_context, uid) for uid in user_ids]
        except Exception as exc:
            log.warning("could not read the team's members: %s", exc)
            return
        tenant = tenant_of(turn_context.activity)
        for account in accounts:
            person_id = await asyncio.to_thread(self.directory.match, tenant, _as_member(account))
            if person_id is not None:
                await self.ensure_personal_chat(turn_context, person_id, account)

    async def ensure_personal_chat(
        self, turn_context: TurnContext, person_id: int, account: ChannelAccount
    ) -> None:
        """Open and remember a personal chat with someone met in a team, unless known."""
        if await asyncio.to_thread(self.directory.has_personal_chat, person_id):
            return
        try:
            chat = await self._open_personal_chat(turn_context, account)
        except Exception as exc:
            log.warning("could not open a personal chat with %s: %s", account.id, exc)
            return
        await asyncio.to_thread(self.directory.remember, chat, person_id)

    async def _lookup(self, turn_context: TurnContext, user_id: str) -> Member | None:
        try:
            account = await TeamsInfo.get_member(turn_context, user_id)
        except Exception as exc:
            log.warning("Teams member lookup failed for %s: %s", user_id, exc)
            return None
        return _as_member(account)

    async def _roster(self, turn_context: TurnContext) -> list[TeamsChannelAccount]:
        accounts: list[TeamsChannelAccount] = []
        token = None
        while True:
            page = await TeamsInfo.get_paged_team_members(
                turn_context, team_of(turn_context.activity) or "", token, ROSTER_PAGE
            )
            accounts += page.members or []
            token = page.continuation_token
            if not token:
                return accounts

    async def _open_personal_chat(
        self, turn_context: TurnContext, account: ChannelAccount
    ) -> Conversation:
        activity = turn_context.activity
        tenant = tenant_of(activity)
        connector = turn_context.turn_state[BotAdapter.BOT_CONNECTOR_CLIENT_KEY]
        created = await connector.conversations.create_conversation(
            ConversationParameters(
                is_group=False,
                bot=activity.recipient,
                members=[ChannelAccount(id=account.id)],
                tenant_id=tenant,
                channel_data={"tenant": {"id": tenant}},
            )
        )
        user = ChannelAccount(id=account.id, name=account.name, aad_object_id=account.aad_object_id)
        return personal_chat(created.id, user, activity.recipient, tenant, activity.service_url)


def _as_member(account: TeamsChannelAccount) -> Member:
    return Member(
        user_id=account.id,
        aad_object_id=account.aad_object_id,
        email=account.email,
        user_principal_name=account.user_principal_name,
    )
