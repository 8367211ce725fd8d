"""A local Bot Framework connector service, so botbuilder's real client code runs in tests.

It serves the Connector REST API a Teams bot calls (v3) on 127.0.0.1 (a free port) from
a background thread: posting, replying to and updating activities, creating personal
chats, and member lookups against a roster the test provides. It records everything
the bot sends and can answer writes with scripted failures (429 with Retry-After, 412,
502...), to exercise throttling storms.

    with FakeConnector(roster=[member]) as connector:
        activity["serviceUrl"] = connector.service_url
        ...
        connector.posts[-1].text   # what the bot said, cards included
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from testkit.background import BackgroundApp

CARD = "application/vnd.microsoft.card.adaptive"


@dataclass(frozen=True)
class Member:
    """A Teams user in the fake tenant's directory."""

    id: str
    name: str
    aad_object_id: str
    email: str | None = None

    def account(self) -> dict[str, Any]:
        """The TeamsChannelAccount JSON a member lookup returns."""
        given, _, surname = self.name.partition(" ")
        return {
            "id": self.id,
            "name": self.name,
            "aadObjectId": self.aad_object_id,
            "email": self.email,
            "userPrincipalName": self.email,
            "givenName": given,
            "surname": surname,
            "tenantId": "tenant-1",
            "userRole": "user",
        }


@dataclass(frozen=True)
class Failure:
    """A scripted answer to one write request (after `delay_s`, to outlast a timeout)."""

    status: int
    retry_after: str | None = None
    delay_s: float = 0.0


@dataclass
class Recorded:
    """One activity the bot posted ("send", "reply") or replaced ("update")."""

    method: str
    conversation_id: str
    activity_id: str
    activity: dict[str, Any]
    authorization: str | None = None

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            attachment["content"]
            for attachment in self.activity.get("attachments") or []
            if attachment.get("contentType") == CARD
        ]

    @property
    def text(self) -> str:
        """What a reader sees, as text: the message text and every card's content."""
        parts = [plain(self.activity["text"])] if self.activity.get("text") else []
        for card in self.cards:
            parts.extend(card_lines(card.get("body", [])))
        return "\n".join(parts)


@dataclass
class FakeConnector:
    """The server; use it as a context manager or call start() and stop()."""

    roster: list[Member] = field(default_factory=list)
    posts: list[Recorded] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    failures: deque[Failure] = field(default_factory=deque)
    refused: list[Failure] = field(default_factory=list)
    url: str = ""

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._chats: dict[str, str] = {}
        self._server = BackgroundApp("fake-botframework-connector")

    @property
    def service_url(self) -> str:
        return f"{self.url}/"

    def fail(self, *failures: Failure) -> None:
        """The next writes (posts, replies, updates) get these answers, in order."""
        with self._lock:
            self.failures.extend(failures)

    def sent(self) -> list[Recorded]:
        return [post for post in self.posts if post.method != "update"]

    def updates(self) -> list[Recorded]:
        return [post for post in self.posts if post.method == "update"]

    def start(self) -> FakeConnector:
        self.url = self._server.start(self._app)
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self) -> FakeConnector:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    async def _app(self) -> web.Application:
        app = web.Application()
        conversation = "/v3/conversations/{conversation}"
        app.router.add_post("/v3/conversations", self._create_conversation)
        app.router.add_post(f"{conversation}/activities", self._send)
        app.router.add_post(f"{conversation}/activities/{{activity}}", self._reply)
        app.router.add_put(f"{conversation}/activities/{{activity}}", self._update)
        app.router.add_get(f"{conversation}/members/{{member}}", self._member)
        app.router.add_get(f"{conversation}/pagedmembers", self._paged_members)
        return app

    # Writes

    async def _send(self, request: web.Request) -> web.Response:
        return await self._write(request, "send", f"activity-{next(self._ids)}")

    async def _reply(self, request: web.Request) -> web.Response:
        return await self._write(request, "reply", f"activity-{next(self._ids)}")

    async def _update(self, request: web.Request) -> web.Response:
        activity_id = request.match_info["activity"]
        known = {post.activity_id for post in self.posts if post.method != "update"}
        if activity_id not in known:
            return _error(404, "ActivityNotFound", f"no activity {activity_id}")
        return await self._write(request, "update", activity_id)

    async def _write(self, request: web.Request, method: str, activity_id: str) -> web.Response:
        with self._lock:
            failure = self.failures.popleft() if self.failures else None
        if failure is not None:
            self.refused.append(failure)
            await asyncio.sleep(failure.delay_s)
            headers = {"Retry-After": failure.retry_after} if failure.retry_after else {}
            return _error(failure.status, "Throttled", "scripted failure", headers)
        body = await request.json()
        if body.get("type") != "message":
            return _error(400, "BadArgument", "only message activities are expected")
        self.posts.append(
            Recorded(
                method=method,
                conversation_id=request.match_info["conversation"],
                activity_id=activity_id,
                activity=body,
                authorization=request.headers.get("Authorization"),
            )
        )
        return web.json_response({"id": activity_id}, status=200 if method == "update" else 201)

    async def _create_conversation(self, request: web.Request) -> web.Response:
        body = await request.json()
        members = body.get("members") or []
        # The service reads JSON keys case-insensitively (botbuilder-python sends "tenantID").
        tenant = {key.lower(): value for key, value in body.items()}.get("tenantid")
        if body.get("isGroup") or len(members) != 1 or not tenant:
            return _error(400, "BadSyntax", "a personal chat needs one member and a tenantId")
        self.created.append(body)
        member = members[0]["id"]
        chat = self._chats.setdefault(member, f"a:personal-chat-{len(self._chats) + 1}")
        return web.json_response({"id": chat}, status=201)

    # Member lookups

    async def _member(self, request: web.Request) -> web.Response:
        wanted = request.match_info["member"]
        for member in self.roster:
            if wanted in (member.id, member.aad_object_id):
                return web.json_response(member.account())
        return _error(404, "MemberNotFoundInConversation", f"no member {wanted}")

    async def _paged_members(self, request: web.Request) -> web.Response:
        size = int(request.query.get("pageSize", "2"))
        start = int(request.query.get("continuationToken", "0"))
        page = self.roster[start : start + size]
        token = str(start + size) if start + size < len(self.roster) else None
        return web.json_response(
            {"members": [member.account() for member in page], "continuationToken": token}
        )


def _error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> web.Response:
    body = {"error": {"code": code, "message": message}}
    return web.Response(
        status=status, text=json.dumps(body), content_type="application/json", headers=headers
    )


_BOLD = re.compile(r"\*\*([^*]+)\*\*")


def plain(text: str) -> str:
    return _BOLD.sub(r"\1", text)


def card_lines(elements: list[dict[str, Any]]) -> list[str]:
    """A card's content as lines of text. A heading reads `== text ==`, as the console
    prints it, so transcripts written against the console apply unchanged."""
    lines: list[str] = []
    for element in elements:
        kind = element.get("type")
        if kind == "TextBlock":
            text = plain(element["text"])
            lines.append(f"== {text} ==" if element.get("style") == "heading" else text)
        elif kind == "FactSet":
            lines.extend(f"  {fact['title']}  {plain(fact['value'])}" for fact in element["facts"])
        elif kind == "Input.ChoiceSet":
            lines.extend(f"  ( ) {choice['title']}" for choice in element["choices"])
        elif kind == "ActionSet":
            lines.append("   ".join(f"[{action['title']}]" for action in element["actions"]))
        elif kind == "Input.Date":
            lines.append("  [date]")
    return lines
