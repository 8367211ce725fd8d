"""`GET /metrics` after real traffic: Teams activities through the server, the check-in
they start, delivery to the fake connector, a risk scan; scraped in Prometheus format."""

import asyncio
import datetime as dt

import aiohttp
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families
from teams_support import TeamsServer, last_card_with, message, submission_for, submit

from bot.bootstrap import App
from bot.infra import metrics
from prompts.llm import UsageCounter
from testkit.botframework_connector import FakeConnector


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape: (name, sorted labels) -> value."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def scrape(server: TeamsServer) -> tuple[str, str]:
    async with (
        aiohttp.ClientSession() as client,
        client.get(f"{server.url}/metrics") as response,
    ):
        assert response.status == 200
        return response.headers["Content-Type"], await response.text()


def test_metrics_are_scraped_after_real_traffic(teams_app: App, connector: FakeConnector) -> None:
    async def traffic() -> tuple[str, str, str]:
        async with TeamsServer(teams_app) as server:
            _, before = await scrape(server)
            await server.post(message(connector, "checkin"))
            await server.deliver()
            card = last_card_with("Maria Lopez", connector.sent())
            await server.post(submit(connector, submission_for("Maria Lopez", card)))
            await server.deliver()
            now = teams_app.services.clock.now() + dt.timedelta(days=3)
            await asyncio.to_thread(teams_app.tick("risk_scan").run, now)
            kind, after = await scrape(server)
            return kind, before, after

    kind, before, after = asyncio.run(traffic())
    assert kind.startswith("text/plain; version=")
    old, new = samples(before), samples(after)

    def grew(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return new.get(key, 0.0) - old.get(key, 0.0)

    assert grew("dealcoach_events_handled_total", transport="teams", kind="text") == 1
    assert grew("dealcoach_events_handled_total", transport="teams", kind="action") == 1
    assert grew("dealcoach_checkins_sent_total", trigger="asked") == 1
    assert grew("dealcoach_checkin_answers_total", source="button") == 1
    assert grew("dealcoach_delivery_latency_seconds_count", transport="teams") >= 3
    assert grew("dealcoach_risk_scan_duration_seconds_count") == 1
    assert grew("dealcoach_warnings_raised_total") >= 1
    assert grew("dealcoach_warnings_posted_total") >= 1
    # The warnings the scan wrote wait in the outbox: depth and age read at scrape time.
    assert new[("dealcoach_outbox_pending", ())] >= 1
    assert new[("dealcoach_outbox_oldest_pending_age_seconds", ())] >= 0
    for name in ("dealcoach_rate_limited_total", "dealcoach_delivery_retries_total"):
        assert grew(name, transport="teams") == 0  # the connector accepted every send


def test_model_calls_and_tokens_are_exposed() -> None:
    """The usage counter watching the production model (Context.chat_model) is read
    at scrape time."""
    counter = UsageCounter()
    counter.calls, counter.failures, counter.prompt_tokens, counter.completion_tokens = 3, 1, 90, 12
    before = samples(generate_latest(metrics.REGISTRY).decode())
    metrics.MODEL_USAGE.counters.append(counter)
    try:
        after = samples(generate_latest(metrics.REGISTRY).decode())
    finally:
        metrics.MODEL_USAGE.counters.remove(counter)
    grown = {key: after[key] - before[key] for key in after if key[0].startswith("dealcoach_model")}
    assert grown == {
        ("dealcoach_model_calls_total", (("outcome", "ok"),)): 2,
        ("dealcoach_model_calls_total", (("outcome", "failed"),)): 1,
        ("dealcoach_model_tokens_total", (("kind", "prompt"),)): 90,
        ("dealcoach_model_tokens_total", (("kind", "completion"),)): 12,
    }
