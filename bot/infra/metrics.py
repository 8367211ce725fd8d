"""The process's figures for Prometheus (`GET /metrics`), in one registry.

Counters and histograms are updated where things happen (the inbox, delivery, the
check-ins, the risk scan, the model); the outbox gauges are read from the database
at scrape time, so every process reports the same queue.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

from storage import outbox
from storage.db import Database

if TYPE_CHECKING:
    from collections.abc import Iterator

    from prometheus_client.core import Metric

    from prompts.llm import UsageCounter

CONTENT_TYPE = CONTENT_TYPE_LATEST
REGISTRY = CollectorRegistry()
LATENCY_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600)

EVENTS = Counter(
    "dealcoach_events_handled",
    "Messages and button clicks handed to the engine.",
    ["transport", "kind"],
    registry=REGISTRY,
)
DELIVERY_LATENCY = Histogram(
    "dealcoach_delivery_latency_seconds",
    "From a message entering the outbox to the platform accepting it.",
    ["transport"],
    buckets=LATENCY_BUCKETS,
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "dealcoach_rate_limited",
    "Sends a platform answered with 429 (retried after its Retry-After).",
    ["transport"],
    registry=REGISTRY,
)
RETRIES = Counter(
    "dealcoach_delivery_retries",
    "Sends that failed and were put back to retry later (429s included).",
    ["transport"],
    registry=REGISTRY,
)
GIVEN_UP = Counter(
    "dealcoach_delivery_given_up",
    "Messages delivery gave up on.",
    ["transport"],
    registry=REGISTRY,
)
CHECKINS_SENT = Counter(
    "dealcoach_checkins_sent",
    "Check-ins started: by the schedule, or asked for with `checkin`.",
    ["trigger"],
    registry=REGISTRY,
)
CHECKIN_ANSWERS = Counter(
    "dealcoach_checkin_answers",
    "Check-in questions answered, by how the answer was read.",
    ["source"],
    registry=REGISTRY,
)
WARNINGS_RAISED = Counter(
    "dealcoach_warnings_raised", "Deal warnings the risk scan raised.", registry=REGISTRY
)
WARNINGS_POSTED = Counter(
    "dealcoach_warnings_posted", "Deal warnings posted to managers.", registry=REGISTRY
)
SCAN_SECONDS = Histogram(
    "dealcoach_risk_scan_duration_seconds",
    "How long one risk scan took.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
    registry=REGISTRY,
)
SCANS_SKIPPED = Counter(
    "dealcoach_risk_scans_skipped",
    "Risk scans skipped because another process was scanning.",
    registry=REGISTRY,
)
OUTBOX_DEPTH = Gauge(
    "dealcoach_outbox_pending", "Messages waiting in the outbox.", registry=REGISTRY
)
OUTBOX_AGE = Gauge(
    "dealcoach_outbox_oldest_pending_age_seconds",
    "Age of the oldest message waiting in the outbox (0 when none waits).",
    registry=REGISTRY,
)


class ModelUsage(Collector):
    """The model's calls and tokens, read from the usage counter watching it."""

    def __init__(self) -> None:
        self.counters: list[UsageCounter] = []

    def collect(self) -> Iterator[Metric]:
        calls = CounterMetricFamily(
            "dealcoach_model_calls", "Chat model calls.", labels=["outcome"]
        )
        calls.add_metric(["ok"], sum(c.calls - c.failures for c in self.counters))
        calls.add_metric(["failed"], sum(c.failures for c in self.counters))
        tokens = CounterMetricFamily(
            "dealcoach_model_tokens",
            "Chat model tokens (estimated when unreported).",
            labels=["kind"],
        )
        tokens.add_metric(["prompt"], sum(c.prompt_tokens for c in self.counters))
        tokens.add_metric(["completion"], sum(c.completion_tokens for c in self.counters))
        yield calls
        yield tokens


MODEL_USAGE = ModelUsage()
REGISTRY.register(MODEL_USAGE)


def delivered(transport: str, created_at: dt.datetime, now: dt.datetime) -> None:
    DELIVERY_LATENCY.labels(transport).observe(max((now - created_at).total_seconds(), 0.0))


def scrape(database: Database, now: dt.datetime) -> bytes:
    """The text exposition, with the outbox gauges read now."""
    with database.transaction() as session:
        depth, oldest = outbox.pending_summary(session)
    OUTBOX_DEPTH.set(depth)
    OUTBOX_AGE.set(max((now - oldest).total_seconds(), 0.0) if oldest else 0.0)
    return generate_latest(REGISTRY)
