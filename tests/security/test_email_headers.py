"""Finding 8 (issue 15): a model headline with CR/LF made the email's subject a header
Python refuses to write: the rep was told it was being sent, and the outbox retried it
20 times without ever sending. Header values are one line before the outbox."""

from __future__ import annotations

import asyncio
from pathlib import Path

from support import make_services, outbox_rows

from bot.bootstrap import build_app
from bot.engine.messages import Message
from bot.engine.outgoing import EmailPart, OutboxEntry, enqueue
from bot.infra.delivery import DeliveryPolicy
from bot.infra.recipients import email_to
from coaching.clock import FixedClock
from storage.db import Database
from testkit.smtp_server import FakeSMTPServer

HEADLINE = "Globex: the case for Q3\r\nBcc: someone@evil.example\n\tand more"


def test_f08_a_subject_with_cr_lf_is_sent_on_one_line(
    sqlite_database: Database, clock: FixedClock, tmp_path: Path
) -> None:
    with FakeSMTPServer() as smtp:
        app = build_app(make_services(sqlite_database, clock, data_dir=tmp_path, **smtp.settings()))
        email = EmailPart(subject=HEADLINE, text="The plan.", to_name="Hannah\r\nMoss")
        entry = OutboxEntry(
            "test:crlf", email_to("hannah@tailspin.example"), Message.text("x"), email=email
        )
        with sqlite_database.transaction() as session:
            enqueue(session, [entry], clock.now())
        delivery = app.delivery(app.email_senders(), policy=DeliveryPolicy(max_failures=2))
        asyncio.run(delivery.deliver_due())
        [received] = smtp.received
    assert received.rcpt_tos == ["hannah@tailspin.example"]
    assert (
        received.message["Subject"] == "Globex: the case for Q3 Bcc: someone@evil.example and more"
    )
    assert received.message["Bcc"] is None
    assert "\n" not in str(received.message["To"])
    [row] = outbox_rows(sqlite_database)
    assert row.status == "sent"
