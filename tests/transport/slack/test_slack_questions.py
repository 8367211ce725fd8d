"""Check-in questions in Slack: a date answered with the date picker, a second click on an
answered question recording nothing, and the message updated in place."""

import asyncio
import copy

from slack_harness import SlackHarness, click, find_choice, message_event, text_of
from sqlalchemy import select

from bot.bootstrap import App
from coaching.clock import FixedClock
from storage.models import Answer, CheckIn, CheckInQuestion, Deal, Person
from testkit.slack_api import FakeSlack, Posted


def tap(harness: SlackHarness, message: Posted, label: str):
    element, block_id, chosen = find_choice(message.blocks, label)
    payload = click(
        element, block_id=block_id, message={"ts": message.ts, "blocks": message.blocks}, **chosen
    )
    return harness.interaction(payload)


def datepicker(message: Posted) -> tuple[dict, str] | None:
    for block in message.blocks:
        for element in block.get("elements", []):
            if block["type"] == "actions" and element["type"] == "datepicker":
                return element, block["block_id"]
    return None


def test_a_date_question_is_answered_with_the_date_picker(
    slack_bot: App, slack: FakeSlack, clock: FixedClock
) -> None:
    database = slack_bot.services.database
    with database.transaction() as session:  # an open check-in whose question is a date
        alex = session.scalars(select(Person).where(Person.email == "alex@example.com")).one()
        deal = session.scalars(select(Deal).where(Deal.owner_id == alex.id)).first()
        assert deal is not None
        checkin = CheckIn(rep_id=alex.id, kind="manual", status="open", created_at=clock.now())
        session.add(checkin)
        session.flush()
        session.add(
            CheckInQuestion(
                checkin_id=checkin.id,
                deal_id=deal.id,
                field="decision_date",
                position=0,
                status="asked",
                asked_at=clock.now(),
            )
        )

    async def scenario():
        async with SlackHarness(slack_bot, slack) as harness:
            await harness.event(message_event("checkin"))  # picks the open check-in up
            await harness.settle()
            asked = copy.deepcopy(slack.posted("D1")[-1])
            found = datepicker(asked)
            assert found, text_of(asked.blocks)
            element, block_id = found
            payload = click(
                element,
                block_id=block_id,
                message={"ts": asked.ts, "blocks": asked.blocks},
                selected_date="2026-12-18",
            )
            await harness.interaction(payload)
            await harness.settle()
            return asked

    asked = asyncio.run(scenario())
    assert "Pick a date" in str(asked.blocks)
    with database.transaction() as session:
        answer = session.scalars(select(Answer).where(Answer.source == "button")).one()
        assert (answer.field, answer.value) == ("decision_date", "2026-12-18")
    updated = next(message for message in slack.posted("D1") if message.ts == asked.ts)
    assert "✓ Decision date: 2026-12-18" in text_of(updated.blocks)
    assert datepicker(updated) is None  # the picker gave way to what was recorded


def test_a_second_click_records_nothing(slack_bot: App, slack: FakeSlack) -> None:
    async def scenario():
        async with SlackHarness(slack_bot, slack) as harness:
            await harness.event(message_event("checkin"))
            await harness.settle()
            question = copy.deepcopy(slack.posted("D1")[-1])
            await tap(harness, question, "Maria Lopez")
            await harness.settle()
            await tap(harness, question, "Tom Becker")  # the stale copy, clicked again
            await harness.settle()

    asyncio.run(scenario())
    with slack_bot.services.database.transaction() as session:
        answers = session.scalars(select(Answer).where(Answer.source == "button")).all()
        assert [(answer.field, answer.value) for answer in answers] == [
            ("authority", "Maria Lopez")
        ]
    assert "Already recorded: Decision maker: Maria Lopez." in text_of(
        slack.posted("D1")[-1].blocks
    )
