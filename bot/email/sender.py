"""The email transport: outbox messages to `email:<address>`, sent over SMTP.

A payload may carry an `email` part (subject, text, html, reply_to, to_name); without
it the neutral message is sent as plain text. The Message-ID comes from the outbox
key, so a message resent after an uncertain attempt (`in_doubt`) can be recognised as
the same one. SMTP errors with a 4xx code, lost connections and timeouts are retried;
a 5xx refusal of the message or recipient is final.
"""

from __future__ import annotations

import asyncio
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from bot.engine.messages import Message
from bot.engine.outgoing import Payload
from bot.engine.text_render import render_text
from bot.infra.delivery import Delivered, Failed, RetryLater, Sender, SendResult
from bot.infra.recipients import EMAIL_PREFIX
from bot.settings import Settings
from storage.outbox import OutboxItem

TIMEOUT_S = 30.0


def email_address(recipient: str) -> str:
    """`email:a@b.example` -> `a@b.example`."""
    return recipient.removeprefix(EMAIL_PREFIX)


def email_senders(settings: Settings) -> list[Sender]:
    """The email sender when SMTP is configured, else none."""
    return [EmailSender(settings)] if settings.email_enabled else []


class EmailSender:
    transport = "email"

    def __init__(self, settings: Settings) -> None:
        assert settings.smtp_host and settings.smtp_from, "SMTP_HOST and SMTP_FROM are required"
        self.host = settings.smtp_host
        self.port = settings.smtp_port
        self.username = settings.smtp_username
        self.password = settings.smtp_password
        self.sender = settings.smtp_from
        self.starttls = settings.smtp_starttls

    async def send(self, item: OutboxItem, message: Message, replaces: str | None) -> SendResult:
        if item.kind == "update":  # a sent email cannot be changed
            return Delivered()
        mail = self.compose(item, message)
        try:
            await asyncio.to_thread(self._deliver, mail)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            return _by_code(exc, _code(exc))
        except smtplib.SMTPResponseException as exc:
            return _by_code(exc, exc.smtp_code)
        except (smtplib.SMTPException, OSError) as exc:
            return RetryLater(None, f"SMTP {self.host}:{self.port}: {exc!r}")
        return Delivered(mail["Message-ID"])

    def compose(self, item: OutboxItem, message: Message) -> EmailMessage:
        details = Payload.model_validate(item.payload).email
        mail = EmailMessage()
        mail["From"] = self.sender
        to_name = details.to_name if details else None
        mail["To"] = formataddr((to_name or "", email_address(item.recipient)))
        if details and details.reply_to:
            mail["Reply-To"] = formataddr((details.reply_to_name or "", details.reply_to))
        mail["Subject"] = (details.subject if details else None) or message.summary
        mail["Date"] = formatdate(localtime=False)
        mail["Message-ID"] = f"<{re.sub(r'[^A-Za-z0-9.-]', '.', item.key)}@dealcoach>"
        mail.set_content((details.text if details else None) or render_text(message))
        if details and details.html:
            mail.add_alternative(details.html, subtype="html")
        return mail

    def _deliver(self, mail: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_S) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username and self.password:
                smtp.login(self.username, self.password)
            smtp.send_message(mail)


def _code(exc: smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused) -> int:
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return exc.smtp_code
    codes = [code for code, _ in exc.recipients.values()]
    return max(codes) if codes else 550


def _by_code(exc: Exception, code: int) -> SendResult:
    if 400 <= code < 500:
        return RetryLater(None, f"SMTP temporary failure {code}: {exc}")
    return Failed(f"SMTP refused the message ({code}): {exc}")
