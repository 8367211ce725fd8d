"""Where a manager's warnings and digests go: their channel, else a direct message.

`Person.digest_channel` holds "<transport>:<channel id>" (e.g. "slack:C0123",
"teams:19:abc@thread.skype"): the outbox transport is the prefix and the recipient
`channel:<channel id>`. Without a channel, the manager gets a direct message on
their own transport.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.engine.outgoing import person_address
from bot.infra.recipients import transports_for
from storage.models import Person


@dataclass(frozen=True, slots=True)
class Destination:
    transport: str
    recipient: str


def channel_setting(transport: str, channel: str) -> str:
    """The value `digest here` stores for a channel on a transport."""
    return f"{transport}:{channel}"


def parse_channel(setting: str | None) -> Destination | None:
    """'slack:C0123' -> Destination('slack', 'channel:C0123'); None when unset or malformed."""
    transport, _, channel = (setting or "").partition(":")
    if not transport or not channel:
        return None
    return Destination(transport, f"channel:{channel}")


def destinations(
    session: Session, manager_ids: list[int], default: str, enabled: tuple[str, ...] = ()
) -> dict[int, Destination]:
    """manager id -> where their posts go (two statements for any number of managers)."""
    if not manager_ids:
        return {}
    channels = dict(
        session.execute(
            select(Person.id, Person.digest_channel).where(Person.id.in_(manager_ids))
        ).all()
    )
    found = {
        manager: destination
        for manager in manager_ids
        if (destination := parse_channel(channels.get(manager))) is not None
    }
    direct = [manager for manager in manager_ids if manager not in found]
    if direct:
        transports = transports_for(session, direct, default, enabled)
        found.update(
            {
                manager: Destination(transports[manager], person_address(manager))
                for manager in direct
            }
        )
    return found
