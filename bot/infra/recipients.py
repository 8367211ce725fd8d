"""Where a message goes: a person's direct messages on the transport that reaches them,
a manager's channel (else their direct messages), an email address. The one resolver
every use case asks.

A person is reached on a chat platform where they have an identity and which this
deployment runs; else on the deployment's default transport (Slack when configured,
else Teams, else the console). A manager's `digest_channel` holds
"<transport>:<channel id>" (e.g. "slack:C0123", "teams:19:abc@thread.skype").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.engine.outgoing import Address, person_address
from bot.settings import Settings
from storage import people

PLATFORMS = ("slack", "teams")
EMAIL_PREFIX = "email:"


def channel_setting(transport: str, channel: str) -> str:
    """The value `digest here` stores for a channel on a transport."""
    return f"{transport}:{channel}"


def parse_channel(setting: str | None) -> Address | None:
    """'slack:C0123' -> Address('slack', 'channel:C0123'); None when unset or malformed."""
    transport, _, channel = (setting or "").partition(":")
    if not transport or not channel:
        return None
    return Address(transport, f"channel:{channel}")


def email_to(email: str) -> Address:
    """An email to this address (the email transport's recipient)."""
    return Address("email", f"{EMAIL_PREFIX}{email}")


@dataclass(frozen=True, slots=True)
class Recipients:
    """The deployment's default transport and the chat platforms it runs, in preference
    order; each method reads the database in one or two statements for any number."""

    default: str = "console"
    platforms: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> Recipients:
        enabled = (settings.slack_enabled, settings.teams_enabled)
        platforms = tuple(name for name, on in zip(PLATFORMS, enabled, strict=True) if on)
        return cls(platforms[0] if platforms else "console", platforms)

    def transports(self, session: Session, person_ids: Iterable[int]) -> dict[int, str]:
        """person id -> the transport that reaches them: an identity on a platform this
        deployment runs (the first such platform), else the default."""
        ids = list(person_ids)
        found: dict[int, str] = {}
        for person_id, platform in people.chat_platforms(session, ids, self.platforms):
            current = found.get(person_id)
            if current is None or self.platforms.index(platform) < self.platforms.index(current):
                found[person_id] = platform
        return {person_id: found.get(person_id, self.default) for person_id in ids}

    def people(self, session: Session, person_ids: Iterable[int]) -> dict[int, Address]:
        """person id -> their direct messages."""
        transports = self.transports(session, person_ids)
        return {
            person_id: Address(transport, person_address(person_id))
            for person_id, transport in transports.items()
        }

    def person(self, session: Session, person_id: int) -> Address:
        return self.people(session, [person_id])[person_id]

    def managers(self, session: Session, manager_ids: Iterable[int]) -> dict[int, Address]:
        """manager id -> their channel, else their direct messages."""
        ids = list(manager_ids)
        if not ids:
            return {}
        channels = people.digest_channels(session, ids)
        found = {
            manager: address
            for manager in ids
            if (address := parse_channel(channels.get(manager))) is not None
        }
        direct = [manager for manager in ids if manager not in found]
        if direct:
            found.update(self.people(session, direct))
        return found
