"""The digest's chart in Teams: drawn at delivery and shown in the card as an Image with
a PNG data URI (Adaptive Cards 1.2+), small enough for one Teams message."""

import asyncio
import base64
import json

from support import make_services, person_id
from teams_support import TeamsServer, activity

from bot.bootstrap import build_app
from bot.managers.desk import ManagerDesk
from bot.managers.digest_chart import chart_image
from bot.managers.digest_messages import digest_message
from coaching.clock import FixedClock
from storage import outbox
from storage.db import Database
from storage.demo import load_demo
from testkit.botframework_connector import FakeConnector

TEAMS_MESSAGE_LIMIT = 28_000  # bytes Bot Framework accepts in one Teams message
PNG = b"\x89PNG\r\n\x1a\n"


def test_the_chart_arrives_as_an_image_in_the_card(
    database: Database, clock: FixedClock, connector: FakeConnector
) -> None:
    with database.transaction() as session:
        load_demo(session, clock.now())
    app = build_app(make_services(database, clock, teams_local=True))
    desk = app.part(ManagerDesk)
    with database.transaction() as session:
        figures = desk.digests.compose(
            session, person_id(database, "dana@example.com"), clock.now()
        )
    assert figures is not None
    message = digest_message(figures, chart_image(figures, desk.digests.wording))
    alex = person_id(database, "alex@example.com")  # Alex's chat is the one installed here
    with database.transaction() as session:
        outbox.enqueue(
            session,
            key="digest:chart",
            transport="teams",
            recipient=f"person:{alex}",
            kind="message",
            payload={"message": message.model_dump(mode="json"), "replaces": None},
            now=clock.now(),
        )

    async def install_then_deliver() -> None:
        async with TeamsServer(app) as server:
            status, _ = await server.post(activity("conversation_update_personal", connector))
            assert status == 202
            await server.deliver()

    asyncio.run(install_then_deliver())
    [card] = [post for post in connector.posts if "Weekly digest" in post.text]
    [attachment] = card.activity["attachments"]
    images = [item for item in attachment["content"]["body"] if item["type"] == "Image"]
    [image] = images
    data = image["url"].removeprefix("data:image/png;base64,")
    assert base64.b64decode(data)[:8] == PNG
    assert image["altText"].startswith("Pipeline by stage, coloured by risk")
    assert len(json.dumps(card.activity).encode()) < TEAMS_MESSAGE_LIMIT
