"""Which chat transports this deployment runs, built from settings.

Each platform's code lives in its own folder (bot/slack/, bot/teams/) and is imported
only here, and only when it is configured: a console user never loads a chat SDK.
"""

from __future__ import annotations

from bot.infra.server import ChatTransport, Hub
from bot.settings import Settings


def build_transports(settings: Settings, hub: Hub, *, teams: bool = False) -> list[ChatTransport]:
    """The configured transports (Teams also when asked for without an app id)."""
    transports: list[ChatTransport] = []
    if settings.slack_enabled:
        from bot.slack.transport import SlackTransport

        transports.append(SlackTransport(settings, hub))
    if settings.teams_enabled or teams:
        from bot.teams.transport import TeamsTransport

        transports.append(TeamsTransport(settings, hub))
    return transports
