"""The Slack event path: signed DM answers over HTTP, dealcoach against a bare Bolt app.

dealcoach runs as it runs in production: `dealcoach run` in its own process, Slack in
HTTP mode (bot/server.py, the Slack transport, the engine, the outbox and the delivery
loop) on a SQLite file, and on PostgreSQL when one is configured. The floor is a bare
Bolt AsyncApp in its own process (benchmarks.bare_bolt) that acks and posts one reply.
Both call the same kind of fake Slack Web API, in this process.

Every rep has an open check-in (started by a round; its first question delivered) and
sends one DM answering it, each rep once, so Slack's per-channel pacing is not what is
measured. After a warm-up batch (not counted), a burst goes out at concurrency 32: both
servers ack at once and work after the ack, so its latencies are mostly the queue of
work the burst leaves. Then a batch at a steady 20 events/s, below either server's
capacity, shows the latency of one event on its own. Latency runs from sending an
event until its reply reaches the fake Web API: the first reply (dealcoach: the
question updated in place; the bare app: its one post) and the last (dealcoach also
posts the next question). Events per second count from the first send to the last reply.
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from benchmarks.backends import database_for
from benchmarks.processes import free_port, server_process
from benchmarks.report import Row, ratio
from benchmarks.run import Context
from benchmarks.slack_reps import answers_taken, seed_reps
from benchmarks.slack_traffic import (
    DirectMessage,
    Replies,
    Sent,
    event_body,
    percentile,
    post_events,
    wait_until,
)
from bot.settings import Settings, load_settings
from storage.db import Database
from storage.models import OutboxMessage
from testkit.slack_api import FakeSlack

SECTION = "slack"
TEAM = "T1"
BOT_TOKEN = "xoxb-bench-events"
SIGNING_SECRET = "bench-events-signing-secret"
CONCURRENCY = 32
REPLY_TIMEOUT = 120.0
DEALCOACH = "from bot.cli.main import main; main()"
BARE_BOLT = "from benchmarks.bare_bolt import main; main()"


@dataclass(frozen=True, slots=True)
class Sizes:
    events: int  # sent at once, CONCURRENCY in flight
    paced: int  # sent at PACED_RATE
    warmup: int


FULL = Sizes(events=1000, paced=100, warmup=100)
QUICK = Sizes(events=100, paced=20, warmup=20)
PACED_RATE = 20.0  # events a second: below what either server handles


@dataclass(frozen=True, slots=True)
class PathResult:
    """One server's figures for one batch of events."""

    events: int
    seconds: float  # first send to last reply
    first_reply: list[float]  # seconds, per answered event
    last_reply: list[float]
    acks: list[float]
    unanswered: int
    refused: int  # events not acked with 200

    @property
    def rate(self) -> float:
        return self.events / self.seconds


@dataclass(frozen=True, slots=True)
class ServerResult:
    burst: PathResult
    paced: PathResult
    answers: int | None = None  # answers recorded or proposed, both batches (dealcoach)


def run(context: Context) -> list[Row]:
    sizes = QUICK if context.quick else FULL
    bare = measure_bare(sizes)
    missing = bare.burst.unanswered + bare.paced.unanswered
    rows = [
        Row(SECTION, "bare Bolt app: events/s", f"{bare.burst.rate:.0f}/s",
            note=f"the floor: acks, posts one reply; events without a reply: {missing}"),
    ]  # fmt: skip
    for backend in context.backends:
        with database_for(backend, context.postgres_url) as database:
            result = measure_dealcoach(database, sizes)
        rows.extend(rows_for(backend, result, bare))
    return rows


def rows_for(backend: str, result: ServerResult, bare: ServerResult) -> list[Row]:
    burst, paced = result.burst, result.paced

    def ms(values: list[float], share: float) -> float:
        return percentile(values, share) * 1000

    def compare(name: str, mine: list[float], floor: list[float], share: float, note="") -> Row:
        value, baseline = ms(mine, share), ms(floor, share)
        return Row(SECTION, f"{backend}: {name}", f"{value:.0f} ms", f"{baseline:.0f} ms",
                   ratio(value, baseline), note)  # fmt: skip

    at_rate = f"at {PACED_RATE:.0f} events/s"
    return [
        Row(SECTION, f"{backend}: events/s (concurrency {CONCURRENCY})", f"{burst.rate:.0f}/s",
            f"{bare.burst.rate:.0f}/s", ratio(burst.rate, bare.burst.rate),
            f"{burst.events} DM answers at once; target: within 1.5x of the bare app"),
        compare("p50 to first reply", burst.first_reply, bare.burst.first_reply, 0.50,
                "mostly queueing: every event is acked before it is worked on"),
        compare("p99 to first reply", burst.first_reply, bare.burst.first_reply, 0.99),
        compare("p50 to last reply", burst.last_reply, bare.burst.first_reply, 0.50,
                "dealcoach: question updated + next question posted"),
        compare("p99 to last reply", burst.last_reply, bare.burst.first_reply, 0.99),
        compare("HTTP ack p99", burst.acks, bare.burst.acks, 0.99, "Slack's limit is 3 s"),
        compare(f"p50 to last reply {at_rate}", paced.last_reply, bare.paced.first_reply, 0.50,
                f"{paced.events} events, one every {1000 / PACED_RATE:.0f} ms"),
        compare(f"p99 to last reply {at_rate}", paced.last_reply, bare.paced.first_reply, 0.99),
        Row(SECTION, f"{backend}: events without a reply", str(burst.unanswered + paced.unanswered),
            note=f"must be 0; not acked 200: {burst.refused + paced.refused}; "
            f"answers recorded or proposed: {result.answers}/{burst.events + paced.events}"),
    ]  # fmt: skip


def measure_bare(sizes: Sizes) -> ServerResult:
    with FakeSlack() as slack:
        slack.add_workspace(TEAM, BOT_TOKEN)
        messages = []
        for number in range(1, sizes.warmup + sizes.events + sizes.paced + 1):
            slack.add_user(f"U{number}", None, team=TEAM)
            messages.append(DirectMessage(f"U{number}", slack.dm_of(f"U{number}"), "1"))
        port = free_port()
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.base_url,
            "PORT": str(port),
        }
        with server_process(BARE_BOLT, [], env, port):
            batches = Batches("bare Bolt app", port, slack, messages, sizes)
            batches.warm_up()
            return ServerResult(batches.burst(), batches.paced())


def measure_dealcoach(database: Database, sizes: Sizes) -> ServerResult:
    with FakeSlack() as slack:
        slack.add_workspace(TEAM, BOT_TOKEN)
        settings = bench_settings(database, slack)
        reps = sizes.warmup + sizes.events + sizes.paced
        messages = seed_reps(database, slack, TEAM, settings, reps)
        port = free_port()
        env = {
            "DEALCOACH_DATABASE_URL": database.url,
            "DEALCOACH_HOST": "127.0.0.1",
            "DEALCOACH_PORT": str(port),
            "DEALCOACH_LOG_LEVEL": "WARNING",
            "DEALCOACH_TICK_SECONDS": "3600",  # the ticks run once, at start
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.base_url,
        }
        label = f"dealcoach on {database.dialect}"
        with server_process(DEALCOACH, ["run"], env, port):
            print(f"  {label}: delivering {len(messages)} first questions", file=sys.stderr)
            asyncio.run(wait_until(lambda: settled(database), REPLY_TIMEOUT, "first questions"))
            batches = Batches(label, port, slack, messages, sizes, lambda: settled(database))
            batches.warm_up()
            before = answers_taken(database)
            burst, paced = batches.burst(), batches.paced()
            return ServerResult(burst, paced, answers_taken(database) - before)


@dataclass
class Batches:
    """The events of one server: a warm-up batch, a burst, then events at a steady rate."""

    label: str
    port: int
    slack: FakeSlack
    messages: list[DirectMessage]
    sizes: Sizes
    delivered: Callable[[], bool] = lambda: True

    def warm_up(self) -> None:
        self._drive("warm-up", self.messages[: self.sizes.warmup])

    def burst(self) -> PathResult:
        start = self.sizes.warmup
        return self._drive("burst", self.messages[start : start + self.sizes.events])

    def paced(self) -> PathResult:
        start = self.sizes.warmup + self.sizes.events
        return self._drive("paced", self.messages[start:], PACED_RATE)

    def _drive(self, name: str, messages: list[DirectMessage], rate: float | None = None):
        print(f"  {self.label}: {len(messages)} events ({name})", file=sys.stderr)
        url = f"http://127.0.0.1:{self.port}/slack/events"
        return asyncio.run(drive(url, self.slack, messages, self.delivered, rate))


async def drive(
    url: str,
    slack: FakeSlack,
    messages: list[DirectMessage],
    delivered: Callable[[], bool],
    rate: float | None,
) -> PathResult:
    """Send every message as a signed event; wait for the replies and for `delivered`."""
    channels = {message.channel for message in messages}
    replies = Replies.from_now(slack, channels)
    run = uuid.uuid4().hex[:8]
    bodies = [
        (message.channel, event_body(message, f"Ev{run}{number:06d}", TEAM))
        for number, message in enumerate(messages)
    ]
    sent = await post_events(url, bodies, SIGNING_SECRET, CONCURRENCY, rate)
    try:
        await wait_until(replies.all_answered, REPLY_TIMEOUT, "replies")
        await wait_until(delivered, REPLY_TIMEOUT, "the outbox")
    except TimeoutError as exc:
        print(f"  {exc}", file=sys.stderr)
    return summarise(sent, replies.read())


def summarise(sent: list[Sent], replies: dict[str, list[float]]) -> PathResult:
    first, last = [], []
    for event in sent:
        times = [at for at in replies.get(event.channel, []) if at >= event.sent_at]
        if times:
            first.append(min(times) - event.sent_at)
            last.append(max(times) - event.sent_at)
    start = min(event.sent_at for event in sent)
    end = max((max(times) for times in replies.values() if times), default=time.monotonic())
    return PathResult(
        events=len(sent),
        seconds=end - start,
        first_reply=first,
        last_reply=last,
        acks=[event.ack_seconds for event in sent],
        unanswered=len(sent) - len(first),
        refused=sum(1 for event in sent if event.status != 200),
    )


def settled(database: Database) -> bool:
    """Nothing pending in the outbox."""
    with database.transaction() as session:
        return (
            session.scalar(select(OutboxMessage.id).where(OutboxMessage.status == "pending"))
            is None
        )


def bench_settings(database: Database, slack: FakeSlack) -> Settings:
    return load_settings(
        database_url=database.url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=slack.base_url,
        microsoft_app_id=None,
        openai_api_key=None,
        openai_base_url=None,
    )
