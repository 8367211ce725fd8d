"""Helpers for Teams tests (importable as `teams_support`): fixture activities, the fake
tenant's people, and our real server with the Teams transport on 127.0.0.1."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

import aiohttp
from support import RunningServer

from bot.bootstrap import App
from bot.infra.delivery import DeliveryPolicy
from bot.teams.transport import TeamsTransport
from testkit.botframework_connector import FakeConnector, Member, Recorded

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "teams"
TENANT = "5d2f6c1e-8a4b-4f3e-9c7d-2b1a0e9f8d7c"
BOT_ID = "28:7c9e6679-7425-40de-944b-e07fc1f90ae7"
CHANNEL = "19:east-sales-pipeline@thread.tacv2"
TEAM = "19:east-sales-team@thread.tacv2"

ALEX = Member(
    "29:1aLexRiverA-pairwise-id",
    "Alex Rivera",
    "0a1b2c3d-0000-4000-8000-00000000a1e5",
    "alex@example.com",
)
DANA = Member(
    "29:1dAnaWhitfielD-pairwise-id",
    "Dana Whitfield",
    "0a1b2c3d-0000-4000-8000-0000000da4a0",
    "dana@example.com",
)
PRIYA = Member(
    "29:1pRiyaShaH-pairwise-id",
    "Priya Shah",
    "0a1b2c3d-0000-4000-8000-00000000b71a",
    "Priya@Example.COM",
)
STRANGER = Member(
    "29:1jOvIsitoR-pairwise-id",
    "Jo Visitor",
    "0a1b2c3d-0000-4000-8000-000000000f00",
    "jo@elsewhere.example",
)
ROSTER = [ALEX, DANA, PRIYA, STRANGER]

_ids = itertools.count(1)


def activity(name: str, connector: FakeConnector, **changes: Any) -> dict[str, Any]:
    """A fixture activity addressed to the fake connector, with a fresh id and `changes`
    (top-level keys; None removes one)."""
    payload = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    payload["serviceUrl"] = connector.service_url
    payload["id"] = f"{payload['id']}-{next(_ids)}"
    for key, value in changes.items():
        if value is None:
            payload.pop(key, None)
        else:
            payload[key] = value
    return payload


def as_user(payload: dict[str, Any], member: Member, chat: str | None = None) -> dict[str, Any]:
    """The same activity, sent by another member (in their own personal chat)."""
    payload = copy.deepcopy(payload)
    payload["from"] = {"id": member.id, "name": member.name, "aadObjectId": member.aad_object_id}
    if chat is not None:
        payload["conversation"]["id"] = chat
    return payload


def message(connector: FakeConnector, text: str, **changes: Any) -> dict[str, Any]:
    return activity("message_personal", connector, text=text, **changes)


def submit(connector: FakeConnector, value: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return activity("card_submit", connector, value=value, **changes)


def submission_for(label: str, card: dict[str, Any]) -> dict[str, Any] | None:
    """What Teams submits when a user picks `label` in a card: a choice of its choice set
    (with the form's Submit action), or the Action.Submit titled `label`."""
    body = card.get("body", [])
    for element in body:
        if element.get("type") == "Input.ChoiceSet":
            for choice in element["choices"]:
                if choice["title"] == label:
                    form = _form_submit(body)
                    return {**form, element["id"]: choice["value"]}
    for element in body:
        if element.get("type") == "ActionSet":
            for action in element["actions"]:
                if action["title"] == label and action["type"] == "Action.Submit":
                    return dict(action["data"])
    return None


def _form_submit(body: list[dict[str, Any]]) -> dict[str, Any]:
    for element in body:
        if element.get("type") == "ActionSet":
            for action in element["actions"]:
                if "question" in action.get("data", {}):
                    return dict(action["data"])
    raise AssertionError("a choice set without a submit action")


def last_card_with(label: str, posts: list[Recorded]) -> dict[str, Any]:
    for post in reversed(posts):
        for card in post.cards:
            if submission_for(label, card) is not None:
                return card
    raise AssertionError(f"no card offers {label!r}")


class TeamsServer(RunningServer):
    """The app's HTTP server with its Teams transport (see support.RunningServer)."""

    def __init__(self, app: App, *, policy: DeliveryPolicy | None = None) -> None:
        super().__init__(app.server(teams=True, policy=policy))
        assert isinstance(self.chat, TeamsTransport)
        self.transport = self.chat

    async def post(
        self,
        payload: object,
        *,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
        settle: bool = True,
    ) -> tuple[int, Any]:
        """POST to /api/messages; the status and the JSON body (or the text), once the
        turn the request started is done (unless not `settle`)."""
        sent_headers = {"Content-Type": "application/json"} | (headers or {})
        data = raw if raw is not None else json.dumps(payload).encode()
        async with (
            aiohttp.ClientSession() as client,
            client.post(f"{self.url}/api/messages", data=data, headers=sent_headers) as response,
        ):
            text = await response.text()
            if settle:
                await self.transport.endpoint.turns.idle()
            try:
                return response.status, json.loads(text) if text else None
            except ValueError:
                return response.status, text

    async def deliver(self) -> int:
        """Deliver everything due, as the delivery loop would; returns how many were sent."""
        total = 0
        while sent := await self.delivery.deliver_due():
            total += sent
        return total
