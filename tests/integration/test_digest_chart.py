"""The weekly digest's at-risk lines and its chart (issue 13, item 3): one short line per
deal by severity then value; a PNG chart saved as a file in the console and shown in
a Teams card as a data URI (Slack's upload is in tests/transport/slack/)."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import io
import json
from pathlib import Path

from PIL import Image as Picture
from sqlalchemy import select
from support import person_id

from bot.bootstrap import App
from bot.console.transport import ConsoleSender
from bot.engine.messages import Image, Message
from bot.engine.pictures import draw_pictures
from bot.engine.text_render import render_text
from bot.managers.desk import ManagerDesk
from bot.managers.digest_chart import chart_image
from bot.managers.digest_messages import digest_message
from bot.managers.risk_scan import RiskScan
from bot.teams.cards import render_card
from storage.models import Person
from storage.outbox import OutboxItem

DANA = "dana@example.com"
TEAMS_ACTIVITY_LIMIT = 28_000  # bytes Bot Framework accepts in one Teams message


def dana_digest(app: App) -> tuple[dict, Message]:
    app.part(RiskScan).run(app.services.clock.now())
    desk = app.part(ManagerDesk)
    with app.services.database.transaction() as session:
        figures = desk.digests.compose(
            session, person_id(app.services.database, DANA), app.services.clock.now()
        )
    assert figures is not None
    return figures, digest_message(figures, chart_image(figures, desk.digests.wording))


def test_at_risk_deals_one_short_line_each_by_severity_then_value(app: App) -> None:
    figures, message = dana_digest(app)
    text = render_text(message)
    lines = [line for line in text.splitlines() if line[:1] in {"🔴", "🟠", "🟡"}]
    shown = figures["at_risk"]["shown"]
    assert len(lines) == len(shown) >= 3
    ranks = [(-deal["severity"], -(deal["amount"] or 0)) for deal in shown]
    assert ranks == sorted(ranks)
    for line, deal in zip(lines, shown, strict=True):
        assert line.startswith(
            {3: "🔴", 2: "🟠", 1: "🟡"}[deal["severity"]] + f" {deal['deal']} · "
        )
        assert deal["warnings"][0]["label"] in line
        assert len(line) < 120, line  # labels, not reasons
        if len(deal["warnings"]) > 2:
            assert line.endswith(f" +{len(deal['warnings']) - 2} more")


def test_the_chart_is_a_small_png_of_the_pipeline(app: App) -> None:
    figures, message = dana_digest(app)
    [written] = [block for block in message.blocks if isinstance(block, Image)]
    assert written.png == "" and len(written.model_dump_json()) < 2_000  # data in the outbox
    [image] = [block for block in draw_pictures(message).blocks if isinstance(block, Image)]
    picture = Picture.open(io.BytesIO(image.data))
    assert picture.format == "PNG" and picture.width >= 600
    assert len(image.data) < 20_000
    assert image.alt.startswith("Pipeline by stage, coloured by risk · week of ")
    assert figures["pipeline_last_week"] is None  # no earlier digest: no comparison


def test_last_weeks_digest_is_drawn_beside_this_weeks(app: App) -> None:
    desk = app.part(ManagerDesk)
    now = app.services.clock.now()
    assert desk.digests.run_due(now).sent == 1  # Monday 08:00 in New York: Dana's is due
    with app.services.database.transaction() as session:
        dana = session.scalars(select(Person).where(Person.email == DANA)).one()
        later = desk.digests.compose(session, dana.id, now + dt.timedelta(days=7))
    assert later is not None
    assert later["pipeline_last_week"], later.get("pipeline_last_week")
    chart = chart_image(later, desk.digests.wording)
    assert chart is not None and "(blue-grey: the week before)" in chart.alt


def test_teams_shows_the_chart_in_the_card(app: App) -> None:
    _, message = dana_digest(app)
    card = render_card(message)
    [element] = [element for element in card["body"] if element["type"] == "Image"]
    prefix = "data:image/png;base64,"
    assert element["url"].startswith(prefix)
    assert base64.b64decode(element["url"].removeprefix(prefix))[:8] == b"\x89PNG\r\n\x1a\n"
    assert element["altText"].startswith("Pipeline by stage")
    assert set(element) <= {"type", "url", "altText", "size"}
    assert len(json.dumps(card).encode()) < TEAMS_ACTIVITY_LIMIT


def test_the_console_saves_the_chart_and_prints_its_path(app: App, tmp_path: Path) -> None:
    _, message = dana_digest(app)
    writer = io.StringIO()
    sender = ConsoleSender(writer, tmp_path / "pictures")
    now = app.services.clock.now()
    item = OutboxItem(7, "digest:1", "console", "person:1", "message", {}, 0, False, now)
    asyncio.run(sender.send(item, message, None))
    [line] = [line for line in writer.getvalue().splitlines() if line.startswith("📊 ")]
    alt, _, path = line.removeprefix("📊 ").rpartition(": ")
    assert alt.startswith("Pipeline by stage, coloured by risk")
    assert Path(path).parent == (tmp_path / "pictures").resolve()
    assert Path(path).name.startswith("7-pipeline-")
    assert Path(path).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
