"""Delivery under rate limits: outbox messages to a Slack that answers 429 with Retry-After.

The messages go through the real outbox, the Delivery loop and the SlackSender (with its
per-channel pacer, built as the Slack transport builds it) to the fake Slack Web API,
which enforces about one post a second per channel plus a workspace budget
(`testkit.slack_api.RateLimits`). Messages are DMs to reps, interleaved across
channels as a check-in round would queue them.

Figures: the achieved rate against the allowed rate (the best any sender could do under
those limits), messages lost and duplicated (both must be 0; counted from what the fake
received, by the outbox key in each post's metadata), the 429s answered, total time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from benchmarks.backends import database_for
from benchmarks.report import Row, ratio
from benchmarks.run import Context
from bot.bootstrap import build_app
from bot.engine.messages import Message
from bot.infra.services import Services
from bot.settings import load_settings
from coaching.clock import SystemClock
from coaching.playbook import load_playbook
from storage import outbox
from storage.db import Database
from storage.models import ChatIdentity, OutboxMessage, Person
from testkit.slack_api import FakeSlack, RateLimits
from testkit.synthetic import populate

SECTION = "delivery"
TEAM = "T1"
BOT_TOKEN = "xoxb-bench-delivery"
SIGNING_SECRET = "bench-delivery-signing-secret"
SETTLE_TIMEOUT = 300.0


@dataclass(frozen=True, slots=True)
class Sizes:
    messages: int
    channels: int
    limits: RateLimits

    @property
    def allowed_seconds(self) -> float:
        """The least time any sender needs under the limits: the busiest channel after its
        burst at one post per its interval, or the workspace after its burst."""
        limits = self.limits
        per_channel = -(-self.messages // self.channels)  # the busiest channel's share
        channel_bound = max(0, per_channel - limits.channel_burst) / limits.per_channel
        workspace_bound = max(0, self.messages - limits.workspace_burst) / limits.workspace
        return max(channel_bound, workspace_bound)

    @property
    def allowed_rate(self) -> float:
        return self.messages / self.allowed_seconds

    def describe(self) -> str:
        limits = self.limits
        return (
            f"{self.messages} msgs to {self.channels} DMs; Slack allows "
            f"{limits.per_channel:g}/s per channel (burst {limits.channel_burst}), "
            f"{limits.workspace:g}/s per workspace (burst {limits.workspace_burst})"
        )


FULL = Sizes(2000, 200, RateLimits(1.0, 3, workspace=120.0, workspace_burst=40))
QUICK = Sizes(200, 20, RateLimits(1.0, 3, workspace=40.0, workspace_burst=20))


@dataclass(frozen=True, slots=True)
class Outcome:
    seconds: float
    lost: int
    duplicated: int
    rate_limited: int
    not_sent: int  # outbox rows left pending, dead or expired


def run(context: Context) -> list[Row]:
    sizes = QUICK if context.quick else FULL
    rows: list[Row] = []
    for backend in context.backends:
        with database_for(backend, context.postgres_url) as database:
            outcome = deliver(database, sizes)
        rows.extend(rows_for(backend, sizes, outcome))
    return rows


def rows_for(backend: str, sizes: Sizes, outcome: Outcome) -> list[Row]:
    achieved = sizes.messages / outcome.seconds
    return [
        Row(
            SECTION,
            f"{backend}: messages/s under rate limits",
            f"{achieved:.1f}/s",
            f"{sizes.allowed_rate:.1f}/s allowed",
            ratio(achieved, sizes.allowed_rate),
            sizes.describe(),
        ),
        Row(
            SECTION,
            f"{backend}: total time",
            f"{outcome.seconds:.1f} s",
            f"{sizes.allowed_seconds:.1f} s least",
            ratio(outcome.seconds, sizes.allowed_seconds),
        ),
        Row(SECTION, f"{backend}: messages lost", str(outcome.lost), note="must be 0"),
        Row(SECTION, f"{backend}: messages duplicated", str(outcome.duplicated), note="must be 0"),
        Row(
            SECTION,
            f"{backend}: 429 answers from Slack",
            str(outcome.rate_limited),
            note=f"outbox rows not sent at the end: {outcome.not_sent}",
        ),
    ]


def deliver(database: Database, sizes: Sizes) -> Outcome:
    """Queue `sizes.messages` messages, run the delivery loop until the outbox is settled."""
    with FakeSlack(limits=sizes.limits) as slack:
        slack.add_workspace(TEAM, BOT_TOKEN)
        recipients = seed_reps(database, slack, sizes.channels)
        keys = enqueue(database, recipients, sizes.messages)
        print(f"  delivering {len(keys)} messages ({database.dialect})", file=sys.stderr)
        started = time.monotonic()
        asyncio.run(run_delivery(database, slack))
        posts = slack.calls_to("chat.postMessage")
        finished = posts[-1].at if posts else time.monotonic()
        received = Counter(
            (message.metadata or {}).get("event_payload", {}).get("key")
            for message in slack.posted()
        )
        return Outcome(
            seconds=finished - started,
            lost=sum(1 for key in keys if received[key] == 0),
            duplicated=sum(count - 1 for key, count in received.items() if count > 1),
            rate_limited=slack.rate_limited,
            not_sent=unsent(database),
        )


def seed_reps(database: Database, slack: FakeSlack, reps: int) -> list[str]:
    """`reps` reps linked to Slack users with a DM channel each; their outbox recipients."""
    populate(database, reps=reps, deals=0, answers=0)
    now = dt.datetime.now(dt.UTC)
    with database.transaction() as session:
        people = list(session.execute(select(Person.id, Person.email).order_by(Person.id)))
        session.execute(
            insert(ChatIdentity),
            [
                {
                    "person_id": person_id,
                    "platform": "slack",
                    "tenant": TEAM,
                    "external_id": f"U{person_id}",
                    "dm_channel": slack.dm_of(f"U{person_id}"),
                    "created_at": now,
                }
                for person_id, _ in people
            ],
        )
    for person_id, email in people:
        slack.add_user(f"U{person_id}", email, team=TEAM)
    return [f"person:{person_id}" for person_id, _ in people]


def enqueue(database: Database, recipients: list[str], count: int) -> list[str]:
    """`count` one-part messages, round-robin over the recipients; their outbox keys."""
    now = dt.datetime.now(dt.UTC)
    rows: list[dict[str, Any]] = [
        {
            "key": f"bench:delivery:{number}",
            "transport": "slack",
            "recipient": recipients[number % len(recipients)],
            "kind": "message",
            "payload": {
                "message": Message.text(f"Benchmark message {number}").model_dump(mode="json"),
                "replaces": None,
            },
        }
        for number in range(count)
    ]
    with database.transaction() as session:
        outbox.enqueue_many(session, rows, now)
    return [row["key"] for row in rows]


async def run_delivery(database: Database, slack: FakeSlack) -> None:
    """The production delivery loop with the Slack transport's sender, until nothing is
    pending."""
    settings = load_settings(
        database_url=database.url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack.base_url,
        microsoft_app_id=None,
        openai_api_key=None,
        openai_base_url=None,
    )
    services = Services(settings, database, load_playbook(), SystemClock())
    delivery = build_app(services).server().delivery  # the Slack sender, as the bot runs it
    stop = asyncio.Event()
    loop = asyncio.create_task(delivery.run(stop))
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while time.monotonic() < deadline and await asyncio.to_thread(pending, database):
        await asyncio.sleep(0.1)
    stop.set()
    await loop


def pending(database: Database) -> bool:
    with database.transaction() as session:
        waiting = select(OutboxMessage.id).where(OutboxMessage.status == "pending").limit(1)
        return session.scalar(waiting) is not None


def unsent(database: Database) -> int:
    with database.transaction() as session:
        statuses = session.scalars(select(OutboxMessage.status)).all()
    return sum(1 for status in statuses if status != "sent")
