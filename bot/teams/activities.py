"""Bot Framework activities, read and written: who spoke, where, what they said or tapped.

Inbound: the conversation an activity came from (to remember its reference), the text
without the bot's @mention, or a card submission as the engine's (action, value).
Outbound: a neutral message as a Teams activity, a text message or an Adaptive Card.
"""

from __future__ import annotations

import re
from copy import copy
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationAccount,
    ConversationReference,
)

from bot.engine.messages import Message
from bot.engine.text_render import plain
from bot.teams import cards
from storage.teams_conversations import Conversation

KINDS = {"personal", "channel", "groupChat"}
CARD_ACTION_INVOKE = "adaptiveCard/action"
_SPACES = re.compile(r"\s+")


def _channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    return data if isinstance(data, dict) else {}


def _id_of(value: object) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return None


def tenant_of(activity: Activity) -> str:
    """The AAD tenant (channelData.tenant.id, the reliable source in channels)."""
    return (
        _id_of(_channel_data(activity).get("tenant"))
        or getattr(activity.conversation, "tenant_id", None)
        or ""
    )


def team_of(activity: Activity) -> str | None:
    return _id_of(_channel_data(activity).get("team"))


def kind_of(activity: Activity) -> str:
    """personal, channel or groupChat (the Emulator sends none: a personal chat)."""
    kind = getattr(activity.conversation, "conversation_type", None)
    return kind if kind in KINDS else "personal"


def channel_of(activity: Activity) -> str | None:
    """A team channel's id (its threads share it), or None outside channels."""
    if kind_of(activity) != "channel":
        return None
    channel = _id_of(_channel_data(activity).get("channel"))
    return channel or activity.conversation.id.split(";")[0]


def conversation_of(activity: Activity) -> Conversation:
    """The conversation an activity came from, with the reference to write to it later.

    A channel is remembered by its own id, not a thread's, so later posts start new
    threads; the reference drops the activity id, so they are not replies either."""
    reference = TurnContext.get_conversation_reference(activity)
    reference.activity_id = None
    kind = kind_of(activity)
    conversation_id = channel_of(activity) or activity.conversation.id
    reference.conversation = copy(activity.conversation)
    reference.conversation.id = conversation_id
    user = activity.from_property if kind == "personal" else None
    return Conversation(
        conversation_id=conversation_id,
        kind=kind,
        service_url=activity.service_url,
        reference=reference.serialize(),
        tenant=tenant_of(activity),
        team_id=team_of(activity),
        user_id=user.id if user else None,
        aad_object_id=user.aad_object_id if user else None,
    )


def personal_chat(
    conversation_id: str, user: ChannelAccount, bot: ChannelAccount, tenant: str, service_url: str
) -> Conversation:
    """A personal chat the bot created with a team member (for proactive messages)."""
    reference = ConversationReference(
        user=ChannelAccount(id=user.id, name=user.name, aad_object_id=user.aad_object_id),
        bot=ChannelAccount(id=bot.id, name=bot.name),
        conversation=ConversationAccount(
            id=conversation_id, conversation_type="personal", tenant_id=tenant
        ),
        channel_id="msteams",
        service_url=service_url,
    )
    return Conversation(
        conversation_id=conversation_id,
        kind="personal",
        service_url=service_url,
        reference=reference.serialize(),
        tenant=tenant,
        user_id=user.id,
        aad_object_id=user.aad_object_id,
    )


def text_of(activity: Activity) -> str:
    """What was typed, without the bot's @mention (channels) and extra spaces."""
    text = TurnContext.remove_recipient_mention(activity) if activity.text else ""
    return _SPACES.sub(" ", (text or "").replace("&nbsp;", " ")).strip()


def is_card_submit(activity: Activity) -> bool:
    """An Action.Submit arrives as a message with a value; Action.Execute as an invoke."""
    return activity.type == ActivityTypes.message and activity.value is not None


def submission_of(activity: Activity) -> tuple[str, str] | None:
    """The engine's (action, value) from an Action.Submit message or Action.Execute invoke."""
    if activity.type == ActivityTypes.invoke and activity.name == CARD_ACTION_INVOKE:
        action = activity.value.get("action") if isinstance(activity.value, dict) else None
        if not isinstance(action, dict):
            return None
        data: dict[str, Any] = action["data"] if isinstance(action.get("data"), dict) else {}
        if "action" not in data and isinstance(action.get("verb"), str):
            data = {**data, "action": action["verb"]}
        return cards.read_submission(data)
    return cards.read_submission(activity.value)


def outgoing_activity(
    message: Message, reference: ConversationReference, *, as_card: bool, notify: bool
) -> Activity:
    """A message addressed by a stored reference: a text message, or an Adaptive Card
    (always for updates, so a card is replaced by a card)."""
    activity = Activity(type=ActivityTypes.message, summary=plain(message.summary))
    if as_card or not cards.is_plain(message):
        activity.attachments = [
            Attachment(content_type=cards.CONTENT_TYPE, content=cards.render_card(message))
        ]
    else:
        activity.text = cards.plain_text(message)
        activity.text_format = "markdown"
    if notify:
        activity.channel_data = {"notification": {"alert": True}}
    return TurnContext.apply_conversation_reference(activity, reference)
