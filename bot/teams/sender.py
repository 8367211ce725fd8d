"""Outbox delivery to Teams through the Bot Framework connector, by stored reference.

`person:<id>` goes to that person's personal chat with the bot, `channel:<id>` to a
team channel; `kind="update"` replaces the posted activity in place. Throttling (429,
412) and gateway errors (502, 504 and other 5xx) come back as RetryLater, with the
Retry-After when the connector gives one; other refusals (403: the app was removed,
404: no such conversation) are permanent. botbuilder's own HTTP retries are switched
off, so the outbox alone decides when to try again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import logging
from typing import Any

from botbuilder.schema import ConversationReference
from botframework.connector.aio import ConnectorClient
from botframework.connector.auth import BotFrameworkAuthentication
from msrest.exceptions import ClientRequestError, HttpOperationError
from urllib3 import Retry

from bot.engine.messages import Message
from bot.engine.pictures import draw_pictures, has_pictures
from bot.infra.delivery import Delivered, Failed, RetryLater, SendResult
from bot.teams.activities import outgoing_activity
from bot.teams.auth import bot_identity
from bot.teams.directory import TRANSPORT
from bot.teams.trust import TeamsTrust
from storage import teams_conversations as stored
from storage.db import Database
from storage.outbox import OutboxItem

log = logging.getLogger(__name__)
RETRYABLE = {408, 412, 429, 500, 502, 503, 504}
TIMEOUT_SECONDS = 20


class Connectors:
    """One connector client per service URL, with the bot's credentials (cached: a new
    client would fetch a new token for every message)."""

    def __init__(
        self,
        authentication: BotFrameworkAuthentication,
        app_id: str | None,
        timeout: float = TIMEOUT_SECONDS,
    ) -> None:
        self.factory = authentication.create_connector_factory(bot_identity(app_id))
        self.timeout = timeout
        self.clients: dict[str, ConnectorClient] = {}

    async def get(self, service_url: str) -> ConnectorClient:
        client = self.clients.get(service_url)
        if client is None:
            client = await self.factory.create(service_url, None)
            client.config.retry_policy.policy = Retry(total=0, redirect=0)
            client.config.connection.timeout = self.timeout
            self.clients[service_url] = client
        return client


class TeamsSender:
    """The outbox's sender for transport "teams"."""

    transport = TRANSPORT

    def __init__(self, database: Database, connectors: Connectors, trust: TeamsTrust) -> None:
        self.database = database
        self.connectors = connectors
        self.trust = trust

    async def send(self, item: OutboxItem, message: Message, replaces: str | None) -> SendResult:
        try:
            stored_reference = await asyncio.to_thread(self._reference, item.recipient)
        except ValueError as exc:
            return Failed(str(exc))
        if stored_reference is None:
            return RetryLater(
                None,
                f"no Teams conversation is stored for {item.recipient} yet: the app must be "
                "installed for them (personally or in a team they belong to)",
            )
        update = item.kind == "update"
        if update and not replaces:
            log.info("nothing to update for %s: the original was never delivered", item.key)
            return Delivered()
        reference = ConversationReference().deserialize(stored_reference)
        if not self.trust.allows_service_url(reference.service_url or ""):
            return Failed(f"{reference.service_url!r} is not a Bot Framework host: not sent")
        if has_pictures(message):  # drawn here, in a worker thread, not in the event loop
            message = await asyncio.to_thread(draw_pictures, message)
        activity = outgoing_activity(message, reference, as_card=update, notify=not update)
        conversation_id = reference.conversation.id
        try:
            client = await self.connectors.get(reference.service_url)
            if update:
                activity.id = replaces
                await client.conversations.update_activity(conversation_id, replaces, activity)
                return Delivered(replaces)
            posted = await client.conversations.send_to_conversation(conversation_id, activity)
        except HttpOperationError as exc:
            return _refused(exc)
        except ClientRequestError as exc:
            return RetryLater(None, f"Teams connector unreachable or too slow: {exc}")
        return Delivered(posted.id if posted else None)

    def _reference(self, recipient: str) -> dict[str, Any] | None:
        kind, _, target = recipient.partition(":")
        with self.database.transaction() as session:
            if kind == "person" and target.isdigit():
                row = stored.personal_chat(session, int(target))
            elif kind == "channel" and target:
                row = stored.by_conversation(session, target)
            else:
                raise ValueError(f"cannot address {recipient!r} on Teams")
            return dict(row.reference) if row else None


def _refused(exc: HttpOperationError) -> SendResult:
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    error = f"Teams connector answered HTTP {status}"
    if status is None or status in RETRYABLE:
        headers = getattr(response, "headers", None) or {}
        return RetryLater(retry_after(headers.get("Retry-After")), error, status == 429)
    return Failed(f"{error}: {exc}")


def retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), if any."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())
