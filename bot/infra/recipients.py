"""Which transport reaches a person: their chat identity, else the deployment's default."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.settings import Settings
from storage.models import ChatIdentity

PLATFORMS = ("slack", "teams")


def enabled_platforms(settings: Settings) -> tuple[str, ...]:
    return tuple(
        platform
        for platform, enabled in zip(
            PLATFORMS, (settings.slack_enabled, settings.teams_enabled), strict=True
        )
        if enabled
    )


def default_transport(settings: Settings) -> str:
    """Slack when configured, else Teams, else the local console."""
    platforms = enabled_platforms(settings)
    return platforms[0] if platforms else "console"


def transports_for(
    session: Session, person_ids: list[int], default: str, enabled: tuple[str, ...] = ()
) -> dict[int, str]:
    """person id -> transport (in one query): an identity on an enabled platform wins."""
    found: dict[int, str] = {}
    rows = session.execute(
        select(ChatIdentity.person_id, ChatIdentity.platform).where(
            ChatIdentity.person_id.in_(person_ids), ChatIdentity.platform.in_(enabled)
        )
    )
    for person_id, platform in rows:
        current = found.get(person_id)
        if current is None or enabled.index(platform) < enabled.index(current):
            found[person_id] = platform
    return {person_id: found.get(person_id, default) for person_id in person_ids}
