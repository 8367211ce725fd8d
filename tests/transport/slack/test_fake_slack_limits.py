"""The fake Slack's opt-in rate limits: posts over a channel's or the workspace's budget get
429 with a Retry-After; without limits nothing is refused."""

import asyncio

from slack_harness import BOT_TOKEN, TEAM
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from testkit.slack_api import FakeSlack, RateLimits


def post_many(slack: FakeSlack, channels: list[str]) -> list[int | str]:
    """One post per entry of `channels`, in order: 200, or the 429's Retry-After."""

    async def main() -> list[int | str]:
        client = AsyncWebClient(token=BOT_TOKEN, base_url=slack.base_url, retry_handlers=[])
        answers: list[int | str] = []
        for channel in channels:
            try:
                await client.chat_postMessage(channel=channel, text="hello")
                answers.append(200)
            except SlackApiError as exc:
                assert exc.response.status_code == 429
                answers.append(exc.response.headers["Retry-After"])
        return answers

    return asyncio.run(main())


def scene(slack: FakeSlack) -> FakeSlack:
    slack.add_workspace(TEAM, BOT_TOKEN)
    for user in ("U1", "U2", "U3"):
        slack.add_user(user, None, team=TEAM)
    return slack


def test_a_channel_gets_its_burst_then_429_with_retry_after() -> None:
    limits = RateLimits(per_channel=0.5, channel_burst=2, workspace=100, workspace_burst=100)
    with FakeSlack(limits=limits) as slack:
        answers = post_many(scene(slack), ["D1", "D1", "D1", "D2"])
        assert answers == [200, 200, "2", 200]  # one post every 2 s in D1; D2 is unaffected
        assert slack.rate_limited == 1
        assert len(slack.posted("D1")) == 2


def test_the_workspace_budget_spans_channels() -> None:
    limits = RateLimits(per_channel=10, channel_burst=10, workspace=1, workspace_burst=2)
    with FakeSlack(limits=limits) as slack:
        answers = post_many(scene(slack), ["D1", "D2", "D3"])
        assert answers == [200, 200, "1"]
        assert slack.rate_limited == 1


def test_without_limits_nothing_is_refused() -> None:
    with FakeSlack() as slack:
        answers = post_many(scene(slack), ["D1"] * 20)
        assert answers == [200] * 20
        assert slack.rate_limited == 0
