"""Proactive messages: references stored in our database on install and on every turn,
so scheduled check-ins and channel posts reach people after a restart."""

import asyncio
import datetime as dt

from sqlalchemy import select
from support import make_services, outbox_rows, person_id
from teams_support import (
    ALEX,
    BOT_ID,
    DANA,
    PRIYA,
    STRANGER,
    TEAM,
    TENANT,
    TeamsServer,
    activity,
)

from bot.bootstrap import App, build_app
from bot.checkins.rounds import CheckinRounds
from coaching.clock import FixedClock
from storage import outbox
from storage.db import Database
from storage.demo import load_demo
from storage.models import ChatIdentity, Person, TeamsConversation
from testkit.botframework_connector import FakeConnector

TUESDAY_0930_NEW_YORK = dt.datetime(2026, 11, 24, 14, 30, tzinfo=dt.UTC)


def a_process(database: Database, clock: FixedClock) -> App:
    """What `dealcoach run --teams` builds at start: new services on the same database."""
    return build_app(make_services(database, clock, teams_local=True))


async def post_and_deliver(app: App, *payloads: dict) -> None:
    async with TeamsServer(app) as server:
        for payload in payloads:
            status, _ = await server.post(payload)
            assert status == 202
        await server.deliver()


def stored(database: Database) -> dict[str, TeamsConversation]:
    with database.transaction() as session:
        rows = session.scalars(select(TeamsConversation))
        return {row.conversation_id: row for row in rows}


def test_a_checkin_reaches_a_user_after_a_restart(
    database: Database, clock: FixedClock, connector: FakeConnector
) -> None:
    with database.transaction() as session:
        load_demo(session, clock.now())
    before_restart = a_process(database, clock)
    asyncio.run(
        post_and_deliver(before_restart, activity("conversation_update_personal", connector))
    )
    [welcome] = connector.posts
    assert welcome.text.startswith("Hi Alex. I'm dealcoach")
    reference = stored(database)["a:1alex-personal-chat"]
    assert reference.reference["serviceUrl"] == connector.service_url
    assert reference.reference["user"]["id"] == ALEX.id
    assert reference.person_id == person_id(database, "alex@example.com")

    clock.set(TUESDAY_0930_NEW_YORK)
    after_restart = a_process(database, clock)  # nothing shared but the database
    assert after_restart.part(CheckinRounds).run_round(clock.now()).started == 2  # Alex and Priya

    async def deliver_then_answer() -> None:
        async with TeamsServer(after_restart) as server:
            await server.deliver()
            card = connector.posts[-1]
            assert card.conversation_id == "a:1alex-personal-chat"
            assert card.activity["recipient"]["id"] == ALEX.id
            assert card.activity["from"]["id"] == BOT_ID
            assert card.activity["channelData"] == {"notification": {"alert": True}}
            assert "Quick check-in: 5 questions on Northwind fleet analytics" in card.text
            [choices] = [e for e in card.cards[0]["body"] if e["type"] == "Input.ChoiceSet"]
            form = next(
                action["data"]
                for element in card.cards[0]["body"]
                if element["type"] == "ActionSet"
                for action in element["actions"]
                if "question" in action["data"]
            )
            data = form | {choices["id"]: "Maria Lopez"}
            tap = activity("card_submit", connector, value=data, replyToId=card.activity_id)
            assert (await server.post(tap))[0] == 202
            await server.deliver()

    asyncio.run(deliver_then_answer())
    [update] = connector.updates()
    assert "✓ Decision maker: Maria Lopez" in update.text
    priya = person_id(database, "priya@example.com")
    [waiting] = outbox_rows(database, f"person:{priya}")
    assert waiting.status == "pending"  # never installed: kept, retried, not lost
    assert "no Teams conversation is stored for person" in (waiting.last_error or "")


def test_a_team_install_links_its_people_and_opens_their_personal_chats(
    teams_app: App, connector: FakeConnector
) -> None:
    database = teams_app.services.database
    install = activity("conversation_update_team", connector)
    asyncio.run(post_and_deliver(teams_app, install))

    [welcome] = connector.posts
    assert welcome.conversation_id == TEAM  # the team's General channel
    assert welcome.text.startswith("Hi team, I'm dealcoach.")
    assert [body["members"] for body in connector.created] == [
        [{"id": member.id}]
        for member in (ALEX, DANA, PRIYA)  # the roster's order
    ]
    assert all(body["tenantID"] == TENANT for body in connector.created)  # botbuilder's spelling
    assert all(body["channelData"] == {"tenant": {"id": TENANT}} for body in connector.created)
    with database.transaction() as session:
        linked = dict(
            session.execute(select(ChatIdentity.external_id, Person.email).join(Person)).all()
        )
    assert linked == {
        ALEX.aad_object_id: "alex@example.com",
        PRIYA.aad_object_id: "priya@example.com",  # matched whatever the case of the email
        DANA.aad_object_id: "dana@example.com",
    }
    assert STRANGER.aad_object_id not in linked
    conversations = stored(database)
    assert conversations[TEAM].kind == "channel"
    assert sorted(row.kind for row in conversations.values()) == ["channel"] + ["personal"] * 3

    asyncio.run(post_and_deliver(teams_app, activity("conversation_update_team", connector)))
    assert len(connector.created) == 3 and len(connector.posts) == 1  # nothing twice

    clock = teams_app.services.clock
    clock.set(TUESDAY_0930_NEW_YORK)
    teams_app.part(CheckinRounds).run_round(clock.now())
    asyncio.run(post_and_deliver(teams_app))
    priya_chat = next(
        row.conversation_id for row in conversations.values() if row.user_id == PRIYA.id
    )
    [checkin] = [post for post in connector.posts if post.conversation_id == priya_chat]
    assert "Quick check-in" in checkin.text


def test_installs_greet_once_and_removals_forget_the_team(
    teams_app: App, connector: FakeConnector
) -> None:
    database = teams_app.services.database
    asyncio.run(
        post_and_deliver(
            teams_app,
            activity("installation_update_add", connector),
            activity("conversation_update_personal", connector),
            activity("conversation_update_team", connector),
        )
    )
    assert sorted(post.text.split(".")[0] for post in connector.posts) == [
        "Hi Alex",
        "Hi team, I'm dealcoach",
    ]
    assert TEAM in stored(database)

    asyncio.run(post_and_deliver(teams_app, activity("installation_update_remove", connector)))
    assert TEAM not in stored(database)
    assert "a:1alex-personal-chat" in stored(database)  # people keep their own chats
    with database.transaction() as session:
        outbox.enqueue(
            session,
            key="digest:1",
            transport="teams",
            recipient=f"channel:{TEAM}",
            kind="message",
            payload={"message": {"summary": "digest", "blocks": []}, "replaces": None},
            now=teams_app.services.clock.now(),
        )
    asyncio.run(post_and_deliver(teams_app))
    [digest] = [row for row in outbox_rows(database) if row.key == "digest:1"]
    assert digest.status == "pending" and "no Teams conversation" in (digest.last_error or "")
