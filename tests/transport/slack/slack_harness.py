"""The bot's HTTP server with the Slack transport, driven like Slack drives it.

Requests are the fixtures in tests/fixtures/slack/ (real payload shapes), adjusted
per test, signed with the signing secret the way Slack signs them, and posted over
HTTP to /slack/events. The bot's Web API calls go to the fake Slack server.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from support import RunningServer, make_services

from bot.bootstrap import App, build_app
from bot.slack.pacing import ChannelPacer
from bot.slack.transport import SlackTransport
from coaching.clock import FixedClock
from storage.db import Database
from testkit.slack_api import FakeSlack

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "slack"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-1-dealcoach-test"
TEAM = "T1"
_ids = itertools.count(1)


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def signed_headers(body: bytes, secret: str = SIGNING_SECRET, at: int | None = None) -> dict:
    """Slack's v0 request signature: HMAC-SHA256 of `v0:<timestamp>:<body>`."""
    timestamp = str(at if at is not None else int(time.time()))
    base = b"v0:" + timestamp.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}"}


def message_event(text: str, *, user: str = "U1", channel: str = "D1", event_id: str = "") -> dict:
    payload = fixture("event_message_im.json")
    payload["event_id"] = event_id or f"Ev{next(_ids):010d}"
    event = payload["event"]
    event.update(user=user, channel=channel, text=text)
    event["blocks"][0]["elements"][0]["elements"][0]["text"] = text
    return payload


def home_opened_event(user: str = "U1") -> dict:
    payload = fixture("event_app_home_opened.json")
    payload["event_id"] = f"Ev{next(_ids):010d}"
    payload["event"]["user"] = user
    return payload


def click(
    element: dict[str, Any],
    *,
    block_id: str,
    message: dict[str, Any] | None = None,
    channel: str = "D1",
    user: str = "U1",
    **chosen: Any,
) -> dict:
    """A block_actions payload for a click on `element` of a message in `channel`."""
    payload = fixture("block_actions_message.json")
    payload["user"]["id"] = user
    payload["channel"]["id"] = channel
    payload["container"]["channel_id"] = channel
    if message is not None:
        payload["message"].update(message)
        payload["container"]["message_ts"] = message["ts"]
    action = {
        "action_id": element["action_id"],
        "block_id": block_id,
        "type": element["type"],
        "action_ts": f"{1795000000 + next(_ids)}.000001",
    }
    if element["type"] == "button":
        action.update(text=element["text"], value=element.get("value", ""))
    action.update(chosen)
    payload["actions"] = [action]
    return payload


def home_click(element: dict[str, Any], *, user: str = "U1") -> dict:
    payload = fixture("block_actions_home.json")
    payload["user"]["id"] = user
    payload["actions"] = [
        {
            "action_id": element["action_id"],
            "block_id": "home",
            "text": element["text"],
            "value": element.get("value", ""),
            "type": "button",
            "action_ts": f"{1795000000 + next(_ids)}.000002",
        }
    ]
    return payload


def submission(view: dict[str, Any], values: dict[str, dict[str, Any]], user: str = "U1") -> dict:
    """A view_submission of an opened modal, with `values` as its state."""
    payload = fixture("view_submission.json")
    payload["user"]["id"] = user
    payload["view"].update(
        id=f"VM{next(_ids)}",
        callback_id=view["callback_id"],
        private_metadata=view.get("private_metadata", ""),
        blocks=view["blocks"],
        state={"values": values},
    )
    return payload


def command_fields(text: str, *, channel: str = "C1", user: str = "U1") -> dict:
    fields = fixture("slash_command.json")
    fields.update(text=text, channel_id=channel, user_id=user)
    if channel.startswith("D"):
        fields["channel_name"] = "directmessage"
    fields["trigger_id"] = f"{next(_ids)}.8901234567.{next(_ids):032x}"
    return fields


def text_of(blocks: list[dict[str, Any]]) -> str:
    """What a person reads in Block Kit blocks, as lines. Headers are written `== text ==`,
    the transcripts' notation for a heading."""
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            lines.append(f"== {block['text']['text']} ==")
        elif kind == "section":
            lines.append(_unescape(block["text"]["text"]))
        elif kind == "context":
            lines.extend(_unescape(element.get("text", "")) for element in block["elements"])
        elif kind == "actions":
            labels = [element_label(element) for element in block["elements"]]
            lines.append(" | ".join(label for label in labels if label))
    return "\n".join(lines)


def element_label(element: dict[str, Any]) -> str:
    if element.get("type") == "static_select":
        return " / ".join(option["text"]["text"] for option in element["options"])
    return (element.get("text") or {}).get("text", "")


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def find_choice(blocks: list[dict[str, Any]], label: str) -> tuple[dict, str, dict]:
    """(element, block_id, chosen fields) of the button or menu option labelled `label`."""
    for block in blocks:
        if block.get("type") != "actions":
            continue
        for element in block["elements"]:
            if element["type"] == "button" and element["text"]["text"] == label:
                return element, block.get("block_id", ""), {}
            for option in element.get("options", []):
                if option["text"]["text"] == label:
                    return element, block.get("block_id", ""), {"selected_option": option}
    raise AssertionError(f"no button or option {label!r} in:\n{text_of(blocks)}")


def roomy_pacer() -> ChannelPacer:
    """A pacer that never holds a test back (pacing has its own tests)."""
    return ChannelPacer(time.monotonic, burst=1000)


def slack_app(database: Database, clock: FixedClock, slack: FakeSlack, **settings: Any) -> App:
    """The app on the demo database with Slack configured against the fake Slack."""
    values: dict[str, Any] = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": slack.base_url,
    }
    return build_app(make_services(database, clock, **(values | settings)))


class SlackHarness(RunningServer):
    """The app's HTTP server with its Slack transport (see support.RunningServer)."""

    def __init__(self, app: App, slack: FakeSlack, *, pacer: ChannelPacer | None = None):
        super().__init__(app.server(slack_pacer=pacer or roomy_pacer()))
        assert isinstance(self.chat, SlackTransport)
        self.transport = self.chat
        self.app = app
        self.slack = slack

    async def post(
        self,
        body: bytes,
        content_type: str,
        *,
        headers: dict[str, str] | None = None,
        path: str = "/slack/events",
    ) -> tuple[int, str]:
        sent = {"Content-Type": content_type, **(headers or signed_headers(body))}
        async with (
            aiohttp.ClientSession() as client,
            client.post(self.url + path, data=body, headers=sent) as response,
        ):
            return response.status, await response.text()

    async def get(self, path: str, headers: dict[str, str] | None = None):
        """(status, body, Set-Cookie headers) of a GET on the bot's server."""
        async with (
            aiohttp.ClientSession() as client,
            client.get(self.url + path, headers=headers or {}, allow_redirects=False) as response,
        ):
            return response.status, await response.text(), response.headers.getall("Set-Cookie", [])

    async def event(self, payload: dict, **options: Any) -> tuple[int, str]:
        return await self.post(json.dumps(payload).encode(), "application/json", **options)

    async def interaction(self, payload: dict, **options: Any) -> tuple[int, str]:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return await self.post(body, "application/x-www-form-urlencoded", **options)

    async def command(self, fields: dict, **options: Any) -> tuple[int, str]:
        body = urlencode(fields).encode()
        return await self.post(body, "application/x-www-form-urlencoded", **options)

    async def settle(self) -> None:
        """Finish the work of acked requests, then deliver everything that is due."""
        await self.transport.handlers.idle()
        while await self.delivery.deliver_due():
            pass
