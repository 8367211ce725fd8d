"""`POST /api/messages`: check the body, authenticate the request, answer, run the turn.

The body is checked before botbuilder reads it: msrest turns a field of the wrong
type into a string or None without a word, and the handler reads `from`, `recipient`,
`conversation.id` and `serviceUrl` (where replies go) as given. A body that breaks
`RULES` gets a 400 naming the field.

Authentication is done first and apart from the turn, so that every way a token can
be wrong (missing, malformed, forged, expired, for another bot) is a 401 and never a
500: botbuilder raises whatever its JWT decoding raises. It runs in a worker thread
because botbuilder fetches Microsoft's signing keys with blocking calls; when those
cannot be fetched the answer is 503, so the channel retries.

An authenticated activity is answered 202 at once and its turn runs after (`Turns`);
only an invoke, whose answer carries the turn's result, is answered when it is done.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web
from botbuilder.core import Bot, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import AuthenticateRequestResult, BotFrameworkAuthentication
from msrest.serialization import Model

from bot.infra.inbound import BadBody, first_problem, rule, strict_json
from bot.teams.activities import tenant_of
from bot.teams.trust import TeamsTrust
from bot.teams.turns import Turns

log = logging.getLogger(__name__)
PATH = "/api/messages"
_ACCOUNT = ("id", "name", "aadObjectId", "role")
_TEXT = ("string", "null")
# The longest id each column that keeps it holds (activity ids become dedupe keys).
_LENGTHS = {
    "id": 100,
    "serviceUrl": 500,
    "from.id": 200,
    "from.aadObjectId": 100,
    "conversation.id": 400,
    "conversation.tenantId": 100,
    "channelData.tenant.id": 100,
    "channelData.team.id": 400,
    "channelData.channel.id": 400,
}
_RULES = (
    rule("type", "string", required=True),
    rule("serviceUrl", "url", required=True),
    rule("from", "object", required=True),
    rule("from.id", "string", required=True),
    rule("recipient", "object", required=True),
    rule("recipient.id", "string", required=True),
    rule("conversation", "object", required=True),
    rule("conversation.id", "string", required=True),
    *(rule(f"{who}.{key}", *_TEXT) for who in ("from", "recipient") for key in _ACCOUNT),
    *(rule(f"conversation.{key}", *_TEXT) for key in ("conversationType", "tenantId", "name")),
    *(rule(key, *_TEXT) for key in ("id", "channelId", "text", "name", "action", "replyToId")),
    rule("channelData", "object", "null"),
    *(rule(f"channelData.{key}", "object", "null") for key in ("tenant", "team", "channel")),
    *(rule(f"channelData.{key}.id", *_TEXT) for key in ("tenant", "team", "channel")),
    *(rule(key, "list", "null") for key in ("membersAdded", "membersRemoved", "entities")),
    *(rule(f"{key}.*", "object") for key in ("membersAdded", "membersRemoved", "entities")),
    *(rule(f"{key}.*.id", "string", required=True) for key in ("membersAdded", "membersRemoved")),
)
RULES = (
    *_RULES,
    *(rule(path, *_TEXT, max_length=length) for path, length in _LENGTHS.items()),
)


class MessagesEndpoint:
    """The aiohttp handler Bot Framework channels (and the Emulator) post activities to."""

    def __init__(
        self,
        adapter: CloudAdapter,
        authentication: BotFrameworkAuthentication,
        bot: Bot,
        trust: TeamsTrust,
    ) -> None:
        self.adapter = adapter
        self.authentication = authentication
        self.bot = bot
        self.trust = trust
        self.turns = Turns()

    async def handle(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return _error(415, "send the activity as application/json")
        try:
            payload = strict_json((await request.read()).decode("utf-8"))
        except UnicodeDecodeError:
            return _error(400, "the body is not UTF-8")
        except BadBody as exc:
            return _error(400, str(exc))
        if not isinstance(payload, dict):
            return _error(400, "the body is not a Bot Framework activity")
        problem = first_problem(payload, RULES)
        if problem is not None:
            log.warning("refused an activity on %s: %s", PATH, problem)
            return _error(400, problem)
        activity = _activity(payload)
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
        distrust = self._distrust(activity)
        if distrust is not None:
            log.warning("refused an activity on %s: %s", PATH, distrust)
            return _error(403, distrust)
        turn = self.adapter.process_activity(authenticated, activity, self.bot.on_turn)
        if activity.type != ActivityTypes.invoke:
            self.turns.run(activity.conversation.id, turn)
            return web.Response(status=202)
        response = await turn
        if response is None:
            return web.Response(status=201)
        body = response.body
        if isinstance(body, Model):
            body = serializer_helper(body)
        return web.json_response(body, status=response.status)

    def _distrust(self, activity: Activity) -> str | None:
        """Why an authenticated activity is still refused: another tenant, or replies
        that would go to a host that is not the Bot Framework's."""
        if not self.trust.allows_service_url(activity.service_url or ""):
            return "serviceUrl is not a Bot Framework host"
        tenant = tenant_of(activity)
        if not self.trust.allows_tenant(tenant):
            return f"tenant {tenant or '(none)'} may not use this bot (DEALCOACH_TEAMS_TENANTS)"
        return None

    async def _authenticate(self, activity: Activity, headers: Any) -> AuthenticateRequestResult:
        header = headers.get("Authorization", "")

        def validate() -> AuthenticateRequestResult:
            return asyncio.run(self.authentication.authenticate_request(activity, header))

        result = await asyncio.to_thread(validate)
        claims = getattr(result.claims_identity, "claims", None) or {}
        if not self.trust.local and "exp" not in claims:
            # botbuilder checks `exp` only when present: a token without one never expires
            raise PermissionError("the token has no expiry (exp)")
        return result


def _activity(body: dict[str, Any]) -> Activity | None:
    try:
        return Activity().deserialize(body)
    except Exception:
        return None


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)
