"""A local server playing Slack's Web API (and Socket Mode), so the real SDK code runs in tests.

It serves `/api/<method>` on 127.0.0.1 (a free port) from a background thread, the way
Slack does: bearer tokens per workspace, JSON or form bodies, query strings for GET
methods, `{"ok": false, "error": ...}` refusals, Block Kit limits checked on every
post, update and view. It records every call, and can be told to answer 429 with a
Retry-After, a 5xx, or an error code, a given number of times. Opt-in, it enforces
Slack's chat.postMessage rate limits (`FakeSlack(limits=RateLimits(...))`): a post over
the per-channel or the workspace budget is answered 429 with Retry-After.

Methods: auth.test, oauth.v2.access, apps.connections.open (plus a WebSocket at
/link for Socket Mode), conversations.open, conversations.history, conversations.info,
users.info, users.lookupByEmail, chat.postMessage, chat.update, views.publish, views.open.
A channel the bot is not a member of answers conversations.info with `is_member: false`
and refuses posts with `not_in_channel`, as Slack does without chat:write.public.

    with FakeSlack() as slack:
        slack.add_workspace("T1", "xoxb-1")
        slack.add_user("U1", "alex@example.com", team="T1")
        AsyncWebClient(token="xoxb-1", base_url=slack.base_url)
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

from testkit.background import BackgroundApp

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_OPTION_VALUE = 150


@dataclass(frozen=True)
class Call:
    """One Web API call as the server received it."""

    method: str
    params: dict[str, Any]
    token: str | None
    at: float  # time.monotonic()


@dataclass(frozen=True)
class Failure:
    status: int = 200
    error: str = ""
    retry_after: float | None = None
    after_effect: bool = False  # the call takes effect, then the answer is the failure


@dataclass(frozen=True)
class RateLimits:
    """chat.postMessage budgets: about `per_channel` posts a second in each channel (short
    bursts of `channel_burst` allowed), and `workspace` a second across a workspace
    (bursts of `workspace_burst`). Token buckets; a refused post spends nothing."""

    per_channel: float = 1.0
    channel_burst: int = 3
    workspace: float = 50.0
    workspace_burst: int = 50


@dataclass
class _Bucket:
    rate: float
    capacity: float
    tokens: float
    updated: float

    def wait(self, now: float) -> float:
        """Seconds until one token is there (0: there is one now)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


class _Limiter:
    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        self._workspaces: dict[str, _Bucket] = {}
        self._channels: dict[tuple[str, str], _Bucket] = {}

    def admit(self, team: str, channel: str, now: float) -> float:
        """0 and the post is counted, or the seconds to wait before posting again."""
        limits = self.limits
        buckets = [
            _bucket(self._workspaces, team, limits.workspace, limits.workspace_burst, now),
            _bucket(self._channels, (team, channel), limits.per_channel, limits.channel_burst, now),
        ]
        wait = max(bucket.wait(now) for bucket in buckets)
        if wait == 0:
            for bucket in buckets:
                bucket.tokens -= 1
        return wait


def _bucket(buckets: dict, key: object, rate: float, burst: int, now: float) -> _Bucket:
    if key not in buckets:
        buckets[key] = _Bucket(rate, burst, burst, now)
    return buckets[key]


@dataclass
class Workspace:
    team: str
    name: str
    token: str
    bot_user: str
    bot_id: str
    scopes: tuple[str, ...] | None = None  # sent as X-OAuth-Scopes by auth.test when set


@dataclass
class User:
    id: str
    team: str
    email: str | None
    name: str
    is_bot: bool = False
    deleted: bool = False
    email_confirmed: bool = True

    def as_json(self) -> dict[str, Any]:
        profile: dict[str, Any] = {"real_name": self.name, "display_name": self.name}
        if self.email:
            profile["email"] = self.email
        return {
            "id": self.id,
            "team_id": self.team,
            "name": self.name.lower().replace(" ", "."),
            "real_name": self.name,
            "deleted": self.deleted,
            "is_bot": self.is_bot,
            "is_email_confirmed": self.email_confirmed,
            "tz": "America/New_York",
            "profile": profile,
        }


@dataclass
class Posted:
    """A message in a channel: its current text and blocks, and every earlier version."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    metadata: dict[str, Any] | None
    bot_user: str
    versions: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)

    def as_json(self, with_metadata: bool) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "user": self.bot_user,
            "ts": self.ts,
            "text": self.text,
            "blocks": self.blocks,
        }
        if with_metadata and self.metadata:
            message["metadata"] = self.metadata
        return message


@dataclass
class Upload:
    """A file of the upload v2 flow: announced, its bytes received, then shared."""

    id: str
    filename: str
    length: int
    alt_txt: str | None
    content: bytes | None = None
    title: str | None = None
    channel: str | None = None
    initial_comment: str | None = None
    thread_ts: str | None = None


class FakeSlack:
    """The server; use it as a context manager or call start() and stop()."""

    def __init__(self, *, limits: RateLimits | None = None) -> None:
        self.calls: list[Call] = []
        self.rate_limited = 0  # posts the limiter answered with 429
        self.workspaces: dict[str, Workspace] = {}
        self.users: dict[str, User] = {}
        self.channels: dict[str, str] = {}  # channel id -> team
        self.outside: set[str] = set()  # channels the bot is not a member of
        self.messages: dict[str, list[Posted]] = defaultdict(list)
        self.home_views: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, Upload] = {}  # file id -> upload (files upload v2)
        self.opened_views: list[dict[str, Any]] = []
        self.app_tokens: set[str] = set()
        self.oauth_codes: dict[str, tuple[str, str]] = {}  # code -> (team, token)
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
        self._delays: dict[str, float] = {}
        self._limiter = _Limiter(limits) if limits is not None else None
        self._ts = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self._acks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._connected: asyncio.Event | None = None
        self._server = BackgroundApp("fake-slack")
        self._loop = self._server.loop
        self.url = ""

    # Setting the scene

    @property
    def base_url(self) -> str:
        """What slack_sdk clients take as base_url (SLACK_API_URL)."""
        return f"{self.url}/api/"

    def add_workspace(
        self,
        team: str,
        token: str,
        name: str = "Acme Sales",
        *,
        scopes: tuple[str, ...] | None = None,
    ) -> Workspace:
        """A workspace and its bot token; `scopes`: what auth.test says the token has."""
        workspace = Workspace(
            team, name, token, bot_user=f"UB{team}", bot_id=f"B{team}", scopes=scopes
        )
        self.workspaces[token] = workspace
        return workspace

    def add_user(
        self, user: str, email: str | None, *, team: str = "T1", name: str = "", **flags: bool
    ) -> User:
        """A user of workspace `team`; their DM with the bot is channel dm_of(user)."""
        self.users[user] = User(user, team, email, name or user, **flags)
        self.channels[self.dm_of(user)] = team
        return self.users[user]

    def add_channel(self, channel: str, team: str = "T1", *, member: bool = True) -> None:
        """A public channel; the bot is a member of it unless not `member`."""
        self.channels[channel] = team
        if member:
            self.outside.discard(channel)
        else:
            self.outside.add(channel)

    def add_app_token(self, token: str) -> None:
        self.app_tokens.add(token)

    def add_oauth_code(self, code: str, team: str, token: str) -> None:
        """What oauth.v2.access will trade `code` for: a bot token in workspace `team`."""
        self.oauth_codes[code] = (team, token)

    def fail(
        self,
        method: str,
        *,
        status: int = 200,
        error: str = "",
        retry_after: float | None = None,
        times: int = 1,
        after_effect: bool = False,
    ) -> None:
        """The next `times` calls to `method` fail: 429 (with Retry-After), 5xx, or an error.
        With `after_effect` the call does what it asks first (a post whose answer is lost)."""
        failure = Failure(status, error, retry_after, after_effect)
        self._failures[method].extend([failure] * times)

    def delay(self, method: str, seconds: float) -> None:
        """Every call to `method` is answered after `seconds`."""
        self._delays[method] = seconds

    def dm_of(self, user: str) -> str:
        return "D" + user.removeprefix("U")

    # Reading what happened

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in list(self.calls) if call.method == method]

    def posted(self, channel: str | None = None) -> list[Posted]:
        """Messages (in their current version), oldest first."""
        if channel is not None:
            return list(self.messages.get(channel, []))
        return [message for messages in list(self.messages.values()) for message in messages]

    # Socket Mode

    def socket_request(
        self, kind: str, payload: dict[str, Any], timeout: float = 10
    ) -> dict[str, Any]:
        """Send one Socket Mode envelope ("events_api", "interactive", "slash_commands")
        to the connected app and return its acknowledgement (called from test threads)."""
        future = asyncio.run_coroutine_threadsafe(self._envelope(kind, payload), self._loop)
        return future.result(timeout)

    def wait_for_socket(self, timeout: float = 10) -> None:
        asyncio.run_coroutine_threadsafe(self._wait_connected(), self._loop).result(timeout)

    async def _wait_connected(self) -> None:
        assert self._connected is not None
        await self._connected.wait()

    async def _envelope(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        await self._wait_connected()
        envelope_id = str(uuid.uuid4())
        ack: asyncio.Future[dict[str, Any]] = self._loop.create_future()
        self._acks[envelope_id] = ack
        await self._sockets[-1].send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": 0,
                "retry_reason": "",
                "payload": payload,
            }
        )
        return await ack

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}}
        )
        assert self._connected is not None
        self._connected.set()
        async for frame in socket:
            if frame.type == WSMsgType.TEXT:
                message = json.loads(frame.data)
                ack = self._acks.pop(message.get("envelope_id", ""), None)
                if ack is not None and not ack.done():
                    ack.set_result(message)
        self._sockets.remove(socket)
        if not self._sockets:
            self._connected.clear()
        return socket

    # Lifecycle

    def start(self) -> FakeSlack:
        self.url = self._server.start(self._app)
        return self

    def stop(self) -> None:
        self._server.stop(before=self._close_sockets)

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    async def _app(self) -> web.Application:
        self._connected = asyncio.Event()
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_get("/link/", self._socket)
        app.router.add_post("/upload/{file_id}", self._upload)
        return app

    async def _close_sockets(self) -> None:
        for socket in list(self._sockets):
            await socket.close()

    # The Web API

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        token = _bearer(request) or params.pop("token", None)
        self.calls.append(Call(method, params, token, time.monotonic()))
        if method in self._delays:
            await asyncio.sleep(self._delays[method])
        failures = self._failures.get(method)
        failure = failures.popleft() if failures else None
        if failure is not None and not failure.after_effect:
            return _failure(failure)
        wait = self._over_limit(method, params, token)
        if wait:
            self.rate_limited += 1
            return _failure(Failure(429, retry_after=math.ceil(wait)))
        response = self._answer(method, params, token, request)
        return _failure(failure) if failure is not None else response

    def _over_limit(self, method: str, params: dict[str, Any], token: str | None) -> float:
        """Seconds to wait when a post is over a rate limit (0: not limited)."""
        workspace = self.workspaces.get(token or "")
        if self._limiter is None or method != "chat.postMessage" or workspace is None:
            return 0.0
        channel = str(params.get("channel", ""))
        return self._limiter.admit(workspace.team, channel, time.monotonic())

    def _answer(
        self, method: str, params: dict[str, Any], token: str | None, request: web.Request
    ) -> web.Response:
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return _refuse("unknown_method")
        if method == "oauth.v2.access":
            return web.json_response(handler(params, request))
        if method == "apps.connections.open":
            if token not in self.app_tokens:
                return _refuse("invalid_auth")
            return web.json_response(handler(params, request))
        workspace = self.workspaces.get(token or "")
        if workspace is None:
            return _refuse("not_authed" if not token else "invalid_auth")
        headers = {}
        if method == "auth.test" and workspace.scopes is not None:
            headers["X-OAuth-Scopes"] = ",".join(workspace.scopes)
        try:
            return web.json_response({"ok": True, **handler(workspace, params)}, headers=headers)
        except _Refusal as refusal:
            return _refuse(refusal.error, refusal.detail)

    def _auth_test(self, workspace: Workspace, _params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": f"https://{workspace.team.lower()}.slack.com/",
            "team": workspace.name,
            "user": "dealcoach",
            "team_id": workspace.team,
            "user_id": workspace.bot_user,
            "bot_id": workspace.bot_id,
            "is_enterprise_install": False,
        }

    def _oauth_v2_access(self, params: dict[str, Any], request: web.Request) -> dict[str, Any]:
        if "client_id" not in params and not request.headers.get("Authorization", "").startswith(
            "Basic "
        ):
            return {"ok": False, "error": "invalid_client_id"}
        grant = self.oauth_codes.pop(str(params.get("code")), None)
        if grant is None:
            return {"ok": False, "error": "invalid_code"}
        team, token = grant
        workspace = self.add_workspace(team, token, name=f"Workspace {team}")
        return {
            "ok": True,
            "app_id": "A1",
            "authed_user": {"id": "UINSTALLER"},
            "scope": "chat:write,commands",
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": workspace.bot_user,
            "team": {"id": team, "name": workspace.name},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, _params: dict[str, Any], request: web.Request) -> dict:
        host = request.host
        return {"ok": True, "url": f"ws://{host}/link/?ticket={uuid.uuid4()}"}

    def _user(self, workspace: Workspace, user_id: str) -> User:
        user = self.users.get(user_id)
        if user is None or user.team != workspace.team:
            raise _Refusal("user_not_found")
        return user

    def _users_info(self, workspace: Workspace, params: dict[str, Any]) -> dict[str, Any]:
        return {"user": self._user(workspace, str(params.get("user"))).as_json()}

    def _users_lookupByEmail(self, workspace: Workspace, params: dict[str, Any]) -> dict:
        email = str(params.get("email", "")).lower()
        for user in self.users.values():
            if user.team == workspace.team and (user.email or "").lower() == email:
                return {"user": user.as_json()}
        raise _Refusal("users_not_found")

    def _conversations_open(self, workspace: Workspace, params: dict[str, Any]) -> dict:
        user = self._user(workspace, str(params.get("users", "")))
        channel = self.dm_of(user.id)
        self.channels[channel] = workspace.team
        return {"channel": {"id": channel, "is_im": True, "user": user.id}}

    def _conversations_history(self, workspace: Workspace, params: dict[str, Any]) -> dict:
        channel = self._channel(workspace, params)
        limit = int(params.get("limit", 100))
        with_metadata = str(params.get("include_all_metadata", "")).lower() in {"1", "true"}
        newest_first = list(reversed(self.messages.get(channel, [])))[:limit]
        return {
            "messages": [message.as_json(with_metadata) for message in newest_first],
            "has_more": False,
        }

    def _conversations_info(self, workspace: Workspace, params: dict[str, Any]) -> dict:
        channel = self._channel(workspace, params)
        member = channel not in self.outside
        return {"channel": {"id": channel, "is_im": channel.startswith("D"), "is_member": member}}

    def _channel(self, workspace: Workspace, params: dict[str, Any]) -> str:
        channel = str(params.get("channel", ""))
        if self.channels.get(channel) != workspace.team:
            raise _Refusal("channel_not_found")
        return channel

    def _chat_postMessage(self, workspace: Workspace, params: dict[str, Any]) -> dict:
        channel = self._channel(workspace, params)
        if channel in self.outside:
            raise _Refusal("not_in_channel")
        blocks = _blocks(params)
        _check_blocks(blocks, MAX_MESSAGE_BLOCKS)
        text = str(params.get("text") or "")
        if not text and not blocks:
            raise _Refusal("no_text")
        metadata = params.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        ts = f"{1795000000 + next(self._ts)}.000100"
        posted = Posted(channel, ts, text, blocks, metadata, workspace.bot_user)
        self.messages[channel].append(posted)
        return {"channel": channel, "ts": ts, "message": posted.as_json(True)}

    def _chat_update(self, workspace: Workspace, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(workspace, params)
        ts = str(params.get("ts"))
        posted = next((m for m in self.messages.get(channel, []) if m.ts == ts), None)
        if posted is None:
            raise _Refusal("message_not_found")
        blocks = _blocks(params)
        _check_blocks(blocks, MAX_MESSAGE_BLOCKS)
        posted.versions.append((posted.text, posted.blocks))
        posted.text, posted.blocks = str(params.get("text") or ""), blocks
        return {"channel": channel, "ts": ts, "text": posted.text}

    # Files: upload v2 (files.getUploadURLExternal, POST the bytes, completeUploadExternal)

    def shared_files(self, channel: str | None = None) -> list[Upload]:
        """Files completed into a conversation (all, or one channel's)."""
        done = [upload for upload in self.uploads.values() if upload.channel is not None]
        return [upload for upload in done if channel is None or upload.channel == channel]

    def _files_getUploadURLExternal(self, workspace: Workspace, params: dict[str, Any]) -> dict:
        filename, length = str(params.get("filename") or ""), str(params.get("length") or "")
        if not filename or not length.isdecimal():
            raise _Refusal("invalid_arguments", "filename and length are required")
        file_id = f"F{len(self.uploads) + 1:08d}"
        alt = params.get("alt_txt")
        self.uploads[file_id] = Upload(file_id, filename, int(length), alt and str(alt))
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    async def _upload(self, request: web.Request) -> web.Response:
        upload = self.uploads.get(request.match_info["file_id"])
        if upload is None:
            return web.Response(status=404, text="unknown upload")
        content = await request.read()
        if len(content) != upload.length:
            return web.Response(status=400, text=f"expected {upload.length} bytes")
        upload.content = content
        return web.Response(text=f"OK - {len(content)}")

    def _files_completeUploadExternal(self, workspace: Workspace, params: dict) -> dict:
        files = params.get("files")
        items = json.loads(files) if isinstance(files, str) else files or []
        channel = params.get("channel_id")
        if channel is not None:
            channel = self._channel(workspace, {"channel": channel})
        done = []
        for item in items:
            upload = self.uploads.get(str(item.get("id")))
            if upload is None or upload.content is None:
                raise _Refusal("file_not_found" if upload is None else "file_upload_incomplete")
            upload.title = item.get("title") or upload.filename
            upload.channel = channel
            upload.initial_comment = params.get("initial_comment")
            upload.thread_ts = params.get("thread_ts")
            done.append({"id": upload.id, "name": upload.filename, "title": upload.title})
        return {"files": done}

    def _views_publish(self, workspace: Workspace, params: dict[str, Any]) -> dict[str, Any]:
        user = self._user(workspace, str(params.get("user_id")))
        view = _json(params.get("view"))
        if view.get("type") != "home":
            raise _Refusal("invalid_arguments", "a published view must be of type home")
        _check_blocks(view.get("blocks", []), MAX_VIEW_BLOCKS)
        self.home_views[user.id] = view
        return {"view": {"id": f"VH{user.id}", **view}}

    def _views_open(self, workspace: Workspace, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("trigger_id"):
            raise _Refusal("invalid_trigger_id")
        view = _json(params.get("view"))
        if view.get("type") != "modal":
            raise _Refusal("invalid_arguments", "an opened view must be a modal")
        _check_blocks(view.get("blocks", []), MAX_VIEW_BLOCKS)
        self.opened_views.append(view)
        return {"view": {"id": f"VM{len(self.opened_views)}", **view}}


class _Refusal(Exception):
    def __init__(self, error: str, detail: str = "") -> None:
        super().__init__(error)
        self.error = error
        self.detail = detail


async def _params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    body = await request.read()
    if not body:
        return params
    if request.content_type == "application/json":
        params.update(json.loads(body))
    else:
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    return params


def _bearer(request: web.Request) -> str | None:
    header = request.headers.get("Authorization", "")
    return header.removeprefix("Bearer ") if header.startswith("Bearer ") else None


def _json(value: Any) -> dict[str, Any]:
    return json.loads(value) if isinstance(value, str) else dict(value or {})


def _blocks(params: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = params.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else list(blocks)


def _check_blocks(blocks: list[dict[str, Any]], limit: int) -> None:
    """Slack's Block Kit limits; a breach is refused with invalid_blocks, as Slack does."""
    if len(blocks) > limit:
        raise _Refusal("invalid_blocks", f"more than {limit} blocks")
    for block in blocks:
        kind = block.get("type")
        text = (block.get("text") or {}).get("text", "")
        if kind == "section" and len(text) > MAX_SECTION_TEXT:
            raise _Refusal("invalid_blocks", "section text over 3000 characters")
        if kind == "header" and len(text) > MAX_HEADER_TEXT:
            raise _Refusal("invalid_blocks", "header text over 150 characters")
        elements = block.get("elements", []) if kind == "actions" else []
        action_ids = [element.get("action_id") for element in elements]
        if len(action_ids) != len(set(action_ids)):
            raise _Refusal("invalid_blocks", "action_id repeated within a block")
        for element in elements:
            label = (element.get("text") or {}).get("text", "")
            if len(label) > MAX_BUTTON_TEXT:
                raise _Refusal("invalid_blocks", "button text over 75 characters")
            for option in element.get("options", []):
                if len(option.get("value", "")) > MAX_OPTION_VALUE:
                    raise _Refusal("invalid_blocks", "option value over 150 characters")


def _refuse(error: str, detail: str = "") -> web.Response:
    body: dict[str, Any] = {"ok": False, "error": error}
    if detail:
        body["errors"] = [detail]
    return web.json_response(body)


def _failure(failure: Failure) -> web.Response:
    if failure.status == 429:
        retry_after = str(int(failure.retry_after or 1))
        return web.json_response(
            {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": retry_after}
        )
    if failure.status >= 500:
        return web.Response(status=failure.status, text="upstream trouble")
    return _refuse(failure.error or "fatal_error")
