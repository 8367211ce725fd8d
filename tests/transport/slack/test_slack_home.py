"""App Home (deals, gaps, next check-in, snooze) and the modals to edit and pause a deal."""

import asyncio
import json
from typing import Any

from slack_harness import SlackHarness, home_click, home_opened_event, submission, text_of
from sqlalchemy import select

from bot.bootstrap import App
from storage.models import Answer, Deal, Person
from testkit.slack_api import FakeSlack


def button(view: dict, label: str, near: str | None = None) -> dict:
    """The button labelled `label` (in the actions block after the section mentioning `near`)."""
    blocks = view["blocks"]
    for index, block in enumerate(blocks):
        if block["type"] != "actions":
            continue
        previous = blocks[index - 1] if index else {}
        if near and near not in (previous.get("text") or {}).get("text", ""):
            continue
        for element in block["elements"]:
            if element["text"]["text"] == label:
                return element
    raise AssertionError(f"no button {label!r} near {near!r} in:\n{text_of(blocks)}")


def state_as_opened(view: dict) -> dict[str, dict[str, Any]]:
    """What Slack submits for a modal nobody changed: every input with its initial value."""
    values: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        state: dict[str, Any] = {"type": element["type"]}
        if element["type"] == "static_select":
            state["selected_option"] = element.get("initial_option")
        elif element["type"] == "datepicker":
            state["selected_date"] = element.get("initial_date")
        else:
            state["value"] = element.get("initial_value")
        values[block["block_id"]] = {element["action_id"]: state}
    return values


def option(view: dict, block_id: str, label: str) -> dict:
    block = next(block for block in view["blocks"] if block.get("block_id") == block_id)
    return next(item for item in block["element"]["options"] if item["text"]["text"] == label)


def test_app_home_shows_deals_gaps_next_checkin_and_snooze(
    slack_bot: App, slack: FakeSlack
) -> None:
    async def scenario():
        async with SlackHarness(slack_bot, slack) as harness:
            await harness.event(home_opened_event())
            await harness.settle()
            snooze = button(slack.home_views["U1"], "Snooze 1 week")
            await harness.interaction(home_click(snooze))
            await harness.settle()

    asyncio.run(scenario())
    publishes = slack.calls_to("views.publish")
    assert len(publishes) == 2
    before = text_of(publishes[0].params["view"]["blocks"])
    assert "== Your open deals ==" in before
    assert "Next check-in: Tuesday 24 November, 09:30." in before
    assert "*Northwind fleet analytics*: Negotiation/Review, $84,000" in before
    assert "25% qualified; gaps: decision maker, exposure to decision maker, need" in before
    assert "Snooze 1 day | Snooze 1 week" in before
    after = text_of(publishes[1].params["view"]["blocks"])
    assert "Check-ins are snoozed until Monday 30 November" in after
    assert "Unsnooze" in after and "Snooze 1 week" not in after
    assert "Snoozed until Monday 30 November" in text_of(slack.posted("D1")[-1].blocks)


def test_the_edit_modal_records_only_what_changed(slack_bot: App, slack: FakeSlack) -> None:
    async def scenario():
        async with SlackHarness(slack_bot, slack) as harness:
            await harness.event(home_opened_event())
            await harness.settle()
            edit = button(slack.home_views["U1"], "Edit qualification", near="Northwind")
            await harness.interaction(home_click(edit))
            await harness.settle()
            modal = slack.opened_views[-1]
            values = state_as_opened(modal)
            values["field~money"]["value"]["selected_option"] = option(
                modal, "field~money", "Next year"
            )
            values["field~exposure"]["value"]["selected_option"] = option(
                modal, "field~exposure", "4"
            )
            values["field~decision_date"]["value"]["selected_date"] = "2026-12-20"
            values["field~next_step"]["value"]["value"] = "  Exec sponsor call  "
            await harness.interaction(submission(modal, values))
            await harness.settle()
            return modal

    modal = asyncio.run(scenario())
    assert modal["callback_id"] == "edit_qualification"
    assert len([block for block in modal["blocks"] if block["type"] == "input"]) == 16
    with slack_bot.services.database.transaction() as session:
        northwind = session.scalars(select(Deal).where(Deal.name.like("Northwind%"))).one()
        from_form = session.scalars(
            select(Answer).where(Answer.deal_id == northwind.id, Answer.source == "form")
        ).all()
        assert sorted((answer.field, answer.value) for answer in from_form) == [
            ("decision_date", "2026-12-20"),
            ("exposure", "4"),
            ("money", "next_year"),
            ("next_step", "Exec sponsor call"),
        ]
    reply = text_of(slack.posted("D1")[-1].blocks)
    assert "Updated Northwind fleet analytics:" in reply
    assert "✓ Money: Next year" in reply
    assert "✓ Exposure to decision maker: 4" in reply
    homes = [text_of(call.params["view"]["blocks"]) for call in slack.calls_to("views.publish")]
    assert "$84,000, close 2026-12-05; 25% qualified; gaps: decision maker, exposure" in homes[0]
    assert "$84,000, close 2026-12-05; 38% qualified; gaps: decision maker, need" in homes[-1]


def test_the_pause_modal_pauses_the_deal_like_the_typed_command(
    slack_bot: App, slack: FakeSlack
) -> None:
    async def scenario():
        async with SlackHarness(slack_bot, slack) as harness:
            await harness.event(home_opened_event())
            await harness.settle()
            pause = button(slack.home_views["U1"], "Pause", near="Contoso")
            await harness.interaction(home_click(pause))
            await harness.settle()
            modal = slack.opened_views[-1]
            values = state_as_opened(modal)
            values["until"]["value"]["selected_date"] = "2027-01-15"
            values["reason"]["value"]["value"] = "budget freeze until\nthe new fiscal year"
            await harness.interaction(submission(modal, values))
            await harness.settle()
            return modal

    modal = asyncio.run(scenario())
    assert modal["callback_id"] == "pause_deal"
    with slack_bot.services.database.transaction() as session:
        contoso = session.scalars(select(Deal).where(Deal.name.like("Contoso%"))).one()
        assert str(contoso.paused_until) == "2027-01-15"
        assert contoso.pause_reason == "budget freeze until the new fiscal year"
    reply = text_of(slack.posted("D1")[-1].blocks)
    assert "Paused Contoso service desk until 2027-01-15" in reply
    home = slack.calls_to("views.publish")[-1].params["view"]
    assert button(home, "Resume", near="Contoso")["value"].startswith("resume ")
    assert "Paused until 2027-01-15: budget freeze" in text_of(home["blocks"])


def test_a_modal_for_a_deal_that_is_not_yours_says_so(slack_bot: App, slack: FakeSlack) -> None:
    with slack_bot.services.database.transaction() as session:
        priya = session.scalars(select(Person).where(Person.email == "priya@example.com")).one()
        hers = session.scalars(select(Deal).where(Deal.owner_id == priya.id)).first()
        assert hers is not None
        foreign = str(hers.id)

    async def scenario():
        async with SlackHarness(slack_bot, slack) as harness:
            element = {
                "action_id": "open_edit~x",
                "text": {"type": "plain_text", "text": "Edit qualification"},
                "value": foreign,
            }
            await harness.interaction(home_click(element))
            await harness.settle()

    asyncio.run(scenario())
    assert "no longer one of your open deals" in text_of(slack.opened_views[-1]["blocks"])


def test_an_unknown_user_sees_how_to_get_linked_on_the_home_tab(
    slack_bot: App, slack: FakeSlack
) -> None:
    async def scenario():
        async with SlackHarness(slack_bot, slack) as harness:
            await harness.event(home_opened_event(user="U9"))
            await harness.settle()

    asyncio.run(scenario())
    home = text_of(slack.home_views["U9"]["blocks"])
    assert "== Welcome to dealcoach ==" in home
    assert "dealcoach people link --slack U9" in home
    assert slack.posted() == []


def test_a_pause_date_in_the_past_is_refused_on_the_field(slack_bot: App, slack: FakeSlack) -> None:
    async def scenario() -> tuple[int, str]:
        async with SlackHarness(slack_bot, slack) as harness:
            await harness.event(home_opened_event())
            await harness.settle()
            await harness.interaction(home_click(button(slack.home_views["U1"], "Pause")))
            await harness.settle()
            modal = slack.opened_views[-1]
            values = state_as_opened(modal)
            values["until"]["value"]["selected_date"] = "2026-11-20"  # last Friday
            values["reason"]["value"]["value"] = "budget freeze"
            answer = await harness.interaction(submission(modal, values))
            await harness.settle()
            return answer

    status, body = asyncio.run(scenario())
    assert status == 200
    assert json.loads(body) == {
        "response_action": "errors",
        "errors": {"until": "The pause date should be after today; try again with a later date."},
    }
    with slack_bot.services.database.transaction() as session:
        assert session.scalars(select(Deal).where(Deal.paused_until.is_not(None))).all() == []
    assert slack.posted("D1") == []
