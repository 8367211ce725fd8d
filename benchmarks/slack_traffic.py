"""Slack's side of the event path: signed `message.im` events posted over HTTP at a fixed
concurrency, and when each event's replies reached the fake Web API.

Events have the shape of tests/fixtures/slack/event_message_im.json and are signed as
Slack signs them (v0: HMAC-SHA256 of `v0:<timestamp>:<body>` with the signing secret).
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from testkit.slack_api import FakeSlack

EVENT_FIXTURE = (
    Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "slack" / "event_message_im.json"
)
REPLY_METHODS = ("chat.postMessage", "chat.update")


@dataclass(frozen=True, slots=True)
class DirectMessage:
    """One rep's DM to the bot: who, in which channel, what they wrote."""

    user: str
    channel: str
    text: str


@dataclass(frozen=True, slots=True)
class Sent:
    channel: str
    sent_at: float  # time.monotonic() when the request left
    ack_seconds: float
    status: int


def event_body(message: DirectMessage, event_id: str, team: str) -> bytes:
    template = json.loads(EVENT_FIXTURE.read_text(encoding="utf-8"))
    payload: dict[str, Any] = copy.deepcopy(template)
    payload.update(event_id=event_id, team_id=team, context_team_id=team)
    event = payload["event"]
    event.update(user=message.user, channel=message.channel, text=message.text, team=team)
    event["blocks"][0]["elements"][0]["elements"][0]["text"] = message.text
    payload["authorizations"][0]["team_id"] = team
    return json.dumps(payload).encode()


def signed_headers(body: bytes, secret: str) -> dict[str, str]:
    timestamp = str(int(time.time()))
    base = b"v0:" + timestamp.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={digest}",
    }


async def post_events(
    url: str,
    bodies: list[tuple[str, bytes]],
    secret: str,
    concurrency: int,
    rate: float | None = None,
) -> list[Sent]:
    """POST every (channel, body) to `url`, at most `concurrency` requests in flight; with
    `rate`, event n leaves no earlier than n / rate seconds after the first."""
    slots = asyncio.Semaphore(concurrency)
    sent: list[Sent] = []
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def post(channel: str, body: bytes) -> None:
            async with slots:  # waiters are served in order
                headers = signed_headers(body, secret)
                started = time.monotonic()
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                    elapsed = time.monotonic() - started
                    sent.append(Sent(channel, started, elapsed, response.status))

        start = time.monotonic()
        tasks = []
        for number, (channel, body) in enumerate(bodies):
            if rate is not None:
                await asyncio.sleep(max(0.0, start + number / rate - time.monotonic()))
            tasks.append(asyncio.create_task(post(channel, body)))
        await asyncio.gather(*tasks)
    return sent


@dataclass
class Replies:
    """Web API replies (chat.postMessage, chat.update) per channel, read from the fake's
    call log from a starting point on."""

    slack: FakeSlack
    channels: set[str]
    since: int = 0
    times: dict[str, list[float]] = field(default_factory=dict)

    @classmethod
    def from_now(cls, slack: FakeSlack, channels: set[str]) -> Replies:
        return cls(slack, channels, since=len(slack.calls))

    def read(self) -> dict[str, list[float]]:
        calls = self.slack.calls
        end = len(calls)
        for call in calls[self.since : end]:
            channel = str(call.params.get("channel", ""))
            if call.method in REPLY_METHODS and channel in self.channels:
                self.times.setdefault(channel, []).append(call.at)
        self.since = end
        return self.times

    def all_answered(self) -> bool:
        return len(self.read()) == len(self.channels)


async def wait_until(done: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not done after {timeout:.0f} s")
        await asyncio.sleep(0.02)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (`share` in 0..1); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]
