"""Conversations over Teams: real activities posted to /api/messages, replies delivered
to a fake Bot Framework connector over HTTP, on SQLite and PostgreSQL."""

import asyncio
import datetime as dt
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from support import person_id, with_stand_in
from teams_support import (
    CHANNEL,
    DANA,
    ROSTER,
    STRANGER,
    TeamsServer,
    activity,
    as_user,
    last_card_with,
    message,
    submission_for,
    submit,
)

from bot.bootstrap import App
from bot.checkins.dialog import CheckinDialog
from bot.engine.feature import Command, Feature
from bot.engine.messages import Message
from bot.engine.outgoing import Outgoing, person_address
from bot.engine.turn import Turn
from storage import identities, teams_conversations
from storage.models import Answer, ChatIdentity, CheckIn, CheckInQuestion, Deal, Person
from testkit.botframework_connector import FakeConnector

TRANSCRIPTS = Path(__file__).resolve().parents[2] / "transcripts"


def assert_in_order(output: str, expected: list[str]) -> None:
    position = 0
    for text in expected:
        found = output.find(text, position)
        assert found >= 0, f"{text!r} missing (in order) from:\n{output}"
        position = found + len(text)


def said_since(connector: FakeConnector, start: int) -> str:
    return "\n".join(post.text for post in connector.posts[start:])


async def turn(server: TeamsServer, connector: FakeConnector, payload: dict) -> str:
    """Post one activity, deliver the replies; what the bot sent and updated, as text."""
    start = len(connector.posts)
    status, _ = await server.post(payload)
    assert status == 202
    await server.deliver()
    return said_since(connector, start)


async def pick(server: TeamsServer, connector: FakeConnector, label: str) -> str:
    """Tap `label` in the last card that offers it, as Teams submits an Action.Submit."""
    card = last_card_with(label, connector.sent())
    card_post = next(post for post in reversed(connector.sent()) if card in post.cards)
    data = submission_for(label, card)
    return await turn(server, connector, submit(connector, data, replyToId=card_post.activity_id))


@pytest.mark.parametrize(
    ("name", "chats"),
    [
        ("checkin.yaml", {"a:1alex-personal-chat"}),
        ("coach.yaml", {"a:1alex-personal-chat", "a:1dana-personal-chat"}),
        ("rhythm.yaml", {"a:1alex-personal-chat"}),
    ],
)
def test_the_shared_transcripts_over_teams(
    teams_app: App, connector, name: str, chats: set[str]
) -> None:
    transcript = yaml.safe_load((TRANSCRIPTS / name).read_text(encoding="utf-8"))
    members = {member.email: member for member in ROSTER}

    async def replay() -> None:
        async with TeamsServer(teams_app) as server:
            for step in transcript["steps"]:
                member = members[step.get("as", transcript["as"])]
                chat = f"a:1{member.name.split()[0].lower()}-personal-chat"
                if "say" in step:
                    typed = as_user(message(connector, step["say"]), member, chat)
                    said = await turn(server, connector, typed)
                else:
                    said = await pick(server, connector, step["pick"])
                assert_in_order(said, step["expect"])

    asyncio.run(replay())
    assert {post.conversation_id for post in connector.posts} == chats
    assert all(post.authorization is None for post in connector.posts)  # local mode


def answers(app: App, field: str) -> list[str]:
    with app.services.database.transaction() as session:
        return list(
            session.scalars(select(Answer.value).where(Answer.field == field).order_by(Answer.id))
        )


def test_an_answer_updates_its_card_in_place_and_a_second_submit_records_nothing(
    teams_app: App, connector
) -> None:
    async def scenario() -> None:
        async with TeamsServer(teams_app) as server:
            await turn(server, connector, message(connector, "checkin"))
            [question_card] = connector.sent()
            before = answers(teams_app, "authority")
            data = submission_for("Maria Lopez", question_card.cards[0])
            tap = submit(connector, data, replyToId=question_card.activity_id)

            said = await turn(server, connector, tap)
            [update] = connector.updates()
            assert update.activity_id == question_card.activity_id
            assert update.conversation_id == question_card.conversation_id
            assert "✓ Decision maker: Maria Lopez" in update.text
            assert "Save answer" not in update.text  # the form gave way to the outcome
            assert "who will carry our case" in said
            assert answers(teams_app, "authority") == [*before, "Maria Lopez"]

            assert await turn(server, connector, tap) == ""  # Teams retried the same activity
            again = submit(connector, {**data, "answer": "Tom Becker"})  # the old card, again
            assert "Already recorded: Decision maker: Maria Lopez." in await turn(
                server, connector, again
            )
            assert answers(teams_app, "authority") == [*before, "Maria Lopez"]

    asyncio.run(scenario())


def test_an_action_execute_invoke_is_answered_at_once_and_acted_on(
    teams_app: App, connector
) -> None:
    async def scenario() -> None:
        async with TeamsServer(teams_app) as server:
            await turn(server, connector, message(connector, "checkin"))
            unsure = submission_for("Not sure", connector.sent()[0].cards[0])
            invoke = activity("invoke_card_action", connector)
            invoke["value"]["action"]["data"] = unsure
            status, body = await server.post(invoke)
            assert status == 200
            assert body == {
                "statusCode": 200,
                "type": "application/vnd.microsoft.activity.message",
                "value": "Got it.",
            }
            await server.deliver()
            assert "✓ Decision maker: not sure" in connector.updates()[0].text

    asyncio.run(scenario())
    assert answers(teams_app, "authority")[-1] == "unknown"


def ask(app: App, who: str, deal_name: str, field: str) -> None:
    """Put one check-in question to a rep through the dialog, to be delivered by Teams."""
    database, now = app.services.database, app.services.clock.now()
    rep = person_id(database, who)
    with database.transaction() as session:
        checkin = CheckIn(rep_id=rep, kind="manual", status="open", created_at=now)
        session.add(checkin)
        session.flush()
        deal = session.scalars(select(Deal).where(Deal.name == deal_name)).one()
        question = CheckInQuestion(checkin_id=checkin.id, deal_id=deal.id, field=field, position=0)
        session.add(question)
        session.flush()
        out = Outgoing(session, "teams", person_address(rep), f"test:{field}", now)
        app.part(CheckinDialog).ask(Turn(session, out, session.get_one(Person, rep), now), question)


def test_dates_come_from_a_date_input_and_scales_from_one_tap_buttons(
    teams_app: App, connector
) -> None:
    async def scenario() -> None:
        async with TeamsServer(teams_app) as server:
            await turn(server, connector, activity("conversation_update_personal", connector))
            ask(teams_app, "alex@example.com", "Northwind fleet analytics", "decision_date")
            await server.deliver()
            card_post = connector.sent()[-1]
            [date_input] = [e for e in card_post.cards[0]["body"] if e["type"] == "Input.Date"]
            form = submission_for("Not sure", card_post.cards[0])
            assert form is not None
            question_id = form["value"]
            data = {"action": "answer", "question": question_id, date_input["id"]: "2026-12-15"}
            said = await turn(server, connector, submit(connector, data))
            assert "✓ Decision date: 2026-12-15" in said

            ask(teams_app, "alex@example.com", "Contoso service desk", "exposure")
            await server.deliver()
            said = await pick(server, connector, "2")
            assert "✓ Exposure to decision maker: 2" in said

    asyncio.run(scenario())
    assert answers(teams_app, "decision_date")[-1] == "2026-12-15"
    assert answers(teams_app, "exposure")[-1] == "2"


def test_a_channel_message_reaches_the_engine_without_the_mention_and_with_its_channel(
    teams_app: App, connector
) -> None:
    """`@dealcoach digest here` in a team channel: the engine gets the text and the channel
    (a stand-in command answers in that channel, through the stored channel reference)."""

    def digest(turn: Turn) -> None:
        channel = Outgoing(
            turn.session, "teams", f"channel:{turn.channel}", "test:digest", turn.now
        )
        channel.send(Message.text(f"{turn.person.name} asked for “{turn.args}” in {turn.channel}"))

    bot = with_stand_in(teams_app, Feature("managers", commands=(Command(("digest",), digest),)))

    async def scenario() -> str:
        async with TeamsServer(bot) as server:
            return await turn(server, connector, activity("message_channel", connector))

    said = asyncio.run(scenario())
    assert said == f"Dana Whitfield asked for “here” in {CHANNEL}"
    [post] = connector.posts
    assert post.conversation_id == CHANNEL  # a new post in the channel, not a thread reply
    with teams_app.services.database.transaction() as session:
        stored = teams_conversations.by_conversation(session, CHANNEL)
        assert stored is not None and stored.kind == "channel"
        assert stored.team_id == "19:east-sales-team@thread.tacv2"


def test_someone_met_in_a_channel_gets_replies_in_a_personal_chat(
    teams_app: App, connector
) -> None:
    payload = activity("message_channel", connector, text="<at>dealcoach</at> deals")

    async def scenario() -> str:
        async with TeamsServer(teams_app) as server:
            return await turn(server, connector, payload)

    assert asyncio.run(scenario()) == "You have no open deals right now."
    [created] = connector.created
    assert created["members"] == [{"id": DANA.id}]
    [reply] = connector.posts
    assert reply.conversation_id == "a:personal-chat-1"
    assert reply.activity["recipient"]["id"] == DANA.id


def test_any_engine_action_works_from_a_card_without_teams_code(teams_app: App, connector) -> None:
    """A feature's new button (here, warning feedback on a card in a chat or a channel)
    needs nothing Teams-specific."""

    def feedback(turn: Turn, value: str) -> None:
        where = f" in {turn.channel}" if turn.channel else ""
        turn.out.send(Message.text(f"feedback {value} from {turn.person.name}{where}"))

    bot = with_stand_in(teams_app, Feature("managers", actions={"warning_feedback": feedback}))

    async def scenario() -> tuple[str, str]:
        async with TeamsServer(bot) as server:
            data = {"action": "warning_feedback", "value": "12:not_useful"}
            in_chat = await turn(server, connector, submit(connector, data))
            in_channel = activity("message_channel", connector, text=None, value=data)
            return in_chat, await turn(server, connector, in_channel)

    in_chat, in_channel = asyncio.run(scenario())
    assert in_chat == "feedback 12:not_useful from Alex Rivera"
    assert in_channel == f"feedback 12:not_useful from Dana Whitfield in {CHANNEL}"


def test_first_contact_links_people_by_email_and_tells_strangers_how_to_be_linked(
    teams_app: App, connector
) -> None:
    async def scenario() -> None:
        async with TeamsServer(teams_app) as server:
            stranger = as_user(message(connector, "help"), STRANGER, chat="a:1jo-chat")
            status, _ = await server.post(stranger)
            assert status == 202
            [reply] = connector.posts
            assert reply.method == "reply"
            assert f"dealcoach people link --teams {STRANGER.aad_object_id}" in reply.text
            assert "Here is what I understand" in await turn(
                server, connector, as_user(message(connector, "help"), DANA, chat="a:1dana-chat")
            )

    asyncio.run(scenario())
    with teams_app.services.database.transaction() as session:
        links = session.execute(
            select(Person.email, ChatIdentity.external_id, ChatIdentity.dm_channel).join(
                ChatIdentity
            )
        ).all()
    assert links == [("dana@example.com", DANA.aad_object_id, "a:1dana-chat")]


def test_the_emulator_talks_to_people_linked_by_their_user_id(teams_app: App, connector) -> None:
    """The Bot Framework Emulator: no tenant, no AAD id, no member lookup."""
    database = teams_app.services.database
    alex = person_id(database, "alex@example.com")
    with database.transaction() as session:
        identities.link(
            session,
            person_id=alex,
            platform="teams",
            tenant="",
            external_id="emulator-user-1",
            now=dt.datetime.now(dt.UTC),
        )
    emulator = message(
        connector,
        "deals",
        channelId="emulator",
        channelData=None,
        entities=None,
        **{"from": {"id": "emulator-user-1", "name": "User"}},
        conversation={"id": "emulator-conversation-1"},
    )

    async def scenario() -> str:
        async with TeamsServer(teams_app) as server:
            return await turn(server, connector, emulator)

    assert "Your open deals (3)" in asyncio.run(scenario())
    with database.transaction() as session:
        stored = teams_conversations.personal_chat(session, alex)
        assert stored is not None and stored.conversation_id == "emulator-conversation-1"
        count = session.scalar(select(func.count()).select_from(ChatIdentity))
    assert count == 1  # only the explicit link: the Emulator has no member lookup
