"""The /dealcoach slash command: typed commands, and the channel it was used in."""

import asyncio

from slack_harness import SlackHarness, command_fields, text_of
from sqlalchemy import select
from support import with_stand_in

from bot.bootstrap import App
from bot.engine.feature import Command, Feature
from bot.engine.messages import Message
from bot.engine.turn import Turn
from storage import slack_workspaces
from storage.models import Person
from testkit.slack_api import FakeSlack


def run(app: App, slack: FakeSlack, *commands: dict) -> list[tuple[int, str]]:
    async def main():
        async with SlackHarness(app, slack) as harness:
            answers = [await harness.command(fields) for fields in commands]
            await harness.settle()
            return answers

    return asyncio.run(main())


def test_a_subcommand_runs_as_if_typed_and_answers_in_the_dm(
    slack_bot: App, slack: FakeSlack
) -> None:
    [(status, body)] = run(slack_bot, slack, command_fields("snooze 3d", channel="D1"))
    assert (status, body) == (200, "")
    [reply] = slack.posted("D1")
    assert "Snoozed until Thursday 26 November" in text_of(reply.blocks)
    with slack_bot.services.database.transaction() as session:
        alex = session.scalars(select(Person).where(Person.email == "alex@example.com")).one()
        assert alex.snoozed_until is not None


def test_no_subcommand_is_help(slack_bot: App, slack: FakeSlack) -> None:
    run(slack_bot, slack, command_fields("", channel="D1"))
    assert "Here is what I understand" in text_of(slack.posted("D1")[0].blocks)


def test_in_a_channel_the_engine_learns_which_channel(slack_bot: App, slack: FakeSlack) -> None:
    seen: list[tuple[str, str | None]] = []

    def digest(turn: Turn) -> None:  # stands in for the managers' `digest here` command
        seen.append((turn.args, turn.channel))
        turn.out.send(Message.text("digest channel set"))

    stand_in = Feature("managers", commands=(Command(("digest",), digest),))
    bot = with_stand_in(slack_bot, stand_in)
    [(status, body)] = run(bot, slack, command_fields("digest  here", user="U2"))
    assert status == 200
    assert body == "Got it: my answer to `/dealcoach digest here` is in our direct messages."
    assert seen == [("here", "C1")]
    assert "digest channel set" in text_of(slack.posted("D2")[0].blocks)
    with slack_bot.services.database.transaction() as session:
        assert slack_workspaces.team_of_channel(session, "C1") == "T1"


def test_an_unknown_user_is_told_how_to_get_linked(slack_bot: App, slack: FakeSlack) -> None:
    run(slack_bot, slack, command_fields("deals", user="U9", channel="C1"))
    [notice] = slack.posted("D9")  # their DM, opened with conversations.open
    assert "dealcoach people link --slack U9" in text_of(notice.blocks)
    assert slack.posted("C1") == []


def test_in_a_channel_the_bot_is_not_in_the_manager_is_asked_to_invite_it(
    slack_bot: App, slack: FakeSlack
) -> None:
    slack.add_channel("C7", member=False)
    seen: list[str | None] = []

    def digest(turn: Turn) -> None:
        seen.append(turn.channel)

    bot = with_stand_in(slack_bot, Feature("managers", commands=(Command(("digest",), digest),)))
    run(bot, slack, command_fields("digest here", user="U2", channel="C7"))
    assert seen == []  # the channel is not taken as the digest's home
    [info] = slack.calls_to("conversations.info")
    assert info.params["channel"] == "C7"
    [notice] = slack.posted("D2")
    assert "I'm not a member of <#C7>" in text_of(notice.blocks)
    assert "`/invite @dealcoach`" in text_of(notice.blocks)
    assert slack.posted("C7") == []
