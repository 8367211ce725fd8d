"""The Teams bot: every activity refreshes a conversation reference; messages and card
taps go to the conversation engine; installs link people, open their chats and greet.

Nothing here replies directly except to a stranger (who has no outbox address yet):
the engine's replies, welcomes and updates all leave through the outbox.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging

from botbuilder.core import ActivityHandler, InvokeResponse, MessageFactory, TurnContext
from botbuilder.schema import Activity, ChannelAccount
from botframework.connector import Channels

from bot.engine.messages import Incoming
from bot.engine.replies import say
from bot.infra.inbox import Inbox
from bot.teams.activities import (
    CARD_ACTION_INVOKE,
    channel_of,
    conversation_of,
    is_card_submit,
    kind_of,
    submission_of,
    team_of,
    text_of,
)
from bot.teams.directory import TRANSPORT, TeamsDirectory
from bot.teams.people import TeamsPeople

log = logging.getLogger(__name__)
PERSON = "dealcoach.person_id"


class TeamsBot(ActivityHandler):
    """Bot Framework's ActivityHandler for dealcoach."""

    def __init__(self, inbox: Inbox, directory: TeamsDirectory) -> None:
        self.inbox = inbox
        self.directory = directory
        self.people = TeamsPeople(directory)

    async def on_turn(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        person_id = await self.people.identify(turn_context)
        turn_context.turn_state[PERSON] = person_id
        if activity.conversation is not None and activity.service_url:
            await asyncio.to_thread(self.directory.remember, conversation_of(activity), person_id)
        await super().on_turn(turn_context)

    # Messages and card taps

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        person_id = turn_context.turn_state.get(PERSON)
        if person_id is None:
            await self._introduce(turn_context)
            return
        activity = turn_context.activity
        if kind_of(activity) != "personal" and activity.channel_id == Channels.ms_teams:
            await self.people.ensure_personal_chat(turn_context, person_id, activity.from_property)
        if not is_card_submit(activity):
            await self.inbox.handle(_incoming(activity, person_id, text=text_of(activity)))
            return
        submission = submission_of(activity)
        if submission is None:
            log.info("ignored a card submission with no action or no answer")
            return
        action, value = submission
        await self.inbox.handle(_incoming(activity, person_id, action=action, value=value))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        """Action.Execute (Universal Actions) arrives as an `adaptiveCard/action` invoke:
        the same submissions, acknowledged at once; the card itself is updated through
        the outbox like every other reply."""
        activity = turn_context.activity
        if activity.name != CARD_ACTION_INVOKE:
            return await super().on_invoke_activity(turn_context)
        person_id = turn_context.turn_state.get(PERSON)
        submission = submission_of(activity)
        if person_id is None:
            text = say("teams_unknown_user", teams_id=_teams_id(activity.from_property))
        elif submission is None:
            text = say("teams_pick_one")
        else:
            action, value = submission
            await self.inbox.handle(_incoming(activity, person_id, action=action, value=value))
            text = say("teams_action_received")
        body = {"statusCode": 200, "type": "application/vnd.microsoft.activity.message"}
        return InvokeResponse(status=200, body=body | {"value": text})

    # Installs and removals

    async def on_members_added_activity(
        self, members_added: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        bot_id = turn_context.activity.recipient.id
        if any(member.id == bot_id for member in members_added):
            await self._installed(turn_context)
        elif kind_of(turn_context.activity) == "channel":
            await self.people.sync_team(turn_context, [member.id for member in members_added])

    async def on_members_removed_activity(
        self, members_removed: list[ChannelAccount], turn_context: TurnContext
    ) -> None:
        bot_id = turn_context.activity.recipient.id
        if any(member.id == bot_id for member in members_removed):
            await self._uninstalled(turn_context)

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._installed(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        await self._uninstalled(turn_context)

    async def _installed(self, turn_context: TurnContext) -> None:
        """Personal install: greet the person. Team install: introduce the bot in the
        channel, then link the team's reps and managers and open their personal chats."""
        activity = turn_context.activity
        if kind_of(activity) == "personal":
            person_id = turn_context.turn_state.get(PERSON)
            if person_id is None:
                await self._introduce(turn_context)
                return
            await asyncio.to_thread(self.directory.welcome, person_id, activity.conversation.id)
            self.inbox.kick()
            return
        channel = channel_of(activity)
        if channel and team_of(activity):
            await asyncio.to_thread(self.directory.welcome_team, channel)
            self.inbox.kick()
            await self.people.sync_team(turn_context, None)

    async def _uninstalled(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        removed = await asyncio.to_thread(
            self.directory.forget, conversation_of(activity).conversation_id, team_of(activity)
        )
        log.info("removed from a Teams %s: forgot %d conversation(s)", kind_of(activity), removed)

    async def _introduce(self, turn_context: TurnContext) -> None:
        """A stranger gets told how to be linked (directly: they have no outbox address).
        Like every other call to the connector during a turn, this is best effort: a
        connector that cannot be reached is logged, and the stranger can write again."""
        teams_id = _teams_id(turn_context.activity.from_property)
        try:
            await turn_context.send_activity(
                MessageFactory.text(say("teams_unknown_user", teams_id=teams_id))
            )
        except Exception as exc:
            log.warning("could not tell %s how to be linked: %s", teams_id, exc)


def _incoming(activity: Activity, person_id: int, **said: str) -> Incoming:
    """What the engine hears: text or (action, value), with the event id and channel."""
    return Incoming(
        person_id=person_id,
        transport=TRANSPORT,
        event_id=event_id(activity),
        channel=channel_of(activity),
        **said,
    )


def event_id(activity: Activity) -> str | None:
    """The dedupe key of an activity: Teams message ids are unique only within one
    conversation, so the key is the conversation's (hashed, it can be long) and the id."""
    if not activity.id:
        return None
    conversation = getattr(activity.conversation, "id", None) or ""
    digest = hashlib.sha256(conversation.encode()).hexdigest()[:16]
    return f"{digest}:{activity.id}"


def _teams_id(user: ChannelAccount | None) -> str:
    if user is None:
        return "?"
    return user.aad_object_id or user.id
