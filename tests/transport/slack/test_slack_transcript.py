"""The shared transcripts, replayed over Slack: DMs as message.im events from the person
of each step, picks as block_actions clicks on the bot's last message in their DM,
replies read from what the bot posted and updated on the fake Slack."""

import asyncio
from pathlib import Path

import pytest
import yaml
from slack_harness import SlackHarness, click, find_choice, message_event, text_of

from bot.bootstrap import App
from testkit.slack_api import FakeSlack

TRANSCRIPTS = Path(__file__).resolve().parents[2] / "transcripts"


def assert_in_order(output: str, expected: list[str]) -> None:
    position = 0
    for text in expected:
        found = output.find(text, position)
        assert found >= 0, f"{text!r} missing (in order) from:\n{output}"
        position = found + len(text)


def bot_output(slack: FakeSlack, since: int, dm: str) -> str:
    """Everything the bot posted or updated in the DM since call number `since`, in order."""
    parts = [
        text_of(call.params.get("blocks") or [])
        for call in slack.calls[since:]
        if call.method in {"chat.postMessage", "chat.update"} and call.params.get("channel") == dm
    ]
    return "\n".join(parts)


@pytest.mark.parametrize("name", ["checkin.yaml", "coach.yaml", "rhythm.yaml"])
def test_transcript_over_slack(slack_bot: App, slack: FakeSlack, name: str) -> None:
    transcript = yaml.safe_load((TRANSCRIPTS / name).read_text(encoding="utf-8"))
    users = {user.email: user.id for user in slack.users.values()}

    async def replay() -> None:
        async with SlackHarness(slack_bot, slack) as harness:
            for step in transcript["steps"]:
                user = users[step.get("as", transcript["as"])]
                dm = slack.dm_of(user)
                since = len(slack.calls)
                if "say" in step:
                    event = message_event(step["say"], user=user, channel=dm)
                    status, _ = await harness.event(event)
                else:
                    last = slack.posted(dm)[-1]
                    element, block_id, chosen = find_choice(last.blocks, step["pick"])
                    payload = click(
                        element,
                        user=user,
                        channel=dm,
                        block_id=block_id,
                        message={"ts": last.ts, "blocks": last.blocks, "text": last.text},
                        **chosen,
                    )
                    status, _ = await harness.interaction(payload)
                assert status == 200
                await harness.settle()
                assert_in_order(bot_output(slack, since, dm), step["expect"])

    asyncio.run(replay())
