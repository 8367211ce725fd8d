"""The digest's chart reaches Slack as a file, with the upload v2 API
(files.getUploadURLExternal, the bytes to the upload URL, files.completeUploadExternal),
in the conversation the digest was posted to."""

from __future__ import annotations

import asyncio

from slack_harness import SlackHarness
from support import outbox_rows, person_id

from bot.bootstrap import App
from bot.engine.messages import Image, Message, Paragraph
from bot.engine.pictures import draw_pictures
from bot.managers.desk import ManagerDesk
from bot.managers.digest_chart import chart_image
from bot.managers.digest_messages import digest_message
from coaching.clock import FixedClock
from storage import outbox
from testkit.slack_api import FakeSlack


def queue(app: App, clock: FixedClock, key: str, recipient: str, message: Message) -> None:
    with app.services.database.transaction() as session:
        outbox.enqueue(
            session,
            key=key,
            transport="slack",
            recipient=recipient,
            kind="message",
            payload={"message": message.model_dump(mode="json"), "replaces": None},
            now=clock.now(),
        )


def test_the_digest_chart_is_uploaded_beside_the_digest(
    slack_bot: App, slack: FakeSlack, clock: FixedClock
) -> None:
    database = slack_bot.services.database
    dana = person_id(database, "dana@example.com")
    desk = slack_bot.part(ManagerDesk)
    with database.transaction() as session:
        figures = desk.digests.compose(session, dana, clock.now())
    assert figures is not None
    chart = chart_image(figures, desk.digests.wording)
    assert chart is not None
    queue(slack_bot, clock, "digest", f"person:{dana}", digest_message(figures, chart))

    asyncio.run(SlackHarness(slack_bot, slack).delivery.deliver_due())

    [posted] = slack.posted("D2")
    assert "Weekly digest" in posted.text
    [upload] = slack.shared_files("D2")
    [drawn] = draw_pictures(Message(summary="chart", blocks=(chart,))).blocks
    assert isinstance(drawn, Image)
    assert upload.content == drawn.data and upload.length == len(drawn.data)
    assert upload.filename == chart.name and upload.title == chart.alt
    assert upload.alt_txt == chart.alt
    methods = [call.method for call in slack.calls if call.method.startswith("files.")]
    assert methods == ["files.getUploadURLExternal", "files.completeUploadExternal"]
    assert [row.status for row in outbox_rows(database)] == ["sent"]


def test_a_failed_upload_keeps_the_message_posted_once(
    slack_bot: App, slack: FakeSlack, clock: FixedClock
) -> None:
    dana = person_id(slack_bot.services.database, "dana@example.com")
    picture = Image.of(b"\x89PNG\r\n\x1a\n" + b"0" * 64, alt="a chart", name="chart.png")
    message = Message(summary="with a chart", blocks=(Paragraph(text="see"), picture))
    queue(slack_bot, clock, "pictured", f"person:{dana}", message)
    slack.fail("files.completeUploadExternal", status=200, error="file_upload_incomplete")

    asyncio.run(SlackHarness(slack_bot, slack).delivery.deliver_due())

    assert len(slack.posted("D2")) == 1
    assert slack.shared_files() == []
    assert [row.status for row in outbox_rows(slack_bot.services.database)] == ["sent"]
