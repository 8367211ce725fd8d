"""The first time a person is linked to a chat account, it is logged and they are told.

Linking by email gives that account the person's deals, check-ins and, for a manager,
the team's warnings and digests. The log line is the admin's record; the notice goes
by email (when SMTP is configured) to the address on the team list, the one the real
person reads, whoever the new chat account is, so a link they did not expect can be
undone (`dealcoach people unlink`).
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

from bot.engine.messages import Message
from bot.engine.outgoing import EmailPart, OutboxEntry, enqueue
from bot.engine.replies import say
from bot.infra.recipients import email_to
from storage.models import Person

log = logging.getLogger(__name__)


def announce_first_link(
    session: Session,
    person: Person,
    *,
    transport: str,
    workspace: str,
    account: str,
    now: dt.datetime,
    by_email: bool,
) -> None:
    """Log the link and, with `by_email`, write the person's notice in the linking
    transaction (sent after it commits, like every message)."""
    log.warning(
        "first %s link: person %d (%s) is now %s in %s, matched by email",
        transport,
        person.id,
        person.email,
        account,
        workspace,
    )
    if not (by_email and person.email):
        return
    text = say(
        "first_link_notice",
        name=person.name,
        email=person.email,
        platform=transport.capitalize(),
        account=account,
        workspace=workspace,
    )
    entry = OutboxEntry(
        f"link:{transport}:{person.id}:{now.isoformat()}",
        email_to(person.email),
        Message.text(text),
        email=EmailPart(subject=say("first_link_subject"), text=text, to_name=person.name),
    )
    enqueue(session, [entry], now)
