"""An approved briefing reaches the champion by email, through the outbox, over SMTP."""

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from support import make_services, outbox_rows, person_id, texts

from bot.bootstrap import App, build_app
from bot.briefings.rounds import BriefingRounds
from bot.engine.messages import Incoming
from bot.infra.delivery import DeliveryPolicy
from coaching.clock import FixedClock
from storage.db import Database
from storage.demo import load_demo
from storage.models import Briefing, OutboxMessage
from testkit.smtp_server import FakeSMTPServer

PRIYA = "priya@example.com"
HANNAH = "hannah.moss@tailspin.example"


@pytest.fixture
def app(database: Database, clock: FixedClock, tmp_path: Path, smtp_server: FakeSMTPServer) -> App:
    with database.transaction() as session:
        load_demo(session, clock.now())
    services = make_services(database, clock, data_dir=tmp_path, **smtp_server.settings())
    return build_app(services)


def say(app: App, text: str) -> None:
    priya = person_id(app.services.database, PRIYA)
    app.engine.handle(Incoming(person_id=priya, text=text))


def deliver_email(app: App) -> int:
    delivery = app.delivery(app.email_senders(), policy=DeliveryPolicy(max_failures=2))
    return asyncio.run(delivery.deliver_due())


def test_the_champion_gets_html_and_text_with_the_rep_as_reply_to(
    app: App, smtp_server: FakeSMTPServer, tmp_path: Path
) -> None:
    say(app, "brief tailspin")
    say(app, "edit 1 why_now")
    say(app, "Peak season starts 1 November; training takes two weeks.")
    assert deliver_email(app) == 0
    assert smtp_server.received == []  # nothing leaves before approval

    say(app, "approve 1")
    assert (
        "I'm emailing briefing #1 to Hannah Moss <hannah.moss@tailspin.example> now"
        in texts(app.services.database)[-1]
    )
    assert deliver_email(app) == 1
    [mail] = smtp_server.received
    assert mail.rcpt_tos == [HANNAH]
    assert mail.mail_from == "dealcoach@example.com"
    message = mail.message
    assert message["To"] == f"Hannah Moss <{HANNAH}>"
    assert message["Reply-To"] == "Priya Shah <priya@example.com>"
    assert message["Subject"] == (
        "Notes for your meeting: Fleet Analytics at Tailspin Toys: "
        "the case for a decision by Friday 11 December"
    )
    assert message["Message-ID"] == "<briefing.1.email@dealcoach>"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (plain, html):
        assert "Peak season starts 1 November; training takes two weeks." in body
        assert "Prepared for Hannah Moss by Priya Shah" in body
        assert "would you be open to a couple of tips" not in body  # the rep's notes stay home
        assert "120,000" not in body and "120000" not in body
    assert plain.startswith("# Fleet Analytics at Tailspin Toys")
    assert "<h2>Why now</h2>" in html
    assert not (tmp_path / "briefings").exists()

    stored = _briefing(app)
    assert (stored.status, stored.delivered_via, stored.delivered_to) == (
        "approved",
        "email",
        HANNAH,
    )
    assert stored.approved_by == person_id(app.services.database, PRIYA)
    assert app.part(BriefingRounds).settle_emails(app.services.clock.now()) == 1
    stored = _briefing(app)
    assert stored.status == "delivered" and stored.delivered_at is not None
    assert texts(app.services.database)[-1] == (
        "✓ Briefing #1 for Tailspin route optimisation was emailed to Hannah Moss "
        "<hannah.moss@tailspin.example>."
    )


def test_a_refused_recipient_hands_the_files_to_the_rep(
    app: App, smtp_server: FakeSMTPServer, tmp_path: Path
) -> None:
    smtp_server.refuse_with = "550 5.1.1 No such user"
    say(app, "brief tailspin")
    say(app, "approve 1")
    assert deliver_email(app) == 0
    with app.services.database.transaction() as session:
        row = session.scalars(select(OutboxMessage).where(OutboxMessage.transport == "email")).one()
        assert row.status == "dead" and "550" in (row.last_error or "")
    assert app.part(BriefingRounds).settle_emails(app.services.clock.now()) == 1
    stored = _briefing(app)
    assert (stored.status, stored.delivered_via) == ("delivered", "file")
    told = texts(app.services.database)[-1]
    assert told.startswith("⚠ The email with briefing #1 to hannah.moss@tailspin.example failed")
    assert (tmp_path / "briefings" / "tailspin-route-optimisation-1.md").exists()


def test_a_temporary_refusal_is_retried(
    app: App, smtp_server: FakeSMTPServer, clock: FixedClock
) -> None:
    smtp_server.refuse_with = "451 4.3.0 Try again later"
    say(app, "brief tailspin")
    say(app, "approve 1")
    assert deliver_email(app) == 0
    [row] = [row for row in outbox_rows(app.services.database) if row.transport == "email"]
    assert row.status == "pending" and "451" in (row.last_error or "")
    assert app.part(BriefingRounds).settle_emails(clock.now()) == 0
    smtp_server.refuse_with = None
    clock.advance(dt.timedelta(minutes=10))
    assert deliver_email(app) == 1
    assert [mail.rcpt_tos for mail in smtp_server.received] == [[HANNAH]]


def test_server_mode_delivers_email(app: App, smtp_server: FakeSMTPServer) -> None:
    say(app, "brief tailspin")
    say(app, "approve 1")

    async def run_briefly() -> None:
        stop = asyncio.Event()
        server = asyncio.create_task(app.server().serve("127.0.0.1", 0, stop))
        for _ in range(100):
            if smtp_server.received:
                break
            await asyncio.sleep(0.05)
        stop.set()
        await server

    asyncio.run(run_briefly())
    assert [mail.rcpt_tos for mail in smtp_server.received] == [[HANNAH]]


def _briefing(app: App) -> Briefing:
    with app.services.database.transaction() as session:
        return session.get_one(Briefing, 1)
