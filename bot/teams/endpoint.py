"""`POST /api/messages`: authenticate the request, then run the turn.

Authentication is done first and apart from the turn, so that every way a token can
be wrong (missing, malformed, forged, expired, for another bot) is a 401 and never a
500: botbuilder raises whatever its JWT decoding raises. It runs in a worker thread
because botbuilder fetches Microsoft's signing keys with blocking calls; when those
cannot be fetched the answer is 503, so the channel retries.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web
from botbuilder.core import Bot, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult, BotFrameworkAuthentication
from msrest.serialization import Model

log = logging.getLogger(__name__)
PATH = "/api/messages"


class MessagesEndpoint:
    """The aiohttp handler Bot Framework channels (and the Emulator) post activities to."""

    def __init__(
        self, adapter: CloudAdapter, authentication: BotFrameworkAuthentication, bot: Bot
    ) -> None:
        self.adapter = adapter
        self.authentication = authentication
        self.bot = bot

    async def handle(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _error(415, "send the activity as application/json")
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "the body is not valid JSON")
        activity = _activity(body)
        if activity is None:
            return _error(400, "the body is not a Bot Framework activity")
        try:
            authenticated = await self._authenticate(activity, request.headers)
        except Exception as exc:
            if isinstance(exc, OSError) and not isinstance(exc, PermissionError):
                log.error("cannot validate a Bot Framework token right now: %s", exc)
                return _error(503, "token validation is unavailable; retry later")
            log.warning("refused an activity on %s: %s", PATH, exc or type(exc).__name__)
            return _error(401, "unauthorized")
        response = await self.adapter.process_activity(authenticated, activity, self.bot.on_turn)
        if response is None:
            return web.Response(status=201)
        body = response.body
        if isinstance(body, Model):
            body = serializer_helper(body)
        return web.json_response(body, status=response.status)

    async def _authenticate(self, activity: Activity, headers: Any) -> AuthenticateRequestResult:
        header = headers.get("Authorization", "")

        def validate() -> AuthenticateRequestResult:
            return asyncio.run(self.authentication.authenticate_request(activity, header))

        return await asyncio.to_thread(validate)


def _activity(body: object) -> Activity | None:
    if not isinstance(body, dict):
        return None
    try:
        activity = Activity().deserialize(body)
    except Exception:
        return None
    required = (activity.type, activity.service_url, activity.conversation)
    return activity if all(required) else None


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)
