"""The shared check-in transcript, replayed over Slack: DMs as message.im events, picks as
block_actions clicks on the bot's last message, replies read from what the bot posted
and updated on the fake Slack."""

import asyncio
from pathlib import Path

import pytest
import yaml
from slack_harness import SlackHarness, click, find_choice, message_event, text_of

from bot.bootstrap import App
from testkit.slack_api import FakeSlack

TRANSCRIPTS = Path(__file__).resolve().parents[2] / "transcripts"
DM = "D1"


def assert_in_order(output: str, expected: list[str]) -> None:
    position = 0
    for text in expected:
        found = output.find(text, position)
        assert found >= 0, f"{text!r} missing (in order) from:\n{output}"
        position = found + len(text)


def bot_output(slack: FakeSlack, since: int) -> str:
    """Everything the bot posted or updated in the DM since call number `since`, in order."""
    parts = [
        text_of(call.params.get("blocks") or [])
        for call in slack.calls[since:]
        if call.method in {"chat.postMessage", "chat.update"} and call.params.get("channel") == DM
    ]
    return "\n".join(parts)


@pytest.mark.parametrize("name", ["checkin.yaml"])
def test_transcript_over_slack(slack_bot: App, slack: FakeSlack, name: str) -> None:
    transcript = yaml.safe_load((TRANSCRIPTS / name).read_text(encoding="utf-8"))
    assert transcript["as"] == "alex@example.com"  # U1 in the fake workspace

    async def replay() -> None:
        async with SlackHarness(slack_bot, slack) as harness:
            for step in transcript["steps"]:
                since = len(slack.calls)
                if "say" in step:
                    status, _ = await harness.event(message_event(step["say"]))
                else:
                    last = slack.posted(DM)[-1]
                    element, block_id, chosen = find_choice(last.blocks, step["pick"])
                    payload = click(
                        element,
                        block_id=block_id,
                        message={"ts": last.ts, "blocks": last.blocks, "text": last.text},
                        **chosen,
                    )
                    status, _ = await harness.interaction(payload)
                assert status == 200
                await harness.settle()
                assert_in_order(bot_output(slack, since), step["expect"])

    asyncio.run(replay())
